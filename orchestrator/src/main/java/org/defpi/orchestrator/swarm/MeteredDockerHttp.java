package org.defpi.orchestrator.swarm;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.defpi.orchestrator.metrics.CallMeter;

/**
 * The one door every Docker Engine API call of {@link RealSwarm} goes through: times each call
 * ({@code defpi_swarm_calls_seconds{operation, outcome}}) and counts failures by the exception
 * docker-java raises for them ({@code defpi_swarm_errors_total{operation, exception}}). An answer
 * that is not 2xx is an error: docker-java throws for it (a 404 that an existence check expects
 * counts as {@code NotFoundException} too). The time is until the engine's answer starts, which for
 * a followed log is its first bytes.
 */
final class MeteredDockerHttp implements DockerHttpClient {
  private final DockerHttpClient http;
  private final CallMeter meter;

  MeteredDockerHttp(DockerHttpClient http, CallMeter meter) {
    this.http = Objects.requireNonNull(http, "http");
    this.meter = Objects.requireNonNull(meter, "meter");
  }

  @Override
  public Response execute(Request request) {
    String operation = operation(request.method(), request.path());
    long started = System.nanoTime();
    Response response;
    try {
      response = http.execute(request);
    } catch (RuntimeException | Error e) {
      meter.record(operation, Duration.ofNanos(System.nanoTime() - started), Optional.of(exceptionName(e)));
      throw e;
    }
    meter.record(operation, Duration.ofNanos(System.nanoTime() - started), error(response.getStatusCode()));
    return response;
  }

  @Override
  public void close() throws IOException {
    http.close();
  }

  /** A wrapped transport failure is named by its cause ({@code SocketTimeoutException}), which says more. */
  private static String exceptionName(Throwable e) {
    Throwable named = e.getClass() == RuntimeException.class && e.getCause() != null ? e.getCause() : e;
    return named.getClass().getSimpleName();
  }

  /** The exception docker-java raises for a status it does not take as success; empty for a success. */
  static Optional<String> error(int status) {
    if (status == 101 || (status >= 200 && status < 300)) {
      return Optional.empty();
    }
    return Optional.of(switch (status) {
      case 304 -> "NotModifiedException";
      case 400 -> "BadRequestException";
      case 401 -> "UnauthorizedException";
      case 404 -> "NotFoundException";
      case 406 -> "NotAcceptableException";
      case 409 -> "ConflictException";
      case 500 -> "InternalServerErrorException";
      default -> "DockerException";
    });
  }

  /** Second path segments that are verbs of a collection, not ids: {@code POST /services/create}. */
  private static final Set<String> VERBS = Set.of("create", "prune", "json", "init", "join", "leave", "update",
      "unlock", "unlockkey");

  /**
   * The call as a template, so its tag is one of a few: {@code GET /services/{id}},
   * {@code POST /services/{id}/update}, {@code GET /distribution/{name}/json}. The API version
   * prefix and the query go; an id or name becomes {@code {id}} ({@code {name}} for an image, which
   * may have slashes of its own).
   */
  static String operation(String method, String path) {
    String p = path;
    int query = p.indexOf('?');
    if (query >= 0) {
      p = p.substring(0, query);
    }
    p = p.replaceFirst("^/v\\d+(\\.\\d+)?(?=/)", "");
    String[] parts = p.replaceFirst("^/", "").split("/");
    if (parts.length == 0 || parts[0].isEmpty()) {
      return method + " /";
    }
    StringBuilder template = new StringBuilder(method).append(" /").append(parts[0]);
    if (parts[0].equals("distribution") || parts[0].equals("images")) {
      // image names have slashes: /distribution/127.0.0.1:5000/services/x:1/json
      if (parts.length > 1) {
        boolean json = parts[parts.length - 1].equals("json") && parts.length > 2;
        template.append(VERBS.contains(parts[1]) && parts.length == 2 ? "/" + parts[1] : "/{name}");
        if (json) {
          template.append("/json");
        }
      }
      return template.toString();
    }
    for (int i = 1; i < parts.length && i < 4; i++) {
      template.append('/').append(i == 1 && !VERBS.contains(parts[i]) ? "{id}" : parts[i]);
    }
    return template.toString();
  }
}
