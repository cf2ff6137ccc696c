package org.defpi.sdk.internal;

/**
 * A management request that cannot be carried out. Its message is the readable reason that goes
 * back to the orchestrator in an {@code ErrorMessage}.
 */
final class ManagementException extends Exception {
  ManagementException(String reason) {
    super(reason);
  }
}
