package org.defpi.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.defpi.orchestrator.api.ApiFixture.PASSWORD;
import static org.defpi.orchestrator.api.ApiFixture.basic;
import static org.defpi.orchestrator.api.ApiFixture.json;
import static org.defpi.orchestrator.api.ApiFixture.loginBody;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.defpi.orchestrator.TestImages;
import org.defpi.orchestrator.logging.LogFormat;
import org.defpi.orchestrator.logging.Logging;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * No password, token or secret reaches the log. The orchestrator's HTTP API runs in this JVM
 * ({@link ApiFixture}) with the log levels it ships with ({@code logback.xml}, our own code even at
 * TRACE), every line written through both encoders it uses (text and JSON); then it is driven
 * through every way a secret comes in: logins right and wrong, HTTP Basic right and wrong, bearer
 * tokens good and bogus, a process's X-Auth-Token right and wrong, a user made and passwords
 * changed with passwords in the body, a malformed body holding a password, and Authorization headers
 * that are not valid; and certificates issued to a process (the TLS addition), whose authority's
 * private key must not be in any line in any encoding (DER as base64, its PEM lines, hex, the
 * private scalar). No captured line may hold any of those secrets, nor their Basic encoding.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsInLogsTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final ApiFixture fixture = new ApiFixture();
  private final ByteArrayOutputStream text = new ByteArrayOutputStream();
  private final ByteArrayOutputStream jsonLines = new ByteArrayOutputStream();
  /** What must never be logged, by what it is. */
  private final Map<String, String> secrets = new LinkedHashMap<>();

  private static String secret(String what) {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return what + "-" + HexFormat.of().formatHex(b);
  }

  @BeforeAll
  void startWithTheShippedLogLevelsAndCapture() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    URL shipped = getClass().getClassLoader().getResource("logback.xml");
    assertThat(shipped).as("the orchestrator's own logback.xml").isNotNull();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(shipped);
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders(); // not on the build's console: into the buffers below
    context.getLogger("org.defpi").setLevel(Level.TRACE);
    for (Map.Entry<LogFormat, ByteArrayOutputStream> sink : Map.of(LogFormat.TEXT, text, LogFormat.JSON, jsonLines)
        .entrySet()) {
      OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
      appender.setContext(context);
      appender.setName("capture-" + sink.getKey());
      appender.setEncoder(Logging.encoder(sink.getKey(), context));
      appender.setOutputStream(sink.getValue());
      appender.setImmediateFlush(true);
      appender.start();
      root.addAppender(appender);
    }
    secrets.put("the admin's password", PASSWORD);
    fixture.start(ApiFixture.Database.H2);
  }

  @AfterAll
  void stopAndPutTheTestLoggingBack() throws Exception {
    try {
      fixture.close();
    } finally {
      LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
      context.reset();
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(getClass().getClassLoader().getResource("logback-test.xml"));
    }
  }

  private HttpResponse<String> send(String method, String path, String body, String authorization,
      Map<String, String> headers) throws Exception {
    return fixture.send(method, path, body, authorization, headers);
  }

  private HttpResponse<String> send(String method, String path, String body, String authorization) throws Exception {
    return fixture.send(method, path, body, authorization);
  }

  @Test
  void noSecretThatCameInIsInAnyLogLine() throws Exception {
    String alicePassword = secret("alice-password");
    String wrongPassword = secret("wrong-password");
    String bobPassword = secret("bob-password");
    String resetPassword = secret("reset-password");
    String ownPassword = secret("own-password");
    String bogusToken = "dpt_" + secret("bogus-token");
    String wrongProcessToken = secret("wrong-process-token");
    String malformedPassword = secret("malformed-password");
    String bareword = secret("bareword").replace("-", "");
    String notBase64 = secret("not-base64");
    String noColon = secret("no-colon");
    String digest = secret("digest-response");
    secrets.putAll(Map.of("alice's password", alicePassword, "a wrong password", wrongPassword, "bob's password",
        bobPassword, "a password set by an admin", resetPassword, "a password alice set", ownPassword,
        "a bogus bearer token", bogusToken, "a wrong process token", wrongProcessToken, "a password in a malformed body",
        malformedPassword, "a bare word in a malformed body", bareword));
    secrets.putAll(Map.of("a Basic header that is not base64", notBase64, "a Basic header without a colon", noColon,
        "a Digest header", digest));
    String admin = basic("admin", PASSWORD);

    // users made and passwords changed, with the passwords in the bodies
    String aliceId = json(ok(send("POST", "/user", "{\"name\": \"alice\", \"password\": \"" + alicePassword
        + "\", \"role\": \"user\"}", admin), 201)).path("id").asText();
    ok(send("POST", "/user", "{\"name\": \"bob\", \"password\": \"" + bobPassword + "\"}", admin), 201);
    // a second user named alice is refused: the password in that body stays out of the log too
    ok(send("POST", "/user", "{\"name\": \"alice\", \"password\": \"" + bobPassword + "\"}", admin), 409);

    // logins: right, wrong; the token they answer is a secret too
    String token = json(ok(send("POST", "/login", loginBody("alice", alicePassword), null), 201)).path("token").asText();
    secrets.put("alice's bearer token", token);
    ok(send("POST", "/login", loginBody("alice", wrongPassword), null), 401);
    ok(send("POST", "/login", loginBody("nobody", wrongPassword), null), 401);
    // HTTP Basic: right, wrong
    ok(send("GET", "/user/me", null, basic("alice", alicePassword)), 200);
    ok(send("GET", "/user/me", null, basic("alice", wrongPassword)), 401);
    // bearer tokens: good, bogus
    ok(send("GET", "/user/me", null, "Bearer " + token), 200);
    ok(send("GET", "/user/me", null, "Bearer " + bogusToken), 401);
    // password changes: by an admin, by alice herself (with her current one), and a wrong current one
    ok(send("PUT", "/user/" + aliceId, "{\"password\": \"" + resetPassword + "\"}", admin), 200);
    ok(send("PUT", "/user/me", "{\"password\": \"" + ownPassword + "\", \"currentPassword\": \"" + wrongPassword + "\"}",
        basic("alice", resetPassword)), 403);
    ok(send("PUT", "/user/me", "{\"password\": \"" + ownPassword + "\", \"currentPassword\": \"" + resetPassword + "\"}",
        basic("alice", resetPassword)), 200);
    // malformed bodies holding a password
    ok(send("POST", "/login", "{\"name\": \"alice\", \"password\": \"" + malformedPassword + "\"", null), 400);
    ok(send("POST", "/login", "{\"name\": \"alice\", \"password\": " + bareword + "}", null), 400);
    ok(send("POST", "/user", "{\"name\": \"carol\", \"password\": \"" + malformedPassword + "\", \"pasword\": 1}", admin),
        400);
    // Authorization headers that are not valid
    ok(send("GET", "/user/me", null, "Basic " + notBase64 + "!!"), 401);
    ok(send("GET", "/user/me", null, "Basic " + Base64.getEncoder().encodeToString(noColon.getBytes(StandardCharsets.UTF_8))),
        401);
    ok(send("GET", "/user/me", null, "Digest username=\"alice\", response=\"" + digest + "\""), 401);

    // a process's own token: its trigger with the right one and a wrong one
    HttpResponse<String> created = send("POST", "/process", "{\"serviceId\": \"" + TestImages.METER + "\", \"name\": \"m\"}",
        admin);
    ok(created, 201);
    String processId = json(created).path("id").asText();
    fixture.removeOnClose(processId);
    String processToken = fixture.store().findProcess(processId).orElseThrow().token().value();
    secrets.put("the process's token", processToken);
    ok(send("PUT", "/process/trigger/" + processId, null, null, Map.of("X-Auth-Token", wrongProcessToken)), 403);
    ok(send("PUT", "/process/trigger/" + processId, null, null, Map.of("X-Auth-Token", processToken)), 204);
    fixture.awaitQuiet(processId);
    // certificates: issued twice, refused for a wrong token and a bad key; then a trigger that says TLS
    String publicKey = Base64.getEncoder().encodeToString(org.defpi.orchestrator.certificate.CertificateAuthority
        .newKeyPair(RANDOM).getPublic().getEncoded());
    String certificatePath = "/process/" + processId + "/certificate";
    for (int i = 0; i < 2; i++) {
      ok(send("POST", certificatePath, "{\"publicKey\": \"" + publicKey + "\"}", null,
          Map.of("X-Auth-Token", processToken)), 200);
    }
    ok(send("POST", certificatePath, "{\"publicKey\": \"" + publicKey + "\"}", null,
        Map.of("X-Auth-Token", wrongProcessToken)), 401);
    ok(send("POST", certificatePath, "{\"publicKey\": \"AAAA\"}", null, Map.of("X-Auth-Token", processToken)), 400);
    ok(send("PUT", "/process/trigger/" + processId, null, null, Map.of("X-Auth-Token", processToken,
        "X-Defpi-Tls", "1")), 204);
    fixture.awaitQuiet(processId);
    authorityKey(fixture.store().authority().findAuthority().orElseThrow().privateKey());
    ok(send("DELETE", "/process/" + processId, null, admin), 204);

    // the password change revoked alice's token: refused now; a new login, logged out
    ok(send("GET", "/user/me", null, "Bearer " + token), 401);
    String second = json(ok(send("POST", "/login", loginBody("alice", ownPassword), null), 201)).path("token").asText();
    secrets.put("alice's second bearer token", second);
    ok(send("POST", "/logout", null, "Bearer " + second), 204);

    // a line that does leak, written by this test: the check below must find it, in both formats
    String planted = secret("planted/secret");
    secrets.put("PLANTED", planted);
    LoggerFactory.getLogger("org.defpi.orchestrator.test").info("a careless line with {}", planted);

    List<String> lines = new ArrayList<>();
    lines.addAll(text.toString(StandardCharsets.UTF_8).lines().toList());
    lines.addAll(jsonLines.toString(StandardCharsets.UTF_8).lines().toList());
    // the capture works: the access lines are there, with their request ids, in both formats
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("POST /login 401").contains("{requestId="));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("{\"route\":\"\\/login\"}").contains("\"requestId\""));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("PUT /process/trigger/{id} 204"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("user 'alice' logged in"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("issued a certificate to process"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("POST /process/{id}/certificate 200"));

    Map<String, String> forms = new LinkedHashMap<>();
    secrets.forEach((what, secret) -> {
      forms.put(what, secret);
      forms.put(what + " in a Basic header", Base64.getEncoder().encodeToString(
          ("alice:" + secret).getBytes(StandardCharsets.UTF_8)));
    });
    forms.put("admin's Basic header", admin.substring("Basic ".length()));
    // as a JSON string has them: logback's JsonEncoder writes '/' as '\/' (base64 has slashes)
    new LinkedHashMap<>(forms).forEach((what, secret) -> forms.put(what + " (JSON)", secret.replace("/", "\\/")));
    List<String> leaks = new ArrayList<>();
    for (String line : lines) {
      forms.forEach((what, secret) -> {
        if (line.contains(secret)) {
          leaks.add(what + ": " + line);
        }
      });
    }
    assertThat(leaks).as("the planted line, text and JSON").hasSize(2).allMatch(l -> l.startsWith("PLANTED"));
    leaks.removeIf(l -> l.startsWith("PLANTED"));
    assertThat(leaks).as("%d lines captured", lines.size()).isEmpty();
  }

  /**
   * The authority's private key as it could show up in a line: its PKCS#8 DER in base64 whole and
   * in the 64-character lines of PEM, in hex, and its private scalar in hex and decimal.
   */
  private void authorityKey(byte[] pkcs8) throws Exception {
    String base64 = Base64.getEncoder().encodeToString(pkcs8);
    secrets.put("the authority's key (base64 DER)", base64);
    for (int i = 0; i + 64 <= base64.length(); i += 64) {
      secrets.put("the authority's key (PEM line " + (i / 64 + 1) + ")", base64.substring(i, i + 64));
    }
    secrets.put("the authority's key (hex DER)", HexFormat.of().formatHex(pkcs8));
    java.security.interfaces.ECPrivateKey key = (java.security.interfaces.ECPrivateKey) java.security.KeyFactory
        .getInstance("EC").generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(pkcs8));
    secrets.put("the authority's private scalar (hex)", key.getS().toString(16));
    secrets.put("the authority's private scalar (decimal)", key.getS().toString());
  }

  private static HttpResponse<String> ok(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return response;
  }
}
