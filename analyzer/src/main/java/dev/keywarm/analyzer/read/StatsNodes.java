package dev.keywarm.analyzer.read;

import dev.keywarm.redis.ClusterNodes;
import dev.keywarm.redis.RedisEndpoint;
import dev.keywarm.redis.RespConnection;
import dev.keywarm.schema.HashSlot;
import dev.keywarm.schema.KeySchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import redis.clients.jedis.Jedis;

/**
 * The analyzer's one router to the stats Redis: a {@link Jedis} connection per master and, for
 * every slot, the node that owns it ({@link ClusterNodes}, read once with {@code CLUSTER SLOTS}). A
 * standalone server is one node owning every slot. Each of the analyzer's readers asks this class
 * which connection a key's slot goes to, so one hour's shards ({@code KeySchema.Shard#slot()}) are
 * read from the nodes that hold them and the app's own keys (hour metas, plans) from {@link #home}.
 *
 * <p>The map is read once per analysis: a cluster resharded during an analysis answers {@code
 * MOVED}, which fails the analysis with Redis's message rather than reading half of an hour from
 * the old owner. Connections are not thread-safe: a caller that reads nodes in parallel uses each
 * node's connection from one thread only ({@link #node(int)}).
 */
public final class StatsNodes implements AutoCloseable {

  private final List<Jedis> nodes;
  private final List<RedisEndpoint> endpoints;
  private final int[] ownerOfSlot;
  private final boolean owned;

  private StatsNodes(
      List<Jedis> nodes, List<RedisEndpoint> endpoints, int[] ownerOfSlot, boolean owned) {
    this.nodes = nodes;
    this.endpoints = endpoints;
    this.ownerOfSlot = ownerOfSlot;
    this.owned = owned;
  }

  /** One server that owns every slot, its connection the caller's (not closed here). */
  public static StatsNodes standalone(Jedis server) {
    return new StatsNodes(List.of(server), List.of(), new int[HashSlot.SLOTS], false);
  }

  /**
   * Reads the slot map from {@code seed} and connects to every master with {@code connect} (the
   * seed's credentials, TLS and database; {@link ClusterNodes}). Closing closes them all.
   *
   * @throws IOException when the seed cannot be asked for its slot map
   */
  public static StatsNodes connect(
      RedisEndpoint seed, int timeoutMillis, Function<RedisEndpoint, Jedis> connect)
      throws IOException {
    ClusterNodes map;
    try (RespConnection asked = RespConnection.open(seed, timeoutMillis, "keywarm-analyzer")) {
      map = ClusterNodes.read(asked);
    }
    Map<RedisEndpoint, Integer> index = new LinkedHashMap<>();
    List<Jedis> nodes = new ArrayList<>();
    List<RedisEndpoint> endpoints = new ArrayList<>();
    try {
      for (RedisEndpoint master : map.masters()) {
        index.put(master, nodes.size());
        endpoints.add(master);
        nodes.add(connect.apply(master));
      }
    } catch (RuntimeException e) {
      nodes.forEach(Jedis::close);
      throw e;
    }
    int[] ownerOfSlot = new int[HashSlot.SLOTS];
    for (int slot = 0; slot < HashSlot.SLOTS; slot++) {
      ownerOfSlot[slot] = index.get(map.ownerOf(slot));
    }
    return new StatsNodes(List.copyOf(nodes), List.copyOf(endpoints), ownerOfSlot, true);
  }

  /** How many nodes: 1 on a standalone server, the masters on a cluster. */
  public int size() {
    return nodes.size();
  }

  /** The index of the node that owns {@code slot}. */
  public int nodeOf(int slot) {
    return ownerOfSlot[slot];
  }

  public Jedis node(int index) {
    return nodes.get(index);
  }

  /** The connection to the node that owns {@code slot}. */
  public Jedis forSlot(int slot) {
    return nodes.get(ownerOfSlot[slot]);
  }

  /** The node that owns the app's own hash tag: its hour metas, TTL patterns and plans. */
  public Jedis home(KeySchema schema) {
    return forSlot(HashSlot.of(schema.currentPlan()));
  }

  /** The masters' endpoints in slot order; empty when made {@link #standalone(Jedis)}. */
  public List<RedisEndpoint> endpoints() {
    return endpoints;
  }

  @Override
  public void close() {
    if (owned) {
      nodes.forEach(Jedis::close);
    }
  }
}
