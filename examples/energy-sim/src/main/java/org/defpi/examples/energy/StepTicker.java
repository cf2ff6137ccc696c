package org.defpi.examples.energy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@code onStep} with the start of each new simulated step, on its own virtual thread,
 * waking when the simulation reaches the next step (at most a wall second apart, so a changed
 * clock takes effect at once). When it falls behind it reports the latest step only: a
 * simulation's values are functions of the time, so nothing is lost.
 */
public final class StepTicker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StepTicker.class);
  private static final Duration LONGEST_NAP = Duration.ofSeconds(1);

  private final Thread thread;

  private StepTicker(String name, Clock wall, Supplier<SimulationClock> clock, LongConsumer onStep) {
    thread = Thread.ofVirtual().name(name).start(() -> run(wall, clock, onStep));
  }

  public static StepTicker start(String name, Clock wall, Supplier<SimulationClock> clock, LongConsumer onStep) {
    return new StepTicker(name, wall, clock, onStep);
  }

  private static void run(Clock wall, Supplier<SimulationClock> clock, LongConsumer onStep) {
    long last = Long.MIN_VALUE;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        SimulationClock sim = clock.get();
        Instant now = wall.instant();
        long step = sim.stepAt(sim.simulatedMillis(now));
        if (step != last) {
          try {
            onStep.accept(step);
          } catch (RuntimeException e) {
            LOG.error("step {} failed; the next step is tried all the same", Instant.ofEpochMilli(step), e);
          }
          last = step;
        }
        Duration untilNext = Duration.between(wall.instant(), sim.wallTimeOf(step + sim.stepMillis()));
        Thread.sleep(untilNext.isNegative() ? Duration.ofMillis(1)
            : untilNext.compareTo(LONGEST_NAP) > 0 ? LONGEST_NAP : untilNext.plusMillis(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing: the thread ends
    }
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
