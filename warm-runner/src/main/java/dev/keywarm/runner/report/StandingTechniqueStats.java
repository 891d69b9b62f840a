package dev.keywarm.runner.report;

/**
 * What one technique of the standing warm did since the service started (an MXBean composite: one
 * attribute per technique, its fields as items). {@code rounds}: times it found work (an hour
 * ahead, a check of TTLs or misses, a scheduled re-warm); {@code candidates}: keys it took up;
 * {@code loaded}: written to the cache (refreshed, for refresh-ahead); {@code present}: found in
 * the cache already, not loaded; {@code applicationWroteFirst}: loaded, but the application wrote
 * the key in the meantime, so the warm's value was not written ({@code NX} declined, or the
 * compare-and-set saw a change); {@code skipped}: the technique's own reasons (claimed by another
 * instance, TTL no longer low, key gone, a loader that cannot be compared-and-set); {@code
 * ttlTooShort}: next-hour keys whose TTL would end before their hour, not loaded or not written;
 * {@code unchanged}: refresh-ahead keys it stopped extending because the loader returned the cached
 * bytes again and again (a loader that reads through the cache); {@code keysPerSecond}: loaded per
 * second over the last minute; {@code coverageGained}: in its latest round, the share of the
 * round's weight (plan scores; misses, for lazy) that it loaded.
 */
public record StandingTechniqueStats(
    boolean enabled,
    long rounds,
    long candidates,
    long loaded,
    long present,
    long applicationWroteFirst,
    long noLoader,
    long missing,
    long failed,
    long timedOut,
    long noTtl,
    long skipped,
    long ttlTooShort,
    long unchanged,
    double keysPerSecond,
    double coverageGained) {}
