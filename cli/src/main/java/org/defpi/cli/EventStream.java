package org.defpi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Follows GET /events (server-sent events, read by {@link SseParser}) for as long as a
 * {@link Listener} wants. The first {@code ready} says the stream listens; every later event but
 * {@code reset} is a {@link Change}. A stream that ends, breaks, fails to reconnect (unreachable,
 * 5xx) or stays silent for longer than the idle timeout (the orchestrator sends a comment every 15
 * s) is reopened with {@code Last-Event-ID}, after 0.5 s, then 1, 2, 4, 8 and 10 s while it keeps
 * failing (a {@code ready} starts the count again), with a note on stderr each time. A {@code reset}
 * (the id is no longer known) gets a note and an immediate reconnect without an id, and the
 * listener's next {@code ready} says to reload. A 401 ({@link CliException.NotLoggedIn}), any other
 * 4xx, and failing to reach the orchestrator at all on the first try end the follow with that
 * exception, as for every other command.
 */
final class EventStream {
  static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  /** How to wait before a reconnect: {@link Thread#sleep}, unless a test records the waits instead. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * How following behaves. {@code maxEvents} is for tests only: after that many {@link Change}s the
   * follow returns as if interrupted; {@code idleTimeout} is how long a silent stream is trusted.
   */
  record Settings(Sleeper sleeper, long maxEvents, Duration idleTimeout) {
    static final Settings STANDARD = new Settings(Thread::sleep, Long.MAX_VALUE, Duration.ofSeconds(45));

    Settings {
      Objects.requireNonNull(sleeper, "sleeper");
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      if (maxEvents < 1 || idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("maxEvents and idleTimeout must be positive");
      }
    }
  }

  /**
   * An event other than {@code ready} and {@code reset}: {@code process}, {@code connection} or
   * {@code pendingchange}, its data {@code {seq, at, subject, action, id, userId, state, reason?}}.
   *
   * @param name the SSE event name, which is the subject
   * @param eventId the SSE id, {@code <run>-<seq>}
   * @param data the data as it came
   * @param json the data parsed
   */
  record Change(String name, String eventId, String data, JsonNode json) {
    String subject() {
      String subject = field("subject");
      return subject.isEmpty() ? name : subject;
    }

    /** The changed process's, connection's or pending change's id. */
    String id() {
      return field("id");
    }

    String action() {
      return field("action");
    }

    String state() {
      return field("state");
    }

    String reason() {
      return field("reason");
    }

    String at() {
      return field("at");
    }

    String field(String name) {
      return ApiCommand.text(json, name);
    }

    /** The data on one line: as it came, unless it was sent as several lines. */
    String jsonLine() {
      if (data.indexOf('\n') < 0 && data.indexOf('\r') < 0) {
        return data.strip();
      }
      try {
        return Api.JSON.writeValueAsString(json);
      } catch (IOException e) {
        throw new IllegalStateException("a parsed JSON tree always serialises", e);
      }
    }
  }

  /** What a command does with the stream; each call answers whether it is done following. */
  interface Listener {
    /**
     * The stream listens: every change from now on will come. {@code reload} is true the first
     * time and after a {@code reset} (or any reconnect without an id), when changes may have been
     * missed: the moment to (re)load a list, or to look a pending change up.
     */
    boolean ready(boolean reload) throws CliException, InterruptedException;

    boolean change(Change change) throws CliException, InterruptedException;
  }

  private final Api api;
  private final PrintStream err;
  private final Settings settings;

  EventStream(Api api, PrintStream err, Settings settings) {
    this.api = Objects.requireNonNull(api, "api");
    this.err = Objects.requireNonNull(err, "err");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Wait before reconnect number {@code failures} (1, 2, …): 0.5 s doubling, at most 10 s. */
  static Duration backoff(int failures) {
    int doublings = Math.clamp(failures - 1, 0, 20);
    Duration d = FIRST_BACKOFF.multipliedBy(1L << doublings);
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  /**
   * Follows the stream until the listener is done (answers true) or, in a test, its
   * {@link Settings#maxEvents} are seen (answers false). Ctrl-C ends the process before either.
   */
  boolean follow(Listener listener) throws CliException, InterruptedException {
    String lastId = null;
    boolean reload = true;
    boolean connected = false;
    int failures = 0;
    long delivered = 0;
    AtomicReference<Stream<String>> current = new AtomicReference<>();
    AtomicLong lastLineAt = new AtomicLong(System.nanoTime());
    AtomicBoolean idled = new AtomicBoolean();
    ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "defpi-events-watchdog");
      t.setDaemon(true);
      return t;
    });
    long idleNanos = settings.idleTimeout().toNanos();
    long every = Math.max(10, settings.idleTimeout().toMillis() / 4);
    watchdog.scheduleAtFixedRate(() -> {
      Stream<String> open = current.get();
      if (open != null && System.nanoTime() - lastLineAt.get() > idleNanos && idled.compareAndSet(false, true)) {
        open.close();
      }
    }, every, every, TimeUnit.MILLISECONDS);
    try {
      while (true) {
        String sentId = lastId;
        reload |= sentId == null;
        Stream<String> lines;
        try {
          lines = api.stream("events", sentId);
        } catch (CliException.Unavailable e) {
          if (!connected) {
            throw e;
          }
          failures++;
          pause(failures, e.getMessage(), lastId);
          continue;
        }
        connected = true;
        boolean sawReady = false;
        Optional<String> reset = Optional.empty();
        String ended = "the orchestrator ended it";
        SseParser parser = new SseParser();
        idled.set(false);
        lastLineAt.set(System.nanoTime());
        current.set(lines);
        try (lines) {
          Iterator<String> it = lines.iterator();
          while (reset.isEmpty() && it.hasNext()) {
            String line = it.next();
            lastLineAt.set(System.nanoTime());
            Optional<SseParser.Event> next = parser.line(line);
            if (next.isEmpty()) {
              continue;
            }
            SseParser.Event event = next.get();
            switch (event.name()) {
              case "reset" -> reset = Optional.of(reason(event.data()));
              case "ready" -> {
                lastId = event.id().isEmpty() ? lastId : event.id();
                sawReady = true;
                failures = 0;
                boolean fresh = reload;
                reload = false;
                if (listener.ready(fresh)) {
                  return true;
                }
              }
              default -> {
                lastId = event.id().isEmpty() ? lastId : event.id();
                Optional<Change> change = change(event);
                if (change.isPresent()) {
                  if (listener.change(change.get())) {
                    return true;
                  }
                  if (++delivered >= settings.maxEvents()) {
                    return false;
                  }
                }
              }
            }
          }
        } catch (UncheckedIOException e) {
          ended = idled.get() ? "nothing came for " + seconds(settings.idleTimeout())
              : Optional.ofNullable(e.getCause().getMessage()).orElse(e.getCause().toString());
        } finally {
          current.set(null);
        }
        if (reset.isPresent()) {
          err.println("defpi: the orchestrator reset the event stream (" + reset.get()
              + "); listening again from now, changes in between may be missed");
          err.flush();
          lastId = null;
          reload = true;
          if (sawReady || sentId != null) {
            continue;
          }
          // a reset to a fresh stream would repeat at once: wait as after a failure
          failures++;
          pause(failures, "reset", null);
          continue;
        }
        failures++;
        pause(failures, ended, lastId);
      }
    } finally {
      watchdog.shutdownNow();
    }
  }

  private void pause(int failures, String why, String lastId) throws InterruptedException {
    Duration wait = backoff(failures);
    err.println("defpi: the event stream was cut (" + CliException.oneLine(why) + "); reconnecting in "
        + seconds(wait) + (lastId == null ? "" : " after event " + lastId));
    err.flush();
    settings.sleeper().sleep(wait);
  }

  private Optional<Change> change(SseParser.Event event) {
    JsonNode json;
    try {
      json = Api.JSON.readTree(event.data());
    } catch (IOException e) {
      json = null;
    }
    if (json == null || !json.isObject()) {
      err.println("defpi: skipped a '" + event.name() + "' event whose data is not a JSON object");
      err.flush();
      return Optional.empty();
    }
    return Optional.of(new Change(event.name(), event.id(), event.data(), json));
  }

  /** A reset's {@code {reason}}, else its data as it came. */
  private static String reason(String data) {
    try {
      JsonNode json = Api.JSON.readTree(data);
      if (json != null && json.path("reason").isTextual()) {
        return json.path("reason").asText();
      }
    } catch (IOException e) {
      // not JSON: show it as it is
    }
    return data.isBlank() ? "no reason given" : data;
  }

  /** 0.5 s, 1 s, 10 s. */
  static String seconds(Duration d) {
    long ms = d.toMillis();
    return (ms % 1000 == 0 ? Long.toString(ms / 1000) : java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros()
        .toPlainString()) + " s";
  }
}
