package dev.keywarm.analyzer.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keywarm.analyzer.Fixtures;
import dev.keywarm.analyzer.read.RangeDataBuilder;
import dev.keywarm.analyzer.report.JsonReport;
import dev.keywarm.schema.HourRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Meta hashes written as the agent writes them (HSET of the fields) must come back as the share of
 * reads not recorded, by cause, in the notes and in the JSON — with lost_events beyond lost_reads
 * (an older agent, or lost writes) as an upper bound rather than ignored.
 */
class ReadLossesTest {

  static final HourRange TWO_HOURS = new HourRange(Fixtures.START, Fixtures.START.plusHours(2));

  /** 9,500 recorded reads: ten keys, 475 hits each, in each of two hours. */
  private static RangeDataBuilder recordedReads(String app) {
    RangeDataBuilder w = new RangeDataBuilder(app);
    for (int h = 0; h < 2; h++) {
      for (int k = 0; k < 10; k++) {
        w.hits(Fixtures.START.plusHours(h), "k:" + k, 475);
      }
    }
    return w;
  }

  /** The notes about losses: every note that speaks of reads or writes the counts do not hold. */
  private static List<String> lossNotes(AnalysisResult r) {
    return r.notes().stream()
        .filter(n -> n.matches(".*(dropped|reads were not recorded|never written).*"))
        .toList();
  }

  @Test
  void everyCauseIsAShareOfTheReadsTheAgentSaw() throws Exception {
    RangeDataBuilder w = recordedReads("losses");
    w.hset(
        Fixtures.START,
        "dropped_hits",
        "60",
        "dropped_misses",
        "40",
        "lost_events",
        "300",
        "lost_reads",
        "200",
        "flushes",
        "5");
    w.hset(
        Fixtures.START.plusHours(1),
        "unwritten_reads",
        "200",
        "unwritten_writes",
        "7",
        "lost_events",
        "50");

    AnalysisResult r = Fixtures.analyze(w, TWO_HOURS, AnalysisOptions.defaults()).result();

    // seen = 9,500 recorded + 100 dropped + 400 not recorded; 150 lost calls are not known to be
    // reads
    assertEquals(
        List.of(
            "the agent dropped 100 reads of rare keys from its bounded summary (1.00% of reads): they are "
                + "counted but not attributed to a key",
            "4.00% of reads were not recorded (400 of 10,000 the agent saw): 200 (2.00%) lost to a full "
                + "recording buffer; 200 (2.00%) counted but never written to the stats Redis: unreachable "
                + "for longer than the agent's backlog lasts, or the shutdown flush ran out of time",
            "150 calls lost to a full recording buffer are not known to be reads (lost_events exceeds "
                + "lost_reads: they are writes, or come from an agent that did not count lost_reads): if all "
                + "were reads, at most 5.42% of reads were not recorded",
            "7 writes were counted but never written to the stats Redis"),
        lossNotes(r));
    JsonNode losses = new ObjectMapper().readTree(JsonReport.render(r)).at("/totals/losses");
    assertEquals(10_000, losses.get("seenReads").asDouble());
    assertEquals(100, losses.get("droppedReads").asLong());
    assertEquals(400, losses.get("notRecordedReads").asLong());
    assertEquals(200, losses.get("bufferFullReads").asLong());
    assertEquals(200, losses.get("unwrittenReads").asLong());
    assertEquals(7, losses.get("unwrittenWrites").asLong());
    assertEquals(150, losses.get("unclassifiedLostEvents").asLong());
    assertEquals(0.04, losses.get("notRecordedShare").asDouble(), 1e-12);
    assertEquals(550.0 / 10_150, losses.get("notRecordedShareAtMost").asDouble(), 1e-12);
  }

  @Test
  void readsTrimmedFromCappedHoursAreAShareOfTheReadsSeenAndTheOtherTrimsAreNamed()
      throws Exception {
    RangeDataBuilder w = recordedReads("trimmed");
    w.hset(
        Fixtures.START,
        "trimmed_hits",
        "100",
        "trimmed_hits_members",
        "80",
        "trimmed_misses",
        "400",
        "trimmed_misses_members",
        "400",
        "trimmed_writes",
        "30",
        "trimmed_loads",
        "20",
        "trimmed_loadus",
        "9000",
        "trimmed_pairs",
        "70",
        "trimmed_pairs_members",
        "60",
        "trimmed_ttl_members",
        "50");

    AnalysisResult r = Fixtures.analyze(w, TWO_HOURS, AnalysisOptions.defaults()).result();

    // seen = 9,500 recorded + 500 trimmed
    assertEquals(
        List.of(
            "the stats Redis trimmed 500 reads of the coldest keys (5.00% of reads; 480 hits and"
                + " misses members) from hours whose sets passed the agent's hourkeys cap: they are"
                + " counted but not attributed to a key",
            "the stats Redis also trimmed, from the coldest members of capped hour sets: 30 writes,"
                + " 20 timed loads, 70 co-reads of 60 pairs (hourpairs), the observed TTLs of 50 of"
                + " the least-read keys (their patterns' TTLs still count) (counted in the hours'"
                + " meta, trimmed_*)"),
        r.notes().stream().filter(n -> n.contains("trimmed")).toList());
    JsonNode losses = new ObjectMapper().readTree(JsonReport.render(r)).at("/totals/losses");
    assertEquals(10_000, losses.get("seenReads").asDouble());
    assertEquals(500, losses.get("trimmedReads").asLong());
    assertEquals(480, losses.get("trimmedReadMembers").asLong());
    assertEquals(60, losses.get("trimmedPairMembers").asLong());
    assertEquals(0, losses.get("notRecordedShare").asDouble());
  }

  @Test
  void anOlderAgentsLostEventsAreAnUpperBound() throws Exception {
    RangeDataBuilder w = recordedReads("old-agent");
    w.hset(Fixtures.START, "lost_events", "500");

    AnalysisResult r = Fixtures.analyze(w, TWO_HOURS, AnalysisOptions.defaults()).result();

    assertEquals(
        List.of(
            "500 calls lost to a full recording buffer are not known to be reads "
                + "(lost_events exceeds lost_reads: they are writes, or come from an agent that did not count "
                + "lost_reads): if all were reads, at most 5.00% of reads were not recorded"),
        lossNotes(r));
    JsonNode losses = new ObjectMapper().readTree(JsonReport.render(r)).at("/totals/losses");
    assertEquals(0, losses.get("notRecordedShare").asDouble());
    assertEquals(0.05, losses.get("notRecordedShareAtMost").asDouble(), 1e-12);
  }

  @Test
  void nothingLostIsNoNote() {
    RangeDataBuilder w = recordedReads("lossless");
    w.hset(Fixtures.START, "flushes", "12");
    AnalysisResult r = Fixtures.analyze(w, TWO_HOURS, AnalysisOptions.defaults()).result();
    assertTrue(lossNotes(r).isEmpty(), r.notes().toString());
    assertEquals(9_500, r.totals().losses().seenReads());
  }
}
