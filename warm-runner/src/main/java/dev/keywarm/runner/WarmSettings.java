package dev.keywarm.runner;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Every knob of a warm run, as {@link WarmRunner.Builder} resolved it; defaults in {@link
 * WarmDefaults}. The CLI sets most of them (see the module README's table); these have no option
 * there: {@code writers}/{@code writeBatch}, {@code redisTimeout}, {@code leaseTtl}, {@code
 * progressInterval} (the CLI picks its own for a bar or lines) and {@code jmx}. A null {@code
 * maxTime}, {@code defaultTtl}, {@code readinessFile} or {@code planSnapshot} means none. {@code
 * snapshot}: restore the agent's hot-set snapshot before the plan's loaders run. {@code ttlJitter}:
 * the share of a loaded value's TTL by which its expiry is brought forward at random (see {@code
 * engine.TtlJitter}).
 */
public record WarmSettings(
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
    boolean jmx,
    boolean snapshot,
    double ttlJitter) {}
