package org.defpi.orchestrator.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.defpi.orchestrator.TestData;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConnectionMessagesTest {
  private static final String SMALL = "65a1b2c30000000000000001";
  private static final String LARGE = "65a1b2c30000000000000002";

  static Stream<Arguments> cases() {
    return Stream.of(
        // side, self, other, targetAddress, receiveHash, sendHash, remoteInterfaceId
        Arguments.of(1, SMALL, LARGE, "", TestData.HASH_B, TestData.HASH_A, "power-logger/power-measurement"),
        Arguments.of(2, LARGE, SMALL, SMALL, TestData.HASH_A, TestData.HASH_B, "power-meter/power-measurement"));
  }

  @ParameterizedTest(name = "side {0}")
  @MethodSource("cases")
  void eachEndGetsItsOwnHashesAndOnlyTheClientATarget(int side, String selfId, String otherId, String target,
      String receiveHash, String sendHash, String remoteInterface) {
    Connection c = new Connection("c0ffee000000000000000001",
        new Endpoint(SMALL, "power-meter/power-measurement", "v1", TestData.HASH_B, TestData.HASH_A, false, Optional.empty()),
        new Endpoint(LARGE, "power-logger/power-measurement", "v1", TestData.HASH_A, TestData.HASH_B, false, Optional.empty()),
        7000, Instant.EPOCH);
    Process meter = TestData.process(SMALL, ProcessState.RUNNING, TestData.meterInterface(false));
    Process logger = TestData.process(LARGE, ProcessState.RUNNING, TestData.loggerInterface(false));
    Process self = selfId.equals(SMALL) ? meter : logger;
    Process other = otherId.equals(SMALL) ? meter : logger;

    ConnectionMessage m = ConnectionManager.createMessage(c, side, self, other);

    assertThat(m.getMode()).isEqualTo(ConnectionMessage.ModeType.CREATE);
    assertThat(m.getConnectionId()).isEqualTo(c.id());
    assertThat(m.getListenPort()).isEqualTo(7000);
    assertThat(m.getTargetAddress()).isEqualTo(target);
    assertThat(m.getReceiveHash()).isEqualTo(receiveHash);
    assertThat(m.getSendHash()).isEqualTo(sendHash);
    assertThat(m.getRemoteInterfaceId()).isEqualTo(remoteInterface);
    assertThat(m.getRemoteProcessId()).isEqualTo(other.id());
    assertThat(m.getRemoteServiceId()).isEqualTo(other.serviceId());
    assertThat(m.getRemoteProcessName()).isEqualTo(other.name());
  }

  static Stream<Arguments> tlsCases() {
    return Stream.of(
        // self holds a certificate, the other does, field 11 set
        Arguments.of(false, false, false),
        Arguments.of(true, false, false),
        Arguments.of(false, true, false),
        Arguments.of(true, true, true));
  }

  @ParameterizedTest(name = "self {0}, other {1}: tls {2}")
  @MethodSource("tlsCases")
  void tlsIsSetOnCreateAndResumeOnlyWhenBothEndsSaidTheyHoldACertificate(boolean selfTls, boolean otherTls,
      boolean set) {
    Connection c = new Connection("c0ffee000000000000000001",
        new Endpoint(SMALL, "power-meter/power-measurement", "v1", TestData.HASH_B, TestData.HASH_A, false, Optional.empty()),
        new Endpoint(LARGE, "power-logger/power-measurement", "v1", TestData.HASH_A, TestData.HASH_B, false, Optional.empty()),
        7000, Instant.EPOCH);
    Process self = TestData.process(SMALL, ProcessState.RUNNING, TestData.meterInterface(false)).withTls(selfTls);
    Process other = TestData.process(LARGE, ProcessState.RUNNING, TestData.loggerInterface(false)).withTls(otherTls);

    for (ConnectionMessage m : List.of(ConnectionManager.createMessage(c, 1, self, other),
        ConnectionManager.resumeMessage(c, self, other), ConnectionManager.createMessage(c, 2, other, self),
        ConnectionManager.resumeMessage(c, other, self))) {
      // Absent rather than false when not set: a process of the original SDK never sees field 11.
      assertThat(m.hasTls()).as("%s to %s", m.getMode(), m.getTargetAddress()).isEqualTo(set);
      assertThat(m.getTls()).isEqualTo(set);
    }
    if (set) {
      // the name each end checks the other's certificate by, on RESUME too
      assertThat(ConnectionManager.resumeMessage(c, self, other).getRemoteProcessId()).isEqualTo(LARGE);
      assertThat(ConnectionManager.resumeMessage(c, other, self).getRemoteProcessId()).isEqualTo(SMALL);
    }
  }
}
