package org.defpi.sdk.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.InvalidConfigException;
import org.defpi.sdk.InvalidStateException;
import org.defpi.sdk.Service;
import org.defpi.sdk.ServiceDefinition;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage;
import org.defpi.wire.protocol.ProcessProto.ErrorMessage;
import org.defpi.wire.protocol.ProcessProto.GoToProcessStateMessage;
import org.defpi.wire.protocol.ProcessProto.ProcessState;
import org.defpi.wire.protocol.ProcessProto.ProcessStateUpdateMessage;
import org.defpi.wire.protocol.ProcessProto.ResumeProcessMessage;
import org.defpi.wire.protocol.ProcessProto.SetConfigMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management protocol's meaning (WIRE.md section 6), without sockets: one request in, one
 * reply out. Service methods run on the service's own serial executor; the controller waits for
 * them (bounded by the service call timeout) so the reply can report success or failure. Requests
 * are handled one at a time even if the orchestrator reconnects mid-request.
 *
 * <p>Every failure becomes an {@code ErrorMessage} whose {@code debugInformation} is a readable
 * reason: the configuration binder's message (which names the parameter), the reason the service
 * refused its saved state ({@code InvalidStateException}), or the service method and what it threw.
 */
final class ProcessController<C> {
  private static final Logger log = LoggerFactory.getLogger(ProcessController.class);

  enum Phase { WAITING_FOR_CONFIG, RUNNING, SUSPENDED, TERMINATED }

  private final ServiceDefinition<C> definition;
  private final Service<C> service;
  private final DefPiParameters parameters;
  private final ConnectionRegistry connections;
  private final Duration callTimeout;
  private final SerialExecutor lifecycle = new SerialExecutor("defpi-service");
  private final ReentrantLock lock = new ReentrantLock();
  private volatile Phase phase = Phase.WAITING_FOR_CONFIG;
  private volatile boolean initialized; // set on the lifecycle thread once init() returned

  ProcessController(ServiceDefinition<C> definition, DefPiParameters parameters,
      ConnectionRegistry connections, Duration callTimeout) {
    this.definition = definition;
    this.service = definition.service();
    this.parameters = parameters;
    this.connections = connections;
    this.callTimeout = callTimeout;
  }

  boolean terminated() {
    return phase == Phase.TERMINATED;
  }

  /** Handles one management request; never throws. */
  Message handle(Message request) {
    lock.lock();
    try {
      return switch (request) {
        case SetConfigMessage m -> setConfig(m);
        case GoToProcessStateMessage m -> goTo(m);
        case ResumeProcessMessage m -> resume(m);
        case ConnectionMessage m -> {
          requireNotTerminated();
          yield connections.handle(m);
        }
        default -> throw new ManagementException("unexpected " + request.getDescriptorForType().getName()
            + "; a process handles SetConfigMessage, GoToProcessStateMessage, ResumeProcessMessage and ConnectionMessage");
      };
    } catch (ManagementException e) {
      log.warn("{} failed: {}", request.getDescriptorForType().getName(), e.getMessage());
      return error(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error("the process was interrupted while handling " + request.getDescriptorForType().getName());
    } finally {
      lock.unlock();
    }
  }

  /** An error reply from this process. */
  ErrorMessage error(String reason) {
    return ErrorMessage.newBuilder().setProcessId(parameters.processId()).setDebugInformation(reason).build();
  }

  /**
   * For an abrupt stop (the handle closed, or the JVM shutting down): lets an initialised service
   * release its resources, bounded by the call timeout, and accepts no more requests.
   */
  void stop() {
    if (phase != Phase.TERMINATED && initialized) {
      try {
        lifecycle.submit("terminate", () -> {
          service.terminate();
          return null;
        }).get(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        log.warn("terminate() of the service threw while stopping", e.getCause());
      } catch (TimeoutException e) {
        log.warn("terminate() of the service did not finish within {}", readable(callTimeout));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    phase = Phase.TERMINATED;
    lifecycle.shutdown();
  }

  private Message setConfig(SetConfigMessage m) throws ManagementException, InterruptedException {
    checkProcessId(m.getProcessId());
    requireNotTerminated();
    configure(m.getConfigMap(), m.getIsUpdate());
    phase = Phase.RUNNING;
    return stateUpdate(ProcessState.RUNNING, null);
  }

  /**
   * Like dEF-Pi's runtime, whether init or modify runs depends on whether the service was
   * initialised, not on isUpdate alone: an orchestrator that restarted and configures again gets
   * modify(), and a service is never initialised twice.
   */
  private void configure(Map<String, String> config, boolean isUpdate) throws ManagementException, InterruptedException {
    boolean first = !initialized;
    if (first == isUpdate) {
      log.warn("SetConfigMessage isUpdate={} for a service that is {}initialised: calling {}()",
          isUpdate, first ? "not yet " : "already ", first ? "init" : "modify");
    }
    call(first ? "init" : "modify", () -> {
      C typed = definition.configBinder().bind(config);
      if (first) {
        service.init(typed, parameters);
        initialized = true;
      } else {
        service.modify(typed);
      }
      return null;
    });
  }

  private Message goTo(GoToProcessStateMessage m) throws ManagementException, InterruptedException {
    checkProcessId(m.getProcessId());
    ProcessState target = m.getTargetState();
    if (target == ProcessState.TERMINATED) {
      return terminate();
    }
    requireNotTerminated();
    return switch (target) {
      case SUSPENDED -> {
        byte[] state = call("suspend", service::suspend);
        phase = Phase.SUSPENDED;
        yield stateUpdate(ProcessState.SUSPENDED, state);
      }
      case RUNNING -> {
        // dEF-Pi treats this as a start without configuration: the parameters' defaults apply.
        if (!initialized) {
          configure(Map.of(), false);
        }
        phase = Phase.RUNNING;
        yield stateUpdate(ProcessState.RUNNING, null);
      }
      default -> throw new ManagementException("a process cannot be sent to " + target
          + "; targets are RUNNING, SUSPENDED and TERMINATED");
    };
  }

  private Message terminate() throws InterruptedException {
    if (phase != Phase.TERMINATED) {
      log.info("terminating: closing connections, then terminate() of the service");
      connections.terminateAll(callTimeout);
      if (initialized) {
        try {
          call("terminate", () -> {
            service.terminate();
            return null;
          });
        } catch (ManagementException e) {
          // Termination cannot fail: the orchestrator removes the process either way.
          log.warn("{}; terminating anyway", e.getMessage());
        }
      }
      phase = Phase.TERMINATED;
      lifecycle.shutdown();
    }
    return stateUpdate(ProcessState.TERMINATED, null);
  }

  private Message resume(ResumeProcessMessage m) throws ManagementException, InterruptedException {
    checkProcessId(m.getProcessId());
    requireNotTerminated();
    byte[] state = m.getStateData().toByteArray();
    call("resumeFrom", () -> {
      service.resumeFrom(state);
      return null;
    });
    phase = Phase.RUNNING;
    return stateUpdate(ProcessState.RUNNING, null);
  }

  private <T> T call(String method, Callable<T> call) throws ManagementException, InterruptedException {
    try {
      return lifecycle.submit(method, call).get(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InvalidConfigException) {
        throw new ManagementException("invalid configuration: " + cause.getMessage());
      }
      if (cause instanceof InvalidStateException) {
        // The service refused the state it was handed: a reason for the orchestrator, not a bug.
        log.warn("{}() of the service refused the state: {}", method, cause.getMessage());
        throw new ManagementException("cannot resume from the saved state: " + cause.getMessage());
      }
      log.error("{}() of the service threw", method, cause);
      throw new ManagementException(method + "() of the service failed: " + describe(cause));
    } catch (TimeoutException e) {
      throw new ManagementException(method + "() of the service did not finish within " + readable(callTimeout));
    }
  }

  private void checkProcessId(String processId) throws ManagementException {
    if (!processId.isEmpty() && !processId.equals(parameters.processId())) {
      throw new ManagementException("the message is for process '" + processId + "', this is process '"
          + parameters.processId() + "'");
    }
  }

  private void requireNotTerminated() throws ManagementException {
    if (phase == Phase.TERMINATED) {
      throw new ManagementException("process " + parameters.processId() + " is terminated");
    }
  }

  private ProcessStateUpdateMessage stateUpdate(ProcessState state, byte[] stateData) {
    // dEF-Pi always sets stateData, empty when there is none.
    return ProcessStateUpdateMessage.newBuilder()
        .setProcessId(parameters.processId())
        .setState(state)
        .setStateData(stateData == null ? ByteString.EMPTY : ByteString.copyFrom(stateData))
        .build();
  }

  /** "30 s", or "200 ms" for what is not a whole number of seconds. */
  static String readable(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  static String describe(Throwable t) {
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
  }
}
