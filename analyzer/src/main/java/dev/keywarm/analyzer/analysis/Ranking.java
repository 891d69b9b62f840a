package dev.keywarm.analyzer.analysis;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

/**
 * Orders key ids by a non-negative score without boxing: each (score, id) is packed into one long —
 * the float bits of the score (order-preserving for non-negative floats) above the id — and the
 * longs are sorted. Float precision (24 bits) only merges scores that agree to 7 digits; such ties
 * break by id, deterministically.
 */
final class Ranking {

  private Ranking() {}

  /** Ids {@code 0..n-1} with a score > 0, highest score first. */
  static int[] descending(int n, IntToDoubleFunction score) {
    long[] packed = new long[n];
    int m = 0;
    for (int id = 0; id < n; id++) {
      double s = score.applyAsDouble(id);
      if (s > 0) {
        packed[m++] = pack(s, id);
      }
    }
    Arrays.sort(packed, 0, m);
    int[] ids = new int[m];
    for (int i = 0; i < m; i++) {
      ids[i] = (int) packed[m - 1 - i];
    }
    return ids;
  }

  /** The {@code k} ids with the highest score > 0, highest first: a size-k min-heap, O(n log k). */
  static int[] top(int n, int k, IntToDoubleFunction score) {
    if (k <= 0) {
      return new int[0];
    }
    long[] heap = new long[k];
    int size = 0;
    for (int id = 0; id < n; id++) {
      double s = score.applyAsDouble(id);
      if (s <= 0) {
        continue;
      }
      long p = pack(s, id);
      if (size < k) {
        heap[size] = p;
        siftUp(heap, size++);
      } else if (p > heap[0]) {
        heap[0] = p;
        siftDown(heap, size);
      }
    }
    long[] sorted = Arrays.copyOf(heap, size);
    Arrays.sort(sorted);
    int[] ids = new int[size];
    for (int i = 0; i < size; i++) {
      ids[i] = (int) sorted[size - 1 - i];
    }
    return ids;
  }

  private static long pack(double score, int id) {
    return ((long) Float.floatToIntBits((float) score) << 32) | id;
  }

  private static void siftUp(long[] h, int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (h[parent] <= h[i]) {
        return;
      }
      long t = h[parent];
      h[parent] = h[i];
      h[i] = t;
      i = parent;
    }
  }

  private static void siftDown(long[] h, int size) {
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        return;
      }
      int c = l + 1 < size && h[l + 1] < h[l] ? l + 1 : l;
      if (h[i] <= h[c]) {
        return;
      }
      long t = h[c];
      h[c] = h[i];
      h[i] = t;
      i = c;
    }
  }
}
