package org.defpi.sdk;

/**
 * Saved state that this build of the service cannot resume from: not a {@link ServiceState}, a
 * newer format than this SDK reads, another service's, or a payload of another type. The message
 * says which, and reaches the orchestrator in the {@code ErrorMessage} that answers the resume.
 */
public final class InvalidStateException extends Exception {
  public InvalidStateException(String message) {
    super(message);
  }

  public InvalidStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
