package org.defpi.wire.service;

import java.util.List;
import java.util.stream.Collectors;

/** A service.json that breaks WIRE.md section 1; carries every problem found, not just the first. */
public final class InvalidServiceDescriptionException extends Exception {
  private final List<Problem> problems;

  public InvalidServiceDescriptionException(List<Problem> problems) {
    super("invalid service description: "
        + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
