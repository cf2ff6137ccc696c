package org.defpi.orchestrator.node;

import java.math.BigDecimal;

/**
 * Memory and CPU: what a process reserves (and is limited to), or what a node has. Zero means none
 * asked for (a process) or not reported (a node).
 *
 * @param nanoCpus CPUs in units of 10<sup>-9</sup> CPU, as Swarm counts them
 */
public record Resources(long memoryBytes, long nanoCpus) {
  public static final Resources NONE = new Resources(0, 0);
  public static final long MIB = 1024 * 1024;
  public static final long NANOS_PER_CPU = 1_000_000_000L;

  public Resources {
    if (memoryBytes < 0 || nanoCpus < 0) {
      throw new IllegalArgumentException("resources cannot be negative: " + memoryBytes + " bytes, " + nanoCpus + " nano CPUs");
    }
  }

  public boolean isNone() {
    return memoryBytes == 0 && nanoCpus == 0;
  }

  public Resources plus(Resources other) {
    return new Resources(memoryBytes + other.memoryBytes, nanoCpus + other.nanoCpus);
  }

  /** What is left of this once {@code claimed} is taken; never below zero. */
  public Resources minus(Resources claimed) {
    return new Resources(Math.max(0, memoryBytes - claimed.memoryBytes), Math.max(0, nanoCpus - claimed.nanoCpus));
  }

  /** Whole MiB (rounded down). */
  public long memoryMb() {
    return memoryBytes / MIB;
  }

  /** CPUs as a number without needless digits: 0.5, 2. */
  public BigDecimal cpus() {
    return cpus(nanoCpus);
  }

  public static BigDecimal cpus(long nanoCpus) {
    BigDecimal cpus = BigDecimal.valueOf(nanoCpus, 9).stripTrailingZeros();
    return cpus.scale() < 0 ? cpus.setScale(0) : cpus;
  }

  /** "512 MiB and 0.5 CPUs", in words for reasons. */
  public String describe() {
    return memoryMb() + " MiB and " + cpus().toPlainString() + " CPU" + (nanoCpus == NANOS_PER_CPU ? "" : "s");
  }
}
