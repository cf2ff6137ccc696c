package org.defpi.orchestrator.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token server as the Docker token spec describes it, for a real registry configured with
 * {@code auth.token}: it checks HTTP Basic credentials and grants every scope asked for in an
 * RS256 JWT whose {@code x5c} is a self-signed certificate (made with the JDK's keytool), which the
 * registry trusts as its root bundle.
 */
final class TokenServer implements AutoCloseable {
  static final String SERVICE = "defpi-test-registry";
  static final String ISSUER = "defpi-test-issuer";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final PrivateKey key;
  private final Certificate certificate;
  private final String basic;
  private final long expiresIn;
  final AtomicInteger issued = new AtomicInteger();
  final List<String> scopesAsked = java.util.Collections.synchronizedList(new ArrayList<>());

  private TokenServer(HttpServer server, PrivateKey key, Certificate certificate, String basic, long expiresIn) {
    this.server = server;
    this.key = key;
    this.certificate = certificate;
    this.basic = basic;
    this.expiresIn = expiresIn;
  }

  static TokenServer start(String user, String password, long expiresIn) throws Exception {
    Path dir = Files.createTempDirectory("defpi-token-server");
    Path store = dir.resolve("keys.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-alias", "token", "-dname", "CN=defpi-test-token",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (keytool.waitFor() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(new ByteArrayInputStream(Files.readAllBytes(store)), "changeit".toCharArray());
    Files.delete(store);
    Files.delete(dir);
    PrivateKey key = (PrivateKey) keys.getKey("token", "changeit".toCharArray());
    Certificate certificate = keys.getCertificate("token");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    TokenServer tokens = new TokenServer(server, key, certificate, basic, expiresIn);
    server.createContext("/token", exchange -> {
      try (exchange) {
        if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
          exchange.sendResponseHeaders(401, -1);
          return;
        }
        List<String> scopes = new ArrayList<>();
        String query = exchange.getRequestURI().getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
          if (pair.startsWith("scope=")) {
            scopes.add(URLDecoder.decode(pair.substring("scope=".length()), StandardCharsets.UTF_8));
          }
        }
        tokens.scopesAsked.addAll(scopes);
        byte[] body = tokens.token(scopes).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      } catch (Exception e) {
        throw new java.io.IOException(e);
      }
    });
    server.start();
    return tokens;
  }

  String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  String certificatePem() throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  private String token(List<String> scopes) throws Exception {
    ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
    header.putArray("x5c").add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
    long now = System.currentTimeMillis() / 1000;
    ObjectNode claims = JSON.createObjectNode().put("iss", ISSUER).put("sub", AuthRegistry.USER).put("aud", SERVICE)
        .put("iat", now).put("nbf", now - 10).put("exp", now + expiresIn).put("jti", UUID.randomUUID().toString());
    ArrayNode access = claims.putArray("access");
    for (String scope : scopes) {
      int first = scope.indexOf(':');
      int last = scope.lastIndexOf(':');
      ArrayNode actions = access.addObject().put("type", scope.substring(0, first))
          .put("name", scope.substring(first + 1, last)).putArray("actions");
      for (String action : scope.substring(last + 1).split(",")) {
        actions.add(action);
      }
    }
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String signingInput = url.encodeToString(JSON.writeValueAsBytes(header)) + "."
        + url.encodeToString(JSON.writeValueAsBytes(claims));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(key);
    rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    issued.incrementAndGet();
    String jwt = signingInput + "." + url.encodeToString(rsa.sign());
    return JSON.createObjectNode().put("token", jwt).put("expires_in", expiresIn).toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
