package org.defpi.wire.frame;

/**
 * A frame whose end-of-message byte was not 0xFF. The reader has already skipped to the next 0xFF,
 * so the stream may be read on; the corrupted frame itself is lost.
 */
public final class CorruptedFrameException extends FrameException {
  public CorruptedFrameException(String message) {
    super(message);
  }
}
