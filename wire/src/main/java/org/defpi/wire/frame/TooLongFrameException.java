package org.defpi.wire.frame;

/** A frame longer than the reader's maximum. The stream cannot be resynchronised: close it. */
public final class TooLongFrameException extends FrameException {
  public TooLongFrameException(String message) {
    super(message);
  }
}
