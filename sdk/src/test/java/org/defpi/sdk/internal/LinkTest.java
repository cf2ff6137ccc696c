package org.defpi.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LinkTest {
  @Test
  void aPeerHasAtLeastFiveSecondsToConfirmANewSocketAndMoreWithSlowHeartbeats() {
    // A slow but live dEF-Pi peer must never be cut off; a stuck listener must not hold the
    // connection in STARTING forever.
    assertThat(Link.handshakeTimeout(Duration.ofMillis(100), 3)).isEqualTo(Duration.ofSeconds(5));
    assertThat(Link.handshakeTimeout(Duration.ofSeconds(1), 2)).isEqualTo(Duration.ofSeconds(5));
    assertThat(Link.handshakeTimeout(Duration.ofSeconds(2), 2)).isEqualTo(Duration.ofSeconds(6));
  }

  @Test
  void aHandshakePayloadIsRecognisedByItsTypeName() {
    assertThat(Link.isHandshake(new byte[] {19, 'C', 'o', 'n', 'n', 'e', 'c', 't', 'i', 'o', 'n', 'H', 'a', 'n',
        'd', 's', 'h', 'a', 'k', 'e', 8, 0})).isTrue();
    assertThat(Link.isHandshake(new byte[] {12, 'E', 'r', 'r', 'o', 'r'})).isFalse();
  }
}
