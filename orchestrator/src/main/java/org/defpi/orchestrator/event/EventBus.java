package org.defpi.orchestrator.event;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.defpi.orchestrator.event.Event.Action;
import org.defpi.orchestrator.event.Event.Subject;

/**
 * Hands every event to the current subscribers and keeps the last {@code capacity} for those who
 * reconnect. Publishing never waits for a subscriber: each one has its own bounded queue
 * ({@link Subscription}), and one that falls that far behind is cut off and must catch up from the
 * buffer or reload.
 */
public final class EventBus {
  private final Clock clock;
  private final int capacity;
  private final ArrayDeque<Event> recent = new ArrayDeque<>(); // guarded by this
  private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
  private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
  private long seq; // guarded by this

  public EventBus(Clock clock, int capacity) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
  }

  public void publish(Subject subject, Action action, String id, String userId, String state, Optional<String> reason) {
    Event event;
    synchronized (this) {
      event = new Event(++seq, clock.instant(), subject, action, id, userId, state, reason);
      recent.addLast(event);
      if (recent.size() > capacity) {
        recent.removeFirst();
      }
      // Offered under the lock, so every subscriber sees events in sequence order, without gaps
      // between what subscribe() replayed and what arrives live.
      for (Subscription s : subscribers) {
        s.offer(event);
      }
      for (Consumer<Event> l : listeners) {
        l.accept(event);
      }
    }
  }

  /**
   * Hands every event from now on to {@code listener}, in order, on the publishing thread, under the
   * bus's lock: for in-memory bookkeeping that must follow removals at once (the traffic manager);
   * a listener must be quick and never call back into the bus.
   */
  public void onPublish(Consumer<Event> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Subscribes to the events {@code visible} lets through, starting after {@code afterSeq}: the
   * buffered ones first, then live ones. Empty when events after {@code afterSeq} have already
   * left the buffer: the caller must reload the state instead of trusting a stream with a hole.
   */
  public Optional<Subscription> subscribe(Predicate<Event> visible, long afterSeq, int queueCapacity) {
    synchronized (this) {
      if (afterSeq > seq || afterSeq < 0) {
        return Optional.empty(); // not a number of this run
      }
      long oldest = recent.isEmpty() ? seq + 1 : recent.peekFirst().seq();
      if (afterSeq < oldest - 1) {
        return Optional.empty();
      }
      Subscription s = new Subscription(visible, queueCapacity, this);
      for (Event e : recent) {
        if (e.seq() > afterSeq) {
          s.offer(e);
        }
      }
      subscribers.add(s);
      return Optional.of(s);
    }
  }

  /** The number of the newest event, 0 before the first. */
  public synchronized long lastSeq() {
    return seq;
  }

  /** The buffered events after {@code afterSeq} (for tests and diagnostics). */
  public synchronized List<Event> recentAfter(long afterSeq) {
    List<Event> out = new ArrayList<>();
    for (Event e : recent) {
      if (e.seq() > afterSeq) {
        out.add(e);
      }
    }
    return out;
  }

  void unsubscribe(Subscription s) {
    subscribers.remove(s);
  }

  public int subscriberCount() {
    return subscribers.size();
  }
}
