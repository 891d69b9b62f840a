package dev.keywarm.schema.plan;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link WarmPlan} as bytes, the warm-runner's local snapshot: {@code KWPLAN2}, the meta hash
 * (field count, then name and value of each), then the overall plan, the 24 hour plans and the
 * pairs, then the TTLs, each as a count followed by (member length, member, score) per entry
 * ({@code KWPLAN2}, written before plans had TTLs, is read as a plan without them). Scores are the
 * doubles themselves, so a plan reads back exactly. A file of another format, or a damaged one, is
 * an {@link IOException}, never a partial plan.
 */
public final class PlanFile {

  private static final String MAGIC = "KWPLAN3";
  private static final String MAGIC_WITHOUT_TTLS = "KWPLAN2";

  /** Bounds what a damaged length can make a reader allocate. */
  private static final int MAX_MEMBER_BYTES = 1 << 20;

  private PlanFile() {}

  public static void write(WarmPlan plan, DataOutputStream out) throws IOException {
    out.writeUTF(MAGIC);
    Map<String, String> meta = plan.meta().toHash();
    out.writeInt(meta.size());
    for (Map.Entry<String, String> field : meta.entrySet()) {
      out.writeUTF(field.getKey());
      out.writeUTF(field.getValue());
    }
    writeEntries(plan.overall(), out);
    for (List<WarmPlan.Entry> hour : plan.hours()) {
      writeEntries(hour, out);
    }
    writeEntries(plan.pairs(), out);
    writeEntries(plan.ttls(), out);
  }

  public static WarmPlan read(DataInputStream in) throws IOException {
    String magic = in.readUTF();
    if (!MAGIC.equals(magic) && !MAGIC_WITHOUT_TTLS.equals(magic)) {
      throw new IOException("not a keywarm plan snapshot (" + MAGIC + ")");
    }
    int fields = count(in);
    Map<String, String> meta = new LinkedHashMap<>();
    for (int i = 0; i < fields; i++) {
      meta.put(in.readUTF(), in.readUTF());
    }
    List<WarmPlan.Entry> overall = readEntries(in);
    List<List<WarmPlan.Entry>> hours = new ArrayList<>(WarmPlan.HOURS_OF_DAY);
    for (int h = 0; h < WarmPlan.HOURS_OF_DAY; h++) {
      hours.add(readEntries(in));
    }
    List<WarmPlan.Entry> pairs = readEntries(in);
    List<WarmPlan.Entry> ttls = MAGIC.equals(magic) ? readEntries(in) : List.of();
    return new WarmPlan(overall, hours, pairs, PlanMeta.fromHash(meta), ttls);
  }

  private static void writeEntries(List<WarmPlan.Entry> entries, DataOutputStream out)
      throws IOException {
    out.writeInt(entries.size());
    for (WarmPlan.Entry entry : entries) {
      out.writeInt(entry.member().length);
      out.write(entry.member());
      out.writeDouble(entry.score());
    }
  }

  private static List<WarmPlan.Entry> readEntries(DataInputStream in) throws IOException {
    int count = count(in);
    List<WarmPlan.Entry> entries = new ArrayList<>(Math.min(count, 1 << 16));
    for (int i = 0; i < count; i++) {
      int length = in.readInt();
      if (length < 0 || length > MAX_MEMBER_BYTES) {
        throw new IOException("damaged plan snapshot (a member of " + length + " bytes)");
      }
      byte[] member = in.readNBytes(length);
      if (member.length < length) {
        throw new IOException("damaged plan snapshot (cut short)");
      }
      entries.add(new WarmPlan.Entry(member, in.readDouble()));
    }
    return entries;
  }

  private static int count(DataInputStream in) throws IOException {
    int count = in.readInt();
    if (count < 0) {
      throw new IOException("damaged plan snapshot (a count of " + count + ")");
    }
    return count;
  }
}
