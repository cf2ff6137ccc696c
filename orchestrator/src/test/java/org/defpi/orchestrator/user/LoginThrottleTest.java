package org.defpi.orchestrator.user;

import org.defpi.orchestrator.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.TestUsers;
import org.junit.jupiter.api.Test;

/** The throttle on its own with a clock that only moves when told, and in front of the user manager. */
class LoginThrottleTest {
  static final String A = "192.0.2.1";
  static final String B = "198.51.100.7";

  final TestClock clock = new TestClock();
  final LoginThrottle throttle = new LoginThrottle(LoginThrottle.Settings.defaults(), clock);

  @Test
  void theDefaultsAreFivePerNameThirtyPerAddressInFiveMinutes() {
    assertThat(LoginThrottle.Settings.defaults()).isEqualTo(new LoginThrottle.Settings(5, 30, Duration.ofMinutes(5)));
    assertThatThrownBy(() -> new LoginThrottle.Settings(0, 30, Duration.ofMinutes(5)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LoginThrottle.Settings(5, 0, Duration.ofMinutes(5)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fiveFailuresForANameRefuseTheSixthAttempt() throws Exception {
    for (int i = 0; i < 4; i++) {
      throttle.check("alice", A);
      throttle.failed("alice", A);
    }
    throttle.check("alice", A); // the fifth attempt is still checked
    throttle.failed("alice", A);

    assertThatThrownBy(() -> throttle.check("alice", A))
        .isInstanceOfSatisfying(Refusal.TooManyRequests.class, e -> {
          assertThat(e.status()).isEqualTo(429);
          assertThat(e.retryAfterSeconds()).isEqualTo(300);
        })
        .hasMessageContaining("try again in 300 s");
    // the name, from any address
    assertThatThrownBy(() -> throttle.check("alice", B)).isInstanceOf(Refusal.TooManyRequests.class);
    // other names from the same address are fine
    assertThatCode(() -> throttle.check("bob", A)).doesNotThrowAnyException();

    clock.advance(Duration.ofSeconds(100));
    assertThat(retryAfter("alice", A)).isEqualTo(200);
    clock.advance(Duration.ofMillis(500)); // 199.5 s to go: the message says what Retry-After says
    assertThatThrownBy(() -> throttle.check("alice", A))
        .isInstanceOfSatisfying(Refusal.TooManyRequests.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(200))
        .hasMessageContaining("try again in 200 s");
    clock.advance(Duration.ofMillis(199_000));
    assertThat(retryAfter("alice", A)).isEqualTo(1); // half a second, rounded up
    clock.advance(Duration.ofMillis(500));
    assertThatCode(() -> throttle.check("alice", A)).doesNotThrowAnyException();
  }

  @Test
  void theWindowSlides() throws Exception {
    for (int i = 0; i < 5; i++) { // at 0, 60, 120, 180, 240 s
      throttle.failed("alice", A);
      clock.advance(Duration.ofSeconds(60));
    }
    clock.advance(Duration.ofSeconds(-50)); // 250 s: the first failure leaves the window at 300 s
    assertThat(retryAfter("alice", A)).isEqualTo(50);

    clock.advance(Duration.ofSeconds(50)); // 300 s: four remain
    assertThatCode(() -> throttle.check("alice", A)).doesNotThrowAnyException();

    throttle.failed("alice", A); // five again, the oldest at 60 s
    assertThat(retryAfter("alice", A)).isEqualTo(60);
    clock.advance(Duration.ofSeconds(60));
    assertThatCode(() -> throttle.check("alice", A)).doesNotThrowAnyException();

    // long after, every failure has left the window
    clock.advance(Duration.ofMinutes(5));
    for (int i = 0; i < 4; i++) {
      throttle.failed("alice", A);
    }
    assertThatCode(() -> throttle.check("alice", A)).doesNotThrowAnyException();
  }

  @Test
  void successClearsTheNameButNotTheAddress() throws Exception {
    for (int i = 0; i < 5; i++) {
      throttle.failed("alice", A);
    }
    for (int i = 0; i < 25; i++) {
      throttle.failed("user" + i, A);
    }
    assertThatThrownBy(() -> throttle.check("alice", B)).isInstanceOf(Refusal.TooManyRequests.class);
    assertThatThrownBy(() -> throttle.check("someone", A)).isInstanceOf(Refusal.TooManyRequests.class);

    throttle.succeeded("alice");

    assertThatCode(() -> throttle.check("alice", B)).doesNotThrowAnyException();
    assertThatThrownBy(() -> throttle.check("alice", A)).isInstanceOf(Refusal.TooManyRequests.class);
    assertThatThrownBy(() -> throttle.check("someone", A)).isInstanceOf(Refusal.TooManyRequests.class);
  }

  @Test
  void thirtyFailuresFromOneAddressBlockThatAddress() throws Exception {
    for (int i = 0; i < 29; i++) {
      throttle.failed("user" + i, A);
      clock.advance(Duration.ofSeconds(1));
    }
    assertThatCode(() -> throttle.check("new-name", A)).doesNotThrowAnyException();
    throttle.failed("user29", A);

    assertThat(retryAfter("new-name", A)).isEqualTo(300 - 29);
    assertThatThrownBy(() -> throttle.check("user3", A)).isInstanceOf(Refusal.TooManyRequests.class);
    // the same names from another address: each has failed once only
    assertThatCode(() -> throttle.check("new-name", B)).doesNotThrowAnyException();
    assertThatCode(() -> throttle.check("user3", B)).doesNotThrowAnyException();

    clock.advance(Duration.ofSeconds(300 - 29)); // the first failure leaves the window
    assertThatCode(() -> throttle.check("new-name", A)).doesNotThrowAnyException();
  }

  @Test
  void namesAreCaseInsensitive() throws Exception {
    for (String name : new String[] {"Alice", "ALICE", "alice", "aLiCe", "alicE"}) {
      throttle.failed(name, A);
    }
    assertThatThrownBy(() -> throttle.check("alice", B)).isInstanceOf(Refusal.TooManyRequests.class);
    assertThatThrownBy(() -> throttle.check("ALICE", B)).isInstanceOf(Refusal.TooManyRequests.class);

    throttle.succeeded("ALICE");
    assertThatCode(() -> throttle.check("alice", B)).doesNotThrowAnyException();
  }

  @Test
  void aMissingNameOrAddressIsCountedLikeAnyOther() throws Exception {
    for (int i = 0; i < 5; i++) {
      throttle.failed(null, null);
    }
    assertThatThrownBy(() -> throttle.check(null, B)).isInstanceOf(Refusal.TooManyRequests.class);
    assertThatThrownBy(() -> throttle.check("", B)).isInstanceOf(Refusal.TooManyRequests.class);
    assertThatCode(() -> throttle.check("alice", null)).doesNotThrowAnyException();
    throttle.succeeded(null);
    assertThatCode(() -> throttle.check(null, B)).doesNotThrowAnyException();
  }

  // ---- in front of the user manager

  @Test
  void aThrottledNameIsRefusedEvenWithTheRightPassword() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    User alice = TestUsers.ALICE;
    String hash = BCrypt.withDefaults().hashToString(4, "alice's password".toCharArray());
    UserManager users = TestUsers.manager(oneAccount(alice, hash, lookups), clock);

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> users.authenticate("alice", "wrong password", A))
          .isInstanceOf(Refusal.Unauthorized.class);
    }
    assertThat(lookups).hasValue(5);

    assertThatThrownBy(() -> users.authenticate("alice", "alice's password", B))
        .isInstanceOfSatisfying(Refusal.TooManyRequests.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(300));
    assertThatThrownBy(() -> users.login("ALICE", "alice's password", B)).isInstanceOf(Refusal.TooManyRequests.class);
    // refused before the account is even looked up, so before any bcrypt
    assertThat(lookups).hasValue(5);

    clock.advance(Duration.ofMinutes(5));
    assertThat(users.authenticate("alice", "alice's password", B)).isEqualTo(alice);
    assertThat(lookups).hasValue(6);
    // the success cleared the name: four more failures do not throttle it
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> users.authenticate("alice", "wrong password", B))
          .isInstanceOf(Refusal.Unauthorized.class);
    }
    assertThat(users.authenticate("alice", "alice's password", B)).isEqualTo(alice);
  }

  @Test
  void unknownNamesFromOneAddressAreThrottledToo() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    UserManager users = TestUsers.manager(oneAccount(TestUsers.ALICE,
        BCrypt.withDefaults().hashToString(4, "alice's password".toCharArray()), lookups), clock);
    for (int i = 0; i < 30; i++) {
      String name = "guess" + i;
      assertThatThrownBy(() -> users.authenticate(name, "password", A)).isInstanceOf(Refusal.Unauthorized.class);
    }
    assertThatThrownBy(() -> users.authenticate("alice", "alice's password", A))
        .isInstanceOf(Refusal.TooManyRequests.class);
    assertThat(users.authenticate("alice", "alice's password", B)).isEqualTo(TestUsers.ALICE);
  }

  private int retryAfter(String name, String address) {
    try {
      throttle.check(name, address);
    } catch (Refusal.TooManyRequests e) {
      return (int) e.retryAfterSeconds();
    }
    throw new AssertionError(name + " from " + address + " is not throttled");
  }

  /** A store that knows one account and counts look-ups; anything else is a test error. */
  private static UserStore oneAccount(User user, String hash, AtomicInteger lookups) {
    return (UserStore) Proxy.newProxyInstance(UserStore.class.getClassLoader(), new Class<?>[] {UserStore.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "findAccount" -> {
            lookups.incrementAndGet();
            yield user.name().equals(args[0]) ? Optional.of(new UserStore.Account(user, hash)) : Optional.empty();
          }
          case "toString" -> "oneAccount";
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
