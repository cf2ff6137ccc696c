package org.defpi.sdk.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Captures what the runtimes log (slf4j-simple writes each line to the {@code System.err} of the
 * moment) while still showing it, so a test can look for a line, count one, or make sure a secret
 * never appears.
 */
public final class LogCapture {
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream original;

  public void start() {
    original = System.err;
    System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
  }

  public void stop() {
    if (original != null) {
      System.setErr(original);
    }
  }

  /** Everything logged since {@link #start()}. */
  public String text() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  /** How often {@code needle} was logged. */
  public int count(String needle) {
    return text().split(Pattern.quote(needle), -1).length - 1;
  }

  /** Writes to two streams; the capture is guarded so a reader sees whole writes. */
  private static final class Tee extends OutputStream {
    private final OutputStream shown;
    private final ByteArrayOutputStream kept;

    Tee(OutputStream shown, ByteArrayOutputStream kept) {
      this.shown = shown;
      this.kept = kept;
    }

    @Override
    public void write(int b) throws IOException {
      shown.write(b);
      synchronized (kept) {
        kept.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      shown.write(b, off, len);
      synchronized (kept) {
        kept.write(b, off, len);
      }
    }
  }
}
