package dev.keywarm.agent.recording;

import java.util.Arrays;

/**
 * A binary min-heap of entry indexes ordered by a caller-owned {@code long[] weights}, with each
 * entry's position tracked so that an entry whose weight grew can be moved down in O(log n) —
 * usually not at all. The Space-Saving summaries use it to find their lightest entry in O(1).
 */
final class WeightHeap {

  private int[] heap;
  private int[] position;
  private int size;

  WeightHeap(int capacity) {
    heap = new int[capacity];
    position = new int[capacity];
  }

  void grow(int capacity) {
    heap = Arrays.copyOf(heap, capacity);
    position = Arrays.copyOf(position, capacity);
  }

  /** The lightest entry; the heap must not be empty. */
  int lightest() {
    return heap[0];
  }

  /** Adds a new entry (entries are added in index order 0, 1, 2, ...). */
  void add(int entry, long[] weights) {
    heap[size] = entry;
    position[entry] = size;
    size++;
    siftUp(position[entry], weights);
  }

  /** Restores order after {@code weights[entry]} increased. */
  void increased(int entry, long[] weights) {
    siftDown(position[entry], weights);
  }

  /** Takes {@code entry} out of the heap. */
  void remove(int entry, long[] weights) {
    int at = position[entry];
    size--;
    if (at == size) {
      return;
    }
    int moved = heap[size];
    heap[at] = moved;
    position[moved] = at;
    siftDown(at, weights);
    if (position[moved] == at) {
      siftUp(at, weights); // it did not belong lower: it may belong higher
    }
  }

  /** Entry {@code from} is now known as {@code to} (the table moved it into a freed index). */
  void renumber(int from, int to) {
    int at = position[from];
    heap[at] = to;
    position[to] = at;
  }

  private void siftDown(int at, long[] weights) {
    int entry = heap[at];
    long weight = weights[entry];
    int half = size >>> 1;
    while (at < half) {
      int child = 2 * at + 1;
      int right = child + 1;
      if (right < size && weights[heap[right]] < weights[heap[child]]) {
        child = right;
      }
      if (weight <= weights[heap[child]]) {
        break;
      }
      heap[at] = heap[child];
      position[heap[at]] = at;
      at = child;
    }
    heap[at] = entry;
    position[entry] = at;
  }

  void clear() {
    size = 0;
  }

  private void siftUp(int at, long[] weights) {
    int entry = heap[at];
    long weight = weights[entry];
    while (at > 0) {
      int parent = (at - 1) >>> 1;
      if (weights[heap[parent]] <= weight) {
        break;
      }
      heap[at] = heap[parent];
      position[heap[at]] = at;
      at = parent;
    }
    heap[at] = entry;
    position[entry] = at;
  }
}
