package org.defpi.orchestrator.store;

import static org.defpi.orchestrator.store.RealStore.UNIQUE_VIOLATION;
import static org.defpi.orchestrator.store.RealStore.instant;
import static org.defpi.orchestrator.store.RealStore.onRefusal;
import static org.defpi.orchestrator.store.RealStore.run;
import static org.defpi.orchestrator.store.RealStore.setInstant;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.defpi.orchestrator.certificate.AuthorityStore;
import org.defpi.orchestrator.certificate.StoredAuthority;

/**
 * The deployment's certificate authority in table {@code certificate_authority} (migration V9): one
 * row, id 1, so a second insert is refused by the primary key and the loser reads the winner's.
 */
public final class AuthorityTable implements AuthorityStore {
  private final DataSource pool;

  AuthorityTable(DataSource pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  @Override
  public Optional<StoredAuthority> findAuthority() {
    return run(pool, "read the certificate authority", db -> {
      try (PreparedStatement s = db.prepareStatement(
          "SELECT certificate, private_key, created_at FROM certificate_authority WHERE id = 1");
          ResultSet r = s.executeQuery()) {
        return r.next()
            ? Optional.of(new StoredAuthority(r.getBytes("certificate"), r.getBytes("private_key"),
                instant(r, "created_at")))
            : Optional.<StoredAuthority>empty();
      }
    });
  }

  @Override
  public boolean insertAuthority(StoredAuthority authority) {
    // Never the key in the words of a failure: only what was attempted.
    return run(pool, "keep the certificate authority", onRefusal(UNIQUE_VIOLATION, false, db -> {
      try (PreparedStatement s = db.prepareStatement(
          "INSERT INTO certificate_authority (id, certificate, private_key, created_at) VALUES (1, ?, ?, ?)")) {
        s.setBytes(1, authority.certificate());
        s.setBytes(2, authority.privateKey());
        setInstant(s, 3, authority.createdAt());
        s.executeUpdate();
        return true;
      }
    }));
  }
}
