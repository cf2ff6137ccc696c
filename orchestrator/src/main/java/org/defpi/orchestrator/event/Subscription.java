package org.defpi.orchestrator.event;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One subscriber's view of the {@link EventBus}: a bounded queue its reader drains. When the
 * reader falls so far behind that the queue is full, the subscription is cut off
 * ({@link #overflowed()}); the reader then ends its stream and the client reconnects from its
 * last event.
 */
public final class Subscription implements AutoCloseable {
  private final Predicate<Event> visible;
  private final BlockingQueue<Event> queue;
  private final EventBus bus;
  private volatile boolean overflowed;
  private volatile boolean closed;

  Subscription(Predicate<Event> visible, int capacity, EventBus bus) {
    this.visible = visible;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.bus = bus;
  }

  void offer(Event event) {
    if (closed || overflowed || !visible.test(event)) {
      return;
    }
    if (!queue.offer(event)) {
      overflowed = true;
      bus.unsubscribe(this);
    }
  }

  /** The next event, waiting at most {@code timeout}; empty on timeout (time for a keep-alive). */
  public Optional<Event> next(Duration timeout) throws InterruptedException {
    return Optional.ofNullable(queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** True once events were dropped because the reader was too slow: end the stream. */
  public boolean overflowed() {
    return overflowed && queue.isEmpty();
  }

  @Override
  public void close() {
    closed = true;
    bus.unsubscribe(this);
  }
}
