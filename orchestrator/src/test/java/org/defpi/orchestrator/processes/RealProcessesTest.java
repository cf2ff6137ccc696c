package org.defpi.orchestrator.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.defpi.orchestrator.process.Processes.ManagementException;
import org.defpi.orchestrator.process.Processes.Transport;
import org.defpi.wire.protocol.ConnectionProto;
import org.defpi.wire.protocol.ProcessProto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The management client against a real socket peer speaking the real framing and codec. */
class RealProcessesTest {
  private static final String ID = "65a1b2c30000000000000001";
  private static final Duration BUDGET = Duration.ofSeconds(5);
  private final List<AutoCloseable> closeMe = new ArrayList<>();
  private final List<Duration> sleeps = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeMe) {
      c.close();
    }
  }

  private ManagementPeer peer(int port, java.util.function.Function<Message, Optional<Message>> answer) throws IOException {
    ManagementPeer peer = new ManagementPeer(port, answer);
    closeMe.add(peer);
    return peer;
  }

  private RealProcesses client(InetSocketAddress address, RealProcesses.Sleeper sleeper) {
    RealProcesses client = new RealProcesses(new RealProcesses.Settings(id -> address, Duration.ofSeconds(1),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(400))), sleeper);
    closeMe.add(client);
    return client;
  }

  private RealProcesses client(ManagementPeer peer) {
    return client(peer.address(), d -> sleeps.add(d));
  }

  private static ProcessProto.SetConfigMessage setConfig() {
    return ProcessProto.SetConfigMessage.newBuilder().setProcessId(ID).setIsUpdate(false).putConfig("count", "10").build();
  }

  @Test
  void aRequestGetsItsReplyOverOneKeptConnection() throws Exception {
    ManagementPeer peer = peer(0, ManagementPeer::healthy);
    RealProcesses client = client(peer);

    Message reply = client.call(ID, Transport.PLAIN, setConfig(), BUDGET);
    assertThat(reply).isEqualTo(ProcessProto.ProcessStateUpdateMessage.newBuilder().setProcessId(ID)
        .setState(ProcessProto.ProcessState.RUNNING).build());
    assertThat(peer.nextRequest()).isEqualTo(setConfig());

    ConnectionProto.ConnectionMessage create = ConnectionProto.ConnectionMessage.newBuilder()
        .setMode(ConnectionProto.ConnectionMessage.ModeType.CREATE).setConnectionId("c1").setListenPort(6000).build();
    assertThat(client.call(ID, Transport.PLAIN, create, BUDGET))
        .isInstanceOf(ConnectionProto.ConnectionHandshake.class);
    assertThat(peer.nextRequest()).isEqualTo(create);
    assertThat(peer.accepted.get()).isEqualTo(1);
  }

  @Test
  void aConnectionTheProcessDroppedIsReplacedAndTheRequestSentAgain() throws Exception {
    ManagementPeer peer = peer(0, ManagementPeer::healthy);
    RealProcesses client = client(peer);
    client.call(ID, Transport.PLAIN, setConfig(), BUDGET);
    peer.nextRequest();

    // The container restarts: the kept socket is dead, and the new process listens afresh.
    peer.dropConnections();
    Message reply = client.call(ID, Transport.PLAIN, setConfig(), BUDGET);

    assertThat(reply).isInstanceOf(ProcessProto.ProcessStateUpdateMessage.class);
    assertThat(peer.accepted.get()).isEqualTo(2);
  }

  @Test
  void connectingIsRetriedWithBackOffWhileTheProcessStarts() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    ManagementPeer[] started = new ManagementPeer[1];
    List<Duration> waits = new ArrayList<>();
    // The process opens its port during the third wait.
    RealProcesses client = client(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), d -> {
      waits.add(d);
      if (waits.size() == 3) {
        try {
          started[0] = peer(port, ManagementPeer::healthy);
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      }
    });

    assertThat(client.call(ID, Transport.PLAIN, setConfig(), BUDGET))
        .isInstanceOf(ProcessProto.ProcessStateUpdateMessage.class);
    assertThat(waits).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void nothingListeningGivesUpWhenTheBudgetIsSpent() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    RealProcesses client = client(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), d -> sleeps.add(d));
    assertThatThrownBy(() -> client.call(ID, Transport.PLAIN, setConfig(), Duration.ofMillis(200)))
        .isInstanceOf(ManagementException.class)
        .hasMessageContaining("cannot connect to the management port of process " + ID);
    assertThat(sleeps).isNotEmpty().allMatch(d -> d.compareTo(Duration.ofMillis(400)) <= 0);
  }

  @Test
  void aProcessThatDoesNotAnswerInTimeIsGivenUpOnAndTheNextCallStartsClean() throws Exception {
    CountDownLatch answerAgain = new CountDownLatch(1);
    ManagementPeer peer = peer(0, request -> answerAgain.getCount() == 0 ? ManagementPeer.healthy(request) : Optional.empty());
    RealProcesses client = client(peer);

    assertThatThrownBy(() -> client.call(ID, Transport.PLAIN, setConfig(), Duration.ofMillis(300)))
        .isInstanceOf(ManagementException.class)
        .hasMessageContaining("did not answer SetConfigMessage in time");

    answerAgain.countDown();
    assertThat(client.call(ID, Transport.PLAIN, setConfig(), BUDGET))
        .isInstanceOf(ProcessProto.ProcessStateUpdateMessage.class);
    assertThat(peer.accepted.get()).isEqualTo(2);
  }

  @Test
  void anErrorMessageIsAReplyLikeAnyOther() throws Exception {
    ManagementPeer peer = peer(0, request -> Optional.of(ProcessProto.ErrorMessage.newBuilder()
        .setProcessId(ID).setDebugInformation("count must be positive").build()));
    Message reply = client(peer).call(ID, Transport.PLAIN, setConfig(), BUDGET);
    assertThat(reply).isInstanceOf(ProcessProto.ErrorMessage.class);
    assertThat(((ProcessProto.ErrorMessage) reply).getDebugInformation()).isEqualTo("count must be positive");
  }

  @Test
  void forgettingAProcessEndsACallThatWaitsForIt() throws Exception {
    ManagementPeer peer = peer(0, request -> Optional.empty());
    RealProcesses client = client(peer);
    CompletableFuture<Message> call = CompletableFuture.supplyAsync(() -> {
      try {
        return client.call(ID, Transport.PLAIN, setConfig(), Duration.ofSeconds(30));
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    assertThat(peer.firstRequest.await(10, TimeUnit.SECONDS)).isTrue();

    client.forget(ID);

    assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ManagementException.class)
        .hasMessageContaining("is being removed");
  }

  @Test
  void aSecondRequestWaitsUntilTheFirstIsAnswered() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ManagementPeer peer = peer(0, request -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ManagementPeer.healthy(request);
    });
    RealProcesses client = client(peer);
    ProcessProto.GoToProcessStateMessage second = ProcessProto.GoToProcessStateMessage.newBuilder().setProcessId(ID)
        .setTargetState(ProcessProto.ProcessState.TERMINATED).build();

    CompletableFuture<Message> first = CompletableFuture.supplyAsync(() -> call(client, setConfig()));
    assertThat(peer.nextRequest()).isEqualTo(setConfig());
    CompletableFuture<Message> then = CompletableFuture.supplyAsync(() -> call(client, second));
    // The second request must not reach the process while the first waits for its reply. This can
    // only be checked by waiting a little: a pipelining client would have sent it by then.
    assertThat(peer.received.poll(200, TimeUnit.MILLISECONDS)).isNull();

    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(ProcessProto.ProcessStateUpdateMessage.class);
    assertThat(then.get(10, TimeUnit.SECONDS)).isInstanceOf(ProcessProto.ProcessStateUpdateMessage.class);
    assertThat(peer.nextRequest()).isEqualTo(second);
  }

  private static Message call(RealProcesses client, Message request) {
    try {
      return client.call(ID, Transport.PLAIN, request, BUDGET);
    } catch (Exception e) {
      throw new java.util.concurrent.CompletionException(e);
    }
  }
}
