package dev.keywarm.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.File;
import java.util.List;

/**
 * {@code java -jar keywarm.jar list|attach <pid> [options]}: loads the agent into a JVM that is
 * already running. Hooks are installed by retransforming the classes already loaded, and from then
 * on recording is identical to {@code -javaagent}. The target's output shows the agent's own log
 * lines.
 *
 * <p>The target must be a JDK 17+ JVM of the same user. JDK 21 and later print a warning about an
 * agent loaded dynamically unless the target runs with {@code -XX:+EnableDynamicAgentLoading}.
 */
public final class AgentCommandLine {

  private AgentCommandLine() {}

  static int run(String[] args) {
    if (args.length > 1 && (args[1].equals("--help") || args[1].equals("-h"))) {
      usage();
      return 0;
    }
    try {
      switch (args[0]) {
        case "list":
          return list();
        case "attach":
          if (args.length < 2) {
            System.err.println("keywarm: attach needs a pid; run 'list' to see candidates");
            return 2;
          }
          return attach(args[1], args.length > 2 ? args[2] : "");
        default:
          System.err.println("keywarm: unknown command '" + args[0] + "'");
          usage();
          return 2;
      }
    } catch (NoClassDefFoundError e) {
      System.err.println(
          "keywarm: this Java runtime has no attach API (jdk.attach); run the "
              + "command with a full JDK");
      return 1;
    }
  }

  private static int list() {
    List<VirtualMachineDescriptor> machines = VirtualMachine.list();
    String self = Long.toString(ProcessHandle.current().pid());
    System.out.printf("%-8s %s%n", "pid", "main class / jar");
    for (VirtualMachineDescriptor machine : machines) {
      if (!machine.id().equals(self)) {
        System.out.printf("%-8s %s%n", machine.id(), machine.displayName());
      }
    }
    return 0;
  }

  private static int attach(String pid, String options) {
    if (!pid.matches("\\d+")) {
      System.err.println("keywarm: '" + pid + "' is not a pid; run 'list' to see candidates");
      return 2;
    }
    File jar = KeywarmCommandLine.ownJar();
    if (jar == null) {
      System.err.println("keywarm: cannot locate keywarm.jar; run this command with java -jar");
      return 1;
    }
    if (!options.contains("redis=")) {
      System.err.println(
          "keywarm: note: without redis=..., the agent writes to the first Redis the "
              + "application connects to from now on; pooled connections opened before the attach are "
              + "not seen, so pass redis=redis://host:port to start flushing at once");
    }
    try {
      VirtualMachine machine = VirtualMachine.attach(pid);
      try {
        machine.loadAgent(jar.getAbsolutePath(), options);
      } finally {
        machine.detach();
      }
    } catch (Exception e) {
      System.err.println("keywarm: could not attach to " + pid + ": " + e.getMessage());
      return 1;
    }
    System.out.println(
        "keywarm: agent loaded into " + pid + "; its log lines appear in that JVM's output");
    return 0;
  }

  private static void usage() {
    System.out.println("usage: java -jar keywarm.jar list");
    System.out.println(
        "       java -jar keywarm.jar attach <pid> [app=shop,redis=redis://host:6379,...]");
  }
}
