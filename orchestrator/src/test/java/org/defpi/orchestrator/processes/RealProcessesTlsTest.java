package org.defpi.orchestrator.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.defpi.orchestrator.certificate.CertificateAuthority;
import org.defpi.orchestrator.certificate.OrchestratorIdentity;
import org.defpi.orchestrator.process.Processes.ManagementException;
import org.defpi.orchestrator.process.Processes.Transport;
import org.defpi.wire.protocol.ProcessProto;
import org.defpi.wire.tls.TlsNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The management client in TLS 1.3 against a real TLS server on loopback that speaks the
 * management frames, with certificates of a real authority (docs/wire-additions.md, "TLS", 3): a
 * process's certificate naming the process called is accepted, one of another process or another
 * authority is refused, and the orchestrator presents its own.
 */
class RealProcessesTlsTest {
  private static final String ID = "65a1b2c30000000000000001";
  private static final String OTHER = "65a1b2c30000000000000002";
  private static final String USER = "65a1b2c300000000000000aa";
  private static final Duration BUDGET = Duration.ofSeconds(5);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Clock CLOCK = Clock.systemUTC();
  private static final CertificateAuthority AUTHORITY = CertificateAuthority.create(CLOCK.instant(), RANDOM);
  private final List<AutoCloseable> closeMe = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeMe) {
      c.close();
    }
  }

  @Test
  void aProcessThatHoldsACertificateIsReachedInTls13AndSeesTheOrchestratorsCertificate() throws Exception {
    ManagementPeer peer = peer(processContext(AUTHORITY, ID, AUTHORITY));
    RealProcesses client = client(peer, Optional.of(tls(AUTHORITY)));

    Message reply = client.call(ID, Transport.TLS, setConfig(), BUDGET);

    assertThat(reply).isInstanceOf(ProcessProto.ProcessStateUpdateMessage.class);
    assertThat(peer.nextRequest()).isEqualTo(setConfig());
    Certificate[] presented = peer.sessions.poll(5, TimeUnit.SECONDS).orElseThrow();
    X509Certificate orchestrator = (X509Certificate) presented[0];
    assertThat(PeerTrust.names(orchestrator)).containsExactly(TlsNames.ORCHESTRATOR.toString());
    orchestrator.verify(AUTHORITY.certificate().getPublicKey());
    // the channel is kept: a second request goes over the same TLS connection
    assertThat(client.call(ID, Transport.TLS, setConfig(), BUDGET)).isInstanceOf(ProcessProto.ProcessStateUpdateMessage.class);
    assertThat(peer.accepted.get()).isEqualTo(1);
  }

  @Test
  void aCertificateNamingAnotherProcessIsRefused() throws Exception {
    ManagementPeer peer = peer(processContext(AUTHORITY, OTHER, AUTHORITY));
    RealProcesses client = client(peer, Optional.of(tls(AUTHORITY)));

    assertThatThrownBy(() -> client.call(ID, Transport.TLS, setConfig(), BUDGET))
        .isInstanceOf(ManagementException.class)
        .hasMessageContaining("TLS handshake with the management port of process " + ID + " failed");
    assertThat(peer.received).as("nothing was sent to an impostor").isEmpty();
  }

  @Test
  void aCertificateOfAnotherAuthorityIsRefused() throws Exception {
    CertificateAuthority stranger = CertificateAuthority.create(CLOCK.instant(), RANDOM);
    // It names the right process and trusts our authority, but its own was issued by another.
    ManagementPeer peer = peer(processContext(stranger, ID, AUTHORITY));
    RealProcesses client = client(peer, Optional.of(tls(AUTHORITY)));

    assertThatThrownBy(() -> client.call(ID, Transport.TLS, setConfig(), BUDGET))
        .isInstanceOf(ManagementException.class)
        .hasMessageContaining("TLS handshake with the management port of process " + ID + " failed");
    assertThat(peer.received).isEmpty();
  }

  @Test
  void aProcessThatTrustsAnotherAuthorityRefusesTheOrchestrator() throws Exception {
    CertificateAuthority stranger = CertificateAuthority.create(CLOCK.instant(), RANDOM);
    // Its certificate is ours, but it trusts only the stranger: it refuses our certificate.
    ManagementPeer peer = peer(processContext(AUTHORITY, ID, stranger));
    RealProcesses client = client(peer, Optional.of(tls(AUTHORITY)));

    assertThatThrownBy(() -> client.call(ID, Transport.TLS, setConfig(), BUDGET))
        .isInstanceOf(ManagementException.class)
        .hasMessageContaining("process " + ID);
    assertThat(peer.refusals.poll(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(peer.received).isEmpty();
  }

  @Test
  void aPlainProcessIsNotReachedInTls() throws Exception {
    ManagementPeer plain = new ManagementPeer(0, ManagementPeer::healthy);
    closeMe.add(plain);
    RealProcesses client = client(plain, Optional.of(tls(AUTHORITY)));

    assertThatThrownBy(() -> client.call(ID, Transport.TLS, setConfig(), BUDGET))
        .isInstanceOf(ManagementException.class);
    assertThat(plain.received).isEmpty();
    // plain, as its trigger said, it answers
    assertThat(client.call(ID, Transport.PLAIN, setConfig(), BUDGET)).isInstanceOf(ProcessProto.ProcessStateUpdateMessage.class);
  }

  @Test
  void aChannelIsOpenedAnewWhenTheTriggerSaidOtherwise() throws Exception {
    // A process that got its certificate after its first plain configuration (one port serves both).
    ManagementPeer peer = peer(processContext(AUTHORITY, ID, AUTHORITY));
    RealProcesses client = client(peer, Optional.of(tls(AUTHORITY)));

    client.call(ID, Transport.PLAIN, setConfig(), BUDGET);
    assertThat(peer.sessions.poll(5, TimeUnit.SECONDS)).isEmpty();
    client.call(ID, Transport.TLS, setConfig(), BUDGET);
    assertThat(peer.sessions.poll(5, TimeUnit.SECONDS)).isPresent();
    client.call(ID, Transport.TLS, setConfig(), BUDGET);

    assertThat(peer.accepted.get()).as("plain, then TLS kept").isEqualTo(2);
  }

  @Test
  void anOrchestratorWithoutTlsSaysSoRatherThanTalkPlainToAProcessThatHoldsACertificate() throws Exception {
    ManagementPeer peer = peer(processContext(AUTHORITY, ID, AUTHORITY));
    RealProcesses client = client(peer, Optional.empty());

    assertThatThrownBy(() -> client.call(ID, Transport.TLS, setConfig(), BUDGET))
        .isInstanceOf(ManagementException.class)
        .hasMessageContaining("DEFPI_TLS=off");
    assertThat(peer.accepted.get()).isZero();
  }

  @Test
  void forgettingAProcessEndsACallThatWaitsForItsTlsReply() throws Exception {
    ManagementPeer peer = ManagementPeer.tls(0, processContext(AUTHORITY, ID, AUTHORITY), request -> Optional.empty());
    closeMe.add(peer);
    RealProcesses client = client(peer, Optional.of(tls(AUTHORITY)));
    CompletableFuture<Message> call = CompletableFuture.supplyAsync(() -> {
      try {
        return client.call(ID, Transport.TLS, setConfig(), Duration.ofSeconds(30));
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

  // ---- helpers

  private ManagementPeer peer(SSLContext context) throws Exception {
    ManagementPeer peer = ManagementPeer.tls(0, context, ManagementPeer::healthy);
    closeMe.add(peer);
    return peer;
  }

  private RealProcesses client(ManagementPeer peer, Optional<RealProcesses.Tls> tls) {
    RealProcesses client = new RealProcesses(new RealProcesses.Settings(id -> peer.address(), Duration.ofSeconds(1),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)), tls), d -> { });
    closeMe.add(client);
    return client;
  }

  private static RealProcesses.Tls tls(CertificateAuthority authority) {
    return new RealProcesses.Tls(new OrchestratorIdentity(authority, CLOCK, Duration.ofHours(1), RANDOM),
        authority.certificate());
  }

  private static SSLContext processContext(CertificateAuthority issuer, String processId, CertificateAuthority trusted)
      throws Exception {
    return ManagementPeer.processContext(issuer, processId, USER, trusted);
  }

  private static ProcessProto.SetConfigMessage setConfig() {
    return ProcessProto.SetConfigMessage.newBuilder().setProcessId(ID).setIsUpdate(false).build();
  }
}
