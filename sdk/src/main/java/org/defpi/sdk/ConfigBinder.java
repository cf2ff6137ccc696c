package org.defpi.sdk;

import java.util.Map;

/** Turns the string map of a SetConfigMessage into the service's typed configuration (generated). */
@FunctionalInterface
public interface ConfigBinder<C> {
  C bind(Map<String, String> config) throws InvalidConfigException;
}
