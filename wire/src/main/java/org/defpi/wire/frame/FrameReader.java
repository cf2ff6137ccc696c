package org.defpi.wire.frame;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Reads frames from a blocking stream. Not thread-safe: one reader thread per stream. */
public final class FrameReader {
  /** Default maximum payload: generous for configuration and state data, bounded for safety. */
  public static final int DEFAULT_MAX_FRAME_LENGTH = 16 * 1024 * 1024;

  private static final int END_OF_MESSAGE = 0xFF;

  private final DataInputStream in;
  private final int maxFrameLength;

  public FrameReader(InputStream in) {
    this(in, DEFAULT_MAX_FRAME_LENGTH);
  }

  public FrameReader(InputStream in, int maxFrameLength) {
    if (maxFrameLength < 1) {
      throw new IllegalArgumentException("maxFrameLength must be positive: " + maxFrameLength);
    }
    this.in = new DataInputStream(new BufferedInputStream(in));
    this.maxFrameLength = maxFrameLength;
  }

  /**
   * The next frame's payload, or empty when the stream ended cleanly (end of stream before a
   * length, or a negative length, which dEF-Pi peers send to close).
   *
   * @throws CorruptedFrameException the end-of-message byte was wrong; the reader skipped to the
   *     next 0xFF and the caller may read on
   * @throws TooLongFrameException the length exceeds the maximum; close the stream
   * @throws EOFException the stream ended inside a frame
   */
  public Optional<byte[]> read() throws IOException {
    int length;
    try {
      length = in.readInt();
    } catch (EOFException e) {
      return Optional.empty();
    }
    if (length < 0) {
      return Optional.empty();
    }
    if (length > maxFrameLength) {
      throw new TooLongFrameException(
          "frame length " + length + " exceeds the maximum of " + maxFrameLength + " bytes");
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    int eom = in.read();
    if (eom == END_OF_MESSAGE) {
      return Optional.of(payload);
    }
    if (eom < 0) {
      throw new EOFException("stream ended before the end-of-message byte of a " + length + "-byte frame");
    }
    int skipped = 1;
    int b;
    while ((b = in.read()) != END_OF_MESSAGE) {
      if (b < 0) {
        throw new EOFException("stream ended while skipping a corrupted frame");
      }
      skipped++;
    }
    throw new CorruptedFrameException(String.format(
        "expected end-of-message 0xFF after a %d-byte frame but found 0x%02X; skipped %d bytes",
        length, eom, skipped));
  }
}
