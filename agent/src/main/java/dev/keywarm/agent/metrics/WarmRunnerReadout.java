package dev.keywarm.agent.metrics;

import dev.keywarm.agent.jmx.KeywarmAgentMetrics;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/**
 * The current or last warm's progress for the meters, read from the warm-runner's own MXBean in
 * this JVM ({@code dev.keywarm:type=WarmRunner,app=…}): the runner lives in its own class loader,
 * and JMX is the one interface both sides already share. 0 while no warm has run; nothing is read
 * before the agent has started JMX itself ({@link KeywarmAgentMetrics#isRegistered()}).
 */
final class WarmRunnerReadout {

  private final ObjectName name;
  private final KeywarmAgentMetrics agent;

  WarmRunnerReadout(String app, KeywarmAgentMetrics agent) {
    ObjectName parsed;
    try {
      parsed = new ObjectName("dev.keywarm:type=WarmRunner,app=" + ObjectName.quote(app));
    } catch (Exception e) {
      parsed = null;
    }
    this.name = parsed;
    this.agent = agent;
  }

  /** A number attribute of the runner's bean ({@code Coverage}, {@code Warmed}…), or 0. */
  double read(String attribute) {
    if (name == null || !agent.isRegistered()) {
      return 0;
    }
    try {
      var server = ManagementFactory.getPlatformMBeanServer();
      if (!server.isRegistered(name)) {
        return 0;
      }
      Object value = server.getAttribute(name, attribute);
      return value instanceof Number n ? n.doubleValue() : 0;
    } catch (Exception | LinkageError e) {
      return 0;
    }
  }
}
