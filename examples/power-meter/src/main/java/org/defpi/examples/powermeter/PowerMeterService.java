package org.defpi.examples.powermeter;

import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A meter that reports a constant power on every connection; the sending is done per connection. */
public class PowerMeterService implements Service<PowerMeterConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(PowerMeterService.class);

  private volatile PowerMeterConfiguration configuration;

  @Override
  public void init(PowerMeterConfiguration config, DefPiParameters parameters) {
    this.configuration = config;
    LOG.info("power meter {} started: {}", parameters.processId(), config);
  }

  @Override
  public void modify(PowerMeterConfiguration config) {
    this.configuration = config;
    LOG.info("power meter reconfigured: {}", config);
  }

  /** The configuration in force; connections are only made after {@link #init}. */
  public PowerMeterConfiguration configuration() {
    return configuration;
  }
}
