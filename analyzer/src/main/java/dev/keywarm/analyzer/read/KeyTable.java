package dev.keywarm.analyzer.read;

import java.util.Arrays;

/**
 * Per-key totals over a range, in parallel primitive arrays indexed by {@link ByteKeyIndex} id.
 * Reads are hits + misses. Besides the totals it keeps reads per UTC hour of day (24 float arrays),
 * per day of week (7) and per held-out hour of day (the backtest's test hours, at most 24), each
 * allocated only when that hour or day occurs. Memory: about 64 bytes of totals plus 4 bytes per
 * allocated breakdown (≤ 55) per key, i.e. ≤ ~290 bytes plus the key bytes; 1 M keys fit in ~350
 * MB.
 */
public final class KeyTable {

  private final ByteKeyIndex index = new ByteKeyIndex();
  private int capacity = 0;
  private double[] hits = new double[0];
  private double[] misses = new double[0];
  private double[] loadMicros = new double[0];
  private double[] loads = new double[0];
  private double[] decayedReads = new double[0];
  private final float[][] byHourOfDay = new float[24][];
  private final float[][] byDayOfWeek = new float[7][];
  private final float[][] heldOutByHourOfDay = new float[24][];

  public int idOf(byte[] key) {
    int id = index.idOf(key);
    if (id >= capacity) {
      grow(index.capacity());
    }
    return id;
  }

  public int find(byte[] key) {
    return index.find(key);
  }

  public int size() {
    return index.size();
  }

  public byte[] key(int id) {
    return index.key(id);
  }

  /**
   * Adds reads of one hour: to the totals, the hour-of-day and day-of-week breakdowns, and the test
   * hours.
   */
  public void addReads(
      int id,
      double count,
      boolean hit,
      double decayWeight,
      int hourOfDay,
      int dayOfWeek,
      boolean heldOut) {
    if (hit) {
      hits[id] += count;
    } else {
      misses[id] += count;
    }
    decayedReads[id] += count * decayWeight;
    breakdown(byHourOfDay, hourOfDay)[id] += (float) count;
    breakdown(byDayOfWeek, dayOfWeek)[id] += (float) count;
    if (heldOut) {
      breakdown(heldOutByHourOfDay, hourOfDay)[id] += (float) count;
    }
  }

  public void addLoadMicros(int id, double micros) {
    loadMicros[id] += micros;
  }

  public void addLoads(int id, double count) {
    loads[id] += count;
  }

  public double hits(int id) {
    return hits[id];
  }

  public double misses(int id) {
    return misses[id];
  }

  public double reads(int id) {
    return hits[id] + misses[id];
  }

  public double decayedReads(int id) {
    return decayedReads[id];
  }

  public double loadMicros(int id) {
    return loadMicros[id];
  }

  public double loads(int id) {
    return loads[id];
  }

  /** Mean load time in µs, or NaN where no load was timed. */
  public double meanLoadMicros(int id) {
    return loads[id] > 0 ? loadMicros[id] / loads[id] : Double.NaN;
  }

  /** Reads in one hour of day over all days, or null if that hour had no data. */
  public float[] hourOfDay(int hour) {
    return byHourOfDay[hour];
  }

  /** Reads on one day of week (0 = Monday), or null. */
  public float[] dayOfWeek(int day) {
    return byDayOfWeek[day];
  }

  /** Reads in the held-out hour with this hour of day, or null if it is not a held-out hour. */
  public float[] heldOut(int hour) {
    return heldOutByHourOfDay[hour];
  }

  private float[] breakdown(float[][] arrays, int i) {
    float[] a = arrays[i];
    if (a == null) {
      a = new float[capacity];
      arrays[i] = a;
    }
    return a;
  }

  private void grow(int newCapacity) {
    capacity = newCapacity;
    hits = Arrays.copyOf(hits, capacity);
    misses = Arrays.copyOf(misses, capacity);
    loadMicros = Arrays.copyOf(loadMicros, capacity);
    loads = Arrays.copyOf(loads, capacity);
    decayedReads = Arrays.copyOf(decayedReads, capacity);
    for (float[][] arrays : new float[][][] {byHourOfDay, byDayOfWeek, heldOutByHourOfDay}) {
      for (int i = 0; i < arrays.length; i++) {
        if (arrays[i] != null) {
          arrays[i] = Arrays.copyOf(arrays[i], capacity);
        }
      }
    }
  }
}
