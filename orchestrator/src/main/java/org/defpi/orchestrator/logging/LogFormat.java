package org.defpi.orchestrator.logging;

import java.util.Locale;

/** How the orchestrator writes its log lines ({@code DEFPI_LOG_FORMAT}). */
public enum LogFormat {
  /** One line a person reads: time, thread, level, logger, the MDC (request id), message. */
  TEXT,
  /** One JSON object per line, for a log collector (logback's {@code JsonEncoder}). */
  JSON;

  /** {@code text} or {@code json}, in any case; anything else is refused naming what is allowed. */
  public static LogFormat parse(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException("must be text or json, not '" + value + "'");
    };
  }
}
