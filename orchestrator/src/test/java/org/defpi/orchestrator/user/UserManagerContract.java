package org.defpi.orchestrator.user;

import org.defpi.orchestrator.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.TestData;
import org.defpi.orchestrator.TestUsers;
import org.defpi.orchestrator.node.Node;
import org.defpi.orchestrator.node.NodeKind;
import org.defpi.orchestrator.node.NodeStatus;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.store.RealStore;
import org.defpi.orchestrator.user.UserManager.Login;
import org.defpi.orchestrator.user.UserManager.NewUser;
import org.defpi.orchestrator.user.UserManager.UserUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user manager over the real store, run against each database the store supports:
 * {@link UserManagerH2Test} and {@link UserManagerPostgresTest}. Each test gets an empty database
 * of its own from {@link #database()}, a clock that only moves when told, and bcrypt cost 4.
 */
abstract class UserManagerContract {
  static final String ADMIN_PASSWORD = "correct horse battery";
  static final String ALICE_PASSWORD = "alice's password";
  static final String ADDRESS = "192.0.2.1";
  static final String P1 = "65a1b2c30000000000000001";
  static final String P2 = "65a1b2c30000000000000002";
  static final Duration TTL = Duration.ofHours(1); // TestUsers.manager's

  /** The same empty database for the whole of one test. */
  abstract RealStore.Settings database();

  @TempDir Path dir;
  final TestClock clock = new TestClock();
  RealStore store;
  UserManager users;

  @BeforeEach
  void open() {
    store = RealStore.open(database());
    users = TestUsers.manager(store.users(), clock);
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  // ---- bootstrap

  @Test
  void bootstrapMakesTheAdminFromThePasswordFile() throws Exception {
    Optional<User> made = users.bootstrap(Optional.of(file(ADMIN_PASSWORD + "\n")), Optional.of("root@example.org"));

    User admin = made.orElseThrow();
    assertThat(admin.name()).isEqualTo("admin");
    assertThat(admin.role()).isEqualTo(Role.ADMIN);
    assertThat(admin.email()).contains("root@example.org");
    assertThat(admin.createdAt()).isEqualTo(clock.instant());
    assertThat(store.users().listUsers()).containsExactly(admin);
    assertThat(users.authenticate("admin", ADMIN_PASSWORD, ADDRESS)).isEqualTo(admin);
    // the file's line end is not part of the password
    assertThatThrownBy(() -> users.authenticate("admin", ADMIN_PASSWORD + "\n", ADDRESS))
        .isInstanceOf(Refusal.Unauthorized.class);
  }

  @Test
  void bootstrapAcceptsABcryptHashOfThePassword() throws Exception {
    String hash = BCrypt.withDefaults().hashToString(4, ADMIN_PASSWORD.toCharArray());
    User admin = users.bootstrap(Optional.of(file(hash + "\n")), Optional.empty()).orElseThrow();

    assertThat(admin.email()).isEmpty();
    assertThat(users.authenticate("admin", ADMIN_PASSWORD, ADDRESS)).isEqualTo(admin);
    assertThatThrownBy(() -> users.authenticate("admin", hash, ADDRESS)).isInstanceOf(Refusal.Unauthorized.class);
  }

  @Test
  void bootstrapTreatsAnEmptyEmailAsNone() throws Exception {
    User admin = users.bootstrap(Optional.of(file(ADMIN_PASSWORD)), Optional.of("")).orElseThrow();
    assertThat(admin.email()).isEmpty();
    assertThat(store.users().findUser(admin.id()).orElseThrow().email()).isEmpty();
  }

  @Test
  void bootstrapWithNoUsersRefusesAMissingEmptyShortOrBrokenFile() throws Exception {
    assertThatThrownBy(() -> users.bootstrap(Optional.empty(), Optional.empty()))
        .isInstanceOf(IOException.class).hasMessageContaining("DEFPI_ADMIN_PASSWORD_FILE");
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> users.bootstrap(Optional.of(missing), Optional.empty()))
        .isInstanceOf(IOException.class).hasMessageContaining(missing.toString());
    Path empty = file("\n");
    assertThatThrownBy(() -> users.bootstrap(Optional.of(empty), Optional.empty()))
        .isInstanceOf(IOException.class).hasMessageContaining(empty.toString()).hasMessageContaining("at least 8");
    Path blank = file("   \n\t\n");
    assertThatThrownBy(() -> users.bootstrap(Optional.of(blank), Optional.empty()))
        .isInstanceOf(IOException.class);
    Path shortOne = file("1234567\n");
    assertThatThrownBy(() -> users.bootstrap(Optional.of(shortOne), Optional.empty()))
        .isInstanceOf(IOException.class).hasMessageContaining("at least 8");
    Path badCost = file("$2a$99$" + "a".repeat(53));
    assertThatThrownBy(() -> users.bootstrap(Optional.of(badCost), Optional.empty()))
        .isInstanceOf(IOException.class).hasMessageContaining("not one");
    Path badCharacters = file("$2a$04$" + "!".repeat(53));
    assertThatThrownBy(() -> users.bootstrap(Optional.of(badCharacters), Optional.empty()))
        .isInstanceOf(IOException.class).hasMessageContaining("not one");
    Path tooLong = file("x".repeat(72));
    assertThatThrownBy(() -> users.bootstrap(Optional.of(tooLong), Optional.empty()))
        .isInstanceOf(IOException.class).hasMessageContaining("71 bytes");

    assertThat(store.users().countUsers()).isZero();
  }

  @Test
  void bootstrapDoesNothingWhenThereAreUsers() throws Exception {
    User admin = admin();

    assertThat(users.bootstrap(Optional.empty(), Optional.empty())).isEmpty();
    assertThat(users.bootstrap(Optional.of(dir.resolve("missing")), Optional.empty())).isEmpty();
    assertThat(users.bootstrap(Optional.of(file("another password")), Optional.of("x@y"))).isEmpty();

    assertThat(store.users().listUsers()).containsExactly(admin);
    assertThat(users.authenticate("admin", ADMIN_PASSWORD, ADDRESS)).isEqualTo(admin);
    assertThatThrownBy(() -> users.authenticate("admin", "another password", ADDRESS))
        .isInstanceOf(Refusal.Unauthorized.class);
  }

  @Test
  void bootstrapGivesTheRecordsOfTheLegacyAdminToTheNewAdmin() throws Exception {
    store.insert(TestData.process(P1, ProcessState.RUNNING)); // user_id 'admin', as before users existed
    store.insert(ownedBy(P2, "someone-else"));
    store.insertNode(privateNode("node-1", "admin"));
    store.insertNode(privateNode("node-2", "someone-else"));

    User admin = admin();

    assertThat(store.findProcess(P1).orElseThrow().userId()).isEqualTo(admin.id());
    assertThat(store.findProcess(P2).orElseThrow().userId()).isEqualTo("someone-else");
    assertThat(store.findNode("node-1").orElseThrow().ownerUserId()).contains(admin.id());
    assertThat(store.findNode("node-2").orElseThrow().ownerUserId()).contains("someone-else");
  }

  /** Two orchestrators starting at once on one database: both find no users, exactly one makes the admin. */
  @RepeatedTest(3)
  void twoInstancesBootstrappingAtOnceMakeExactlyOneAdmin() throws Exception {
    Path file = file(ADMIN_PASSWORD);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (RealStore other = RealStore.open(database())) {
      // Both have counted no users before either inserts: the database alone must settle it.
      CyclicBarrier bothCounted = new CyclicBarrier(2);
      UserManager first = TestUsers.manager(insertingAfter(store.users(), bothCounted), clock);
      UserManager second = TestUsers.manager(insertingAfter(other.users(), bothCounted), clock);

      Future<Optional<User>> a = threads.submit(() -> first.bootstrap(Optional.of(file), Optional.empty()));
      Future<Optional<User>> b = threads.submit(() -> second.bootstrap(Optional.of(file), Optional.empty()));
      List<User> made = new ArrayList<>();
      a.get(30, TimeUnit.SECONDS).ifPresent(made::add);
      b.get(30, TimeUnit.SECONDS).ifPresent(made::add);

      assertThat(made).hasSize(1);
      assertThat(store.users().listUsers()).containsExactlyElementsOf(made);
      assertThat(other.users().listUsers()).containsExactlyElementsOf(made);
      assertThat(first.authenticate("admin", ADMIN_PASSWORD, ADDRESS)).isEqualTo(made.get(0));
      assertThat(second.authenticate("admin", ADMIN_PASSWORD, ADDRESS)).isEqualTo(made.get(0));
    } finally {
      threads.shutdownNow();
    }
  }

  // ---- authentication and tokens

  @Test
  void authenticateChecksNameAndPassword() throws Exception {
    User admin = admin();

    assertThat(users.authenticate("admin", ADMIN_PASSWORD, ADDRESS)).isEqualTo(admin);
    assertThatThrownBy(() -> users.authenticate("admin", ADMIN_PASSWORD.toUpperCase(), ADDRESS))
        .isInstanceOfSatisfying(Refusal.Unauthorized.class, e -> assertThat(e.challenge()).isEqualTo(Refusal.Unauthorized.Challenge.CREDENTIALS))
        .hasMessage("wrong user name or password");
    assertThatThrownBy(() -> users.authenticate("root", ADMIN_PASSWORD, ADDRESS))
        .isInstanceOf(Refusal.Unauthorized.class).hasMessage("wrong user name or password");
    assertThatThrownBy(() -> users.authenticate("Admin", ADMIN_PASSWORD, ADDRESS))
        .isInstanceOf(Refusal.Unauthorized.class);
    assertThatThrownBy(() -> users.authenticate("admin", ADMIN_PASSWORD + "x".repeat(100), ADDRESS))
        .isInstanceOf(Refusal.Unauthorized.class);
    assertThatThrownBy(() -> users.authenticate(null, null, ADDRESS)).isInstanceOf(Refusal.Unauthorized.class);
    // a right password clears the name's failures
    assertThat(users.authenticate("admin", ADMIN_PASSWORD, ADDRESS)).isEqualTo(admin);
  }

  @Test
  void aLoginGivesATokenThatAuthenticatesUntilItExpires() throws Exception {
    User admin = admin();
    Instant start = clock.instant();

    Login login = users.login("admin", ADMIN_PASSWORD, ADDRESS);

    assertThat(login.token()).startsWith("dpt_").hasSize(4 + 43);
    assertThat(login.user()).isEqualTo(admin);
    assertThat(login.expiresAt()).isEqualTo(start.plus(TTL));
    assertThat(users.authenticateToken(login.token())).isEqualTo(admin);
    clock.advance(TTL.minusSeconds(1));
    assertThat(users.authenticateToken(login.token())).isEqualTo(admin);
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> users.authenticateToken(login.token()))
        .isInstanceOfSatisfying(Refusal.Unauthorized.class, e -> assertThat(e.challenge()).isEqualTo(Refusal.Unauthorized.Challenge.INVALID_TOKEN))
        .hasMessageContaining("expired or was revoked");

    // a new login works again, and takes the expired token out of the table
    Login again = users.login("admin", ADMIN_PASSWORD, ADDRESS);
    assertThat(again.token()).isNotEqualTo(login.token());
    assertThat(users.authenticateToken(again.token())).isEqualTo(admin);
    assertThat(tokenRows()).extracting(r -> r.get(0)).containsExactly(UserManager.tokenHash(again.token()));
  }

  @Test
  void aLoginWithWrongCredentialsGivesNoToken() throws Exception {
    admin();
    assertThatThrownBy(() -> users.login("admin", "wrong password", ADDRESS)).isInstanceOf(Refusal.Unauthorized.class);
    assertThatThrownBy(() -> users.login("nobody", ADMIN_PASSWORD, ADDRESS)).isInstanceOf(Refusal.Unauthorized.class);
    assertThat(tokenRows()).isEmpty();
  }

  @Test
  void tokensThatAreNotDefpiTokensOrUnknownAreRefused() throws Exception {
    admin();
    assertThatThrownBy(() -> users.authenticateToken(null)).isInstanceOf(Refusal.Unauthorized.class);
    assertThatThrownBy(() -> users.authenticateToken("")).isInstanceOf(Refusal.Unauthorized.class);
    assertThatThrownBy(() -> users.authenticateToken("eyJhbGciOi.x.y"))
        .isInstanceOf(Refusal.Unauthorized.class).hasMessageContaining("not a defpi token");
    assertThatThrownBy(() -> users.authenticateToken("dpt_" + "A".repeat(43)))
        .isInstanceOf(Refusal.Unauthorized.class).hasMessageContaining("expired or was revoked");
    // the hash of the token is not a token
    Login login = users.login("admin", ADMIN_PASSWORD, ADDRESS);
    assertThatThrownBy(() -> users.authenticateToken("dpt_" + UserManager.tokenHash(login.token())))
        .isInstanceOf(Refusal.Unauthorized.class);
  }

  @Test
  void logoutRevokesThatTokenOnly() throws Exception {
    User admin = admin();
    Login one = users.login("admin", ADMIN_PASSWORD, ADDRESS);
    Login two = users.login("admin", ADMIN_PASSWORD, ADDRESS);

    users.logout(one.token());

    assertThatThrownBy(() -> users.authenticateToken(one.token())).isInstanceOf(Refusal.Unauthorized.class);
    assertThat(users.authenticateToken(two.token())).isEqualTo(admin);
    users.logout(one.token()); // again: fine
    users.logout(null);
    users.logout("not a token");
    assertThat(users.authenticateToken(two.token())).isEqualTo(admin);
  }

  @Test
  void tokensAreStoredAsTheirSha256Only() throws Exception {
    User admin = admin();
    Login login = users.login("admin", ADMIN_PASSWORD, ADDRESS);
    String secretPart = login.token().substring(UserManager.TOKEN_PREFIX.length());

    List<List<String>> rows = tokenRows();
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get(0)).isEqualTo(UserManager.tokenHash(login.token())).matches("[0-9a-f]{64}");
    assertThat(rows.get(0).get(1)).isEqualTo(admin.id());
    for (String column : rows.get(0)) {
      assertThat(column).doesNotContain(secretPart);
    }
    // nor is a password anywhere but as its bcrypt hash
    try (Connection c = jdbc(); PreparedStatement s = c.prepareStatement("SELECT password_hash FROM app_user");
        ResultSet r = s.executeQuery()) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).startsWith("$2").doesNotContain(ADMIN_PASSWORD);
    }
  }

  @Test
  void changingAPasswordRevokesAllTokensOfThatUser() throws Exception {
    User admin = admin();
    User alice = alice(admin);
    Login aliceOne = users.login("alice", ALICE_PASSWORD, ADDRESS);
    Login aliceTwo = users.login("alice", ALICE_PASSWORD, ADDRESS);
    Login adminLogin = users.login("admin", ADMIN_PASSWORD, ADDRESS);

    users.update(alice.id(), password("alice's new password", ALICE_PASSWORD), alice);

    assertThatThrownBy(() -> users.authenticateToken(aliceOne.token())).isInstanceOf(Refusal.Unauthorized.class);
    assertThatThrownBy(() -> users.authenticateToken(aliceTwo.token())).isInstanceOf(Refusal.Unauthorized.class);
    assertThat(users.authenticateToken(adminLogin.token())).isEqualTo(admin);
    assertThatThrownBy(() -> users.authenticate("alice", ALICE_PASSWORD, ADDRESS))
        .isInstanceOf(Refusal.Unauthorized.class);
    assertThat(users.authenticate("alice", "alice's new password", ADDRESS)).isEqualTo(alice);

    // an admin resetting it (no current password needed) revokes them as well
    Login aliceThree = users.login("alice", "alice's new password", ADDRESS);
    users.update(alice.id(), password("reset by the admin", null), admin);
    assertThatThrownBy(() -> users.authenticateToken(aliceThree.token())).isInstanceOf(Refusal.Unauthorized.class);
    assertThat(users.authenticate("alice", "reset by the admin", ADDRESS)).isEqualTo(alice);
    assertThat(users.authenticateToken(adminLogin.token())).isEqualTo(admin);
  }

  // ---- create

  @Test
  void aNewUserCanLogIn() throws Exception {
    User admin = admin();
    clock.advance(Duration.ofMinutes(1));

    User bob = users.create(new NewUser("bob", "bob's password", Role.USER, Optional.of("bob@example.org")), admin);

    assertThat(bob.name()).isEqualTo("bob");
    assertThat(bob.role()).isEqualTo(Role.USER);
    assertThat(bob.email()).contains("bob@example.org");
    assertThat(bob.createdAt()).isEqualTo(clock.instant());
    assertThat(bob.id()).isNotEqualTo(admin.id()).matches("[0-9a-f]{24}");
    assertThat(store.users().findUser(bob.id())).contains(bob);
    assertThat(users.authenticate("bob", "bob's password", ADDRESS)).isEqualTo(bob);
    assertThat(users.authenticateToken(users.login("bob", "bob's password", ADDRESS).token())).isEqualTo(bob);
  }

  @Test
  void userNamesFollowTheRules() throws Exception {
    User admin = admin();
    for (String good : List.of("b", "0", "bob", "b0b", "9lives", "a.b_c-d", "x".repeat(64), "a-", "a.")) {
      assertThat(users.create(newUser(good), admin).name()).as(good).isEqualTo(good);
    }
    for (String bad : List.of("", "me", "Bob", "BOB", "-bob", ".bob", "_bob", "b b", " bob", "bob ", "bob@x",
        "b/b", "bö", "x".repeat(65), "bob\n")) {
      assertThatThrownBy(() -> users.create(newUser(bad), admin)).as(bad)
          .isInstanceOf(Refusal.Unprocessable.class).hasMessageContaining("a user name is");
    }
    assertThat(store.users().countUsers()).isEqualTo(10);
  }

  @Test
  void passwordsFollowTheRules() throws Exception {
    User admin = admin();
    assertThatThrownBy(() -> users.create(new NewUser("a1", "1234567", Role.USER, Optional.empty()), admin))
        .isInstanceOf(Refusal.Unprocessable.class).hasMessageContaining("at least 8");
    assertThatThrownBy(() -> users.create(new NewUser("a2", null, Role.USER, Optional.empty()), admin))
        .isInstanceOf(Refusal.Unprocessable.class);
    assertThatThrownBy(() -> users.create(new NewUser("a3", "x".repeat(72), Role.USER, Optional.empty()), admin))
        .isInstanceOf(Refusal.Unprocessable.class).hasMessageContaining("71 bytes");
    // 36 two-byte characters: 72 bytes
    assertThatThrownBy(() -> users.create(new NewUser("a4", "é".repeat(36), Role.USER, Optional.empty()), admin))
        .isInstanceOf(Refusal.Unprocessable.class).hasMessageContaining("71 bytes");
    // 7 characters outside the BMP: 14 UTF-16 chars, but 7 characters
    assertThatThrownBy(() -> users.create(new NewUser("a5", "😀".repeat(7), Role.USER, Optional.empty()), admin))
        .isInstanceOf(Refusal.Unprocessable.class).hasMessageContaining("at least 8");
    assertThat(store.users().countUsers()).isEqualTo(1);

    for (String good : List.of("12345678", "x".repeat(71), "é".repeat(35), "😀".repeat(8))) {
      String name = "u" + store.users().countUsers();
      users.create(new NewUser(name, good, Role.USER, Optional.empty()), admin);
      assertThat(users.authenticate(name, good, ADDRESS).name()).isEqualTo(name);
    }
  }

  @Test
  void emailsAreCheckedAndAnEmptyOneIsNone() throws Exception {
    User admin = admin();
    assertThatThrownBy(() -> users.create(new NewUser("bob", "bob's password", Role.USER, Optional.of("bob")), admin))
        .isInstanceOf(Refusal.Unprocessable.class).hasMessageContaining("not an email address");
    assertThatThrownBy(() -> users.create(
        new NewUser("bob", "bob's password", Role.USER, Optional.of("bob@x@y")), admin))
        .isInstanceOf(Refusal.Unprocessable.class);
    User bob = users.create(new NewUser("bob", "bob's password", Role.USER, Optional.of("")), admin);
    assertThat(bob.email()).isEmpty();
    assertThat(store.users().findUser(bob.id()).orElseThrow().email()).isEmpty();
  }

  @Test
  void aTakenNameIsAConflict() throws Exception {
    User admin = admin();
    alice(admin);
    assertThatThrownBy(() -> users.create(new NewUser("alice", "another password", Role.ADMIN, Optional.empty()), admin))
        .isInstanceOf(Refusal.Conflict.class).hasMessageContaining("'alice'");
    assertThatThrownBy(() -> users.create(newUser("admin"), admin)).isInstanceOf(Refusal.Conflict.class);
    assertThat(users.authenticate("alice", ALICE_PASSWORD, ADDRESS).role()).isEqualTo(Role.USER);
    assertThat(store.users().countUsers()).isEqualTo(2);
  }

  @Test
  void onlyAnAdminMakesUsers() throws Exception {
    User alice = alice(admin());
    assertThatThrownBy(() -> users.create(newUser("bob"), alice)).isInstanceOf(Refusal.Forbidden.class);
    assertThatThrownBy(() -> users.create(new NewUser("bob", "bob's password", Role.ADMIN, Optional.empty()), alice))
        .isInstanceOf(Refusal.Forbidden.class);
    assertThat(store.users().countUsers()).isEqualTo(2);
  }

  // ---- get and list

  @Test
  void aUserSeesThemselvesOnlyAndAnAdminEveryone() throws Exception {
    User admin = admin();
    clock.advance(Duration.ofSeconds(1));
    User alice = alice(admin);
    clock.advance(Duration.ofSeconds(1));
    User bob = users.create(newUser("bob"), admin);

    assertThat(users.get(alice.id(), alice)).isEqualTo(alice);
    assertThatThrownBy(() -> users.get(admin.id(), alice)).isInstanceOf(Refusal.NotFound.class);
    assertThatThrownBy(() -> users.get(bob.id(), alice)).isInstanceOf(Refusal.NotFound.class);
    // the same answer as for an id that does not exist, so existence is not revealed
    assertThatThrownBy(() -> users.get("65a1b2c3000000000000ffff", alice))
        .isInstanceOf(Refusal.NotFound.class);
    assertThat(users.get(alice.id(), admin)).isEqualTo(alice);
    assertThat(users.get(bob.id(), admin)).isEqualTo(bob);
    assertThat(users.get(admin.id(), admin)).isEqualTo(admin);
    assertThatThrownBy(() -> users.get("65a1b2c3000000000000ffff", admin)).isInstanceOf(Refusal.NotFound.class);

    assertThat(users.list(admin)).containsExactly(admin, alice, bob);
    assertThat(users.list(alice)).containsExactly(alice);
    assertThat(users.list(bob)).containsExactly(bob);
  }

  // ---- update

  @Test
  void aUserChangesTheirOwnEmail() throws Exception {
    User admin = admin();
    User alice = alice(admin);

    User changed = users.update(alice.id(), email("alice@example.org"), alice);

    assertThat(changed).isEqualTo(alice.withEmail(Optional.of("alice@example.org")));
    assertThat(users.get(alice.id(), admin)).isEqualTo(changed);
    assertThatThrownBy(() -> users.update(alice.id(), email("not an address"), changed))
        .isInstanceOf(Refusal.Unprocessable.class);
    assertThat(users.update(alice.id(), email(""), changed).email()).isEmpty();
    assertThat(store.users().findUser(alice.id()).orElseThrow().email()).isEmpty();
    // nothing to change: fine, and nothing changes
    assertThat(users.update(alice.id(), new UserUpdate(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty()), alice)).isEqualTo(alice);
  }

  @Test
  void aUserCannotChangeAnotherUser() throws Exception {
    User admin = admin();
    User alice = alice(admin);
    User bob = users.create(newUser("bob"), admin);

    assertThatThrownBy(() -> users.update(bob.id(), email("bob@evil.example"), alice))
        .isInstanceOf(Refusal.NotFound.class);
    assertThatThrownBy(() -> users.update(admin.id(), password("taken over!", ADMIN_PASSWORD), alice))
        .isInstanceOf(Refusal.NotFound.class);
    assertThat(store.users().findUser(bob.id()).orElseThrow()).isEqualTo(bob);
    assertThat(users.authenticate("admin", ADMIN_PASSWORD, ADDRESS)).isEqualTo(admin);
  }

  @Test
  void aUserChangesTheirOwnPasswordOnlyWithTheCurrentOne() throws Exception {
    User alice = alice(admin());

    assertThatThrownBy(() -> users.update(alice.id(), password("new password 1", "wrong password"), alice))
        .isInstanceOf(Refusal.Forbidden.class).hasMessageContaining("currentPassword");
    assertThatThrownBy(() -> users.update(alice.id(), password("new password 1", null), alice))
        .isInstanceOf(Refusal.Unprocessable.class).hasMessageContaining("currentPassword");
    assertThatThrownBy(() -> users.update(alice.id(), password("short", ALICE_PASSWORD), alice))
        .isInstanceOf(Refusal.Unprocessable.class).hasMessageContaining("at least 8");
    assertThat(users.authenticate("alice", ALICE_PASSWORD, ADDRESS)).isEqualTo(alice);

    users.update(alice.id(), password("new password 1", ALICE_PASSWORD), alice);

    assertThat(users.authenticate("alice", "new password 1", ADDRESS)).isEqualTo(alice);
    assertThatThrownBy(() -> users.authenticate("alice", ALICE_PASSWORD, ADDRESS))
        .isInstanceOf(Refusal.Unauthorized.class);
  }

  @Test
  void anAdminChangingTheirOwnPasswordNeedsTheCurrentOneToo() throws Exception {
    User admin = admin();
    assertThatThrownBy(() -> users.update(admin.id(), password("new admin password", null), admin))
        .isInstanceOf(Refusal.Unprocessable.class);
    assertThatThrownBy(() -> users.update(admin.id(), password("new admin password", "wrong password"), admin))
        .isInstanceOf(Refusal.Forbidden.class);
    users.update(admin.id(), password("new admin password", ADMIN_PASSWORD), admin);
    assertThat(users.authenticate("admin", "new admin password", ADDRESS)).isEqualTo(admin);
  }

  @Test
  void aRefusedUpdateChangesNothing() throws Exception {
    User admin = admin();
    User alice = alice(admin);
    Login aliceLogin = users.login("alice", ALICE_PASSWORD, ADDRESS);

    // a wrong current password: the email in the same request is not written either
    assertThatThrownBy(() -> users.update(alice.id(), new UserUpdate(Optional.of("alice@example.org"),
        Optional.empty(), Optional.of("new password 1"), Optional.of("wrong password")), alice))
        .isInstanceOf(Refusal.Forbidden.class);
    // a password too short: neither
    assertThatThrownBy(() -> users.update(alice.id(), new UserUpdate(Optional.of("alice@example.org"),
        Optional.empty(), Optional.of("short"), Optional.of(ALICE_PASSWORD)), alice))
        .isInstanceOf(Refusal.Unprocessable.class);
    // an admin's bad email: the role in the same request is not written
    assertThatThrownBy(() -> users.update(alice.id(), new UserUpdate(Optional.of("not an address"),
        Optional.of(Role.ADMIN), Optional.empty(), Optional.empty()), admin))
        .isInstanceOf(Refusal.Unprocessable.class);
    // an admin's bad new password: nor the email
    assertThatThrownBy(() -> users.update(alice.id(), new UserUpdate(Optional.of("alice@example.org"),
        Optional.of(Role.ADMIN), Optional.of("short"), Optional.empty()), admin))
        .isInstanceOf(Refusal.Unprocessable.class);

    assertThat(store.users().findUser(alice.id())).contains(alice);
    assertThat(users.authenticateToken(aliceLogin.token())).isEqualTo(alice);
    assertThat(users.authenticate("alice", ALICE_PASSWORD, ADDRESS)).isEqualTo(alice);
  }

  @Test
  void aUserCannotChangeTheirOwnRole() throws Exception {
    User alice = alice(admin());
    assertThatThrownBy(() -> users.update(alice.id(), role(Role.ADMIN), alice))
        .isInstanceOf(Refusal.Forbidden.class).hasMessageContaining("role");
    assertThatThrownBy(() -> users.update(alice.id(), new UserUpdate(Optional.of("alice@example.org"),
        Optional.of(Role.ADMIN), Optional.empty(), Optional.empty()), alice))
        .isInstanceOf(Refusal.Forbidden.class);
    assertThat(store.users().findUser(alice.id())).contains(alice);
    // naming the role they have is no change
    assertThat(users.update(alice.id(), role(Role.USER), alice)).isEqualTo(alice);
  }

  @Test
  void anAdminChangesRoles() throws Exception {
    User admin = admin();
    User alice = alice(admin);

    User promoted = users.update(alice.id(), role(Role.ADMIN), admin);

    assertThat(promoted).isEqualTo(alice.withRole(Role.ADMIN));
    assertThat(store.users().findUser(alice.id())).contains(promoted);
    assertThat(users.list(promoted)).hasSize(2);
    // with another admin, the first may step down
    User demoted = users.update(admin.id(), role(Role.USER), admin);
    assertThat(demoted.role()).isEqualTo(Role.USER);
    assertThat(store.users().findUser(admin.id()).orElseThrow().role()).isEqualTo(Role.USER);
    assertThatThrownBy(() -> users.create(newUser("bob"), demoted)).isInstanceOf(Refusal.Forbidden.class);
  }

  @Test
  void theLastAdminCannotBeDemotedOrDeleted() throws Exception {
    User admin = admin();
    assertThatThrownBy(() -> users.update(admin.id(), role(Role.USER), admin))
        .isInstanceOf(Refusal.Conflict.class).hasMessageContaining("last admin");
    assertThat(store.users().findUser(admin.id()).orElseThrow().role()).isEqualTo(Role.ADMIN);

    // bob, a second admin, demotes the first; the first, still holding an admin's view of
    // themselves from before, can then neither delete nor demote bob, now the last admin
    User bob = users.create(new NewUser("bob", "bob's password", Role.ADMIN, Optional.empty()), admin);
    users.update(admin.id(), role(Role.USER), bob);
    assertThatThrownBy(() -> users.delete(bob.id(), admin))
        .isInstanceOf(Refusal.Conflict.class).hasMessageContaining("last admin");
    assertThatThrownBy(() -> users.update(bob.id(), role(Role.USER), admin))
        .isInstanceOf(Refusal.Conflict.class).hasMessageContaining("last admin");
    assertThatThrownBy(() -> users.update(bob.id(), role(Role.USER), bob))
        .isInstanceOf(Refusal.Conflict.class).hasMessageContaining("last admin");
    assertThat(store.users().findUser(bob.id()).orElseThrow().role()).isEqualTo(Role.ADMIN);
  }

  // ---- delete

  @Test
  void deletingAUserRemovesThemAndTheirTokens() throws Exception {
    User admin = admin();
    User alice = alice(admin);
    Login aliceLogin = users.login("alice", ALICE_PASSWORD, ADDRESS);
    Login adminLogin = users.login("admin", ADMIN_PASSWORD, ADDRESS);

    users.delete(alice.id(), admin);

    assertThatThrownBy(() -> users.get(alice.id(), admin)).isInstanceOf(Refusal.NotFound.class);
    assertThatThrownBy(() -> users.authenticateToken(aliceLogin.token())).isInstanceOf(Refusal.Unauthorized.class);
    assertThatThrownBy(() -> users.authenticate("alice", ALICE_PASSWORD, ADDRESS))
        .isInstanceOf(Refusal.Unauthorized.class);
    assertThat(tokenRows()).extracting(r -> r.get(1)).containsExactly(admin.id());
    assertThat(users.authenticateToken(adminLogin.token())).isEqualTo(admin);
    assertThat(users.list(admin)).containsExactly(admin);
    assertThatThrownBy(() -> users.delete(alice.id(), admin)).isInstanceOf(Refusal.NotFound.class);
    // the name is free again
    assertThat(users.create(newUser("alice"), admin).id()).isNotEqualTo(alice.id());
  }

  @Test
  void noOneDeletesThemselvesAndOnlyAnAdminDeletes() throws Exception {
    User admin = admin();
    User alice = alice(admin);
    User bob = users.create(newUser("bob"), admin);

    assertThatThrownBy(() -> users.delete(admin.id(), admin))
        .isInstanceOf(Refusal.Conflict.class).hasMessageContaining("yourself");
    assertThatThrownBy(() -> users.delete(alice.id(), alice)).isInstanceOf(Refusal.Forbidden.class);
    assertThatThrownBy(() -> users.delete(bob.id(), alice)).isInstanceOf(Refusal.Forbidden.class);
    assertThatThrownBy(() -> users.delete(admin.id(), alice)).isInstanceOf(Refusal.Forbidden.class);
    assertThat(store.users().countUsers()).isEqualTo(3);
  }

  @Test
  void aUserWhoOwnsAProcessOrAPrivateNodeIsNotDeleted() throws Exception {
    User admin = admin();
    User alice = alice(admin);
    store.insert(ownedBy(P1, alice.id()));

    assertThatThrownBy(() -> users.delete(alice.id(), admin))
        .isInstanceOf(Refusal.Conflict.class).hasMessageContaining("'alice'").hasMessageContaining("processes");
    assertThat(store.users().findUser(alice.id())).contains(alice);

    assertThat(store.updateState(P1, ProcessState.TERMINATED, Optional.empty())).isTrue();
    assertThat(store.deleteProcess(P1)).isTrue();
    store.insertNode(privateNode("node-1", alice.id()));
    assertThatThrownBy(() -> users.delete(alice.id(), admin)).isInstanceOf(Refusal.Conflict.class);
    assertThat(store.users().findUser(alice.id())).contains(alice);

    assertThat(store.updateAssignment(privateNode("node-1", admin.id()))).isTrue();
    users.delete(alice.id(), admin);
    assertThat(store.users().findUser(alice.id())).isEmpty();
  }

  // ---- secrets stay secret

  @Test
  void noToStringShowsAPasswordOrAToken() throws Exception {
    admin();
    Login login = users.login("admin", ADMIN_PASSWORD, ADDRESS);
    String secret = login.token().substring(UserManager.TOKEN_PREFIX.length());
    assertThat(login.toString()).doesNotContain(secret).contains("admin");

    NewUser newUser = new NewUser("bob", "bob's secret password", Role.USER, Optional.of("bob@example.org"));
    assertThat(newUser.toString()).doesNotContain("secret").contains("bob");

    UserUpdate update = new UserUpdate(Optional.of("a@b"), Optional.of(Role.ADMIN),
        Optional.of("the new secret"), Optional.of("the old secret"));
    assertThat(update.toString()).doesNotContain("secret").contains("a@b");
    assertThat(password("the new secret", null).toString()).doesNotContain("secret");
    assertThat(users.toString()).doesNotContain(ADMIN_PASSWORD);
  }

  // ---- helpers

  /** The first admin, bootstrapped with {@link #ADMIN_PASSWORD}. */
  User admin() throws IOException {
    return users.bootstrap(Optional.of(file(ADMIN_PASSWORD)), Optional.of("admin@localhost")).orElseThrow();
  }

  /** A plain user, {@code alice}, with {@link #ALICE_PASSWORD}. */
  User alice(User admin) throws Refusal {
    return users.create(new NewUser("alice", ALICE_PASSWORD, Role.USER, Optional.empty()), admin);
  }

  static NewUser newUser(String name) {
    return new NewUser(name, "the password of a user", Role.USER, Optional.empty());
  }

  static UserUpdate email(String email) {
    return new UserUpdate(Optional.of(email), Optional.empty(), Optional.empty(), Optional.empty());
  }

  static UserUpdate role(Role role) {
    return new UserUpdate(Optional.empty(), Optional.of(role), Optional.empty(), Optional.empty());
  }

  static UserUpdate password(String password, String current) {
    return new UserUpdate(Optional.empty(), Optional.empty(), Optional.of(password), Optional.ofNullable(current));
  }

  Path file(String content) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "admin-password", ""), content);
  }

  static Process ownedBy(String id, String userId) {
    Process p = TestData.process(id, ProcessState.RUNNING);
    return new Process(p.id(), p.serviceId(), p.name(), p.version(), userId, p.state(), p.reason(),
        p.configuration(), p.createdAt(), p.image(), p.interfaces(), p.token(), p.placement(), p.architectures(),
        p.runsOn());
  }

  Node privateNode(String id, String owner) {
    return new Node(id, id + ".example", "amd64", NodeStatus.READY, NodeKind.PRIVATE, Optional.empty(),
        Optional.of(owner), clock.instant(), org.defpi.orchestrator.node.Resources.NONE);
  }

  Connection jdbc() throws SQLException {
    RealStore.Settings db = database();
    return DriverManager.getConnection(db.url(), db.user(), db.password());
  }

  /** Every row of api_token as (token_hash, user_id, created_at, expires_at) text. */
  List<List<String>> tokenRows() throws SQLException {
    try (Connection c = jdbc();
        PreparedStatement s = c.prepareStatement(
            "SELECT token_hash, user_id, created_at, expires_at FROM api_token ORDER BY created_at");
        ResultSet r = s.executeQuery()) {
      List<List<String>> rows = new ArrayList<>();
      while (r.next()) {
        rows.add(List.of(r.getString(1).strip(), r.getString(2).strip(), r.getString(3), r.getString(4)));
      }
      return rows;
    }
  }

  /** The store, but {@code insertFirstAdmin} waits until both racers have reached it. */
  static UserStore insertingAfter(UserStore store, CyclicBarrier barrier) {
    return (UserStore) Proxy.newProxyInstance(UserStore.class.getClassLoader(), new Class<?>[] {UserStore.class},
        (proxy, method, args) -> {
          if (method.getName().equals("insertFirstAdmin")) {
            barrier.await(20, TimeUnit.SECONDS);
          }
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
