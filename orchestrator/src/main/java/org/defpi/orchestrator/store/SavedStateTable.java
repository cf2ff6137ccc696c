package org.defpi.orchestrator.store;

import static org.defpi.orchestrator.store.RealStore.inTransaction;
import static org.defpi.orchestrator.store.RealStore.instant;
import static org.defpi.orchestrator.store.RealStore.run;
import static org.defpi.orchestrator.store.RealStore.setInstant;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.defpi.orchestrator.process.SavedState;
import org.defpi.orchestrator.process.SavedStateStore;

/** Saved process states in table {@code process_saved_state} (migration V7). */
public final class SavedStateTable implements SavedStateStore {
  private final DataSource pool;

  SavedStateTable(DataSource pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  @Override
  public boolean save(SavedState state) {
    return inTransaction(pool, "save the state of process " + state.processId(), db -> {
      // The process row locked first: a terminate cannot delete it between the check and the insert,
      // and no statement here is refused (which would abort the transaction on PostgreSQL).
      try (PreparedStatement lock = db.prepareStatement("SELECT id FROM process WHERE id = ? FOR UPDATE")) {
        lock.setString(1, state.processId());
        try (ResultSet r = lock.executeQuery()) {
          if (!r.next()) {
            return false;
          }
        }
      }
      try (PreparedStatement delete = db.prepareStatement("DELETE FROM process_saved_state WHERE process_id = ?")) {
        delete.setString(1, state.processId());
        delete.executeUpdate();
      }
      try (PreparedStatement insert = db.prepareStatement(
          "INSERT INTO process_saved_state (process_id, state_data, service_version, saved_at) VALUES (?, ?, ?, ?)")) {
        insert.setString(1, state.processId());
        insert.setBytes(2, state.data());
        insert.setString(3, state.serviceVersion());
        setInstant(insert, 4, state.savedAt());
        insert.executeUpdate();
      }
      return true;
    });
  }

  @Override
  public Optional<SavedState> find(String processId) {
    return run(pool, "read the saved state of process " + processId, db -> {
      try (PreparedStatement s = db.prepareStatement(
          "SELECT state_data, service_version, saved_at FROM process_saved_state WHERE process_id = ?")) {
        s.setString(1, processId);
        try (ResultSet r = s.executeQuery()) {
          return r.next()
              ? Optional.of(new SavedState(processId, r.getBytes("state_data"), r.getString("service_version"),
                  instant(r, "saved_at")))
              : Optional.empty();
        }
      }
    });
  }

  @Override
  public boolean delete(String processId) {
    return run(pool, "forget the saved state of process " + processId, db -> {
      try (PreparedStatement s = db.prepareStatement("DELETE FROM process_saved_state WHERE process_id = ?")) {
        s.setString(1, processId);
        return s.executeUpdate() > 0;
      }
    });
  }
}
