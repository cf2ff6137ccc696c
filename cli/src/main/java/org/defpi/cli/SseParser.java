package org.defpi.cli;

import java.util.Optional;

/**
 * The {@code text/event-stream} format, one line at a time (the line already split off its
 * {@code \n}, {@code \r\n} or {@code \r}), as the HTML standard's "interpreting an event stream"
 * says: {@code field: value} lines build an event, a blank line ends it, a line starting with
 * {@code :} is a comment. {@code event} names it (default {@code message}), {@code data} lines are
 * joined with {@code \n}, {@code id} sets the last event id, which stays for later events until the
 * next {@code id}; {@code retry} and unknown fields are ignored. An event without data is not
 * dispatched (its id still counts). One parser per connection: what was half-read when the stream
 * ended is simply never dispatched.
 */
final class SseParser {
  /**
   * A dispatched event.
   *
   * @param name its {@code event} field, or {@code message}
   * @param id the last event id at its end ({@code ""} when none was ever given)
   * @param data its {@code data} lines joined with {@code \n}
   */
  record Event(String name, String id, String data) {}

  private final StringBuilder data = new StringBuilder();
  private String name = "";
  private String lastEventId = "";
  private boolean first = true;

  /** Takes one line; answers the event this line ends, if it is a blank line ending one. */
  Optional<Event> line(String line) {
    if (first) {
      first = false;
      if (line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
    }
    if (line.isEmpty()) {
      return dispatch();
    }
    if (line.startsWith(":")) {
      return Optional.empty();
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> name = value;
      case "data" -> data.append(value).append('\n');
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          lastEventId = value;
        }
      }
      default -> {
        // retry: the CLI has its own back-off; other fields are for future use and ignored
      }
    }
    return Optional.empty();
  }

  /** The id of the last event seen on this stream ({@code ""} if none), for {@code Last-Event-ID}. */
  String lastEventId() {
    return lastEventId;
  }

  private Optional<Event> dispatch() {
    if (data.isEmpty()) {
      name = "";
      return Optional.empty();
    }
    data.setLength(data.length() - 1);
    Event event = new Event(name.isEmpty() ? "message" : name, lastEventId, data.toString());
    data.setLength(0);
    name = "";
    return Optional.of(event);
  }
}
