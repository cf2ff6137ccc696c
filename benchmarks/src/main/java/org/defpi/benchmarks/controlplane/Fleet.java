package org.defpi.benchmarks.controlplane;

import java.util.Map;

/**
 * The simulated installation the bench seeds: how many of each record. Processes are spread evenly
 * over the users; each user's processes are wired among themselves (the i-th connection goes from a
 * process to the {@code k}-th next one of the same user, k = 1, 2, 3 as the connections wrap), so
 * every process has up to six connection ends.
 *
 * @param history finished (DONE) pending changes already in the queue table: a day of work kept
 *     for the API, as {@code deleteFinishedBefore} keeps it
 * @param services repositories in the simulated registry
 * @param tags tags of each repository
 */
record Fleet(int processes, int connections, int nodes, int users, int pools, int history, int services, int tags) {
  Fleet {
    if (processes < 1 || nodes < 1 || users < 1 || pools < 1 || services < 1 || tags < 1 || history < 0
        || connections < 0) {
      throw new IllegalArgumentException("every size must be positive: " + this);
    }
    if (processes % users != 0 || processes / users < 8) {
      throw new IllegalArgumentException("processes must be a multiple of users, at least 8 per user (each is wired to"
          + " up to three others of its user): " + processes + " processes, " + users + " users");
    }
    if (connections > 3 * processes) {
      throw new IllegalArgumentException("at most three connections per process: " + connections + " for "
          + processes);
    }
  }

  /** The sizes of the issue: 10 000 processes, ~30 000 connections, 1 000 nodes. */
  static Fleet fromOptions(Map<String, String> options) {
    return new Fleet(
        integer(options, "processes", 10_000),
        integer(options, "connections", 30_000),
        integer(options, "nodes", 1_000),
        integer(options, "users", 100),
        integer(options, "pools", 10),
        integer(options, "history", 10_000),
        integer(options, "services", 200),
        integer(options, "tags", 3));
  }

  int processesPerUser() {
    return processes / users;
  }

  private static int integer(Map<String, String> options, String name, int fallback) {
    String v = options.get(name);
    return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
  }
}
