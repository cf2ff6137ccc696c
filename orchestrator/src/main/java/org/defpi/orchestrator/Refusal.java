package org.defpi.orchestrator;

/**
 * Why a request is refused, as a status code and a sentence. The managers throw these for requests
 * they will not carry out; the API throws them for requests it cannot even read. The API turns each
 * into an RFC 9457 problem with the message as {@code detail}, so the message must say exactly what
 * was wrong with which input.
 */
public abstract sealed class Refusal extends Exception {
  private Refusal(String detail) {
    super(detail);
  }

  /** The HTTP status this refusal maps to. */
  public abstract int status();

  /** Short, fixed summary of the kind of problem (RFC 9457 {@code title}). */
  public abstract String title();

  /** A stable slug naming the kind of problem; the API builds the problem {@code type} from it. */
  public abstract String slug();

  /** The request cannot be read: malformed JSON, a missing field, a field of the wrong type. */
  public static final class BadRequest extends Refusal {
    public BadRequest(String detail) {
      super(detail);
    }

    @Override public int status() { return 400; }
    @Override public String title() { return "Bad request"; }
    @Override public String slug() { return "bad-request"; }
  }

  /** No credentials, or wrong ones. */
  public static final class Unauthorized extends Refusal {
    /** What the caller should present instead: decides the {@code WWW-Authenticate} challenge. */
    public enum Challenge {
      /** A bearer token or HTTP Basic credentials (none given, or wrong ones). */
      CREDENTIALS,
      /** A bearer token was given but is unknown, expired or revoked (RFC 6750 invalid_token). */
      INVALID_TOKEN,
      /** A process's own X-Auth-Token (WIRE.md section 4). */
      PROCESS_TOKEN
    }

    private final Challenge challenge;

    public Unauthorized(String detail, Challenge challenge) {
      super(detail);
      this.challenge = java.util.Objects.requireNonNull(challenge, "challenge");
    }

    public Challenge challenge() {
      return challenge;
    }

    @Override public int status() { return 401; }
    @Override public String title() { return "Unauthorized"; }
    @Override public String slug() { return "unauthorized"; }
  }

  /** Credentials were given but do not allow this. */
  public static final class Forbidden extends Refusal {
    public Forbidden(String detail) {
      super(detail);
    }

    @Override public int status() { return 403; }
    @Override public String title() { return "Forbidden"; }
    @Override public String slug() { return "forbidden"; }
  }

  /** The resource named in the path does not exist. */
  public static final class NotFound extends Refusal {
    public NotFound(String detail) {
      super(detail);
    }

    @Override public int status() { return 404; }
    @Override public String title() { return "Not found"; }
    @Override public String slug() { return "not-found"; }
  }

  /** The request clashes with what exists: a duplicate, a full interface. */
  public static final class Conflict extends Refusal {
    public Conflict(String detail) {
      super(detail);
    }

    @Override public int status() { return 409; }
    @Override public String title() { return "Conflict"; }
    @Override public String slug() { return "conflict"; }
  }

  /** The request is well-formed but asks for something impossible: an unknown service, incompatible interfaces. */
  public static final class Unprocessable extends Refusal {
    public Unprocessable(String detail) {
      super(detail);
    }

    @Override public int status() { return 422; }
    @Override public String title() { return "Unprocessable request"; }
    @Override public String slug() { return "unprocessable"; }
  }

  /** Too many failed attempts lately: try again after {@link #retryAfter()}. */
  public static final class TooManyRequests extends Refusal {
    private final java.time.Duration retryAfter;

    public TooManyRequests(String detail, java.time.Duration retryAfter) {
      super(detail);
      this.retryAfter = retryAfter;
    }

    /** For the {@code Retry-After} header: whole seconds, at least one. */
    public long retryAfterSeconds() {
      return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    @Override public int status() { return 429; }
    @Override public String title() { return "Too many requests"; }
    @Override public String slug() { return "too-many-requests"; }
  }

  /** The request body is in a format the API does not take. */
  public static final class UnsupportedMediaType extends Refusal {
    public UnsupportedMediaType(String detail) {
      super(detail);
    }

    @Override public int status() { return 415; }
    @Override public String title() { return "Unsupported media type"; }
    @Override public String slug() { return "unsupported-media-type"; }
  }
}
