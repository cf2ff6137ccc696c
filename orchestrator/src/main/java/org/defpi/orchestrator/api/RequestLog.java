package org.defpi.orchestrator.api;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.defpi.orchestrator.metrics.HttpMeters;
import org.defpi.orchestrator.user.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Around every request, before any route runs and after its answer is written: gives it an id
 * ({@link RequestIds}; the {@value RequestIds#HEADER} answer header, {@code requestId} in the MDC so
 * every line logged meanwhile names it, a request attribute for problem bodies), then times it
 * ({@link HttpMeters}, by route template) and writes one access line: method, route template,
 * status, milliseconds, the user's id. Never a header, the query or a body: credentials travel
 * there.
 */
final class RequestLog implements Filter {
  /** The request attribute that holds the request's id. */
  static final String REQUEST_ID = "defpi.requestId";
  static final String MDC_KEY = "requestId";
  private static final Logger ACCESS = LoggerFactory.getLogger("org.defpi.orchestrator.api.access");

  private final RouteTemplates routes;
  private final HttpMeters meters;

  RequestLog(RouteTemplates routes, HttpMeters meters) {
    this.routes = Objects.requireNonNull(routes, "routes");
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest req) || !(response instanceof HttpServletResponse res)) {
      chain.doFilter(request, response);
      return;
    }
    String id = RequestIds.accept(req.getHeader(RequestIds.HEADER)).orElseGet(RequestIds::generate);
    req.setAttribute(REQUEST_ID, id);
    res.setHeader(RequestIds.HEADER, id);
    long started = System.nanoTime();
    try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_KEY, id)) {
      try {
        chain.doFilter(request, response);
      } finally {
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String route = routes.match(req.getRequestURI()).orElse(HttpMeters.NOT_FOUND);
        int status = res.getStatus();
        meters.record(req.getMethod(), route, status, took, isStream(route, req));
        String userId = req.getAttribute(Routes.USER) instanceof User u ? u.id() : "-";
        ACCESS.atInfo().setMessage("{} {} {} {} ms user {}").addArgument(req.getMethod()).addArgument(route)
            .addArgument(status).addArgument(took.toMillis()).addArgument(userId)
            .addKeyValue("method", req.getMethod()).addKeyValue("route", route).addKeyValue("status", status)
            .addKeyValue("durationMs", took.toMillis()).addKeyValue("userId", userId).log();
      }
    }
  }

  /** Answers that last as long as their client listens: the event stream and a followed log. */
  static boolean isStream(String route, HttpServletRequest req) {
    return route.equals("/events") || (route.equals("/process/{id}/log") && "true".equals(req.getParameter("follow")));
  }
}
