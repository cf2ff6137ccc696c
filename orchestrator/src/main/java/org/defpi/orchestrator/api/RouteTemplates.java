package org.defpi.orchestrator.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which route template of the table a request path belongs to ({@code /process/65f0…} is
 * {@code /process/{id}}), whatever its method: what the metrics and the access log name a request
 * by, so they have as many values as the API has routes. A literal segment beats a parameter
 * ({@code /user/me} is not {@code /user/{id}}); a path of no route is empty.
 */
final class RouteTemplates {
  private record Template(String path, String[] segments, int literals) {}

  private final List<Template> templates = new ArrayList<>();

  RouteTemplates(List<String> paths) {
    for (String path : paths.stream().distinct().toList()) {
      String[] segments = segments(path);
      int literals = 0;
      for (String s : segments) {
        literals += isParameter(s) ? 0 : 1;
      }
      templates.add(new Template(path, segments, literals));
    }
    // the most literal first: the first template that matches is the most specific one
    templates.sort(Comparator.comparingInt((Template t) -> -t.literals()));
  }

  Optional<String> match(String path) {
    String[] segments = segments(path);
    for (Template t : templates) {
      if (matches(t.segments(), segments)) {
        return Optional.of(t.path());
      }
    }
    return Optional.empty();
  }

  private static boolean matches(String[] template, String[] path) {
    if (template.length != path.length) {
      return false;
    }
    for (int i = 0; i < template.length; i++) {
      boolean same = isParameter(template[i]) ? !path[i].isEmpty() : template[i].equals(path[i]);
      if (!same) {
        return false;
      }
    }
    return true;
  }

  private static boolean isParameter(String segment) {
    return (segment.startsWith("{") && segment.endsWith("}")) || (segment.startsWith("<") && segment.endsWith(">"));
  }

  /** The segments of a path, a trailing slash ignored as Javalin ignores it: "/" has none. */
  private static String[] segments(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }
}
