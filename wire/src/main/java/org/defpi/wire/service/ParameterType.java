package org.defpi.wire.service;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The parameter types of WIRE.md section 1, spelled in service.json in lower case. */
public enum ParameterType {
  BOOLEAN, BYTE, CHARACTER, SHORT, INTEGER, LONG, FLOAT, DOUBLE, STRING;

  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ParameterType> fromJson(String name) {
    return Arrays.stream(values()).filter(t -> t.jsonName().equals(name)).findFirst();
  }
}
