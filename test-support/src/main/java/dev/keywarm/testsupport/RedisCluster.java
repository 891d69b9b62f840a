package dev.keywarm.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Redis Cluster of local master-only nodes with all 16384 slots spread evenly. Always local, even
 * with REDIS_URL set, since an external server cannot be made into a cluster.
 */
public final class RedisCluster implements AutoCloseable {

  private static final int SLOTS = 16_384;
  private static final int ADDSLOTS_BATCH = 1_000;
  private static final long READY_TIMEOUT_MS = 20_000;

  private final List<RedisServer> nodes;

  private RedisCluster(List<RedisServer> nodes) {
    this.nodes = nodes;
  }

  /**
   * Starts {@code masters} cluster nodes (extra redis-server args go to each) and waits for
   * cluster_state:ok.
   */
  public static RedisCluster start(int masters, String... extraArgs) {
    if (masters < 1) {
      throw new IllegalArgumentException("masters must be >= 1, got " + masters);
    }
    String[] args =
        Stream.concat(
                Stream.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"),
                Stream.of(extraArgs))
            .toArray(String[]::new);
    List<RedisServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < masters; i++) {
        nodes.add(RedisServer.startLocal(args));
      }
      // ADDSLOTSRANGE is Redis 7+; the embedded binaries are 6.2
      boolean ranges = majorVersion(nodes.get(0)) >= 7;
      for (int i = 0; i < masters; i++) {
        RedisServer node = nodes.get(i);
        assignSlots(node, i * SLOTS / masters, (i + 1) * SLOTS / masters - 1, ranges);
        // distinct epochs up front, as redis-cli --cluster create does, so nodes need not resolve a
        // collision
        node.command("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
      }
      RedisServer first = nodes.get(0);
      for (RedisServer other : nodes.subList(1, masters)) {
        first.command("CLUSTER", "MEET", other.host(), Integer.toString(other.port()));
      }
      awaitOk(nodes);
      return new RedisCluster(List.copyOf(nodes));
    } catch (RuntimeException e) {
      nodes.forEach(RedisServer::close);
      throw e;
    }
  }

  /** The master nodes, in start order (node i owns the i-th slot range). */
  public List<RedisServer> nodes() {
    return nodes;
  }

  /** URI of one node, enough for a cluster client to discover the rest. */
  public String seedUri() {
    return nodes.get(0).uri();
  }

  /** Stops every node and deletes their temp dirs. */
  @Override
  public void close() {
    nodes.forEach(RedisServer::close);
  }

  private static void assignSlots(RedisServer node, int from, int to, boolean ranges) {
    if (ranges) {
      node.command("CLUSTER", "ADDSLOTSRANGE", Integer.toString(from), Integer.toString(to));
      return;
    }
    for (int start = from; start <= to; start += ADDSLOTS_BATCH) {
      int end = Math.min(to, start + ADDSLOTS_BATCH - 1);
      List<String> cmd = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      for (int slot = start; slot <= end; slot++) {
        cmd.add(Integer.toString(slot));
      }
      node.command(cmd.toArray(String[]::new));
    }
  }

  private static int majorVersion(RedisServer node) {
    String info = (String) node.command("INFO", "server");
    String version =
        info.lines()
            .filter(line -> line.startsWith("redis_version:"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no redis_version in INFO"))
            .substring("redis_version:".length());
    return Integer.parseInt(version.substring(0, version.indexOf('.')));
  }

  /** Waits until every node sees every other node and the cluster as ok. */
  private static void awaitOk(List<RedisServer> nodes) {
    String knownNodes = "cluster_known_nodes:" + nodes.size();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
    while (true) {
      List<String> infos =
          nodes.stream()
              .map(node -> (String) node.command("CLUSTER", "INFO"))
              .collect(Collectors.toList());
      if (infos.stream()
          .allMatch(info -> info.contains("cluster_state:ok") && info.contains(knownNodes))) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "cluster not ok after "
                + READY_TIMEOUT_MS
                + " ms; CLUSTER NODES on "
                + nodes.get(0)
                + ":\n"
                + nodes.get(0).command("CLUSTER", "NODES"));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }
}
