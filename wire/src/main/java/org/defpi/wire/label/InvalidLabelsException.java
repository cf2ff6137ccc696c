package org.defpi.wire.label;

/** Image labels that are missing or do not follow WIRE.md section 3; the message says which and why. */
public final class InvalidLabelsException extends Exception {
  public InvalidLabelsException(String message) {
    super(message);
  }
}
