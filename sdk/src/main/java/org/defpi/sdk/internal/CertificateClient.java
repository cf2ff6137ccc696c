package org.defpi.sdk.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.defpi.sdk.DefPiParameters;
import org.defpi.wire.tls.TlsNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the orchestrator's certificate authority for this process's certificate
 * (docs/wire-additions.md, "TLS", 1): {@code POST /process/{id}/certificate} with {@code
 * X-Auth-Token} and {@code {"publicKey": base64(DER SubjectPublicKeyInfo)}} of an EC P-256 key
 * made here, whose private half never leaves the process.
 *
 * <ul>
 *   <li>200: the certificate and the CA certificate (PEM), {@code notAfter}, {@code renewAfter}.
 *       The answer is checked before it is used: the certificate must certify our key and be
 *       signed by the CA that came with it.
 *   <li>404 or 405: an orchestrator without TLS (the original dEF-Pi, or ours with {@code
 *       DEFPI_TLS=off}): the process stays plain.
 *   <li>anything else (no answer, 5xx, 401 of an orchestrator that does not know the process yet,
 *       an answer that does not check out): tried again.
 * </ul>
 *
 * At start-up the attempts share the trigger call's deadline ({@link #obtain}): a process goes plain
 * only when the orchestrator says it has no TLS, never because the request failed, so an
 * orchestrator that never answers fails the start at that deadline (exit 1, and Swarm starts the
 * container again) instead of making it a silently unencrypted process. The token and the private
 * key are never logged.
 *
 * <p>{@link HttpURLConnection} and Jackson's streaming parser, for the reason {@link TriggerClient}
 * gives: this is on the way to RUNNING, and both are light in a fresh JVM.
 */
final class CertificateClient {
  private static final Logger log = LoggerFactory.getLogger(CertificateClient.class);
  private static final int REQUEST_TIMEOUT_MILLIS = 5000;
  private static final int MAX_ANSWER_BYTES = 64 * 1024;
  private static final JsonFactory JSON = new JsonFactory();

  /** What one request got. */
  sealed interface Answer {
    /** 200 with an answer that checks out. */
    record Issued(Credentials credentials) implements Answer {}

    /** 404 or 405: the orchestrator issues no certificates. */
    record NoTls(int status) implements Answer {}

    /** Anything else; worth trying again. */
    record Failed(String reason) implements Answer {}
  }

  private final URI uri;
  private final String token;

  CertificateClient(DefPiParameters parameters) {
    this.uri = certificateUri(parameters);
    this.token = parameters.orchestratorToken();
  }

  static URI certificateUri(DefPiParameters p) {
    try {
      return new URI("http", null, p.orchestratorHost(), p.orchestratorPort(),
          TlsNames.certificatePath(p.processId()), null, null);
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot build the certificate URL from orchestrator host '"
          + p.orchestratorHost() + "' and process id '" + p.processId() + "': " + e.getMessage(), e);
    }
  }

  URI uri() {
    return uri;
  }

  /** A new EC P-256 key pair, in memory only. */
  static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make EC P-256 keys: " + e.getMessage(), e);
    }
  }

  /**
   * The start-up request: tried with the trigger call's back-off until the orchestrator issues a
   * certificate or says it has no TLS, or {@code deadlineNanos} ({@link System#nanoTime()}) passes.
   *
   * @param timeout the whole budget, for the message
   * @return the credentials, or empty when the orchestrator issues no certificates
   * @throws IllegalStateException the deadline passed; the message says what the last attempt got
   */
  Optional<Credentials> obtain(long deadlineNanos, Duration timeout) throws InterruptedException {
    return obtain(startKeyPair(), deadlineNanos, timeout);
  }

  /**
   * A new key pair, made on its own thread. A JVM's first EC key pair is slow (class loading, curve
   * arithmetic not yet compiled: 100–500 ms measured here), so the runtime starts it first and the
   * request sets up its HTTP connection meanwhile.
   */
  static CompletableFuture<KeyPair> startKeyPair() {
    return CompletableFuture.supplyAsync(CertificateClient::newKeyPair,
        task -> Thread.ofVirtual().name("defpi-key-pair").start(task));
  }

  /** {@link #obtain(long, Duration)} with a key pair that may still be in the making; one for every attempt. */
  Optional<Credentials> obtain(CompletableFuture<KeyPair> keys, long deadlineNanos, Duration timeout)
      throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      Answer answer = request(keys::join);
      switch (answer) {
        case Answer.Issued issued -> {
          return Optional.of(issued.credentials());
        }
        case Answer.NoTls noTls -> {
          log.info("the orchestrator issues no certificates (POST {} answered HTTP {}): management and data "
              + "connections stay plain TCP", uri, noTls.status());
          return Optional.empty();
        }
        case Answer.Failed failed -> {
          Duration delay = TriggerClient.BACKOFF.delay(attempt);
          if (System.nanoTime() + delay.toNanos() - deadlineNanos > 0) {
            throw new IllegalStateException("certificate request POST " + uri + " did not succeed within "
                + ProcessController.readable(timeout) + " (" + (attempt + 1) + " attempts, last: " + failed.reason()
                + "); a process goes plain only when the orchestrator answers 404 or 405");
          }
          log.warn("certificate request to {} failed ({}); retrying in {} ms", uri, failed.reason(), delay.toMillis());
          Thread.sleep(delay);
        }
      }
    }
  }

  /** One request for a certificate of {@code keys}' public key. Never throws: failures are answers. */
  Answer request(KeyPair keys) {
    return request(() -> keys);
  }

  /** One request, taking the key pair once the connection is up. */
  private Answer request(Supplier<KeyPair> keySource) {
    KeyPair keys;
    int status;
    byte[] answer;
    try {
      HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
      try {
        connection.setConnectTimeout(REQUEST_TIMEOUT_MILLIS);
        connection.setReadTimeout(REQUEST_TIMEOUT_MILLIS);
        connection.setUseCaches(false);
        connection.setRequestMethod("POST");
        connection.setRequestProperty("X-Auth-Token", token);
        connection.setRequestProperty("Content-Type", "application/json");
        connection.setRequestProperty("Accept", "application/json");
        connection.setDoOutput(true);
        connection.connect(); // the body is buffered and sent with its length once it is written
        keys = keySource.get();
        try (OutputStream out = connection.getOutputStream()) {
          out.write(("{\"publicKey\":\"" + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()) + "\"}")
              .getBytes(StandardCharsets.US_ASCII));
        }
        status = connection.getResponseCode();
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
          answer = in == null ? new byte[0] : in.readNBytes(MAX_ANSWER_BYTES);
        }
      } finally {
        connection.disconnect();
      }
    } catch (IOException e) {
      return new Answer.Failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
    if (status == 404 || status == 405) {
      return new Answer.NoTls(status);
    }
    if (status != 200) {
      return new Answer.Failed("HTTP " + status + detail(answer));
    }
    try {
      return new Answer.Issued(credentials(keys, answer, Instant.now()));
    } catch (GeneralSecurityException | IOException e) {
      return new Answer.Failed("an answer that does not check out: " + e.getMessage());
    }
  }

  /**
   * Reads and checks a 200 answer for {@code keys}. Missing times are taken from the certificate
   * ({@code notAfter}) and the contract's rule (renew two thirds of the way from now).
   */
  static Credentials credentials(KeyPair keys, byte[] answer, Instant now) throws GeneralSecurityException, IOException {
    Map<String, String> fields = stringFields(answer);
    X509Certificate certificate = certificate(fields.get("certificate"), "certificate");
    X509Certificate authority = certificate(fields.get("caCertificate"), "caCertificate");
    if (!Arrays.equals(certificate.getPublicKey().getEncoded(), keys.getPublic().getEncoded())) {
      throw new CertificateException("the certificate (serial " + certificate.getSerialNumber().toString(16)
          + ") certifies another key than the one sent");
    }
    try {
      certificate.verify(authority.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertificateException("the certificate is not signed by the CA certificate of the same answer ("
          + e.getMessage() + ")", e);
    }
    Instant notAfter = instant(fields.get("notAfter"), "notAfter").orElse(certificate.getNotAfter().toInstant());
    Instant renewAfter = instant(fields.get("renewAfter"), "renewAfter")
        .filter(r -> r.isBefore(notAfter))
        .orElseGet(() -> now.plus(Duration.between(now, notAfter).multipliedBy(2).dividedBy(3)));
    return new Credentials(keys.getPrivate(), certificate, authority, notAfter, renewAfter);
  }

  /** The top-level string members of a JSON object; other members are skipped. */
  private static Map<String, String> stringFields(byte[] json) throws IOException {
    Map<String, String> fields = new HashMap<>();
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("the answer is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        if (parser.nextToken() == JsonToken.VALUE_STRING) {
          fields.put(name, parser.getText());
        } else {
          parser.skipChildren();
        }
      }
    }
    return fields;
  }

  private static X509Certificate certificate(String pem, String field) throws CertificateException {
    if (pem == null || pem.isBlank()) {
      throw new CertificateException("the answer has no \"" + field + "\"");
    }
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException e) {
      throw new CertificateException("\"" + field + "\" is not a PEM X.509 certificate: " + e.getMessage(), e);
    }
  }

  private static Optional<Instant> instant(String text, String field) throws IOException {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text.strip()));
    } catch (DateTimeParseException e) {
      throw new IOException("\"" + field + "\" is not an ISO-8601 instant: '" + text + "'", e);
    }
  }

  /** A refusal's problem detail, short, for the log line (never the request, which has the token). */
  private static String detail(byte[] answer) {
    if (answer.length == 0) {
      return "";
    }
    try {
      String detail = stringFields(answer).get("detail");
      if (detail != null && !detail.isBlank()) {
        return ": " + (detail.length() > 200 ? detail.substring(0, 200) + "…" : detail);
      }
    } catch (IOException e) {
      // not problem+json: the status says enough
    }
    return "";
  }

  @Override
  public String toString() {
    return "CertificateClient[" + uri + "]"; // never the token
  }
}
