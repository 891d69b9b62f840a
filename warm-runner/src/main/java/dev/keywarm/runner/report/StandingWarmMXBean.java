package dev.keywarm.runner.report;

/**
 * JMX view of the standing warm: {@code dev.keywarm:type=StandingWarm,app=<app>}, one composite
 * attribute per technique (all zero and {@code enabled=false} for one that is off).
 */
public interface StandingWarmMXBean {

  /** True while this instance holds the standing lease and so runs the techniques for the fleet. */
  boolean isLeaseHolder();

  String getInstance();

  /** The techniques on, {@code next-hour+lazy}. */
  String getTechniques();

  /** Rounds that failed (a Redis outage, a bug) and were retried after a back-off. */
  long getFailedRounds();

  StandingTechniqueStats getNextHour();

  StandingTechniqueStats getRefreshAhead();

  StandingTechniqueStats getLazy();

  StandingTechniqueStats getScheduled();
}
