package org.defpi.maven.service;

import java.util.List;
import java.util.stream.Collectors;
import org.defpi.wire.service.Problem;

/**
 * A service project the plugin cannot build: every problem found, each with the JSON pointer into
 * service.json it concerns, so a developer can fix them all in one go.
 */
public final class InvalidServiceException extends Exception {
  private final List<Problem> problems;

  public InvalidServiceException(String what, List<Problem> problems) {
    super(what + ":" + problems.stream().map(p -> "\n  " + p).collect(Collectors.joining()));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid service has at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
