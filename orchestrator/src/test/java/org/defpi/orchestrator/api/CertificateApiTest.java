package org.defpi.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.defpi.orchestrator.api.ApiFixture.LOGGER_IFACE;
import static org.defpi.orchestrator.api.ApiFixture.METER_IFACE;
import static org.defpi.orchestrator.api.ApiFixture.PASSWORD;
import static org.defpi.orchestrator.api.ApiFixture.basic;
import static org.defpi.orchestrator.api.ApiFixture.connectionBody;
import static org.defpi.orchestrator.api.ApiFixture.json;
import static org.defpi.orchestrator.api.ApiFixture.ok;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.defpi.orchestrator.TestImages;
import org.defpi.orchestrator.certificate.CertificateAuthority;
import org.defpi.orchestrator.process.FakeProcesses;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.process.Processes.Transport;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage;
import org.defpi.wire.protocol.ProcessProto;
import org.defpi.wire.tls.TlsNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The TLS addition on the real server ({@link ApiFixture}; docs/wire-additions.md, "TLS"): a
 * process asks for its certificate with its own token, says so in its trigger, and from then on is
 * reached in TLS, and its connections to processes that said so too are told {@code tls}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CertificateApiTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final ApiFixture fixture = new ApiFixture();
  private String alice;
  private String aliceId;
  private String bob;

  @BeforeAll
  void start() throws Exception {
    fixture.start(ApiFixture.Database.H2);
    aliceId = ok(fixture.send("POST", "/user", "{\"name\": \"alice\", \"password\": \"alice-password\"}",
        basic("admin", PASSWORD)), 201).path("id").asText();
    ok(fixture.send("POST", "/user", "{\"name\": \"bob\", \"password\": \"bob-password\"}", basic("admin", PASSWORD)),
        201);
    alice = "Bearer " + fixture.login("alice", "alice-password");
    bob = "Bearer " + fixture.login("bob", "bob-password");
  }

  @AfterAll
  void stop() throws Exception {
    fixture.close();
  }

  @Test
  void aProcessGetsACertificateNamingItAndItsUserThatChainsToTheAuthority() throws Exception {
    String meter = newProcess(alice, TestImages.METER);
    KeyPair pair = CertificateAuthority.newKeyPair(RANDOM);
    Instant before = Instant.now().minusSeconds(1);

    HttpResponse<String> r = ask(meter, tokenOf(meter), body(pair.getPublic().getEncoded()));

    JsonNode answer = ok(r, 200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(answer.properties()).extracting(Map.Entry::getKey)
        .containsExactlyInAnyOrder("certificate", "caCertificate", "notAfter", "renewAfter");
    X509Certificate certificate = pem(answer.path("certificate").asText());
    X509Certificate authority = pem(answer.path("caCertificate").asText());
    assertThat(authority).isEqualTo(fixture.certificates().authorityCertificate());
    certificate.verify(authority.getPublicKey());
    assertThat(certificate.getPublicKey()).isEqualTo(pair.getPublic());
    assertThat(certificate.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=" + meter));
    assertThat(certificate.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
        List.of(6, "urn:defpi:process:" + meter), List.of(6, "urn:defpi:user:" + aliceId));
    Instant notAfter = Instant.parse(answer.path("notAfter").asText());
    Instant renewAfter = Instant.parse(answer.path("renewAfter").asText());
    assertThat(certificate.getNotAfter().toInstant()).isEqualTo(notAfter);
    // DEFPI_CERT_TTL of the fixture: 15 minutes; renewal after 10
    assertThat(Duration.between(before, notAfter)).isBetween(ApiFixture.CERT_TTL.minusSeconds(1),
        ApiFixture.CERT_TTL.plusSeconds(5));
    assertThat(Duration.between(renewAfter, notAfter)).isEqualTo(ApiFixture.CERT_TTL.dividedBy(3));
    assertThat(certificate.getNotBefore().toInstant()).isBefore(before.minus(Duration.ofMinutes(4)));

    // again with a new key: another certificate, the same authority
    JsonNode renewed = ok(ask(meter, tokenOf(meter), body(CertificateAuthority.newKeyPair(RANDOM).getPublic()
        .getEncoded())), 200);
    assertThat(pem(renewed.path("certificate").asText()).getSerialNumber()).isNotEqualTo(certificate.getSerialNumber());
    assertThat(pem(renewed.path("caCertificate").asText())).isEqualTo(authority);
  }

  @Test
  void onlyTheProcessItselfGetsOneAndOnlyForAnEcP256Key() throws Exception {
    String meter = newProcess(alice, TestImages.METER);
    String other = newProcess(bob, TestImages.METER);
    String key = body(CertificateAuthority.newKeyPair(RANDOM).getPublic().getEncoded());

    HttpResponse<String> none = ask(meter, null, key);
    assertProblem(none, 401, "a certificate request needs the process's token in X-Auth-Token");
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("X-Auth-Token realm=\"defpi-process\"");
    // another process's token: 401 too, as the contract says; checked before the body is read
    assertProblem(ask(meter, tokenOf(other), "{\"nonsense\": 1}"), 401, "does not match the token of process " + meter);
    assertProblem(ask("65a1b2c30000000000000099", tokenOf(meter), key), 404, "does not exist");
    // a user's credentials are no process token
    assertThat(fixture.send("POST", TlsNames.certificatePath(meter), key, alice).statusCode()).isEqualTo(401);

    String token = tokenOf(meter);
    assertProblem(ask(meter, token, "{}"), 400, "field 'publicKey' is required");
    assertProblem(ask(meter, token, "{\"publicKey\": \"x\", \"privateKey\": \"y\"}"), 400, "privateKey");
    assertProblem(ask(meter, token, "{\"publicKey\": \"not base64!\"}"), 400, "it is not base64");
    assertProblem(ask(meter, token, "{\"publicKey\": \"" + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})
        + "\"}"), 400, "it is not a DER SubjectPublicKeyInfo");
    assertProblem(ask(meter, token, body(keyPair("RSA", null).getPublic().getEncoded())), 400,
        "its algorithm is 1.2.840.113549.1.1.1, not id-ecPublicKey");
    assertProblem(ask(meter, token, body(keyPair("EC", "secp384r1").getPublic().getEncoded())), 400,
        "its curve is 1.3.132.0.34, not P-256");
    // a P-256 point that is not on the curve: the last byte of y changed
    byte[] off = CertificateAuthority.newKeyPair(RANDOM).getPublic().getEncoded();
    off[off.length - 1] ^= 1;
    assertProblem(ask(meter, token, body(off)), 400, "its point is not on the curve");
    HttpResponse<String> form = fixture.send("POST", TlsNames.certificatePath(meter), null, null,
        Map.of("X-Auth-Token", token, "Content-Type", "application/x-www-form-urlencoded"));
    assertThat(form.statusCode()).as(form.body()).isEqualTo(415);

    // a process being removed gets none
    String leaving = newProcess(alice, TestImages.METER);
    fixture.store().updateState(leaving, ProcessState.TERMINATED, Optional.empty());
    assertProblem(ask(leaving, tokenOf(leaving), key), 409, "is being removed");
  }

  @Test
  void theTriggerRecordsWhetherTheProcessHoldsACertificateAndItsManagementConnectionFollows() throws Exception {
    String meter = newProcess(alice, TestImages.METER);
    FakeProcesses processes = fixture.processes();

    trigger(meter, Map.of(TlsNames.TLS_HEADER, "1"));
    assertThat(ok(fixture.send("GET", "/process/" + meter, null, alice), 200).path("tls").asBoolean()).isTrue();
    assertThat(lastSetConfig(processes, meter)).isEqualTo(Transport.TLS);

    // a new container of a version built with the original SDK says nothing: plain again
    trigger(meter, Map.of());
    assertThat(ok(fixture.send("GET", "/process/" + meter, null, alice), 200).path("tls").asBoolean()).isFalse();
    assertThat(lastSetConfig(processes, meter)).isEqualTo(Transport.PLAIN);

    // only "1" says so
    trigger(meter, Map.of(TlsNames.TLS_HEADER, "yes"));
    assertThat(fixture.store().findProcess(meter).orElseThrow().tls()).isFalse();
    trigger(meter, Map.of(TlsNames.TLS_HEADER, " 1 "));
    assertThat(fixture.store().findProcess(meter).orElseThrow().tls()).isTrue();
  }

  @Test
  void aConnectionIsEncryptedOnlyWhileBothEndsHoldACertificate() throws Exception {
    String meter = newProcess(alice, TestImages.METER);
    String logger = newProcess(alice, TestImages.LOGGER);
    trigger(meter, Map.of(TlsNames.TLS_HEADER, "1"));
    trigger(logger, Map.of());
    FakeProcesses processes = fixture.processes();

    JsonNode created = ok(fixture.send("POST", "/connection", connectionBody(meter, METER_IFACE, logger, LOGGER_IFACE),
        alice), 201);
    String id = created.path("id").asText();
    assertThat(created.path("state").asText()).isEqualTo("ACTIVE");
    assertThat(created.path("encrypted").asBoolean()).as("the logger holds no certificate").isFalse();
    assertThat(last(processes, meter, id).hasTls()).as("field 11 left out").isFalse();
    assertThat(last(processes, logger, id).hasTls()).isFalse();

    // the logger's new container holds one: it gets CREATE with tls, the meter RESUME with tls
    trigger(logger, Map.of(TlsNames.TLS_HEADER, "1"));
    assertThat(last(processes, logger, id).getMode()).isEqualTo(ConnectionMessage.ModeType.CREATE);
    assertThat(last(processes, logger, id).getTls()).isTrue();
    ConnectionMessage resumed = last(processes, meter, id);
    assertThat(resumed.getMode()).isEqualTo(ConnectionMessage.ModeType.RESUME);
    assertThat(resumed.getTls()).isTrue();
    assertThat(resumed.getListenPort()).isEqualTo(created.at("/endpoint1/listenPort").asInt());
    JsonNode encrypted = ok(fixture.send("GET", "/connection/" + id, null, alice), 200);
    assertThat(encrypted.path("encrypted").asBoolean()).isTrue();
    assertThat(encrypted.path("state").asText()).isEqualTo("ACTIVE");
    assertThat(ok(fixture.send("GET", "/connection?userId=" + aliceId, null, alice), 200).findValues("encrypted"))
        .anyMatch(JsonNode::asBoolean);

    // and back: the meter restarts with a version built with the original SDK
    trigger(meter, Map.of());
    assertThat(last(processes, meter, id).getMode()).isEqualTo(ConnectionMessage.ModeType.CREATE);
    assertThat(last(processes, meter, id).hasTls()).isFalse();
    assertThat(last(processes, logger, id).getMode()).isEqualTo(ConnectionMessage.ModeType.RESUME);
    assertThat(last(processes, logger, id).hasTls()).isFalse();
    assertThat(ok(fixture.send("GET", "/connection/" + id, null, alice), 200).path("encrypted").asBoolean()).isFalse();
  }

  @Test
  void withTlsOffTheRouteIsNotThereAndTheHeaderIsIgnored() throws Exception {
    int port = fixture.startWithoutTls();
    String meter = newProcess(alice, TestImages.METER);
    String token = tokenOf(meter);

    HttpResponse<String> r = fixture.sendTo(port, "POST", TlsNames.certificatePath(meter),
        body(CertificateAuthority.newKeyPair(RANDOM).getPublic().getEncoded()), Map.of("X-Auth-Token", token));
    assertProblem(r, 404, "no route POST " + TlsNames.certificatePath(meter));

    HttpResponse<String> triggered = fixture.sendTo(port, "PUT", "/process/trigger/" + meter, null,
        Map.of("X-Auth-Token", token, TlsNames.TLS_HEADER, "1"));
    assertThat(triggered.statusCode()).isEqualTo(204);
    fixture.awaitQuiet(meter);
    assertThat(fixture.store().findProcess(meter).orElseThrow().tls()).isFalse();
    assertThat(lastSetConfig(fixture.processes(), meter)).isEqualTo(Transport.PLAIN);
  }

  // ---- helpers

  private String newProcess(String who, String serviceId) throws Exception {
    String id = ok(fixture.send("POST", "/process", "{\"serviceId\": \"" + serviceId + "\"}", who), 201).path("id").asText();
    fixture.removeOnClose(id);
    return id;
  }

  private String tokenOf(String processId) {
    return fixture.store().findProcess(processId).orElseThrow().token().value();
  }

  private HttpResponse<String> ask(String processId, String token, String body) throws Exception {
    return fixture.send("POST", TlsNames.certificatePath(processId), body, null,
        token == null ? Map.of() : Map.of("X-Auth-Token", token));
  }

  private void trigger(String processId, Map<String, String> headers) throws Exception {
    Map<String, String> all = new HashMap<>(headers);
    all.put("X-Auth-Token", tokenOf(processId));
    assertThat(fixture.send("PUT", "/process/trigger/" + processId, null, null, all).statusCode()).isEqualTo(204);
    fixture.awaitQuiet(processId);
  }

  private static Transport lastSetConfig(FakeProcesses processes, String processId) {
    List<FakeProcesses.Call> calls = processes.calls().stream()
        .filter(c -> c.processId().equals(processId) && c.request() instanceof ProcessProto.SetConfigMessage).toList();
    assertThat(calls).isNotEmpty();
    return calls.getLast().transport();
  }

  private static ConnectionMessage last(FakeProcesses processes, String processId, String connectionId) {
    List<ConnectionMessage> sent = processes.requestsTo(processId, ConnectionMessage.class).stream()
        .filter(m -> m.getConnectionId().equals(connectionId)).toList();
    assertThat(sent).as("messages of connection %s to %s", connectionId, processId).isNotEmpty();
    return sent.getLast();
  }

  private static String body(byte[] publicKey) {
    return "{\"publicKey\": \"" + Base64.getEncoder().encodeToString(publicKey) + "\"}";
  }

  private static KeyPair keyPair(String algorithm, String curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    if (curve != null) {
      generator.initialize(new ECGenParameterSpec(curve));
    } else {
      generator.initialize(2048);
    }
    return generator.generateKeyPair();
  }

  private static X509Certificate pem(String text) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
  }

  private static void assertProblem(HttpResponse<String> response, int status, String detail) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(json(response).path("detail").asText()).contains(detail);
  }
}
