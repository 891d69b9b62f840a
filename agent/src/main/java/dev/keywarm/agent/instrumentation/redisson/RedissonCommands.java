package dev.keywarm.agent.instrumentation.redisson;

import dev.keywarm.agent.recording.CallRecord;

/**
 * Turns one Redisson command and its decoded reply into a {@link CallRecord}, the path every client
 * feeds: the command's name, its parameters as bytes ({@link RedissonParams}), its reply as the
 * recorder reads it ({@link RedissonReplies}). A Lua script Redisson uses for a cache operation
 * ({@code RMapCache.get}, {@code RMap.put}...) is recorded as the command it stands for ({@link
 * RedissonScripts}). Loaded by the bootstrap loader: it names no Redisson or Netty type. Called
 * from advice; never throws.
 */
public final class RedissonCommands {

  private RedissonCommands() {}

  /** A {@code RedisExecutor} was built on this thread for {@code params}. */
  public static void issued(String name, Object[] params) {
    try {
      if (params == null) {
        return;
      }
      RedissonScripts.Rule rule = RedissonScripts.rule(name, params);
      CallRecord call =
          CallRecord.begin(rule != null ? rule.command() : RedissonParams.ascii(name));
      if (call != null) {
        call.issuing(params);
      }
    } catch (Throwable ignored) {
      // never into application code
    }
  }

  /** One attempt of a command was answered with {@code result} (after Redisson's conversion). */
  public static void completed(
      Object data, String name, String subName, Object convertor, Object[] params, Object result) {
    try {
      if (params == null) {
        return;
      }
      RedissonScripts.Rule rule = RedissonScripts.rule(name, params);
      CallRecord call =
          CallRecord.begin(rule != null ? rule.command() : RedissonParams.ascii(name));
      if (call == null) {
        RedissonReplies.forget(data);
        return;
      }
      call.issuedBy(params);
      if (rule != null) {
        rule.feed(call, params);
        call.complete(rule.reply(result), null);
        return;
      }
      int index = 1;
      if (subName != null) {
        call.argument(index++, RedissonParams.ascii(subName));
      }
      for (Object param : params) {
        RedissonParams.feed(call, index++, param);
      }
      call.complete(RedissonReplies.reply(call, data, convertor, result), null);
    } catch (Throwable ignored) {
      // never into application code
    }
  }
}
