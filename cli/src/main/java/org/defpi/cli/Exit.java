package org.defpi.cli;

/**
 * The exit codes, a contract with scripts: they may branch on these numbers, so a number never
 * changes meaning.
 */
public final class Exit {
  /** Done. */
  public static final int OK = 0;
  /**
   * The API refused the request (4xx other than a 401 to a stored token): its problem's detail is
   * printed, with the seconds to wait for a 429. Also: a change waited for with {@code --wait}
   * ended FAILED or CANCELLED (its last error is printed).
   */
  public static final int REFUSED = 1;
  /** The command line is wrong: unknown command or option, missing or malformed argument. */
  public static final int USAGE = 2;
  /** The orchestrator cannot be reached, or it failed (5xx). Worth retrying later. */
  public static final int UNAVAILABLE = 3;
  /**
   * Not logged in: no stored token, a credentials file this defpi cannot use (one from an older defpi
   * holds a password), or the orchestrator no longer takes the token (401: expired or revoked). Run
   * {@code defpi login}.
   */
  public static final int NOT_LOGGED_IN = 4;
  /** A bug in the CLI itself (EX_SOFTWARE): the message says what failed. */
  public static final int INTERNAL = 70;

  private Exit() {}
}
