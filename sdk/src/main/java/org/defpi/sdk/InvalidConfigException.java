package org.defpi.sdk;

/** A configuration value the service's parameters do not allow; the message names the parameter. */
public final class InvalidConfigException extends Exception {
  public InvalidConfigException(String message) {
    super(message);
  }
}
