package org.defpi.orchestrator.user;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.defpi.orchestrator.Refusal;

/**
 * Slows down password guessing: after {@code maxFailures} failed logins for one user name, or
 * {@code maxFailuresPerAddress} from one client address, within {@code window}, further attempts
 * are refused (429) until the oldest of those failures leaves the window. Refused attempts do not
 * check the password at all, so they cost no bcrypt time either.
 *
 * <p>Failures are kept in a bounded cache: someone trying a million names cannot fill the heap,
 * at worst they push out older entries.
 */
public final class LoginThrottle {
  public record Settings(int maxFailures, int maxFailuresPerAddress, Duration window) {
    public Settings {
      if (maxFailures < 1 || maxFailuresPerAddress < 1) {
        throw new IllegalArgumentException("failure limits must be at least 1");
      }
      Objects.requireNonNull(window, "window");
    }

    /** 5 wrong passwords per name, 30 per address, in 5 minutes. */
    public static Settings defaults() {
      return new Settings(5, 30, Duration.ofMinutes(5));
    }
  }

  private final Settings settings;
  private final Clock clock;
  private final Cache<String, List<Instant>> failures;

  public LoginThrottle(Settings settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.failures = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(settings.window()).build();
  }

  /** Refuses when the name or the address has failed too often within the window. */
  public void check(String name, String address) throws Refusal.TooManyRequests {
    Instant now = clock.instant();
    Duration wait = max(waitFor(nameKey(name), settings.maxFailures(), now),
        waitFor(addressKey(address), settings.maxFailuresPerAddress(), now));
    if (!wait.isZero()) {
      throw new Refusal.TooManyRequests("too many failed logins for this user or from this address; try again in "
          + Math.max(1, (wait.toMillis() + 999) / 1000) + " s", wait); // as Retry-After: rounded up
    }
  }

  public void failed(String name, String address) {
    Instant now = clock.instant();
    record(nameKey(name), settings.maxFailures(), now);
    record(addressKey(address), settings.maxFailuresPerAddress(), now);
  }

  /** A right password clears the name's failures (not the address's: one good account must not unlock guessing). */
  public void succeeded(String name) {
    failures.invalidate(nameKey(name));
  }

  private Duration waitFor(String key, int limit, Instant now) {
    List<Instant> recent = recent(failures.getIfPresent(key), now);
    if (recent.size() < limit) {
      return Duration.ZERO;
    }
    // Blocked until enough failures age out that fewer than `limit` remain.
    Instant freeAt = recent.get(recent.size() - limit).plus(settings.window());
    return Duration.between(now, freeAt);
  }

  private void record(String key, int limit, Instant now) {
    failures.asMap().compute(key, (k, old) -> {
      List<Instant> recent = new ArrayList<>(recent(old, now));
      recent.add(now);
      // Only the last `limit` matter for the decision.
      return List.copyOf(recent.subList(Math.max(0, recent.size() - limit), recent.size()));
    });
  }

  private List<Instant> recent(List<Instant> all, Instant now) {
    if (all == null) {
      return List.of();
    }
    Instant from = now.minus(settings.window());
    return all.stream().filter(t -> t.isAfter(from)).toList();
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static String nameKey(String name) {
    return "name:" + (name == null ? "" : name.toLowerCase(Locale.ROOT));
  }

  private static String addressKey(String address) {
    return "address:" + (address == null ? "" : address);
  }
}
