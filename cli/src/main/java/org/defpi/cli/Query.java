package org.defpi.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A list's path with its query: the filters ({@code field=value}, repeated for "any of") in the order
 * added, then the paging. Absent values are left out, so the API's defaults apply.
 */
final class Query {
  private final String resource;
  private final List<String> parameters = new ArrayList<>();

  Query(String resource) {
    this.resource = resource;
  }

  Query add(String name, Object value) {
    if (value != null) {
      parameters.add(encode(name) + "=" + encode(value.toString()));
    }
    return this;
  }

  Query addEach(String name, Collection<?> values) {
    if (values != null) {
      values.forEach(v -> add(name, v));
    }
    return this;
  }

  String path() {
    return parameters.isEmpty() ? resource : resource + "?" + String.join("&", parameters);
  }

  /** Form encoding with %20 for a space; a comma stays a comma, since {@code sort} lists fields with it. */
  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("%2C", ",");
  }

  @Override
  public String toString() {
    return path();
  }
}
