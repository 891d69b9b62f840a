package dev.keywarm.analyzer.analysis;

/**
 * @param planK keys in the overall plan and in each hour plan
 * @param minPairSupport least co-reads (both directions together) for a pair to be ranked
 * @param rows rows per table in reports (top keys, pairs, patterns)
 * @param hourSetSize size of each hour of day's top set when telling core from hour-specific keys
 * @param planPairs ordered pairs kept in the plan's pair list
 */
public record AnalysisOptions(
    int planK, double minPairSupport, int rows, int hourSetSize, int planPairs) {

  public static AnalysisOptions defaults() {
    return new AnalysisOptions(10_000, 5, 25, 100, 10_000);
  }

  public AnalysisOptions withPlanK(int k) {
    return new AnalysisOptions(k, minPairSupport, rows, hourSetSize, planPairs);
  }

  public AnalysisOptions withMinPairSupport(double support) {
    return new AnalysisOptions(planK, support, rows, hourSetSize, planPairs);
  }

  public AnalysisOptions withRows(int n) {
    return new AnalysisOptions(planK, minPairSupport, n, hourSetSize, planPairs);
  }

  public AnalysisOptions withHourSetSize(int n) {
    return new AnalysisOptions(planK, minPairSupport, rows, n, planPairs);
  }
}
