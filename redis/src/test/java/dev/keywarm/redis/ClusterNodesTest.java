package dev.keywarm.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.testsupport.RedisCluster;
import dev.keywarm.testsupport.RedisServer;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Against a real 3-master cluster and a real standalone server. */
class ClusterNodesTest {

  private static Object call(RespConnection connection, Object... command) throws Exception {
    connection.send(command);
    connection.flush();
    return connection.read();
  }

  @Test
  void everySlotGoesToTheMasterThatServesIt() throws Exception {
    try (RedisCluster cluster = RedisCluster.start(3)) {
      RedisServer seed = cluster.nodes().get(0);
      try (RespConnection first = RespConnection.open(RedisEndpoint.parse(seed.uri()), 2000, "t")) {
        ClusterNodes nodes = ClusterNodes.read(first);
        assertTrue(nodes.isCluster());
        Set<RedisEndpoint> masters = nodes.masters();
        assertEquals(3, masters.size());
        // a key of each node's slots is answered there without a redirection
        for (String key : new String[] {"foo", "bar", "somekey", "{shop}", "x{a}", "zzz"}) {
          long slot = (Long) call(first, "CLUSTER", "KEYSLOT", key);
          RedisEndpoint owner = nodes.ownerOf((int) slot);
          try (RespConnection there = RespConnection.open(owner, 2000, "t")) {
            assertEquals("OK", call(there, "SET", key, "v"), key + " on " + owner);
          }
        }
      }
    }
  }

  @Test
  void aStandaloneServerOwnsEverySlot() throws Exception {
    try (RedisServer redis = RedisServer.start();
        RespConnection connection =
            RespConnection.open(RedisEndpoint.parse(redis.uri()), 2000, "t")) {
      ClusterNodes nodes = ClusterNodes.read(connection);
      assertFalse(nodes.isCluster());
      assertEquals(Set.of(connection.endpoint()), nodes.masters());
      assertEquals(connection.endpoint(), nodes.ownerOf(12182));
    }
  }
}
