package org.defpi.examples.energydashboard.web;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Plain HTTP calls to a dashboard, and a reader of its event stream. */
final class HttpClients {
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpClients() {}

  static HttpResponse<String> get(int port, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Reads {@code /events} on a thread of its own; {@link #next} waits for an event's data. */
  static final class EventStream implements AutoCloseable {
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final InputStream body;
    final HttpResponse<InputStream> response;

    EventStream(int port) throws Exception {
      response = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events"))
          .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
      body = response.body();
      Thread.ofVirtual().start(() -> {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
          String event = null;
          StringBuilder data = new StringBuilder();
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith("event: ")) {
              event = line.substring(7);
            } else if (line.startsWith("data: ")) {
              data.append(line.substring(6));
            } else if (line.isEmpty() && event != null) {
              events.add(event + " " + data);
              event = null;
              data.setLength(0);
            }
          }
        } catch (java.io.IOException e) {
          // closed by the test
        }
      });
    }

    /** The next event as "name data", waiting at most 10 s. */
    String next() throws InterruptedException {
      String event = events.poll(10, TimeUnit.SECONDS);
      if (event == null) {
        throw new AssertionError("no event within 10 s");
      }
      return event;
    }

    @Override
    public void close() throws Exception {
      body.close();
    }
  }
}
