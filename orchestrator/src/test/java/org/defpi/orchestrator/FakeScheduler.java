package org.defpi.orchestrator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} and its {@link Clock} for tests: nothing runs until the test
 * calls {@link #runDue()} or {@link #advance(Duration)}, and then it runs on the test's thread, in
 * time order. Time only moves when the test moves it.
 */
public final class FakeScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final class Task implements ScheduledFuture<Object> {
    final Runnable body;
    final long periodNanos; // 0: once; > 0: fixed delay after each run
    final long seq;
    Instant at;
    boolean cancelled;
    boolean done;

    Task(Runnable body, Instant at, long periodNanos) {
      this.body = body;
      this.at = at;
      this.periodNanos = periodNanos;
      this.seq = nextSeq++;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(now, at));
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterrupt) {
      cancelled = true;
      return tasks.remove(this);
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done || cancelled;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException("a fake's future is not waited for");
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("a fake's future is not waited for");
    }
  }

  private final List<Task> tasks = new ArrayList<>();
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private long nextSeq;
  private boolean shutdown;

  public synchronized Clock clock() {
    return new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Instant instant() {
        synchronized (FakeScheduler.this) {
          return now;
        }
      }
    };
  }

  /** How many tasks wait (periodic ones included). */
  public synchronized int queued() {
    return tasks.size();
  }

  /** Runs every task due now, including those that running tasks make due now. */
  public void runDue() {
    while (true) {
      Task task;
      synchronized (this) {
        task = tasks.stream().filter(t -> !t.at.isAfter(now))
            .min(Comparator.comparing((Task t) -> t.at).thenComparingLong(t -> t.seq)).orElse(null);
        if (task == null) {
          return;
        }
        tasks.remove(task);
      }
      task.body.run();
      synchronized (this) {
        if (task.periodNanos > 0 && !task.cancelled && !shutdown) {
          task.at = now.plusNanos(task.periodNanos);
          tasks.add(task);
        } else {
          task.done = true;
        }
      }
    }
  }

  /** Moves time on by {@code by}, running what falls due on the way, in order. */
  public void advance(Duration by) {
    Instant end;
    synchronized (this) {
      end = now.plus(by);
    }
    while (true) {
      runDue();
      synchronized (this) {
        Instant nextAt = tasks.stream().map(t -> t.at).filter(at -> !at.isAfter(end)).min(Comparator.naturalOrder())
            .orElse(null);
        if (nextAt == null) {
          now = end;
          break;
        }
        now = nextAt;
      }
    }
    runDue();
  }

  private synchronized Task add(Runnable body, long delayNanos, long periodNanos) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }
    Task task = new Task(body, now.plusNanos(Math.max(0, delayNanos)), periodNanos);
    tasks.add(task);
    return task;
  }

  @Override
  public void execute(Runnable command) {
    add(command, 0, 0);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(command, unit.toNanos(delay), 0);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("not needed yet");
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    return add(command, unit.toNanos(initialDelay), unit.toNanos(period));
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return add(command, unit.toNanos(initialDelay), unit.toNanos(delay));
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = tasks.stream().map(t -> t.body).toList();
    tasks.clear();
    return left;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown && tasks.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }
}
