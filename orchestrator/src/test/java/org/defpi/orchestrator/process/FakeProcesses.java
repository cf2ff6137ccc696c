package org.defpi.orchestrator.process;

import com.google.protobuf.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.defpi.wire.protocol.ConnectionProto;
import org.defpi.wire.protocol.ProcessProto;

/**
 * An in-memory stand-in for the processes' management ports, for tests of the logic above the
 * connector (the real one is tested against a real socket peer). Answers like a healthy process:
 * RUNNING to SetConfig and to ResumeProcess, the target state to GoToProcessState (with a state
 * when suspended), CONNECTED or TERMINATED to a
 * ConnectionMessage. Processes in {@link #unreachable} cannot be reached; processes in
 * {@link #refusing} answer everything with an ErrorMessage.
 */
public final class FakeProcesses implements Processes {
  /** A request, and the transport the caller asked for (TLS when the process's trigger said so). */
  public record Call(String processId, Transport transport, Message request) {}

  private final List<Call> calls = new ArrayList<>();
  private final List<String> forgotten = new ArrayList<>();
  public final Set<String> unreachable = ConcurrentHashMap.newKeySet();
  public final Set<String> refusing = ConcurrentHashMap.newKeySet();

  @Override
  public synchronized Message call(String processId, Transport transport, Message request, Duration budget)
      throws ManagementException {
    calls.add(new Call(processId, transport, request));
    if (unreachable.contains(processId)) {
      throw new ManagementException("cannot connect to the management port of process " + processId);
    }
    if (refusing.contains(processId)) {
      return ProcessProto.ErrorMessage.newBuilder().setProcessId(processId).setDebugInformation("refused by test").build();
    }
    return switch (request) {
      case ProcessProto.SetConfigMessage m -> ProcessProto.ProcessStateUpdateMessage.newBuilder()
          .setProcessId(processId).setState(ProcessProto.ProcessState.RUNNING).build();
      // A suspended process hands over its state: "state of <id>", so a test can follow it.
      case ProcessProto.GoToProcessStateMessage m -> ProcessProto.ProcessStateUpdateMessage.newBuilder()
          .setProcessId(processId).setState(m.getTargetState())
          .setStateData(m.getTargetState() == ProcessProto.ProcessState.SUSPENDED
              ? com.google.protobuf.ByteString.copyFromUtf8("state of " + processId)
              : com.google.protobuf.ByteString.EMPTY)
          .build();
      case ProcessProto.ResumeProcessMessage m -> ProcessProto.ProcessStateUpdateMessage.newBuilder()
          .setProcessId(processId).setState(ProcessProto.ProcessState.RUNNING).build();
      case ConnectionProto.ConnectionMessage m -> ConnectionProto.ConnectionHandshake.newBuilder()
          .setConnectionId(m.getConnectionId())
          .setConnectionState(m.getMode() == ConnectionProto.ConnectionMessage.ModeType.TERMINATE
              ? ConnectionProto.ConnectionState.TERMINATED : ConnectionProto.ConnectionState.CONNECTED)
          .build();
      default -> throw new ManagementException("unexpected request " + request.getDescriptorForType().getName());
    };
  }

  @Override
  public synchronized void forget(String processId) {
    forgotten.add(processId);
  }

  @Override
  public synchronized void pin(String processId, java.net.InetAddress address) {
    pins.put(processId, address);
  }

  @Override
  public synchronized void terminateAt(String processId, Transport transport, java.net.InetAddress address,
      Duration budget) {
    fenced.add(processId + "@" + address.getHostAddress());
  }

  /** Where each process was pinned last. */
  public final java.util.Map<String, java.net.InetAddress> pins = new java.util.HashMap<>();
  /** {@code processId@address} of each instance told to terminate by {@link #terminateAt}. */
  public final List<String> fenced = new java.util.ArrayList<>();

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  public synchronized <T extends Message> List<T> requestsTo(String processId, Class<T> type) {
    return calls.stream().filter(c -> c.processId().equals(processId)).map(Call::request)
        .filter(type::isInstance).map(type::cast).toList();
  }

  public synchronized List<String> forgotten() {
    return List.copyOf(forgotten);
  }

  public synchronized void clear() {
    calls.clear();
    forgotten.clear();
  }
}
