package org.defpi.orchestrator;

import java.security.Security;
import org.defpi.orchestrator.logging.Logging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: reads the environment ({@link Settings}), wires and starts, stops cleanly on SIGTERM. */
public final class Orchestrator {
  private Orchestrator() {}

  public static void main(String[] args) {
    // Processes come and go and move: a process id resolves to a new address after a restart, and a
    // look-up made just before its task exists must not be remembered as a failure for the JVM's
    // default 10 s (ENVIRONMENT.md). Set before the first look-up.
    Security.setProperty("networkaddress.cache.ttl", "2");
    Security.setProperty("networkaddress.cache.negative.ttl", "0");
    Logger log = LoggerFactory.getLogger(Orchestrator.class);
    Wiring wiring;
    try {
      Settings settings = Settings.fromEnv(System.getenv());
      Logging.use(settings.logFormat()); // before the first line worth collecting
      wiring = Wiring.start(settings);
    } catch (Exception e) {
      log.error("cannot start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        wiring.close();
      } catch (Exception e) {
        log.error("unclean stop: {}", e.getMessage(), e);
      }
    }, "defpi-shutdown"));
  }
}
