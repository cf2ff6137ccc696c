package org.defpi.orchestrator.user;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.user.UserStore.Account;
import org.defpi.orchestrator.user.UserStore.TokenRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users, their passwords and their API tokens.
 *
 * <ul>
 *   <li>There is no default password: the first admin is made at first start from a password file
 *       (a Docker secret in production), and only when there are no users yet.
 *   <li>Passwords are kept as bcrypt hashes; checking a name that does not exist costs the same
 *       bcrypt time, so timing does not tell which names exist.
 *   <li>A login gives a random bearer token, kept as its SHA-256 only, valid for {@code tokenTtl}
 *       and revoked by logout, a password change or deleting the user.
 *   <li>Failed logins (token or HTTP Basic) go through the {@link LoginThrottle}.
 * </ul>
 */
public final class UserManager {
  private static final Logger LOG = LoggerFactory.getLogger(UserManager.class);
  public static final String FIRST_ADMIN = "admin";
  /** Prefix of API tokens, so secret scanners and people recognise one. */
  public static final String TOKEN_PREFIX = "dpt_";
  static final int MIN_PASSWORD_CHARS = 8;
  /** bcrypt reads 72 bytes at most; longer passwords are refused rather than silently cut. */
  static final int MAX_PASSWORD_BYTES = 71;
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}");
  private static final Pattern BCRYPT_HASH = Pattern.compile("\\$2[aby]\\$\\d{2}\\$.{53}");

  public record Settings(Duration tokenTtl, int bcryptCost) {
    public Settings {
      if (tokenTtl.isNegative() || tokenTtl.isZero()) {
        throw new IllegalArgumentException("the token lifetime must be positive");
      }
      if (bcryptCost < 4 || bcryptCost > 31) {
        throw new IllegalArgumentException("bcrypt cost must be 4..31");
      }
    }

    public static Settings defaults() {
      return new Settings(Duration.ofHours(12), 10);
    }
  }

  /** What a login gives: the token (shown once), when it expires, and who it is for. */
  public record Login(String token, Instant expiresAt, User user) {
    @Override
    public String toString() {
      return "Login[token=redacted, expiresAt=" + expiresAt + ", user=" + user.name() + "]";
    }
  }

  public record NewUser(String name, String password, Role role, Optional<String> email) {
    @Override
    public String toString() {
      return "NewUser[name=" + name + ", role=" + role + ", password=redacted]";
    }
  }

  /** Fields to change; empty ones are left alone. */
  public record UserUpdate(Optional<String> email, Optional<Role> role, Optional<String> password,
      Optional<String> currentPassword) {
    @Override
    public String toString() {
      return "UserUpdate[email=" + email + ", role=" + role + ", password=" + password.map(p -> "redacted") + "]";
    }
  }

  private final UserStore store;
  private final Ids ids;
  private final Clock clock;
  private final LoginThrottle throttle;
  private final Settings settings;
  /** Verified against when the name is unknown, so an unknown name takes as long as a wrong password. */
  private final byte[] dummyHash;
  /** Told the id of each deleted user, after the delete (their network goes: ProcessManager#userGone). */
  private volatile Consumer<String> onDeleted = id -> { };

  public UserManager(UserStore store, Ids ids, Clock clock, LoginThrottle throttle, Settings settings) {
    this.store = Objects.requireNonNull(store, "store");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.throttle = Objects.requireNonNull(throttle, "throttle");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.dummyHash = BCrypt.withDefaults().hash(settings.bcryptCost(), ids.newToken().getBytes(StandardCharsets.UTF_8));
  }

  /** Who is told when a user was deleted; set once while wiring. */
  public void onDeleted(Consumer<String> listener) {
    this.onDeleted = Objects.requireNonNull(listener, "listener");
  }

  // ---- first start

  /**
   * Makes the first admin, named {@value #FIRST_ADMIN}, from the password file when there are no
   * users yet. The file may hold the password or a bcrypt hash of it. With users already there the
   * file is not needed and not read. Refuses to go on with no users and no usable file: an
   * orchestrator nobody can log in to is of no use.
   */
  public Optional<User> bootstrap(Optional<Path> adminPasswordFile, Optional<String> adminEmail) throws IOException {
    if (store.countUsers() > 0) {
      return Optional.empty();
    }
    Path file = adminPasswordFile.orElseThrow(() -> new IOException(
        "there are no users yet and no admin password file to make the first admin from (DEFPI_ADMIN_PASSWORD_FILE)"));
    if (!Files.isReadable(file)) {
      throw new IOException("the admin password file " + file + " does not exist or cannot be read");
    }
    byte[] raw = Files.readAllBytes(file);
    String hash;
    try {
      String secret = new String(raw, StandardCharsets.UTF_8).strip();
      if (BCRYPT_HASH.matcher(secret).matches()) {
        try {
          // bcrypt refuses a bad cost or a bad character only when it checks a password: find out now, not at every login
          BCrypt.verifyer().verify("any password".getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
          throw new Refusal.Unprocessable("it looks like a bcrypt hash but is not one: " + e.getMessage());
        }
        hash = secret;
      } else {
        checkPassword(secret);
        hash = hash(secret);
      }
    } catch (Refusal.Unprocessable e) {
      throw new IOException("the admin password file " + file + " is unusable: " + e.getMessage(), e);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
    User admin = new User(ids.newId(), FIRST_ADMIN, Role.ADMIN, adminEmail.filter(e -> !e.isEmpty()), now());
    if (!store.insertFirstAdmin(admin, hash)) {
      return Optional.empty(); // another instance made it first
    }
    LOG.info("made the first admin, '{}' ({})", admin.name(), admin.id());
    return Optional.of(admin);
  }

  // ---- authentication

  /** Checks a name and password (a login or HTTP Basic), through the throttle. */
  public User authenticate(String name, String password, String clientAddress)
      throws Refusal.Unauthorized, Refusal.TooManyRequests {
    throttle.check(name, clientAddress);
    // A name no account can have (a NUL, 10 000 characters) is not worth a database round trip.
    Optional<Account> account = name == null || !NAME.matcher(name).matches() ? Optional.empty() : store.findAccount(name);
    byte[] presented = password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8);
    // bcrypt refuses input over 72 bytes; such a password cannot be anyone's.
    boolean fits = presented.length <= MAX_PASSWORD_BYTES;
    byte[] hash = account.map(a -> a.passwordHash().getBytes(StandardCharsets.US_ASCII)).orElse(dummyHash);
    boolean verified = BCrypt.verifyer().verify(fits ? presented : new byte[0], hash).verified;
    if (account.isEmpty() || !fits || !verified) {
      throttle.failed(name, clientAddress);
      throw new Refusal.Unauthorized("wrong user name or password", Refusal.Unauthorized.Challenge.CREDENTIALS);
    }
    throttle.succeeded(name);
    return account.get().user();
  }

  /** A new bearer token for these credentials. */
  public Login login(String name, String password, String clientAddress)
      throws Refusal.Unauthorized, Refusal.TooManyRequests {
    User user = authenticate(name, password, clientAddress);
    Instant now = now();
    store.deleteExpiredTokens(now);
    String token = TOKEN_PREFIX + ids.newToken();
    Instant expiresAt = now.plus(settings.tokenTtl());
    store.insertToken(new TokenRecord(tokenHash(token), user.id(), now, expiresAt));
    LOG.info("user '{}' logged in; token expires at {}", user.name(), expiresAt);
    return new Login(token, expiresAt, user);
  }

  /** The user of a bearer token that exists and has not expired. */
  public User authenticateToken(String token) throws Refusal.Unauthorized {
    if (token == null || !token.startsWith(TOKEN_PREFIX)) {
      throw new Refusal.Unauthorized("the bearer token is not a defpi token; log in again", Refusal.Unauthorized.Challenge.INVALID_TOKEN);
    }
    return store.userOfToken(tokenHash(token), clock.instant())
        .orElseThrow(() -> new Refusal.Unauthorized("the bearer token has expired or was revoked; log in again", Refusal.Unauthorized.Challenge.INVALID_TOKEN));
  }

  /** Revokes a token; revoking one that is gone is fine. */
  public void logout(String token) {
    if (token != null) {
      store.deleteToken(tokenHash(token));
    }
  }

  // ---- users

  public List<User> list(User caller) {
    return caller.isAdmin() ? store.listUsers() : List.of(caller);
  }

  /** Self or, for an admin, anyone; others' records are "not found" so their existence is not revealed. */
  public User get(String id, User caller) throws Refusal.NotFound {
    Optional<User> user = caller.id().equals(id) ? Optional.of(caller) : store.findUser(id);
    return user.filter(u -> caller.canSee(u.id())).orElseThrow(() -> notFound(id));
  }

  public User create(NewUser request, User caller) throws Refusal {
    requireAdmin(caller, "only an admin can make users");
    if (!NAME.matcher(request.name()).matches() || request.name().equals("me")) {
      throw new Refusal.Unprocessable("a user name is 1 to 64 of a-z, 0-9, '.', '_' and '-', starting with a letter or"
          + " digit, and not 'me'; '" + request.name() + "' is not");
    }
    checkPassword(request.password());
    checkEmail(request.email());
    User user = new User(ids.newId(), request.name(), request.role(), request.email().filter(e -> !e.isEmpty()), now());
    if (!store.insertUser(user, hash(request.password()))) {
      throw new Refusal.Conflict("a user named '" + request.name() + "' exists already");
    }
    LOG.info("{} made user '{}' ({}, {})", caller.name(), user.name(), user.id(), user.role().apiName());
    return user;
  }

  /**
   * An admin may change anyone's email, role and password; a user their own email and password
   * (with their current password), never their role. Changing your own password always needs the
   * current one, so a stolen token cannot lock its owner out.
   */
  public User update(String id, UserUpdate update, User caller) throws Refusal {
    User user = get(id, caller);
    boolean self = caller.id().equals(id);
    boolean roleChanges = update.role().isPresent() && update.role().get() != user.role();
    // Everything is checked before anything is written, so a refused update changes nothing.
    if (roleChanges && !caller.isAdmin()) {
      throw new Refusal.Forbidden("a user cannot change their own role; ask an admin");
    }
    checkEmail(update.email());
    if (update.password().isPresent()) {
      checkPassword(update.password().get());
      if (self) {
        String current = update.currentPassword().orElseThrow(() -> new Refusal.Unprocessable(
            "changing your password needs 'currentPassword' as well"));
        Account account = store.findAccount(user.name()).orElseThrow(() -> notFound(id));
        if (!BCrypt.verifyer().verify(current.getBytes(StandardCharsets.UTF_8),
            account.passwordHash().getBytes(StandardCharsets.US_ASCII)).verified) {
          throw new Refusal.Forbidden("'currentPassword' is not your current password");
        }
      }
    }
    if (roleChanges) {
      switch (store.updateRole(id, update.role().get())) {
        case CHANGED -> user = user.withRole(update.role().get());
        case NOT_FOUND -> throw notFound(id);
        case LAST_ADMIN -> throw new Refusal.Conflict("'" + user.name() + "' is the last admin; make another admin first");
      }
    }
    if (update.email().isPresent()) {
      user = user.withEmail(update.email().filter(e -> !e.isEmpty()));
      if (!store.updateUser(user)) {
        throw notFound(id);
      }
    }
    if (update.password().isPresent()) {
      if (!store.updatePasswordHash(id, hash(update.password().get()))) {
        throw notFound(id);
      }
      LOG.info("{} changed the password of '{}'; their tokens are revoked", caller.name(), user.name());
    }
    return user;
  }

  public void delete(String id, User caller) throws Refusal {
    requireAdmin(caller, "only an admin can delete users");
    User user = get(id, caller);
    if (caller.id().equals(id)) {
      throw new Refusal.Conflict("you cannot delete yourself; another admin can");
    }
    switch (store.deleteUser(id)) {
      case DELETED -> {
        LOG.info("{} deleted user '{}' ({})", caller.name(), user.name(), id);
        onDeleted.accept(id);
      }
      case NOT_FOUND -> throw notFound(id);
      case IN_USE -> throw new Refusal.Conflict("'" + user.name()
          + "' still owns processes or private nodes; terminate them or hand the nodes to someone else first");
      case LAST_ADMIN -> throw new Refusal.Conflict("'" + user.name() + "' is the last admin");
    }
  }

  // ---- helpers

  private static void requireAdmin(User caller, String why) throws Refusal.Forbidden {
    if (!caller.isAdmin()) {
      throw new Refusal.Forbidden(why);
    }
  }

  static void checkPassword(String password) throws Refusal.Unprocessable {
    if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD_CHARS) {
      throw new Refusal.Unprocessable("a password needs at least " + MIN_PASSWORD_CHARS + " characters");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      throw new Refusal.Unprocessable("a password can be at most " + MAX_PASSWORD_BYTES + " bytes in UTF-8");
    }
  }

  private static void checkEmail(Optional<String> email) throws Refusal.Unprocessable {
    if (email.isPresent() && !email.get().isEmpty() && !EMAIL.matcher(email.get()).matches()) {
      throw new Refusal.Unprocessable("'" + email.get() + "' is not an email address");
    }
  }

  private String hash(String password) {
    return new String(BCrypt.withDefaults().hash(settings.bcryptCost(), password.getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.US_ASCII);
  }

  static String tokenHash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static Refusal.NotFound notFound(String id) {
    return new Refusal.NotFound("user '" + id + "' does not exist");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  @Override
  public String toString() {
    return "UserManager[tokenTtl=" + settings.tokenTtl() + "]";
  }
}
