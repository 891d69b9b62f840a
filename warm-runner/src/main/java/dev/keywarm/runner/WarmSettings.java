package dev.keywarm.runner;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Every knob of a warm run, with its default in {@link WarmRunner.Builder}; the CLI's options map
 * one to one onto these.
 */
record WarmSettings(
    String app,
    String redisUri,
    String statsUri,
    int concurrency,
    double ratePerSecond,
    int maxKeys,
    long maxBytes,
    Duration maxTime,
    Duration callTimeout,
    Duration defaultTtl,
    int historyDays,
    double minPairLift,
    boolean nextHour,
    double maxErrorRate,
    int writers,
    int writeBatch,
    Duration redisTimeout,
    Duration redisGiveUpAfter,
    boolean lease,
    boolean awaitLeader,
    Duration leaseTtl,
    String instanceId,
    double targetCoverage,
    Path readinessFile,
    Path planSnapshot,
    int readinessPort,
    Duration progressInterval,
    boolean jmx) {}
