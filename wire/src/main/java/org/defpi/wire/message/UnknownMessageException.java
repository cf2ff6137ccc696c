package org.defpi.wire.message;

/** A payload that names no message type the codec knows, or cannot be parsed as the one it names. */
public final class UnknownMessageException extends Exception {
  public UnknownMessageException(String message) {
    super(message);
  }

  public UnknownMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
