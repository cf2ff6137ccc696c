package org.defpi.wire.service;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A configuration parameter of a service. {@code values} are the allowed values (empty: any),
 * {@code labels} their display labels; {@code defaultValue} is kept as the string it is written as.
 */
public record Parameter(
    String id,
    String name,
    ParameterType type,
    boolean isArray,
    boolean isOptional,
    List<String> values,
    List<String> labels,
    Optional<String> defaultValue) {
  public Parameter {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    values = List.copyOf(values);
    labels = List.copyOf(labels);
    Objects.requireNonNull(defaultValue, "defaultValue");
  }
}
