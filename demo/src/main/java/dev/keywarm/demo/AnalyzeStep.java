package dev.keywarm.demo;

import dev.keywarm.analyzer.analysis.Analysis;
import dev.keywarm.analyzer.analysis.AnalysisOptions;
import dev.keywarm.analyzer.analysis.Analyzer;
import dev.keywarm.analyzer.plan.PlanWriter;
import dev.keywarm.analyzer.read.HourlyStatsReader;
import dev.keywarm.analyzer.read.HourlyTtlReader;
import dev.keywarm.analyzer.read.RangeData;
import dev.keywarm.analyzer.report.HtmlReport;
import dev.keywarm.schema.HourBucket;
import dev.keywarm.schema.HourRange;
import dev.keywarm.schema.KeySchema;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import redis.clients.jedis.Jedis;

/**
 * What {@code keywarm analyze --format html} does, as a library call: reads the app's hourly sets,
 * renders the HTML report and publishes a plan generation in the stats Redis for the agent's warm.
 */
final class AnalyzeStep {

  record Outcome(Analysis analysis, String html, String generation) {}

  private AnalyzeStep() {}

  static Outcome run(String statsUri, String app, int planKeys) {
    Instant now = Instant.now();
    // the hour being written is included: the shop that wrote it has exited, so the sets are still
    HourRange range = HourRange.lastDays(1, HourBucket.of(now).plusHours(1));
    try (Jedis jedis = new Jedis(URI.create(statsUri))) {
      KeySchema schema = KeySchema.forApp(app);
      RangeData data = new HourlyStatsReader(jedis, schema).read(range, 0);
      Analysis analysis =
          new Analyzer(
                  AnalysisOptions.defaults().withPlanK(planKeys),
                  null,
                  new HourlyTtlReader(jedis, schema))
              .analyze(data, now);
      String generation =
          new PlanWriter(jedis, schema).write(analysis.plan(), Duration.ofDays(1), now);
      return new Outcome(analysis, HtmlReport.render(analysis.result()), generation);
    }
  }
}
