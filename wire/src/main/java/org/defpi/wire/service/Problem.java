package org.defpi.wire.service;

/** One reason a service.json is invalid: where (a JSON pointer) and which rule it breaks. */
public record Problem(String pointer, String message) {
  @Override
  public String toString() {
    return (pointer.isEmpty() ? "/" : pointer) + ": " + message;
  }
}
