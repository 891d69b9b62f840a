package dev.keywarm.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.runner.WarmDefaults;
import dev.keywarm.runner.WarmRunner;
import dev.keywarm.runner.WarmSettings;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI without options warms exactly as the builder without setters: one set of defaults. */
class WarmDefaultsTest {

  static final String REDIS =
      "redis://127.0.0.1:6379"; // never connected: building connects nothing

  @Test
  void theCliDefaultsAreTheBuilderDefaults() {
    WarmSettings builder =
        WarmRunner.builder()
            .redis(REDIS)
            .app("shop")
            .instanceId("i1")
            .serviceLoaders(false)
            .build()
            .settings();
    WarmCommand command = new WarmCommand();
    new CommandLine(command).parseArgs("--redis", REDIS, "--app", "shop", "--instance", "i1");
    WarmSettings cli =
        command.configure(new ArrayList<>()).serviceLoaders(false).build().settings();

    assertEquals(builder, cli);
    assertEquals(WarmDefaults.CONCURRENCY, cli.concurrency());
  }

  @Test
  void theHelpShowsTheDefaults() {
    String usage = new CommandLine(new WarmCommand()).getUsageMessage();
    assertTrue(usage.contains("(default: " + WarmDefaults.MAX_KEYS + ")"), usage);
    assertTrue(usage.contains("(default: " + WarmDefaults.CALL_TIMEOUT + ")"), usage);
  }
}
