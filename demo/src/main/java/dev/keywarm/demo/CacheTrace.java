package dev.keywarm.demo;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.tukaani.xz.XZInputStream;

/**
 * A cache2k access trace ({@code ../shared/traces/cache2k}): xz-compressed 4-byte big-endian ids,
 * one per access, in order. orm ids pack a type (bits 27–31), an object id (bits 9–26) and an index
 * (bits 0–8) and become {@code type{t}:{id}:{index}}; web ids are product pages, {@code
 * product:{id}}.
 */
record CacheTrace(String name, int[] ids, boolean orm) {

  static CacheTrace read(Path file) throws IOException {
    String name =
        file.getFileName().toString().replaceFirst("\\.trace\\.xz$", "").replaceFirst("\\.xz$", "");
    int[] ids = new int[1 << 16];
    int n = 0;
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in =
            new DataInputStream(
                new BufferedInputStream(
                    new XZInputStream(new BufferedInputStream(raw)), 1 << 16))) {
      while (true) {
        int id;
        try {
          id = in.readInt();
        } catch (EOFException end) {
          break;
        }
        if (n == ids.length) {
          ids = Arrays.copyOf(ids, n * 2);
        }
        ids[n++] = id;
      }
    }
    return new CacheTrace(name, Arrays.copyOf(ids, n), name.startsWith("orm"));
  }

  String key(int id) {
    if (!orm) {
      return "product:" + Integer.toUnsignedString(id);
    }
    return "type" + (id >>> 27) + ":" + ((id >>> 9) & 0x3FFFF) + ":" + (id & 0x1FF);
  }

  int size() {
    return ids.length;
  }
}
