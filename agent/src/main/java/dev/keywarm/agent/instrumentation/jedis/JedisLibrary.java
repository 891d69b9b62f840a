package dev.keywarm.agent.instrumentation.jedis;

/**
 * Jedis and a library of its shape under another root package: valkey-java ({@code io.valkey}),
 * Valkey's fork of Jedis 5, declares the same types with the same methods ({@code
 * Connection.executeCommand(CommandObject)}, {@code Response.set(Object)}, pipelines' {@code
 * appendCommand}). The Jedis 4+ hooks match each library by those declared methods under its root,
 * and apply the same advice: for a library other than Jedis, the advice's bytecode with the Jedis
 * types renamed into that root ({@link RenamedAdviceLocator}), since inlined advice names the
 * client's types and each library's classes know only their own.
 */
public enum JedisLibrary {
  JEDIS("redis.clients.jedis"),
  VALKEY("io.valkey");

  private final String root;

  JedisLibrary(String root) {
    this.root = root;
  }

  /** A type of this library: {@code type("Connection")} → {@code io.valkey.Connection}. */
  String type(String simpleName) {
    return root + "." + simpleName;
  }

  String root() {
    return root;
  }

  /** The advice class to apply for this library: Jedis's own, or its renamed copy. */
  String advice(Class<?> jedisAdvice) {
    return this == JEDIS ? jedisAdvice.getName() : jedisAdvice.getName() + suffix();
  }

  /** Marks a renamed advice class's name: {@code ...JedisCommandEnterAdvice$$VALKEY}. */
  String suffix() {
    return "$$" + name();
  }
}
