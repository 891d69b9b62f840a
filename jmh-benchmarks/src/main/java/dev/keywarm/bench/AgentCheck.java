package dev.keywarm.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Runs inside a benchmark fork and refuses to let it measure the wrong thing: the runner says which
 * agent the fork must run with ({@value #EXPECT} = none, keywarm, baseline (keywarm from another
 * jar) or otel, and {@value #JAR} = that agent's jar), and this checks the JVM really was started
 * that way and the agent really started. An agent silently missing from a fork (JMH's {@code
 * -jvmArgsAppend} replacing another, a wrong path) would otherwise show up as "zero overhead".
 *
 * <p>Without {@value #EXPECT} (a plain {@code org.openjdk.jmh.Main} run) it only prints which
 * agents are attached.
 */
final class AgentCheck {

  static final String EXPECT = "keywarm.bench.agent";
  static final String JAR = "keywarm.bench.agentJar";

  static final String NONE = "none";
  static final String KEYWARM = "keywarm";
  static final String BASELINE = "baseline";
  static final String OTEL = "otel";

  private AgentCheck() {}

  /**
   * Call from {@code @Setup(Level.Trial)}: the expected -javaagent is on the command line and
   * started.
   */
  static void verifyAttached() {
    List<String> agents =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(arg -> arg.startsWith("-javaagent:"))
            .collect(Collectors.toList());
    String expect = System.getProperty(EXPECT);
    System.out.println(
        "[bench] variant=" + (expect == null ? "(not set)" : expect) + " javaagents=" + agents);
    if (expect == null) {
      return;
    }
    switch (expect) {
      case NONE -> {
        if (!agents.isEmpty()) {
          throw new IllegalStateException(
              "variant 'none' must run without any agent, but the JVM has " + agents);
        }
      }
      case KEYWARM, BASELINE, OTEL -> {
        String jar = System.getProperty(JAR);
        if (jar == null || jar.isBlank()) {
          throw new IllegalStateException("variant '" + expect + "' needs -D" + JAR);
        }
        if (agents.size() != 1 || !agents.get(0).startsWith("-javaagent:" + jar)) {
          throw new IllegalStateException(
              "variant '"
                  + expect
                  + "' must run with exactly -javaagent:"
                  + jar
                  + ", but the JVM has "
                  + agents);
        }
        // the agent's premain really ran: both put their bootstrap classes on the boot class path
        // (built at run time: the shade plugin would rewrite a dev.keywarm.agent string constant
        // to the relocated name the uber jar uses for its own copy of the recording classes)
        String bootstrapClass =
            expect.equals(OTEL)
                ? "io.opentelemetry.javaagent.bootstrap.AgentInitializer"
                : String.join(".", "dev", "keywarm", "agent", "AgentInstaller");
        try {
          Class.forName(bootstrapClass, false, null);
        } catch (ClassNotFoundException e) {
          throw new IllegalStateException(
              "the "
                  + expect
                  + " agent is on the command line but did not start: "
                  + bootstrapClass
                  + " is not on the boot class path");
        }
      }
      default -> throw new IllegalStateException("unknown -D" + EXPECT + "=" + expect);
    }
  }

  /**
   * Call from {@code @TearDown(Level.Trial)}: with keywarm (or its baseline build) attached, its
   * hooks must have recorded the benchmark's commands (read from the agent's own JMX bean). Proves
   * the hooks were not just installed but on the measured path.
   */
  static void verifyRecorded() {
    String expect = System.getProperty(EXPECT);
    if (!KEYWARM.equals(expect) && !BASELINE.equals(expect)) {
      return;
    }
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      // the agent registers its bean 5 s after start, and drains every 20 ms: wait for both
      ObjectName pattern = new ObjectName("dev.keywarm:type=Agent,*");
      Set<ObjectName> names = server.queryNames(pattern, null);
      for (long deadline = System.nanoTime() + 10_000_000_000L;
          names.isEmpty() && System.nanoTime() - deadline < 0; ) {
        Thread.sleep(100);
        names = server.queryNames(pattern, null);
      }
      Thread.sleep(100);
      if (names.isEmpty()) {
        throw new IllegalStateException(
            "keywarm agent attached but its JMX bean is missing: it did not install");
      }
      ObjectName name = names.iterator().next();
      long recorded = (Long) server.getAttribute(name, "RecordedEvents");
      long dropped = (Long) server.getAttribute(name, "DroppedEvents");
      String target = String.valueOf(server.getAttribute(name, "StatsTarget"));
      System.out.println(
          "[bench] "
              + expect
              + " recorded="
              + recorded
              + " dropped="
              + dropped
              + " statsTarget="
              + target);
      if (recorded <= 0) {
        throw new IllegalStateException(
            "keywarm agent attached but recorded no events: its hooks are not on the measured path");
      }
    } catch (IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("could not read the keywarm agent's JMX bean", e);
    }
  }
}
