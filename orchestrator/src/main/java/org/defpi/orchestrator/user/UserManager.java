package org.defpi.orchestrator.user;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Knows the users and checks their passwords. There is one user, {@code admin}, whose password is
 * read from a file (a Docker secret in production) at start: there is no default password.
 *
 * <p>Only a bcrypt hash of the password is kept in memory. The file may hold the password itself or
 * a bcrypt hash of it ({@code $2a$}, {@code $2b$} or {@code $2y$}).
 */
public final class UserManager {
  public static final String ADMIN = "admin";
  static final int BCRYPT_COST = 10;
  static final int MAX_PASSWORD_BYTES = 71;

  private final User admin;
  private final byte[] adminHash;

  private UserManager(User admin, byte[] adminHash) {
    this.admin = admin;
    this.adminHash = adminHash;
  }

  /** Reads the admin password; refuses a missing, unreadable or empty file. */
  public static UserManager fromPasswordFile(Path file, String adminEmail) throws IOException {
    Objects.requireNonNull(file, "file");
    if (!Files.isReadable(file)) {
      throw new IOException("the admin password file " + file + " does not exist or cannot be read");
    }
    byte[] raw = Files.readAllBytes(file);
    try {
      return withPassword(new String(raw, StandardCharsets.UTF_8).strip(), adminEmail);
    } catch (IllegalArgumentException e) {
      throw new IOException("the admin password file " + file + " is unusable: " + e.getMessage(), e);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** For tests and for {@link #fromPasswordFile}: a password or a bcrypt hash of one. */
  public static UserManager withPassword(String passwordOrHash, String adminEmail) {
    if (passwordOrHash.isEmpty()) {
      throw new IllegalArgumentException("the admin password is empty");
    }
    byte[] hash;
    if (passwordOrHash.matches("^\\$2[aby]\\$\\d{2}\\$.{53}$")) {
      hash = passwordOrHash.getBytes(StandardCharsets.US_ASCII);
    } else {
      if (passwordOrHash.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
        throw new IllegalArgumentException("the admin password is longer than bcrypt's " + MAX_PASSWORD_BYTES + " bytes");
      }
      hash = BCrypt.withDefaults().hash(BCRYPT_COST, passwordOrHash.getBytes(StandardCharsets.UTF_8));
    }
    return new UserManager(new User(ADMIN, ADMIN, adminEmail), hash);
  }

  /** The user with these credentials, if they are right. Takes bcrypt's time whatever the name. */
  public Optional<User> authenticate(String username, String password) {
    if (username == null || password == null) {
      return Optional.empty();
    }
    boolean nameOk = MessageDigest.isEqual(username.getBytes(StandardCharsets.UTF_8), ADMIN.getBytes(StandardCharsets.UTF_8));
    byte[] presented = password.getBytes(StandardCharsets.UTF_8);
    // bcrypt reads at most 72 bytes; the library refuses longer input, which cannot be the password.
    boolean passwordOk = presented.length <= MAX_PASSWORD_BYTES
        && BCrypt.verifyer().verify(presented, adminHash).verified;
    return nameOk && passwordOk ? Optional.of(admin) : Optional.empty();
  }

  public User admin() {
    return admin;
  }

  @Override
  public String toString() {
    return "UserManager[admin=" + admin.name() + ", password=redacted]";
  }
}
