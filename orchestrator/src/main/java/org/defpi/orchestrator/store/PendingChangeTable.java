package org.defpi.orchestrator.store;

import static org.defpi.orchestrator.store.RealStore.inTransaction;
import static org.defpi.orchestrator.store.RealStore.instant;
import static org.defpi.orchestrator.store.RealStore.optionalInstant;
import static org.defpi.orchestrator.store.RealStore.rows;
import static org.defpi.orchestrator.store.RealStore.run;
import static org.defpi.orchestrator.store.RealStore.selectAll;
import static org.defpi.orchestrator.store.RealStore.setInstant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.orchestrator.pendingchange.PendingChange.Kind;
import org.defpi.orchestrator.pendingchange.PendingChange.State;
import org.defpi.orchestrator.pendingchange.PendingChangeStore;

/**
 * Pending changes in the {@code pending_change} table (migration V4), over the store's pool, on H2
 * and PostgreSQL alike. Every write is one conditional UPDATE, so the database settles races
 * between orchestrator instances: whoever's UPDATE matched the row won.
 *
 * <p>{@link #claim} needs no {@code SELECT ... FOR UPDATE SKIP LOCKED} (which H2 lacks): it reads
 * the oldest claimable id, then takes it with an UPDATE that repeats the claimable condition. Both
 * databases re-check that condition on the row as it is once a concurrent UPDATE has committed, so
 * of two workers racing for a row exactly one matches; the other looks again. The condition keeps
 * the changes of one process (and of one connection) in order: only the oldest unfinished one can
 * be claimed (a NOT EXISTS over the process and connection indexes).
 */
public final class PendingChangeTable implements PendingChangeStore {
  /**
   * The claimable condition on the row {@code c}; its two parameters are both {@code now}. Due, and
   * no older change of the same process or connection unfinished: the changes of one process (and of
   * one connection) are carried out one at a time, in the order they were submitted, a back-off
   * holding back the ones after it. "Older" is the order of {@link #list}: created_at, then id. A
   * NULL process (or connection) id equals nothing, so it orders nothing.
   */
  private static final String CLAIMABLE = """
      (((c.state = 'PENDING' AND c.not_before <= ?)
          OR (c.state = 'RUNNING' AND c.lease_until <= ? AND c.attempts < c.max_attempts))
        AND NOT EXISTS (SELECT 1 FROM pending_change o
          WHERE o.state IN ('PENDING', 'RUNNING')
            AND (o.created_at < c.created_at OR (o.created_at = c.created_at AND o.id < c.id))
            AND (o.process_id = c.process_id OR o.connection_id = c.connection_id)))""";

  /**
   * H2's "concurrent update" and the standard serialization failure: another transaction changed the
   * row first, so a lost race. (Neither database has answered a race so in the tests: both re-check
   * and update no row.)
   */
  private static final List<String> LOST_RACE = List.of("90131", "40001");

  private final DataSource pool;

  public PendingChangeTable(DataSource pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  @Override
  public void insert(PendingChange c) {
    run(pool, "insert pending change " + c.id(), db -> {
      try (PreparedStatement s = db.prepareStatement("""
          INSERT INTO pending_change (id, kind, process_id, connection_id, user_id, state, attempts, max_attempts,
            last_error, created_at, updated_at, not_before, lease_owner, lease_until, payload)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
        s.setString(1, c.id());
        s.setString(2, c.kind().name());
        s.setString(3, c.processId().orElse(null));
        s.setString(4, c.connectionId().orElse(null));
        s.setString(5, c.userId());
        s.setString(6, c.state().name());
        s.setInt(7, c.attempts());
        s.setInt(8, c.maxAttempts());
        s.setString(9, c.lastError().orElse(null));
        setInstant(s, 10, c.createdAt());
        setInstant(s, 11, c.updatedAt());
        setInstant(s, 12, c.notBefore());
        s.setString(13, c.leaseOwner().orElse(null));
        setInstant(s, 14, c.leaseUntil().orElse(null));
        s.setString(15, c.payload());
        s.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<PendingChange> find(String id) {
    return run(pool, "find pending change " + id, db -> find(db, id));
  }

  @Override
  public List<PendingChange> list() {
    return run(pool, "list pending changes",
        db -> selectAll(db, "SELECT * FROM pending_change ORDER BY created_at, id", PendingChangeTable::change));
  }

  @Override
  public java.util.Set<String> busyProcesses() {
    return run(pool, "list busy processes", db -> new java.util.HashSet<>(selectAll(db,
        "SELECT DISTINCT process_id FROM pending_change WHERE state IN ('PENDING', 'RUNNING')"
            + " AND process_id IS NOT NULL", r -> r.getString(1).strip())));
  }

  @Override
  public java.util.Map<PendingChange.State, Long> countByState() {
    java.util.Map<PendingChange.State, Long> counts = new java.util.EnumMap<>(PendingChange.State.class);
    for (PendingChange.State state : PendingChange.State.values()) {
      counts.put(state, 0L);
    }
    run(pool, "count pending changes", db -> selectAll(db, "SELECT state, COUNT(*) FROM pending_change GROUP BY state",
        r -> counts.put(PendingChange.State.valueOf(r.getString(1)), r.getLong(2))));
    return counts;
  }

  /** How many changes are in each state and when the oldest of each was created: one grouped query (the metrics). */
  public java.util.Map<PendingChange.State, org.defpi.orchestrator.metrics.StoreCounts.StateAge> ageByState() {
    java.util.Map<PendingChange.State, org.defpi.orchestrator.metrics.StoreCounts.StateAge> ages =
        new java.util.EnumMap<>(PendingChange.State.class);
    run(pool, "count pending changes by age", db -> selectAll(db,
        "SELECT state, COUNT(*), MIN(created_at) AS oldest FROM pending_change GROUP BY state",
        r -> ages.put(PendingChange.State.valueOf(r.getString(1).strip()),
            new org.defpi.orchestrator.metrics.StoreCounts.StateAge(r.getLong(2), optionalInstant(r, "oldest")))));
    return ages;
  }

  @Override
  public Optional<PendingChange> claim(String workerId, Instant now, Duration lease) {
    requireWorker(workerId);
    Objects.requireNonNull(now, "now");
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("a lease must be positive: " + lease);
    }
    Instant until = now.plus(lease);
    return run(pool, "claim a pending change for " + workerId, db -> {
      while (true) {
        Optional<String> candidate = oldestClaimable(db, now);
        if (candidate.isEmpty()) {
          return Optional.<PendingChange>empty();
        }
        Optional<PendingChange> claimed = take(db, candidate.get(), workerId, now, until);
        if (claimed.isPresent()) {
          return claimed;
        }
        // another worker took it between our SELECT and our UPDATE: each loss is another's win, so this ends
      }
    });
  }

  /**
   * A worker died (or stalled) on a change's last attempt: no attempt is left to claim, so it is
   * FAILED. Each is failed by a conditional UPDATE, so of two callers exactly one gets it back.
   */
  @Override
  public List<PendingChange> failAbandoned(Instant now) {
    return run(pool, "fail abandoned pending changes", db -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement s = db.prepareStatement(
          "SELECT id FROM pending_change WHERE " + ABANDONED + " ORDER BY created_at, id")) {
        setInstant(s, 1, now);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            ids.add(r.getString(1));
          }
        }
      }
      List<PendingChange> failed = new ArrayList<>();
      for (String id : ids) {
        try (PreparedStatement s = db.prepareStatement("""
            UPDATE pending_change SET state = 'FAILED',
              last_error = 'attempt ' || CAST(attempts AS VARCHAR(11)) || ' of ' || CAST(max_attempts AS VARCHAR(11))
                || ': the lease of ' || lease_owner || ' ran out before it finished',
              lease_owner = NULL, lease_until = NULL, updated_at = ?
            WHERE id = ? AND """ + " " + ABANDONED)) {
          setInstant(s, 1, now);
          s.setString(2, id);
          setInstant(s, 3, now);
          if (s.executeUpdate() == 1) {
            find(db, id).ifPresent(failed::add);
          }
        }
      }
      return failed;
    });
  }

  /** A RUNNING change whose lease ran out on its last attempt; its parameter is {@code now}. */
  private static final String ABANDONED = "state = 'RUNNING' AND lease_until <= ? AND attempts >= max_attempts";

  private static Optional<String> oldestClaimable(Connection db, Instant now) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(
        "SELECT c.id FROM pending_change c WHERE " + CLAIMABLE + " ORDER BY c.created_at, c.id LIMIT 1")) {
      setInstant(s, 1, now);
      setInstant(s, 2, now);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(r.getString("id")) : Optional.empty();
      }
    }
  }

  /** Takes {@code id} if it is still claimable, and reads it back in the same transaction (no one can change it in between). */
  private static Optional<PendingChange> take(Connection db, String id, String workerId, Instant now, Instant until)
      throws SQLException {
    try {
      return inTransaction(db, tx -> {
        try (PreparedStatement s = tx.prepareStatement("""
            UPDATE pending_change c SET state = 'RUNNING', attempts = c.attempts + 1, lease_owner = ?,
              lease_until = ?, updated_at = ?
            WHERE c.id = ? AND""" + " " + CLAIMABLE)) {
          s.setString(1, workerId);
          setInstant(s, 2, until);
          setInstant(s, 3, now);
          s.setString(4, id);
          setInstant(s, 5, now);
          setInstant(s, 6, now);
          return s.executeUpdate() == 1 ? find(tx, id) : Optional.<PendingChange>empty();
        }
      });
    } catch (SQLException e) {
      if (LOST_RACE.contains(e.getSQLState())) {
        return Optional.empty(); // rolled back
      }
      throw e;
    }
  }

  @Override
  public List<PendingChange> unfinishedOf(String processId) {
    return unfinished("process_id", processId);
  }

  @Override
  public List<PendingChange> unfinishedOfConnection(String connectionId) {
    return unfinished("connection_id", connectionId);
  }

  /** The unfinished changes whose {@code column} (process_id or connection_id, ours, never the caller's) is {@code id}. */
  private List<PendingChange> unfinished(String column, String id) {
    Objects.requireNonNull(id, column);
    return run(pool, "list the unfinished changes of " + column + " " + id, db -> {
      try (PreparedStatement s = db.prepareStatement("SELECT * FROM pending_change WHERE " + column
          + " = ? AND state IN ('PENDING', 'RUNNING') ORDER BY created_at, id")) {
        s.setString(1, id);
        try (ResultSet r = s.executeQuery()) {
          return rows(r, PendingChangeTable::change);
        }
      }
    });
  }

  @Override
  public int cancelPendingOf(String processId, Instant now) {
    return cancelPending("process_id", processId, now);
  }

  @Override
  public int cancelPendingOfConnection(String connectionId, Instant now) {
    return cancelPending("connection_id", connectionId, now);
  }

  private int cancelPending(String column, String id, Instant now) {
    Objects.requireNonNull(id, column);
    Objects.requireNonNull(now, "now");
    return run(pool, "cancel the pending changes of " + column + " " + id, db -> {
      try (PreparedStatement s = db.prepareStatement("UPDATE pending_change SET state = 'CANCELLED', updated_at = ? WHERE "
          + column + " = ? AND state = 'PENDING'")) {
        setInstant(s, 1, now);
        s.setString(2, id);
        return s.executeUpdate();
      }
    });
  }

  @Override
  public boolean renew(String id, String workerId, Instant leaseUntil) {
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    return updateHeld("renew the lease of pending change " + id, "lease_until = ?", id, workerId,
        s -> {
          setInstant(s, 1, leaseUntil);
          return 1;
        });
  }

  @Override
  public boolean complete(String id, String workerId, Instant now) {
    Objects.requireNonNull(now, "now");
    return updateHeld("complete pending change " + id,
        "state = 'DONE', lease_owner = NULL, lease_until = NULL, updated_at = ?", id, workerId, s -> {
          setInstant(s, 1, now);
          return 1;
        });
  }

  @Override
  public boolean retryLater(String id, String workerId, String error, Instant notBefore, Instant now) {
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(now, "now");
    // attempts counts the one just made (claim added it): at the limit there is no next one
    return updateHeld("retry pending change " + id, """
        state = CASE WHEN attempts >= max_attempts THEN 'FAILED' ELSE 'PENDING' END, last_error = ?, not_before = ?,
          lease_owner = NULL, lease_until = NULL, updated_at = ?""", id, workerId, s -> {
          s.setString(1, error);
          setInstant(s, 2, notBefore);
          setInstant(s, 3, now);
          return 3;
        });
  }

  @Override
  public boolean fail(String id, String workerId, String error, Instant now) {
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(now, "now");
    return updateHeld("fail pending change " + id,
        "state = 'FAILED', last_error = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?", id, workerId, s -> {
          s.setString(1, error);
          setInstant(s, 2, now);
          return 2;
        });
  }

  @FunctionalInterface
  private interface Parameters {
    /** Sets the SET clause's parameters from 1; returns how many. */
    int set(PreparedStatement s) throws SQLException;
  }

  /** {@code UPDATE ... SET <set>} if {@code workerId} still holds the lease; the SET's parameters come first. */
  private boolean updateHeld(String what, String set, String id, String workerId, Parameters parameters) {
    requireWorker(workerId);
    return run(pool, what, db -> {
      String sql = "UPDATE pending_change SET " + set + " WHERE id = ? AND state = 'RUNNING' AND lease_owner = ?";
      try (PreparedStatement s = db.prepareStatement(sql)) {
        int next = parameters.set(s) + 1;
        s.setString(next, id);
        s.setString(next + 1, workerId);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Cancellation cancel(String id, Instant now) {
    Objects.requireNonNull(now, "now");
    return inTransaction(pool, "cancel pending change " + id, db -> {
      boolean cancelled;
      try (PreparedStatement s = db.prepareStatement(
          "UPDATE pending_change SET state = 'CANCELLED', updated_at = ? WHERE id = ? AND state = 'PENDING'")) {
        setInstant(s, 1, now);
        s.setString(2, id);
        cancelled = s.executeUpdate() == 1;
      }
      Optional<PendingChange> after = find(db, id);
      CancelOutcome outcome = cancelled ? CancelOutcome.CANCELLED
          : after.isEmpty() ? CancelOutcome.NOT_FOUND : CancelOutcome.NOT_CANCELLABLE;
      return new Cancellation(outcome, after);
    });
  }

  @Override
  public Retry retry(String id, Instant now) {
    Objects.requireNonNull(now, "now");
    return inTransaction(pool, "retry pending change " + id, db -> {
      Optional<PendingChange> found = find(db, id, true);
      if (found.isEmpty()) {
        return new Retry.NotFound();
      }
      PendingChange change = found.get();
      if (change.state() != State.PENDING && change.state() != State.FAILED) {
        return new Retry.NotRetryable(change);
      }
      Optional<String> gone = subjectGone(db, change);
      if (gone.isPresent()) {
        return new Retry.SubjectGone(change, gone.get());
      }
      Optional<PendingChange> later = laterUnfinished(db, change);
      if (later.isPresent()) {
        return new Retry.LaterQueued(change, later.get());
      }
      try (PreparedStatement s = db.prepareStatement("""
          UPDATE pending_change SET state = 'PENDING', attempts = CASE WHEN state = 'FAILED' THEN 0 ELSE attempts END,
            not_before = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
          WHERE id = ? AND state IN ('PENDING', 'FAILED')""")) {
        setInstant(s, 1, now);
        setInstant(s, 2, now);
        s.setString(3, id);
        s.executeUpdate(); // the row is locked: it is still what was read
      }
      return new Retry.Retried(find(db, id).orElseThrow());
    });
  }

  /**
   * Why what {@code change} acts on is gone, if it is; its row locked until the transaction ends. A
   * TERMINATE_PROCESS change finishes a TERMINATED process, so for it the process only has to exist.
   */
  private static Optional<String> subjectGone(Connection db, PendingChange change) throws SQLException {
    if (change.processId().isPresent()) {
      String processId = change.processId().get();
      Optional<String> state = lockedValue(db, "SELECT state FROM process WHERE id = ? FOR UPDATE", processId);
      if (state.isEmpty()) {
        return Optional.of("process " + processId + " no longer exists");
      }
      if (state.get().equals("TERMINATED") && change.kind() != Kind.TERMINATE_PROCESS) {
        return Optional.of("process " + processId + " is TERMINATED");
      }
    }
    if (change.connectionId().isPresent()) {
      String connectionId = change.connectionId().get();
      if (lockedValue(db, "SELECT id FROM connection WHERE id = ? FOR UPDATE", connectionId).isEmpty()) {
        return Optional.of("connection " + connectionId + " no longer exists");
      }
    }
    return Optional.empty();
  }

  /** The first column of the row {@code sql} selects (and locks) by {@code id}; empty when there is none. */
  private static Optional<String> lockedValue(Connection db, String sql, String id) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql)) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
      }
    }
  }

  /** The oldest PENDING or RUNNING change of the same process or connection made after {@code change}. */
  private static Optional<PendingChange> laterUnfinished(Connection db, PendingChange change) throws SQLException {
    try (PreparedStatement s = db.prepareStatement("""
        SELECT * FROM pending_change o WHERE o.state IN ('PENDING', 'RUNNING')
          AND (o.created_at > ? OR (o.created_at = ? AND o.id > ?))
          AND (o.process_id = ? OR o.connection_id = ?)
        ORDER BY o.created_at, o.id LIMIT 1""")) {
      setInstant(s, 1, change.createdAt());
      setInstant(s, 2, change.createdAt());
      s.setString(3, change.id());
      s.setString(4, change.processId().orElse(null));
      s.setString(5, change.connectionId().orElse(null));
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(change(r)) : Optional.empty();
      }
    }
  }

  @Override
  public int deleteFinishedBefore(Instant before) {
    Objects.requireNonNull(before, "before");
    return run(pool, "delete finished pending changes", db -> {
      try (PreparedStatement s = db.prepareStatement(
          "DELETE FROM pending_change WHERE state IN ('DONE', 'FAILED', 'CANCELLED') AND updated_at < ?")) {
        setInstant(s, 1, before);
        return s.executeUpdate();
      }
    });
  }

  private static Optional<PendingChange> find(Connection db, String id) throws SQLException {
    return find(db, id, false);
  }

  /** The change; with {@code lock}, its row locked until the transaction ends. */
  private static Optional<PendingChange> find(Connection db, String id, boolean lock) throws SQLException {
    try (PreparedStatement s = db.prepareStatement("SELECT * FROM pending_change WHERE id = ?"
        + (lock ? " FOR UPDATE" : ""))) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(change(r)) : Optional.empty();
      }
    }
  }

  private static PendingChange change(ResultSet r) throws SQLException {
    return new PendingChange(
        r.getString("id"),
        Kind.valueOf(r.getString("kind")),
        Optional.ofNullable(r.getString("process_id")),
        Optional.ofNullable(r.getString("connection_id")),
        r.getString("user_id"),
        State.valueOf(r.getString("state")),
        r.getInt("attempts"),
        r.getInt("max_attempts"),
        Optional.ofNullable(r.getString("last_error")),
        instant(r, "created_at"),
        instant(r, "updated_at"),
        instant(r, "not_before"),
        Optional.ofNullable(r.getString("lease_owner")),
        optionalInstant(r, "lease_until"),
        r.getString("payload"));
  }

  private static void requireWorker(String workerId) {
    Objects.requireNonNull(workerId, "workerId");
    if (workerId.isBlank()) {
      throw new IllegalArgumentException("a worker id must not be blank");
    }
  }
}
