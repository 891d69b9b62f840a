package dev.keywarm.agent.flush;

import dev.keywarm.redis.ClusterNodes;
import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.redis.RespConnection;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The flusher's connections to the stats Redis: one per node it writes to, each opened when first
 * needed and kept. Which node owns a slot comes from the cluster's slot map ({@link ClusterNodes}),
 * read on the first connection and again after a {@code MOVED}; a server without cluster support
 * owns every slot. A cluster that refuses {@code CLUSTER SLOTS} (an ACL without it) is still
 * written: each {@code MOVED} then names the owner of its slot, remembered for that slot.
 * Single-threaded: the flusher's.
 */
final class StatsNodes {

  private final String clientName;
  private final Map<RedisEndpoint, RespConnection> open = new HashMap<>();
  private final Map<Integer, RedisEndpoint> movedSlots = new HashMap<>();
  private RedisEndpoint seed;
  private ClusterNodes map;
  private String mapError;

  StatsNodes(String clientName) {
    this.clientName = clientName;
  }

  /**
   * Connects to {@code target} (the configured or discovered stats Redis) and reads the slot map
   * unless known for it. Returns the map.
   */
  ClusterNodes discover(RedisEndpoint target, int timeoutMillis) throws IOException {
    if (!target.equals(seed)) {
      closeAll();
      seed = target;
      map = null;
      movedSlots.clear();
    }
    if (map == null) {
      RespConnection connection = connection(target, timeoutMillis);
      try {
        map = ClusterNodes.read(connection);
        mapError = null;
      } catch (ClusterNodes.Refused e) {
        mapError = e.getMessage(); // refused (an ACL): follow MOVED per slot instead
        map = ClusterNodes.standalone(target);
      }
    }
    return map;
  }

  /** Why the slot map could not be read (the flusher then follows MOVED), or null. */
  String mapError() {
    return mapError;
  }

  /** The connection to the node that owns {@code slot}, opened if needed. */
  RespConnection forSlot(int slot, int timeoutMillis) throws IOException {
    RedisEndpoint owner = movedSlots.get(slot);
    if (owner == null) {
      owner = map.ownerOf(slot);
    }
    return connection(owner, timeoutMillis);
  }

  /**
   * A {@code MOVED} for {@code slot} to {@code owner}: the slot map is stale. Reads it again from
   * the new owner; if that fails, remembers the owner for that slot.
   */
  void moved(int slot, RedisEndpoint owner, int timeoutMillis) throws IOException {
    closeAll(); // replies of batches sent to other nodes may still be due: start clean
    try {
      map = ClusterNodes.read(connection(owner, timeoutMillis));
      movedSlots.clear();
    } catch (IOException e) {
      movedSlots.put(slot, owner);
    }
  }

  private RespConnection connection(RedisEndpoint node, int timeoutMillis) throws IOException {
    RespConnection connection = open.get(node);
    if (connection == null) {
      connection = RespConnection.open(node, timeoutMillis, clientName);
      open.put(node, connection);
    } else {
      connection.setTimeout(timeoutMillis);
    }
    return connection;
  }

  /** The nodes the flusher has connections to. */
  int connections() {
    return open.size();
  }

  Iterable<RespConnection> openConnections() {
    return open.values();
  }

  void closeAll() {
    for (RespConnection connection : open.values()) {
      connection.close();
    }
    open.clear();
  }
}
