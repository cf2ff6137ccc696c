package org.defpi.orchestrator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.defpi.orchestrator.user.LoginThrottle;
import org.defpi.orchestrator.user.Role;
import org.defpi.orchestrator.user.User;
import org.defpi.orchestrator.user.UserManager;
import org.defpi.orchestrator.user.UserStore;

/** Users for tests, and a user manager with a cheap bcrypt cost so tests do not wait on hashing. */
public final class TestUsers {
  public static final User ADMIN = new User("65a1b2c300000000000000a1", "admin", Role.ADMIN,
      Optional.of("admin@localhost"), Instant.parse("2026-01-01T00:00:00Z"));
  public static final User ALICE = new User("65a1b2c300000000000000b1", "alice", Role.USER,
      Optional.empty(), Instant.parse("2026-01-01T00:00:00Z"));

  private TestUsers() {}

  /** bcrypt cost 4: as safe in a test as 10, and 60 times faster. */
  public static UserManager manager(UserStore store, Clock clock) {
    return new UserManager(store, Ids.secure(clock), clock, new LoginThrottle(LoginThrottle.Settings.defaults(), clock),
        new UserManager.Settings(Duration.ofHours(1), 4));
  }

  /** A manager whose first admin, {@code admin}, has this password. */
  public static UserManager withAdmin(UserStore store, Clock clock, Path dir, String password) throws IOException {
    UserManager users = manager(store, clock);
    users.bootstrap(Optional.of(Files.writeString(dir.resolve("admin-password"), password)), Optional.of("admin@localhost"));
    return users;
  }
}
