package org.defpi.orchestrator.store;

import static org.defpi.orchestrator.store.RealStore.UNIQUE_VIOLATION;
import static org.defpi.orchestrator.store.RealStore.inTransaction;
import static org.defpi.orchestrator.store.RealStore.instant;
import static org.defpi.orchestrator.store.RealStore.isUniqueViolation;
import static org.defpi.orchestrator.store.RealStore.onRefusal;
import static org.defpi.orchestrator.store.RealStore.run;
import static org.defpi.orchestrator.store.RealStore.selectAll;
import static org.defpi.orchestrator.store.RealStore.setInstant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.defpi.orchestrator.user.Role;
import org.defpi.orchestrator.user.User;
import org.defpi.orchestrator.user.UserStore;

/** Users and API tokens in tables {@code app_user} and {@code api_token} (migration V3). */
public final class UserTable implements UserStore {
  private static final String USER_COLUMNS = "u.id, u.name, u.role, u.email, u.created_at";

  private final DataSource pool;

  UserTable(DataSource pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  @Override
  public boolean insertUser(User user, String passwordHash) {
    return run(pool, "insert user " + user.id(), onRefusal(UNIQUE_VIOLATION, false, db -> {
      insert(db, user, passwordHash);
      return true;
    }));
  }

  @Override
  public boolean insertFirstAdmin(User admin, String passwordHash) {
    return inTransaction(pool, "insert the first admin", db -> {
      // Two instances starting at once on one database: once there is a user, the second sees it here.
      // With none yet this locks no rows, so both may get past it; then the unique name settles it:
      // the second insert waits for the first to commit and fails as a duplicate (below).
      try (PreparedStatement lock = db.prepareStatement("SELECT id FROM app_user FOR UPDATE");
          ResultSet r = lock.executeQuery()) {
        if (r.next()) {
          return false;
        }
      }
      try {
        insert(db, admin, passwordHash);
      } catch (SQLException e) {
        if (isUniqueViolation(e)) {
          db.rollback(); // PostgreSQL will not commit a transaction that had an error
          return false;
        }
        throw e;
      }
      try (PreparedStatement s = db.prepareStatement("UPDATE process SET user_id = ? WHERE user_id = 'admin'")) {
        s.setString(1, admin.id());
        s.executeUpdate();
      }
      try (PreparedStatement s = db.prepareStatement(
          "UPDATE node SET owner_user_id = ? WHERE owner_user_id = 'admin'")) {
        s.setString(1, admin.id());
        s.executeUpdate();
      }
      return true;
    });
  }

  private static void insert(Connection db, User user, String passwordHash) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(
        "INSERT INTO app_user (id, name, role, email, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      s.setString(1, user.id());
      s.setString(2, user.name());
      s.setString(3, user.role().name());
      s.setString(4, user.email().orElse(null));
      s.setString(5, passwordHash);
      setInstant(s, 6, user.createdAt());
      s.executeUpdate();
    }
  }

  @Override
  public Optional<User> findUser(String id) {
    return run(pool, "find user " + id, db -> {
      try (PreparedStatement s = db.prepareStatement("SELECT " + USER_COLUMNS + " FROM app_user u WHERE u.id = ?")) {
        s.setString(1, id);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(user(r)) : Optional.<User>empty();
        }
      }
    });
  }

  @Override
  public Optional<Account> findAccount(String name) {
    return run(pool, "find user " + name, db -> {
      try (PreparedStatement s = db.prepareStatement(
          "SELECT " + USER_COLUMNS + ", u.password_hash FROM app_user u WHERE u.name = ?")) {
        s.setString(1, name);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(new Account(user(r), r.getString("password_hash"))) : Optional.<Account>empty();
        }
      }
    });
  }

  @Override
  public List<User> listUsers() {
    return run(pool, "list users", db -> selectAll(db,
        "SELECT " + USER_COLUMNS + " FROM app_user u ORDER BY u.created_at, u.id", UserTable::user));
  }

  @Override
  public int countUsers() {
    return run(pool, "count users", db -> {
      try (PreparedStatement s = db.prepareStatement("SELECT COUNT(*) FROM app_user"); ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    });
  }

  @Override
  public boolean updateUser(User user) {
    return run(pool, "update user " + user.id(), db -> {
      try (PreparedStatement s = db.prepareStatement("UPDATE app_user SET email = ? WHERE id = ?")) {
        s.setString(1, user.email().orElse(null));
        s.setString(2, user.id());
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public RoleChange updateRole(String id, Role role) {
    return inTransaction(pool, "change the role of user " + id, db -> {
      List<String> admins = lockAdmins(db);
      if (role != Role.ADMIN && admins.size() == 1 && admins.contains(id)) {
        return RoleChange.LAST_ADMIN;
      }
      try (PreparedStatement s = db.prepareStatement("UPDATE app_user SET role = ? WHERE id = ?")) {
        s.setString(1, role.name());
        s.setString(2, id);
        return s.executeUpdate() == 1 ? RoleChange.CHANGED : RoleChange.NOT_FOUND;
      }
    });
  }

  @Override
  public boolean updatePasswordHash(String id, String passwordHash) {
    return inTransaction(pool, "change the password of user " + id, db -> {
      try (PreparedStatement s = db.prepareStatement("UPDATE app_user SET password_hash = ? WHERE id = ?")) {
        s.setString(1, passwordHash);
        s.setString(2, id);
        if (s.executeUpdate() != 1) {
          return false;
        }
      }
      try (PreparedStatement s = db.prepareStatement("DELETE FROM api_token WHERE user_id = ?")) {
        s.setString(1, id);
        s.executeUpdate();
      }
      return true;
    });
  }

  @Override
  public UserDeletion deleteUser(String id) {
    return inTransaction(pool, "delete user " + id, db -> {
      List<String> admins = lockAdmins(db);
      if (admins.size() == 1 && admins.contains(id)) {
        return UserDeletion.LAST_ADMIN;
      }
      // A row lock on the user, so a process created for them meanwhile waits for this to finish.
      try (PreparedStatement s = db.prepareStatement("SELECT id FROM app_user WHERE id = ? FOR UPDATE")) {
        s.setString(1, id);
        try (ResultSet r = s.executeQuery()) {
          if (!r.next()) {
            return UserDeletion.NOT_FOUND;
          }
        }
      }
      if (exists(db, "SELECT 1 FROM process WHERE user_id = ?", id)
          || exists(db, "SELECT 1 FROM node WHERE owner_user_id = ?", id)) {
        return UserDeletion.IN_USE;
      }
      try (PreparedStatement s = db.prepareStatement("DELETE FROM app_user WHERE id = ?")) {
        s.setString(1, id);
        return s.executeUpdate() == 1 ? UserDeletion.DELETED : UserDeletion.NOT_FOUND;
      }
    });
  }

  @Override
  public void insertToken(TokenRecord token) {
    run(pool, "insert a token", db -> {
      try (PreparedStatement s = db.prepareStatement(
          "INSERT INTO api_token (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
        s.setString(1, token.tokenHash());
        s.setString(2, token.userId());
        setInstant(s, 3, token.createdAt());
        setInstant(s, 4, token.expiresAt());
        s.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<User> userOfToken(String tokenHash, Instant now) {
    return run(pool, "look up a token", db -> {
      try (PreparedStatement s = db.prepareStatement("SELECT " + USER_COLUMNS
          + " FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.token_hash = ? AND t.expires_at > ?")) {
        s.setString(1, tokenHash);
        setInstant(s, 2, now);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(user(r)) : Optional.<User>empty();
        }
      }
    });
  }

  @Override
  public boolean deleteToken(String tokenHash) {
    return run(pool, "delete a token", db -> {
      try (PreparedStatement s = db.prepareStatement("DELETE FROM api_token WHERE token_hash = ?")) {
        s.setString(1, tokenHash);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public int deleteExpiredTokens(Instant now) {
    return run(pool, "delete expired tokens", db -> {
      try (PreparedStatement s = db.prepareStatement("DELETE FROM api_token WHERE expires_at <= ?")) {
        setInstant(s, 1, now);
        return s.executeUpdate();
      }
    });
  }

  // ---- helpers

  private static User user(ResultSet r) throws SQLException {
    return new User(r.getString("id").strip(), r.getString("name"), Role.valueOf(r.getString("role")),
        Optional.ofNullable(r.getString("email")), instant(r, "created_at"));
  }

  /** The admins' ids, their rows locked until the transaction ends: role checks cannot interleave. */
  private static List<String> lockAdmins(Connection db) throws SQLException {
    return selectAll(db, "SELECT id FROM app_user WHERE role = 'ADMIN' FOR UPDATE", r -> r.getString(1).strip());
  }

  private static boolean exists(Connection db, String sql, String id) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql)) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }
}
