package org.defpi.examples.energydashboard.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the dashboard: records in, records out. */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      // A state saved by a later build may carry fields this one does not know.
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
