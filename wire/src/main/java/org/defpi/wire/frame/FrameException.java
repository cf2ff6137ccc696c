package org.defpi.wire.frame;

import java.io.IOException;

/** A frame that breaks WIRE.md section 5. Subtypes say how; the message quotes the bad value. */
public sealed class FrameException extends IOException
    permits CorruptedFrameException, TooLongFrameException {
  FrameException(String message) {
    super(message);
  }
}
