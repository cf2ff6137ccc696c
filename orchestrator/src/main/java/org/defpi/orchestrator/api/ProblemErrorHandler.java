package org.defpi.orchestrator.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty refuses some requests before any route runs: a path with bad %-escapes or bytes that are
 * not UTF-8, a URI too long. Its default answer is an HTML page; this writes the same RFC 9457
 * problem the routes write, so a client reads every refusal the same way.
 */
final class ProblemErrorHandler extends ErrorHandler {
  /** Jetty's own handle() writes a body only for GET, POST and HEAD; a refused PUT or DELETE deserves one too. */
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Object message = request.getAttribute(ERROR_MESSAGE);
    generateResponse(request, response, response.getStatus(), message == null ? null : message.toString(), null,
        callback);
    return true;
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    String reason = HttpStatus.getMessage(code);
    String detail = "the request was refused before it reached the API: "
        + (message == null || message.isBlank() ? reason : message);
    // The id RequestLog gave it; refused before RequestLog saw it, it gets one here.
    Object given = request.getAttribute(RequestLog.REQUEST_ID);
    String answered = response.getHeaders().get(RequestIds.HEADER);
    String requestId = given instanceof String id ? id : answered != null ? answered
        : RequestIds.accept(request.getHeaders().get(RequestIds.HEADER)).orElseGet(RequestIds::generate);
    byte[] body;
    try {
      body = Bodies.JSON.writeValueAsBytes(Views.problem("http-" + code, reason, code, detail,
          "", java.util.Optional.of(requestId)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      callback.failed(e);
      return;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Routes.PROBLEM_JSON);
    response.getHeaders().put(RequestIds.HEADER, requestId);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
