package org.defpi.orchestrator.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator's log lines, through logback: levels and the console appender come from
 * {@code logback.xml} in the orchestrator's jar (text); {@link #use} switches the encoder of every
 * console appender to JSON lines when {@code DEFPI_LOG_FORMAT=json}. Both encoders are made here,
 * so a test can write through the very ones the orchestrator uses.
 */
public final class Logging {
  /**
   * Time, thread, level, logger, the MDC as {@code {requestId=…}} when there is any, message, and
   * the stack trace of an exception.
   */
  public static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} [%thread] %-5level %logger%replace( {%mdc}){' \\{\\}', ''} - %msg%n";

  private Logging() {}

  /** Writes the log in {@code format} from now on; what was written before stays as it was. */
  public static void use(LogFormat format) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another slf4j provider (an embedding program's): its format is its business
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        Encoder<ILoggingEvent> encoder = encoder(format, context);
        appender.stop();
        appender.setEncoder(encoder);
        appender.start();
      }
    }
  }

  /** A started encoder for {@code format}. */
  public static Encoder<ILoggingEvent> encoder(LogFormat format, LoggerContext context) {
    return switch (format) {
      case TEXT -> {
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.start();
        yield text;
      }
      case JSON -> {
        // {"timestamp":…,"level":…,"threadName":…,"loggerName":…,"mdc":{…},"kvpList":[…],
        // "formattedMessage":…,"throwable":{…}}: the message as written, not its template and arguments
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        json.start();
        yield json;
      }
    };
  }
}
