package org.defpi.examples.powerlogger;

import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs every power measurement it receives; the work is done by the connection handlers. */
public class PowerLoggerService implements Service<PowerLoggerConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(PowerLoggerService.class);

  @Override
  public void init(PowerLoggerConfiguration config, DefPiParameters parameters) {
    LOG.info("power logger {} started", parameters.processId());
  }
}
