package org.defpi.orchestrator.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.defpi.orchestrator.registry.RealRegistry.Credentials;
import org.defpi.orchestrator.service.Registry.RegistryException;

/**
 * Answers a registry's {@code 401}: with HTTP Basic when its {@code WWW-Authenticate} says
 * {@code Basic}, or, when it says {@code Bearer realm=…,service=…,scope=…}, with a token fetched
 * from the realm (with the Basic credentials, if any) and kept per scope until it expires (Docker
 * token spec: {@code expires_in}, 60 s when absent). Once a registry has asked for Basic, or a
 * scope has a live token, requests send it up front instead of waiting for the 401 again.
 *
 * <p>Credentials and tokens never appear in messages or logs.
 */
final class RegistryAuth {
  /** A token is dropped this long before it expires, so it is not used in its last instant. */
  static final Duration MARGIN = Duration.ofSeconds(5);
  static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Token(String value, Instant expiresAt) {
    @Override
    public String toString() {
      return "Token[expiresAt=" + expiresAt + "]";
    }
  }

  private final Optional<Credentials> credentials;
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private volatile boolean basic;

  RegistryAuth(Optional<Credentials> credentials, HttpClient http, Duration timeout, Clock clock) {
    this.credentials = credentials;
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** What to send up front for a request in {@code scope}, if anything is known to work. */
  Optional<String> header(String scope) {
    Token token = tokens.get(scope);
    if (token != null) {
      if (clock.instant().isBefore(token.expiresAt())) {
        return Optional.of("Bearer " + token.value());
      }
      tokens.remove(scope, token);
    }
    return basic ? credentials.map(Credentials::basic) : Optional.empty();
  }

  /**
   * The header to retry with after a {@code 401} whose challenge is {@code challenge}; empty when
   * there is nothing to answer it with (no credentials for Basic, an unknown scheme).
   */
  Optional<String> answer(String challenge, String scope) throws RegistryException {
    String scheme = challenge.strip().split("\\s+", 2)[0];
    if (scheme.equalsIgnoreCase("Basic")) {
      basic = true;
      return credentials.map(Credentials::basic);
    }
    if (!scheme.equalsIgnoreCase("Bearer")) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = PARAM.matcher(challenge);
    while (m.find()) {
      params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
    }
    String realm = params.get("realm");
    if (realm == null || realm.isEmpty()) {
      throw new RegistryException("the registry asked for a Bearer token but named no realm: " + challenge);
    }
    StringBuilder query = new StringBuilder();
    for (String name : new String[] {"service", "scope"}) {
      String value = name.equals("scope") ? params.getOrDefault("scope", scope) : params.get(name);
      if (value != null) {
        query.append(query.isEmpty() ? "" : "&").append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
    URI uri = URI.create(realm + (query.isEmpty() ? "" : (realm.contains("?") ? "&" : "?") + query));
    Token token = fetch(uri);
    tokens.put(scope, token);
    return Optional.of("Bearer " + token.value());
  }

  private Token fetch(URI uri) throws RegistryException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
    credentials.ifPresent(c -> request.header("Authorization", c.basic()));
    Instant asked = clock.instant();
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RegistryException("cannot reach the registry's token server at " + uri.getHost() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("interrupted while asking the token server " + uri.getHost(), e);
    }
    if (response.statusCode() != 200) {
      throw new RegistryException("the registry's token server " + uri.getHost() + " answered " + response.statusCode()
          + (credentials.isEmpty() ? " (no registry credentials are configured)" : " for user " + credentials.get().user()));
    }
    try {
      JsonNode body = JSON.readTree(response.body());
      String value = body.path("token").asText(body.path("access_token").asText(""));
      if (value.isEmpty()) {
        throw new RegistryException("the registry's token server " + uri.getHost() + " sent no token");
      }
      long seconds = body.path("expires_in").asLong(0);
      Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
      // Timed from when we asked, by our clock: the server's issued_at may be skewed from ours.
      return new Token(value, asked.plus(lifetime).minus(MARGIN));
    } catch (IOException e) {
      throw new RegistryException("the registry's token server " + uri.getHost() + " sent something that is not JSON", e);
    }
  }
}
