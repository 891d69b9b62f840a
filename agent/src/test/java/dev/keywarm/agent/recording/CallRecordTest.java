package dev.keywarm.agent.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keywarm.schema.FieldMember;
import dev.keywarm.schema.KeyText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command semantics, driven exactly as the advice drives them: name, arguments, reply. */
class CallRecordTest {

  private Recorder recorder;
  private final List<String> events = new ArrayList<>();

  @BeforeEach
  void activate() {
    recorder = new Recorder(1, 1024, 30_000_000_000L);
    recorder.activate();
  }

  @AfterEach
  void deactivate() {
    recorder.deactivate();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void call(Object reply, String... command) {
    CallRecord call = CallRecord.begin(b(command[0]));
    if (call == null) {
      return; // a command keywarm does not record
    }
    for (int i = 1; i < command.length; i++) {
      call.argument(i, b(command[i]));
    }
    call.complete(reply, null);
  }

  private List<String> drained() {
    recorder.drain(
        (key, kind, value) -> events.add(KeyText.display(key) + "=" + "HMWLIE".charAt(kind)));
    return events;
  }

  @Test
  void ignoresCommandsItDoesNotRecordAndRecordsNothingWhenOff() {
    assertNull(CallRecord.begin(b("HGETALL")));
    assertNull(CallRecord.begin(b("PING")));
    recorder.deactivate();
    assertNull(CallRecord.begin(b("GET")));
  }

  @Test
  void invalidationsAreRecordedOnlyForTheSnapshotAndAlsoWhenACommandFails() {
    call(1L, "DEL", "gone"); // not recorded at all while no snapshot asks for invalidations
    recorder.recordInvalidations(true);
    call(2L, "DEL", "a", "b");
    call(1L, "UNLINK", "c");
    call(1L, "EXPIRE", "d", "10");
    call(1L, "PEXPIREAT", "e", "1764000000000");
    call(1L, "PERSIST", "f");
    call("v", "GETDEL", "g"); // a read, then gone
    call("v", "GETEX", "h"); // no option: only a read
    call("v", "GETEX", "i", "EX", "10"); // a new expiry
    call(null, "SET", "j", "v", "NX"); // declined: nothing changed
    CallRecord failed = CallRecord.begin(b("SET"));
    failed.argument(1, b("k"));
    failed.argument(2, b("v"));
    failed.complete(null, new java.io.IOException("connection reset")); // may have landed
    CallRecord failedRead = CallRecord.begin(b("GET"));
    failedRead.argument(1, b("l"));
    failedRead.complete(null, new java.io.IOException("connection reset")); // changed nothing
    assertEquals(
        List.of("a=I", "b=I", "c=I", "d=E", "e=E", "f=E", "g=H", "g=I", "h=H", "i=H", "i=E", "k=I"),
        drained());
    assertEquals(2, recorder.failedCommands());
  }

  @Test
  void withTheSnapshotOnEveryCommandThatMayChangeAKeyInvalidatesIt() {
    call(1L, "INCR", "off"); // not even seen while no snapshot asks
    recorder.recordInvalidations(true);
    call(2L, "INCR", "counter");
    call(1L, "HINCRBY", "h", "f", "1");
    call("OK", "RENAME", "from", "to");
    call(1L, "BITOP", "AND", "dest", "s1", "s2");
    call(1L, "EVAL", "return 1", "2", "k1", "k2", "arg");
    call(1L, "EXISTS", "counter");
    assertEquals(
        List.of("counter=I", "h=I", "from=I", "to=I", "dest=I", "k1=I", "k2=I"), drained());
    long before = recorder.unknownInvalidations();
    call("OK", "FLUSHALL");
    assertTrue(recorder.unknownInvalidations() > before, "every key changed: none can be named");
  }

  private List<String> drainedTtls() {
    List<String> ttls = new ArrayList<>();
    recorder.drain(
        (key, kind, value) -> {
          if (kind == EventKind.WRITE || kind == EventKind.EXPIRY) {
            ttls.add(new String(key, StandardCharsets.UTF_8) + "=" + value);
          }
        });
    return ttls;
  }

  @Test
  void writesAndExpiryChangesCarryTheTtlTheApplicationSet() {
    long now = System.currentTimeMillis();
    call("OK", "SET", "a", "v", "EX", "10");
    call("OK", "SET", "b", "v");
    call("OK", "SET", "c", "v", "KEEPTTL");
    call("OK", "SETEX", "d", "20", "v");
    call("OK", "PSETEX", "e", "1500", "v");
    call("OK", "set", "f", "v", "nx", "pxat", Long.toString(now + 60_000));
    call("OK", "MSET", "g", "1", "h", "2");
    call(1L, "EXPIRE", "i", "30");
    call(0L, "EXPIRE", "j", "30"); // no such key: nothing changed
    call(1L, "PERSIST", "k");
    call("v", "GETEX", "l", "PX", "700");
    call("OK", "SET", "m", "EX", "v"); // a value that reads like an option is a value
    List<String> ttls = drainedTtls();
    assertEquals("a=10000", ttls.get(0));
    assertEquals("b=-1", ttls.get(1));
    assertEquals("c=0", ttls.get(2), "KEEPTTL: unknown");
    assertEquals(List.of("d=20000", "e=1500"), ttls.subList(3, 5));
    long f = Long.parseLong(ttls.get(5).substring(2));
    assertTrue(f > 55_000 && f <= 60_000, ttls.get(5));
    assertEquals(
        List.of("g=-1", "h=-1", "i=30000", "k=-1", "l=700", "m=-1"), ttls.subList(6, ttls.size()));
  }

  @Test
  void numbersTheClientHoldsAsNumbersCarryTheTtlToo() {
    CallRecord set = CallRecord.begin(b("SET"));
    set.argument(1, b("a"));
    set.argument(2, b("v"));
    set.argument(3, b("EX"));
    set.number(4, 10);
    set.complete("OK", null);
    CallRecord expire = CallRecord.begin(b("PEXPIRE"));
    expire.argument(1, b("b"));
    expire.number(2, 250);
    expire.complete(Boolean.TRUE, null); // Lettuce answers EXPIRE with a Boolean
    assertEquals(List.of("a=10000", "b=250"), drainedTtls());
  }

  @Test
  void getHitAndMissAndCaseInsensitiveNames() {
    call("v", "GET", "a");
    call(null, "get", "b");
    assertEquals(List.of("a=H", "b=M"), drained());
  }

  @Test
  void setOptionsDecideWhetherItWrote() {
    call("OK", "SET", "a", "v");
    call(null, "SET", "b", "v", "NX");
    call("OK", "SET", "c", "v", "XX", "EX", "10");
    call("old", "SET", "d", "v", "NX", "GET"); // key existed: NX declined, old value read
    call(null, "SET", "e", "v", "GET"); // miss, then written
    assertEquals(List.of("a=W", "c=W", "d=H", "e=M", "e=W", "e=L"), drained());
  }

  @Test
  void multiKeyCommands() {
    call(Arrays.asList("1", null, "3"), "MGET", "a", "b", "c");
    call("OK", "MSET", "x", "1", "y", "2");
    call(0L, "MSETNX", "p", "1", "q", "2");
    call(1L, "SETNX", "n", "1");
    call(0L, "SETNX", "n", "1");
    call("v", "GETSET", "g", "2");
    assertEquals(List.of("a=H", "b=M", "c=H", "x=W", "y=W", "n=W", "g=H", "g=W"), drained());
  }

  @Test
  void hashFieldsAreEntriesOfTheirOwn() {
    call("v", "HGET", "user:1", "profile");
    call(null, "hget", "user:1", "avatar");
    call(Arrays.asList("v", null, "v"), "HMGET", "user:2", "a", "b", "c");
    call(2L, "HSET", "user:3", "a", "1", "b", "2");
    call("OK", "HMSET", "user:4", "a", "1");
    call(1L, "HSETNX", "user:5", "a", "1");
    call(0L, "HSETNX", "user:5", "a", "1"); // the field existed: not written
    call(Boolean.FALSE, "HSETNX", "user:5", "b", "1"); // Lettuce answers with a Boolean
    call("v", "GET", "user:1"); // the hash's key itself is another entry
    assertEquals(
        List.of(
            "user:1 [profile]=H",
            "user:1 [avatar]=M",
            "user:2 [a]=H",
            "user:2 [b]=M",
            "user:2 [c]=H",
            "user:3 [a]=W",
            "user:3 [b]=W",
            "user:4 [a]=W",
            "user:5 [a]=W",
            "user:1=H"),
        drained());
  }

  @Test
  void aHashFieldMissThenItsWriteIsALoadOfThatField() {
    call(null, "HGET", "h", "f");
    call(1L, "HSET", "h", "other", "v"); // another field: no load
    call(1L, "HSET", "h", "f", "v");
    List<String> loads = new ArrayList<>();
    recorder.drain(
        (key, kind, value) -> {
          if (kind == EventKind.LOAD) {
            loads.add(KeyText.display(key));
          }
        });
    assertEquals(List.of("h [f]"), loads);
  }

  @Test
  void hashDeletesAndRedis8ReadsRecordPerFieldAndInvalidateTheWholeKey() {
    call(1L, "HDEL", "off", "f"); // no snapshot, no re-warm: no invalidation at all
    recorder.recordInvalidations(true);
    call(1L, "HSET", "h", "f", "v");
    call(1L, "HDEL", "h", "f", "g");
    call(0L, "HSETNX", "h", "x", "v"); // declined: nothing changed
    call(Arrays.asList("v", null), "HGETDEL", "d", "FIELDS", "2", "a", "b");
    call(Arrays.asList("v"), "HGETEX", "e", "FIELDS", "1", "a"); // no option: only a read
    call(Arrays.asList("v"), "HGETEX", "x", "EX", "10", "FIELDS", "1", "fields");
    assertEquals(
        List.of(
            "h [f]=W",
            "h=I",
            "h [f]=I",
            "h [g]=I",
            "h=I",
            "d [a]=H",
            "d [b]=M",
            "d [a]=I",
            "d [b]=I",
            "d=I",
            "e [a]=H",
            "x [fields]=H",
            "x [fields]=I",
            "x=I"),
        drained());
  }

  @Test
  void onlyAFieldDeleteIsADeleteNotItsHashKeysInvalidation() {
    recorder.recordDeletes(true); // rewarm=on-delete without the snapshot
    call(1L, "HDEL", "h", "f");
    List<String> deletes = new ArrayList<>();
    recorder.drain(
        (key, kind, value) ->
            deletes.add(KeyText.display(key) + (value == EventKind.DELETED ? " deleted" : "")));
    assertEquals(List.of("h [f] deleted"), deletes);
  }

  @Test
  void lettuceHandsFieldCountsAndExpiriesAsNumbers() {
    recorder.recordInvalidations(true);
    CallRecord getex = CallRecord.begin(b("HGETEX"));
    getex.argument(1, b("h"));
    getex.argument(2, b("PX"));
    getex.number(3, 500);
    getex.argument(4, b("FIELDS"));
    getex.number(5, 2);
    getex.argument(6, b("a"));
    getex.argument(7, b("b"));
    assertTrue(getex.readsEachKey(), "HGETEX answers one value per field");
    getex.complete(Arrays.asList(null, "v"), null);
    assertEquals(List.of("h [a]=M", "h [b]=H", "h [a]=I", "h [b]=I", "h=I"), drained());
  }

  @Test
  void fieldMembersAreTheSchemasEncodingAndLongPartsAreStoredAsKeysAre() {
    byte[] longField = new byte[600];
    Arrays.fill(longField, (byte) 'f');
    CallRecord call = CallRecord.begin(b("HGET"));
    call.argument(1, b("user:1"));
    call.argument(2, longField);
    call.complete("v", null);
    List<byte[]> members = new ArrayList<>();
    recorder.drain((key, kind, value) -> members.add(key));
    assertEquals(1, members.size());
    assertTrue(Arrays.equals(FieldMember.encode(b("user:1"), longField), members.get(0)));
    assertEquals(8 + 6 + 512, members.get(0).length);
  }

  @Test
  void errorsAreCountedNotRecorded() {
    CallRecord call = CallRecord.begin(b("GET"));
    call.argument(1, b("a"));
    call.complete(null, new RuntimeException("connection reset"));
    call("WRONGTYPE", "GET", "b"); // a value that merely looks like an error is a hit
    Object response = new Object();
    CallRecord queued = CallRecord.begin(b("GET"));
    queued.argument(1, b("c"));
    PendingReplies.queued(queued, response);
    PendingReplies.replied(response, new IllegalStateException("-ERR in a pipeline"));
    assertEquals(2, recorder.failedCommands());
    assertEquals(List.of("b=H"), drained());
  }

  @Test
  void aPipelinedCommandIsCountedWhenItsReplyArrives() {
    Object response = new Object();
    CallRecord call = CallRecord.begin(b("GET"));
    call.argument(1, b("k"));
    PendingReplies.queued(call, response);
    assertEquals(List.of(), drained());
    PendingReplies.replied(response, null);
    PendingReplies.replied(response, b("late duplicate"));
    assertEquals(List.of("k=M"), drained());
  }

  @Test
  void loadTimeIsMatchedByKeyAcrossThreads() throws Exception {
    Thread missing = new Thread(() -> call(null, "GET", "async:key"));
    missing.start();
    missing.join();
    call("OK", "SET", "async:key", "v"); // an async client completes the SET on another thread
    List<String> loads = new ArrayList<>();
    recorder.drain(
        (key, kind, value) -> {
          if (kind == EventKind.LOAD) {
            loads.add(new String(key, StandardCharsets.UTF_8));
          }
        });
    assertEquals(List.of("async:key"), loads);
  }

  @Test
  void loadTimeIsMissToSetOfTheSameKeyOnTheSameThread() {
    call(null, "GET", "k");
    call(null, "GET", "k");
    call("OK", "SET", "k", "v");
    call("OK", "SET", "k", "v");
    List<Long> loads = new ArrayList<>();
    recorder.drain(
        (key, kind, value) -> {
          if (kind == EventKind.LOAD) {
            loads.add(value);
          }
        });
    assertEquals(1, loads.size(), "one load however many misses and writes");
    assertEquals(true, loads.get(0) > 0);
  }
}
