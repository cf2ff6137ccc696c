package org.defpi.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.defpi.wire.protocol.ConnectionProto.ConnectionHandshake;
import org.defpi.wire.protocol.ConnectionProto.ConnectionState;
import org.junit.jupiter.api.Test;

class HandshakeTest {
  private final Handshake handshake = new Handshake("c1");

  @Test
  void answersConnectedToTheFirstHandshakesAndConfirmsOnThePeersConnected() {
    assertThat(handshake.receive(hs("c1", ConnectionState.STARTING)))
        .isEqualTo(new Handshake.Outcome(true, false, false));
    assertThat(handshake.confirmed()).isFalse();

    assertThat(handshake.receive(hs("c1", ConnectionState.CONNECTED)))
        .isEqualTo(new Handshake.Outcome(true, true, false));
    assertThat(handshake.confirmed()).isTrue();

    // The peer's answer to our CONNECTED is not answered: the exchange ends here.
    assertThat(handshake.receive(hs("c1", ConnectionState.CONNECTED)))
        .isEqualTo(new Handshake.Outcome(false, false, false));
  }

  @Test
  void aPeerThatStartsOverAfterConfirmationIsAnsweredAgain() {
    handshake.receive(hs("c1", ConnectionState.CONNECTED));

    assertThat(handshake.receive(hs("c1", ConnectionState.INTERRUPTED)))
        .isEqualTo(new Handshake.Outcome(true, false, false));
  }

  @Test
  void aHandshakeForAnotherConnectionIsForeign() {
    assertThat(handshake.receive(hs("c2", ConnectionState.CONNECTED))).isEqualTo(Handshake.Outcome.FOREIGN);
    assertThat(handshake.confirmed()).isFalse();
  }

  @Test
  void twoEndsFollowingTheRuleBothConfirmAndStopTalking() {
    // Simulates the crossing exchange of the package diagram, in lock-step.
    Handshake left = new Handshake("c1");
    Handshake right = new Handshake("c1");
    java.util.ArrayDeque<ConnectionHandshake> toLeft = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<ConnectionHandshake> toRight = new java.util.ArrayDeque<>();
    toRight.add(hs("c1", ConnectionState.STARTING));
    toLeft.add(hs("c1", ConnectionState.STARTING));
    int frames = 2;
    while (!toLeft.isEmpty() || !toRight.isEmpty()) {
      if (!toLeft.isEmpty() && left.receive(toLeft.poll()).replyConnected()) {
        toRight.add(hs("c1", ConnectionState.CONNECTED));
        frames++;
      }
      if (!toRight.isEmpty() && right.receive(toRight.poll()).replyConnected()) {
        toLeft.add(hs("c1", ConnectionState.CONNECTED));
        frames++;
      }
    }
    assertThat(left.confirmed()).isTrue();
    assertThat(right.confirmed()).isTrue();
    assertThat(frames).isEqualTo(6);
  }

  private static ConnectionHandshake hs(String id, ConnectionState state) {
    return ConnectionHandshake.newBuilder().setConnectionId(id).setConnectionState(state).build();
  }
}
