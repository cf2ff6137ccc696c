package org.defpi.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import java.util.Optional;
import java.util.stream.Stream;
import org.defpi.wire.protocol.ConnectionProto;
import org.defpi.wire.protocol.ProcessProto;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigureOutcomeTest {
  private static Message state(ProcessProto.ProcessState s) {
    return ProcessProto.ProcessStateUpdateMessage.newBuilder().setProcessId("p").setState(s).build();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(state(ProcessProto.ProcessState.RUNNING), ProcessState.RUNNING, Optional.empty()),
        Arguments.of(state(ProcessProto.ProcessState.INITIALIZING), ProcessState.FAILED,
            Optional.of("the process answered its configuration with state INITIALIZING instead of RUNNING")),
        Arguments.of(ProcessProto.ErrorMessage.newBuilder().setProcessId("p").setDebugInformation("count must be > 0").build(),
            ProcessState.FAILED, Optional.of("the process refused its configuration: count must be > 0")),
        Arguments.of(ConnectionProto.ConnectionHandshake.newBuilder().setConnectionId("c")
                .setConnectionState(ConnectionProto.ConnectionState.CONNECTED).build(),
            ProcessState.FAILED, Optional.of("the process answered its configuration with an unexpected ConnectionHandshake")));
  }

  @ParameterizedTest(name = "{1} {2}")
  @MethodSource("cases")
  void theReplyToSetConfigDecidesTheState(Message reply, ProcessState state, Optional<String> reason) {
    assertThat(ConfigureOutcome.of(reply)).isEqualTo(new ConfigureOutcome(state, reason));
  }
}
