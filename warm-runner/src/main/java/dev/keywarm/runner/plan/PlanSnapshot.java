package dev.keywarm.runner.plan;

import dev.keywarm.schema.PairMember;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The last plan this host warmed from, on local disk: the cache Redis is exactly what restarts, and
 * if the stats and plans live in it they are gone with it — the snapshot is what a warm after that
 * restart can still use. Written only from a plan read completely and not empty, to a temporary file
 * that then replaces the old one in one rename, so a crash or a partial read never leaves a damaged
 * or weaker snapshot behind.
 *
 * <p>Format: {@code KWPLAN1}, the plan's source, its expected coverage, then the primary entries,
 * the next-hour entries (each: key length, key, weight, source) and the pair members.
 */
public final class PlanSnapshot {

  private static final String MAGIC = "KWPLAN1";

  private PlanSnapshot() {}

  /** {@code <tmpdir>/keywarm/<app>.plan}: per host and app, outliving the process. */
  public static Path defaultFile(String app) {
    return Path.of(System.getProperty("java.io.tmpdir"), "keywarm", app + ".plan");
  }

  public static void save(WarmPlan plan, Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
          Files.newOutputStream(temp)))) {
        out.writeUTF(MAGIC);
        out.writeUTF(plan.source());
        out.writeDouble(plan.planExpectedCoverage());
        writeEntries(out, plan.primary());
        writeEntries(out, plan.nextHour());
        List<byte[]> pairs = plan.pairs().members();
        out.writeInt(pairs.size());
        for (byte[] pair : pairs) {
          writeBytes(out, pair);
        }
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The saved plan, or null if there is none; a damaged file is an IOException. */
  public static WarmPlan load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (!MAGIC.equals(in.readUTF())) {
        throw new IOException("not a keywarm plan snapshot: " + file);
      }
      String source = in.readUTF();
      double coverage = in.readDouble();
      List<PlanEntry> primary = readEntries(in);
      List<PlanEntry> nextHour = readEntries(in);
      int pairCount = in.readInt();
      List<byte[]> pairs = new ArrayList<>(pairCount);
      for (int i = 0; i < pairCount; i++) {
        pairs.add(readBytes(in));
      }
      return new WarmPlan("snapshot of " + source, primary, PairIndex.fromMembers(pairs), nextHour,
          coverage);
    }
  }

  private static void writeEntries(DataOutputStream out, List<PlanEntry> entries) throws IOException {
    out.writeInt(entries.size());
    for (PlanEntry entry : entries) {
      writeBytes(out, entry.key());
      out.writeDouble(entry.weight());
      out.writeByte(entry.source().ordinal());
    }
  }

  private static List<PlanEntry> readEntries(DataInputStream in) throws IOException {
    int count = in.readInt();
    List<PlanEntry> entries = new ArrayList<>(Math.min(count, 1 << 20));
    for (int i = 0; i < count; i++) {
      byte[] key = readBytes(in);
      double weight = in.readDouble();
      entries.add(new PlanEntry(key, weight, PlanEntry.Source.values()[in.readByte()]));
    }
    return entries;
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > (1 << 20)) {
      throw new IOException("damaged plan snapshot (an entry of " + length + " bytes)");
    }
    return in.readNBytes(length);
  }

  static byte[] pair(byte[] first, byte[] second) {
    return PairMember.encode(first, second);
  }
}
