package dev.keywarm.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedisClusterIT {

  @Test
  void threeMastersReachOkAndRouteKeys() {
    try (RedisCluster cluster = RedisCluster.start(3)) {
      assertClusterRoutes(cluster);
    }
  }

  /** Redis 6.2 has no CLUSTER ADDSLOTSRANGE, so this exercises the ADDSLOTS fallback. */
  @Test
  void embeddedRedis62FormsACluster() {
    RedisCluster cluster;
    System.setProperty(RedisBinary.PROPERTY, "embedded");
    try {
      cluster = RedisCluster.start(3);
    } finally {
      System.clearProperty(RedisBinary.PROPERTY);
    }
    try (cluster) {
      assertTrue(
          ((String) cluster.nodes().get(0).command("INFO", "server"))
              .contains("redis_version:6.2."));
      assertClusterRoutes(cluster);
    }
  }

  private static void assertClusterRoutes(RedisCluster cluster) {
    List<RedisServer> nodes = cluster.nodes();
    assertEquals(3, nodes.size());
    assertEquals(nodes.get(0).uri(), cluster.seedUri());
    for (RedisServer node : nodes) {
      String info = (String) node.command("CLUSTER", "INFO");
      assertTrue(info.contains("cluster_state:ok"), info);
      assertTrue(info.contains("cluster_slots_assigned:16384"), info);
    }

    long slot = (Long) nodes.get(0).command("CLUSTER", "KEYSLOT", "user:42");
    RedisServer owner = ownerOf(nodes, slot);
    assertNotNull(owner, "some node owns slot " + slot);
    assertEquals("OK", owner.command("SET", "user:42", "v"));
    assertEquals("v", owner.command("GET", "user:42"));
    for (RedisServer other : nodes) {
      if (other != owner) {
        IllegalStateException moved =
            assertThrows(IllegalStateException.class, () -> other.command("GET", "user:42"));
        assertEquals("MOVED " + slot + " 127.0.0.1:" + owner.port(), moved.getMessage());
      }
    }
  }

  /**
   * Reads slot ownership from CLUSTER NODES lines: {@code id ip:port@bus flags ... slot-ranges}.
   */
  private static RedisServer ownerOf(List<RedisServer> nodes, long slot) {
    String table = (String) nodes.get(0).command("CLUSTER", "NODES");
    for (String line : table.split("\n")) {
      String[] fields = line.trim().split(" ");
      int port =
          Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
      for (int i = 8; i < fields.length; i++) {
        String[] range = fields[i].split("-");
        long from = Long.parseLong(range[0]);
        long to = range.length == 2 ? Long.parseLong(range[1]) : from;
        if (from <= slot && slot <= to) {
          return nodes.stream().filter(n -> n.port() == port).findFirst().orElse(null);
        }
      }
    }
    return null;
  }
}
