package org.defpi.orchestrator.pendingchange;

import java.util.Objects;

/**
 * Thrown by a {@link ChangeHandler} when its change cannot succeed however often it is tried (the
 * service has no such version, the process is gone): the change is FAILED at once with {@link
 * #reason()}, its attempts left unused.
 */
public final class ChangeFailed extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public ChangeFailed(String reason) {
    this(reason, null);
  }

  public ChangeFailed(String reason, Throwable cause) {
    super(Objects.requireNonNull(reason, "reason"), cause);
    if (reason.isBlank()) {
      throw new IllegalArgumentException("a failed change needs a reason");
    }
    this.reason = reason;
  }

  /** Why the change failed, as its lastError says it. */
  public String reason() {
    return reason;
  }
}
