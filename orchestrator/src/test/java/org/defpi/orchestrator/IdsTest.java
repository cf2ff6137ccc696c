package org.defpi.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void anIdIs24LowerCaseHexDigitsStartingWithTheSeconds() {
    Ids ids = new Ids(Clock.fixed(Instant.ofEpochSecond(0x65a1b2c3L), ZoneOffset.UTC), new Random(1));
    String id = ids.newId();
    assertThat(id).hasSize(24).matches("[0-9a-f]{24}").startsWith("65a1b2c3");
    assertThat(Ids.isId(id)).isTrue();
    assertThat(ids.newId()).isNotEqualTo(id);
  }

  @Test
  void idsOfLaterSecondsSortAfterEarlierOnes() {
    String early = new Ids(Clock.fixed(Instant.ofEpochSecond(1_000), ZoneOffset.UTC), new Random(1)).newId();
    String late = new Ids(Clock.fixed(Instant.ofEpochSecond(1_001), ZoneOffset.UTC), new Random(2)).newId();
    assertThat(late).isGreaterThan(early);
  }

  @Test
  void aTokenIs32RandomBytesInBase64Url() {
    String token = Ids.secure(Clock.systemUTC()).newToken();
    assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
  }
}
