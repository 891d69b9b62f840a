package dev.keywarm.analyzer.read;

import java.util.List;

/**
 * Sizes of cached values, for the memory the top-k keys need. Value sizes are not recorded by the
 * agent.
 */
public interface ValueSizes {

  /** Bytes per key, in order; -1 for a key not in the cache now. */
  long[] sizes(List<byte[]> keys);

  /** Where the sizes come from, for the report. */
  String source();
}
