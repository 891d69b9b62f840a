package dev.keywarm.agent.recording;

import static dev.keywarm.agent.recording.CommandSpec.InvalidateRule.INVALIDATES;
import static dev.keywarm.agent.recording.CommandSpec.InvalidateRule.WITH_OPTIONS;
import static dev.keywarm.agent.recording.CommandSpec.KeyLayout.ALL;
import static dev.keywarm.agent.recording.CommandSpec.KeyLayout.FIRST;
import static dev.keywarm.agent.recording.CommandSpec.KeyLayout.PAIRS;
import static dev.keywarm.agent.recording.CommandSpec.WriteRule.ALWAYS;
import static dev.keywarm.agent.recording.CommandSpec.WriteRule.IF_REPLY_ONE;
import static dev.keywarm.agent.recording.CommandSpec.WriteRule.NEVER;
import static dev.keywarm.agent.recording.CommandSpec.WriteRule.SET_OPTIONS;

/**
 * The commands keywarm records, as data. A hook hands over the command's name bytes; anything not
 * listed here is ignored at the cost of a few byte compares.
 *
 * <p>GETEX and GETDEL are reads (they return the value); GETSET and {@code SET ... GET} are both a
 * read of the old value and a write. DEL, UNLINK, the EXPIRE family, PERSIST and GETDEL (and a
 * GETEX with an option) are recorded only as invalidations, for the hot-set snapshot.
 */
public final class CommandTable {

  private static final CommandSpec[] SPECS = {
    new CommandSpec("GET", FIRST, true, NEVER),
    new CommandSpec("SET", FIRST, false, SET_OPTIONS),
    new CommandSpec("SETEX", FIRST, false, ALWAYS),
    new CommandSpec("PSETEX", FIRST, false, ALWAYS),
    new CommandSpec("SETNX", FIRST, false, IF_REPLY_ONE),
    new CommandSpec("GETEX", FIRST, true, NEVER, WITH_OPTIONS),
    new CommandSpec("GETDEL", FIRST, true, NEVER, INVALIDATES),
    new CommandSpec("GETSET", FIRST, true, ALWAYS),
    new CommandSpec("MGET", ALL, true, NEVER),
    new CommandSpec("MSET", PAIRS, false, ALWAYS),
    new CommandSpec("MSETNX", PAIRS, false, IF_REPLY_ONE),
    new CommandSpec("DEL", ALL, false, NEVER, INVALIDATES),
    new CommandSpec("UNLINK", ALL, false, NEVER, INVALIDATES),
    new CommandSpec("EXPIRE", FIRST, false, NEVER, INVALIDATES),
    new CommandSpec("PEXPIRE", FIRST, false, NEVER, INVALIDATES),
    new CommandSpec("EXPIREAT", FIRST, false, NEVER, INVALIDATES),
    new CommandSpec("PEXPIREAT", FIRST, false, NEVER, INVALIDATES),
    new CommandSpec("PERSIST", FIRST, false, NEVER, INVALIDATES),
  };

  private CommandTable() {}

  /** The spec for a command name (case-insensitive), or null if keywarm does not record it. */
  public static CommandSpec find(byte[] command) {
    if (command == null || command.length < 3 || command.length > 9) {
      return null;
    }
    for (CommandSpec spec : SPECS) {
      if (spec.matches(command)) {
        return spec;
      }
    }
    return null;
  }
}
