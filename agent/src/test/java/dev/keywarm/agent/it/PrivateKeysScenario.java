package dev.keywarm.agent.it;

import redis.clients.jedis.Jedis;

/** Cache keys that carry personal data: e-mail addresses and phone numbers. Args: host port. */
public final class PrivateKeysScenario {

  public static void main(String[] args) {
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      for (int i = 0; i < 5; i++) {
        jedis.get("user:alice@example.com");
        jedis.get("phone:+4915112345678");
      }
      jedis.set("user:alice@example.com", "profile");
      jedis.get("user:alice@example.com");
    }
  }
}
