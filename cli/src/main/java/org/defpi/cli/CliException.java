package org.defpi.cli;

/**
 * Why a command stopped: each kind carries its {@link Exit} code, and its message is the one line
 * printed after {@code defpi: }.
 */
sealed class CliException extends Exception {
  private final int exitCode;

  private CliException(String message, int exitCode) {
    super(oneLine(message));
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }

  /** The API answered 4xx; the message is the problem's {@code detail}. */
  static final class Refused extends CliException {
    private final int status;

    Refused(int status, String detail) {
      super(detail, Exit.REFUSED);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  /**
   * A change the command waited for ended badly (a pending change FAILED or was CANCELLED): the
   * same exit code as a refusal, since the API said no, only later.
   */
  static final class Failed extends CliException {
    Failed(String message) {
      super(message, Exit.REFUSED);
    }
  }

  /** No answer, or a 5xx one. */
  static final class Unavailable extends CliException {
    Unavailable(String message) {
      super(message, Exit.UNAVAILABLE);
    }
  }

  static final class NotLoggedIn extends CliException {
    NotLoggedIn(String message) {
      super(message, Exit.NOT_LOGGED_IN);
    }
  }

  /** A wrong command line found after parsing (for example no way to read a password). */
  static final class Usage extends CliException {
    Usage(String message) {
      super(message, Exit.USAGE);
    }
  }

  /** Errors are one line on stderr, whatever the server put in its detail. */
  static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
