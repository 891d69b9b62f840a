package dev.keywarm.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which node owns each of the 16 384 slots, read from one node with {@code CLUSTER SLOTS} (the
 * command every cluster-capable Redis since 3.0 answers; {@code CLUSTER SHARDS} is 7.0+). A server
 * without cluster support owns every slot itself. Masters only: keywarm writes, and reads what it
 * wrote, so a replica's lag never shows. A node that announces itself without an address ({@code
 * ""}, as a node with {@code cluster-announce-ip} unset may) is the host asked. Every endpoint
 * keeps the credentials, TLS and database of the one asked.
 *
 * <p>The map is a snapshot: a {@code MOVED} reply says it is stale, and the caller reads a new one.
 */
public final class ClusterNodes {

  public static final int SLOTS = 16_384;

  private final RedisEndpoint[] owners;
  private final boolean cluster;

  private ClusterNodes(RedisEndpoint[] owners, boolean cluster) {
    this.owners = owners;
    this.cluster = cluster;
  }

  /** A standalone server: it owns every slot. */
  public static ClusterNodes standalone(RedisEndpoint server) {
    RedisEndpoint[] owners = new RedisEndpoint[SLOTS];
    java.util.Arrays.fill(owners, server);
    return new ClusterNodes(owners, false);
  }

  /**
   * Asks {@code node}; a server that is no cluster node ("cluster support disabled") owns every
   * slot.
   *
   * @throws Refused when the node answers with an error (an ACL without CLUSTER): the connection is
   *     still good
   * @throws IOException when the node cannot be asked, or a cluster leaves a slot without a master
   */
  public static ClusterNodes read(RespConnection node) throws IOException {
    node.send("CLUSTER", "SLOTS");
    node.flush();
    Object reply = node.read();
    if (reply instanceof RedisError error) {
      if (error.message().toLowerCase(java.util.Locale.ROOT).contains("cluster support disabled")) {
        return standalone(node.endpoint());
      }
      throw new Refused("CLUSTER SLOTS refused by " + node.endpoint() + ": " + error.message());
    }
    if (!(reply instanceof List<?> ranges)) {
      throw new IOException("CLUSTER SLOTS answered " + reply + " on " + node.endpoint());
    }
    RedisEndpoint asked = node.endpoint();
    RedisEndpoint[] owners = new RedisEndpoint[SLOTS];
    for (Object item : ranges) {
      List<?> range = (List<?>) item;
      int from = ((Long) range.get(0)).intValue();
      int to = ((Long) range.get(1)).intValue();
      List<?> master = (List<?>) range.get(2);
      String host = new String((byte[]) master.get(0), StandardCharsets.UTF_8);
      int port = ((Long) master.get(1)).intValue();
      RedisEndpoint owner = asked.withAddress(host.isEmpty() ? asked.host() : host, port);
      if (owner.sameServer(asked)) {
        owner = asked; // the very endpoint asked, so a caller's connection to it is reused
      }
      for (int slot = Math.max(0, from); slot <= Math.min(SLOTS - 1, to); slot++) {
        owners[slot] = owner;
      }
    }
    for (int slot = 0; slot < SLOTS; slot++) {
      if (owners[slot] == null) {
        throw new IOException(
            "the cluster of " + asked + " has no master for slot " + slot + " (cluster down?)");
      }
    }
    return new ClusterNodes(owners, true);
  }

  /** The node answered {@code CLUSTER SLOTS} with an error; the connection is still good. */
  public static final class Refused extends IOException {
    Refused(String message) {
      super(message);
    }
  }

  public boolean isCluster() {
    return cluster;
  }

  public RedisEndpoint ownerOf(int slot) {
    return owners[slot];
  }

  /** The masters, in slot order. */
  public Set<RedisEndpoint> masters() {
    Set<RedisEndpoint> masters = new LinkedHashSet<>();
    for (RedisEndpoint owner : owners) {
      masters.add(owner);
    }
    return masters;
  }
}
