package org.defpi.orchestrator.store;

import static org.defpi.orchestrator.store.RealStore.inTransaction;
import static org.defpi.orchestrator.store.RealStore.rows;
import static org.defpi.orchestrator.store.RealStore.run;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.defpi.orchestrator.layout.LayoutStore;
import org.defpi.orchestrator.layout.Position;

/**
 * The viewers' positions of processes in table {@code process_position} (migration V8). Its foreign
 * keys delete a position with its process or its viewer.
 */
public final class LayoutTable implements LayoutStore {
  /** Ids per statement: well under PostgreSQL's 32 767 parameters, and few round trips for a canvas. */
  private static final int CHUNK = 500;

  private final DataSource pool;

  LayoutTable(DataSource pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  @Override
  public List<Position> positions(String viewerId, Set<String> ofUsers) {
    Objects.requireNonNull(viewerId, "viewerId");
    List<String> users = List.copyOf(ofUsers);
    String sql = "SELECT pp.process_id, pp.x, pp.y FROM process_position pp"
        + (users.isEmpty() ? "" : " JOIN process p ON p.id = pp.process_id AND p.user_id IN (" + marks(users.size()) + ")")
        + " WHERE pp.viewer_id = ? ORDER BY pp.process_id";
    return run(pool, "read the layout of " + viewerId, db -> {
      try (PreparedStatement s = db.prepareStatement(sql)) {
        int i = 1;
        for (String user : users) {
          s.setString(i++, user);
        }
        s.setString(i, viewerId);
        try (ResultSet r = s.executeQuery()) {
          return rows(r, row -> new Position(row.getString(1), row.getDouble(2), row.getDouble(3)));
        }
      }
    });
  }

  @Override
  public Optional<String> put(String viewerId, List<Position> positions, Predicate<String> visible) {
    Objects.requireNonNull(viewerId, "viewerId");
    Objects.requireNonNull(visible, "visible");
    return inTransaction(pool, "keep the layout of " + viewerId, db -> {
      // Each process's user, its row locked: a teardown cannot delete it before the insert below
      // (which its foreign key would refuse, aborting the transaction on PostgreSQL).
      Map<String, String> userOf = new HashMap<>();
      for (List<Position> chunk : chunks(positions)) {
        try (PreparedStatement s = db.prepareStatement(
            "SELECT id, user_id FROM process WHERE id IN (" + marks(chunk.size()) + ") FOR UPDATE")) {
          for (int i = 0; i < chunk.size(); i++) {
            s.setString(i + 1, chunk.get(i).processId());
          }
          try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
              userOf.put(r.getString(1), r.getString(2));
            }
          }
        }
      }
      for (Position p : positions) {
        String user = userOf.get(p.processId());
        if (user == null || !visible.test(user)) {
          return Optional.of(p.processId());
        }
      }
      try (PreparedStatement delete = db.prepareStatement(
              "DELETE FROM process_position WHERE viewer_id = ? AND process_id = ?");
          PreparedStatement insert = db.prepareStatement(
              "INSERT INTO process_position (viewer_id, process_id, x, y) VALUES (?, ?, ?, ?)")) {
        for (Position p : positions) {
          delete.setString(1, viewerId);
          delete.setString(2, p.processId());
          delete.addBatch();
          insert.setString(1, viewerId);
          insert.setString(2, p.processId());
          insert.setDouble(3, p.x());
          insert.setDouble(4, p.y());
          insert.addBatch();
        }
        delete.executeBatch(); // all deletes first: the caller gives each process once
        insert.executeBatch();
      }
      return Optional.<String>empty();
    });
  }

  private static List<List<Position>> chunks(List<Position> all) {
    List<List<Position>> chunks = new ArrayList<>();
    for (int from = 0; from < all.size(); from += CHUNK) {
      chunks.add(all.subList(from, Math.min(all.size(), from + CHUNK)));
    }
    return chunks;
  }

  private static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }
}
