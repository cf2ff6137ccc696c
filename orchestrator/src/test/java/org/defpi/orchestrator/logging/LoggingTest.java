package org.defpi.orchestrator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoggingTest {
  private final LoggerContext context = new LoggerContext();

  private ILoggingEvent event(Throwable thrown) {
    return event(thrown, Map.of("requestId", "abc123"));
  }

  private ILoggingEvent event(Throwable thrown, Map<String, String> mdc) {
    LoggingEvent e = new LoggingEvent("x", context.getLogger("org.defpi.orchestrator.api.Routes"), Level.WARN,
        "GET {} failed: \"{}\"", thrown, new Object[] {"/process/{id}", "quoted\nline"});
    e.setThreadName("worker-1");
    e.setMDCPropertyMap(mdc);
    e.setTimeStamp(1_764_136_800_000L);
    return e;
  }

  @Test
  void aJsonLineIsOneObjectWithTimeLevelLoggerThreadMdcMessageAndException() throws Exception {
    String line = new String(Logging.encoder(LogFormat.JSON, context).encode(event(new IllegalStateException("boom"))),
        StandardCharsets.UTF_8);
    assertThat(line).endsWith("\n");
    assertThat(line.strip()).doesNotContain("\n");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.path("timestamp").asLong()).isEqualTo(1_764_136_800_000L);
    assertThat(json.path("level").asText()).isEqualTo("WARN");
    assertThat(json.path("loggerName").asText()).isEqualTo("org.defpi.orchestrator.api.Routes");
    assertThat(json.path("threadName").asText()).isEqualTo("worker-1");
    assertThat(json.path("mdc").path("requestId").asText()).isEqualTo("abc123");
    assertThat(json.path("formattedMessage").asText()).isEqualTo("GET /process/{id} failed: \"quoted\nline\"");
    assertThat(json.path("throwable").path("className").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(json.path("throwable").path("message").asText()).isEqualTo("boom");
    assertThat(json.has("context")).as("not the logger context's name and properties on every line").isFalse();
    assertThat(json.has("arguments")).isFalse();
  }

  @Test
  void aTextLineNamesTheRequestIdWhenThereIsOne() {
    String line = new String(Logging.encoder(LogFormat.TEXT, context).encode(event(null)), StandardCharsets.UTF_8);
    assertThat(line).contains("[worker-1] WARN  org.defpi.orchestrator.api.Routes {requestId=abc123} - GET /process/{id}"
        + " failed: \"quoted");
    ILoggingEvent plain = event(null, Map.of());
    assertThat(new String(Logging.encoder(LogFormat.TEXT, context).encode(plain), StandardCharsets.UTF_8))
        .contains("[worker-1] WARN  org.defpi.orchestrator.api.Routes - GET");
  }
}
