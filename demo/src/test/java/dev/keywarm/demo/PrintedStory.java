package dev.keywarm.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs a {@link DemoStory} as the demo does, its output shown as it runs and kept for assertions.
 */
record PrintedStory(DemoStory.Result result, String text) {

  static PrintedStory run(DemoStory.Options options) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(new Tee(original, printed), true, StandardCharsets.UTF_8));
    try {
      DemoStory.Result result = new DemoStory(options, DemoMain.agentJar()).run();
      return new PrintedStory(result, printed.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }

  /** Writes to two streams: the console and a buffer. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }
  }
}
