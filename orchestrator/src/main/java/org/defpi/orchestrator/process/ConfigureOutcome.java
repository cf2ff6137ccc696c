package org.defpi.orchestrator.process;

import com.google.protobuf.Message;
import java.util.Optional;
import org.defpi.wire.protocol.ProcessProto;

/** What a process's reply to its SetConfigMessage means for its state (WIRE.md section 6). */
record ConfigureOutcome(ProcessState state, Optional<String> reason) {
  static ConfigureOutcome of(Message reply) {
    return switch (reply) {
      case ProcessProto.ProcessStateUpdateMessage update when update.getState() == ProcessProto.ProcessState.RUNNING ->
          new ConfigureOutcome(ProcessState.RUNNING, Optional.empty());
      case ProcessProto.ProcessStateUpdateMessage update -> new ConfigureOutcome(ProcessState.FAILED,
          Optional.of("the process answered its configuration with state " + update.getState() + " instead of RUNNING"));
      case ProcessProto.ErrorMessage error -> new ConfigureOutcome(ProcessState.FAILED,
          Optional.of("the process refused its configuration: " + error.getDebugInformation()));
      default -> new ConfigureOutcome(ProcessState.FAILED,
          Optional.of("the process answered its configuration with an unexpected "
              + reply.getDescriptorForType().getName()));
    };
  }
}
