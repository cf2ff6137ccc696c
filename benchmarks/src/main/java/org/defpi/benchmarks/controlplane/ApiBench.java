package org.defpi.benchmarks.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.defpi.benchmarks.controlplane.Seeder.Seeded;
import org.defpi.orchestrator.process.Process;

/**
 * The orchestrator's API over HTTP on loopback, served by the real {@code Wiring} (Javalin, its
 * routes, the managers, the store) with {@code DEFPI_RECONCILE=off}: list endpoints with paging,
 * filters and sorting, the traffic reports of every process, the traffic and metrics reads, and
 * the event stream to many subscribers.
 */
final class ApiBench {
  private final String section;
  private final Seeded seeded;
  private final Api api;
  private final Measure.Budget budget;
  private final String admin;
  private final String user;
  private final Measure.Op touch;

  /** @param touch a write between two timed reads ({@link Toucher}), not timed */
  ApiBench(String section, Seeded seeded, Api api, Measure.Budget budget, Measure.Op touch) throws Exception {
    this.section = section;
    this.touch = touch;
    this.seeded = seeded;
    this.api = api;
    this.budget = budget;
    this.admin = api.login(seeded.admin().name(), Seeder.PASSWORD);
    this.user = api.login(seeded.users().getFirst().name(), Seeder.PASSWORD);
  }

  /** The list endpoints, one client, then one of them with several clients at once. */
  List<Row> lists(int clients) throws Exception {
    Seeded s = seeded;
    int p = s.processes().size();
    List<Row> rows = new ArrayList<>();
    rows.add(get("GET /health (no auth, no store: the HTTP stack)", 0, "/health", null));
    rows.add(get("GET /user/me (token check: one store read)", 1, "/user/me", admin));
    rows.add(get("GET /process?limit=100 (admin: first page)", p, "/process?limit=100", admin));
    rows.add(get("GET /process?state=RUNNING&sort=-createdAt,name&offset=5000&limit=100", p,
        "/process?state=RUNNING&sort=-createdAt,name&offset=" + Math.min(5000, p / 2) + "&limit=100", admin));
    rows.add(get("GET /process?limit=100 (a user: " + s.fleet().processesPerUser() + " of " + p + " are theirs)", p,
        "/process?limit=100", user));
    List<Process> all = s.processes();
    int[] next = {0};
    Measure.Timed one = Measure.repeat(budget, touch, () -> api.get("/process/" + all.get(next[0]++ % all.size()).id(), admin));
    rows.add(new Row(section, "GET /process/{id} (one row by key)", 1, one.histogram(), one.perSecond(), "req", ""));
    rows.add(get("GET /connection?limit=100 (admin)", s.connections().size(), "/connection?limit=100", admin)
        .withNote("reads every process too, for the owners"));
    rows.add(get("GET /connection?limit=100 (a user: " + 3 * s.fleet().processesPerUser() + " of "
        + s.connections().size() + " are theirs)", s.connections().size(), "/connection?limit=100", user));
    rows.add(get("GET /node?limit=100 (admin)", s.nodes().size(), "/node?limit=100", admin));
    rows.add(get("GET /pendingchange?limit=100 (admin, finished history)", s.fleet().history(),
        "/pendingchange?limit=100", admin));
    rows.add(get("GET /service?limit=100 (the catalog snapshot)", s.fleet().services(), "/service?limit=100", admin));
    Measure.Timed concurrent = Measure.concurrent(clients, clients * 3, i -> api.get("/process?limit=100", admin));
    rows.add(new Row(section, "GET /process?limit=100 (admin), " + clients + " clients at once", p,
        concurrent.histogram(), concurrent.perSecond(), "req", "CPU-bound: the throughput is the ceiling"));
    return rows;
  }

  private Row get(String what, long n, String path, String token) throws Exception {
    long[] bytes = {0};
    String[] total = {null};
    Measure.Timed t = Measure.repeat(budget, touch, () -> {
      HttpResponse<byte[]> r = token == null ? api.client().send(HttpRequest.newBuilder(api.uri(path)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray()) : api.get(path, token);
      if (r.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + r.statusCode());
      }
      bytes[0] = r.body().length;
      total[0] = r.headers().firstValue("X-Total-Count").orElse(null);
    });
    String note = String.format(Locale.ROOT, "%,d B body", bytes[0]) + (total[0] == null ? "" : ", total " + total[0]);
    return new Row(section, what, n, t.histogram(), t.perSecond(), "req", note);
  }

  /**
   * Every process reports its connections' traffic ({@code PUT /process/{id}/traffic}, as the SDK's
   * reporter does), {@code clients} at once: the first report of each, for at most {@code cap}, then
   * the next report of the same processes (the steady state). Then the reads that walk what was
   * reported: {@code GET /traffic} and the Prometheus scrape.
   */
  List<Row> traffic(int clients, Duration cap) throws Exception {
    List<Process> all = seeded.processes();
    List<Row> rows = new ArrayList<>();
    AtomicLong interval = new AtomicLong();
    int reporting = all.size();
    for (int round = 1; round <= 2; round++) {
      int r = round;
      Measure.Timed t = Measure.concurrent(clients, reporting, cap, i -> {
        Process p = all.get(i);
        HttpResponse<byte[]> answer = api.put("/process/" + p.id() + "/traffic", Map.of("X-Auth-Token",
            p.token().value()), report(seeded.connectionsOf().getOrDefault(p.id(), List.of()), r), 204);
        interval.set(Long.parseLong(answer.headers().firstValue("X-Defpi-Report-Interval").orElse("-1")));
      });
      reporting = (int) t.count();
      rows.add(new Row(section, "PUT /process/{id}/traffic, " + (round == 1 ? "first" : "next") + " report, "
          + clients + " clients", all.size(), t.histogram(), t.perSecond(), "reports", String.format(Locale.ROOT,
              "%,d processes reported%s; ~%.0f ends a report; interval answered %d s", reporting,
              reporting < all.size() ? " (the rest left out: " + cap.toSeconds() + " s cap)" : "",
              2.0 * seeded.connections().size() / all.size(), interval.get())));
    }
    long ends = seeded.processes().subList(0, reporting).stream()
        .mapToLong(p -> seeded.connectionsOf().getOrDefault(p.id(), List.of()).size()).sum();
    Measure.Budget few = budget.withSamples(2, 20);
    rows.add(timedGet(few, "GET /traffic (admin: every reported end)", ends, "/traffic", admin)
        .withNote("no store read"));
    rows.add(timedGet(few, "GET /traffic (a user's)", ends, "/traffic", user));
    rows.add(timedGet(few, "GET /metrics (Prometheus text, after the reports)", ends, "/metrics", admin)
        .withNote("7 series per reported end"));
    return rows;
  }

  private Row timedGet(Measure.Budget b, String what, long n, String path, String token) throws Exception {
    long[] bytes = {0};
    Measure.Timed t = Measure.repeat(b, () -> bytes[0] = api.get(path, token).body().length);
    return new Row(section, what, n, t.histogram(), t.perSecond(), "req",
        String.format(Locale.ROOT, "%,d B body", bytes[0]));
  }

  /** A traffic report of {@code connections}, counts growing with the round. */
  private static String report(List<String> connections, int round) {
    StringBuilder b = new StringBuilder("{\"connections\":[");
    for (int i = 0; i < connections.size(); i++) {
      long base = 1000L * round + i;
      b.append(i == 0 ? "" : ",").append("{\"connectionId\":\"").append(connections.get(i))
          .append("\",\"state\":\"CONNECTED\",\"messagesIn\":").append(base).append(",\"messagesOut\":").append(base)
          .append(",\"bytesIn\":").append(base * 200).append(",\"bytesOut\":").append(base * 200)
          .append(",\"dropped\":0,\"errors\":0,\"stateChanges\":1}");
    }
    return b.append("]}").toString();
  }

  /**
   * {@code subscribers} admins follow {@code GET /events} (each its own HTTP stream); one client
   * renames {@code changes} processes ({@code PUT /process/{id}}, a store write whose event every
   * stream carries). Measured: from sending the rename to each stream's receiving its event.
   */
  List<Row> events(int subscribers, int changes) throws Exception {
    Recorder delivery = new Recorder(TimeUnit.MINUTES.toNanos(1), 3);
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    LongAdder delivered = new LongAdder();
    CountDownLatch ready = new CountDownLatch(subscribers);
    List<Thread> readers = new ArrayList<>();
    List<InputStream> streams = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < subscribers; i++) {
      readers.add(Thread.ofVirtual().name("bench-sse-" + i).start(() -> {
        try {
          HttpResponse<InputStream> r = api.client().send(HttpRequest.newBuilder(api.uri("/events"))
              .header("Authorization", "Bearer " + admin).header("Accept", "text/event-stream").GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
          streams.add(r.body());
          try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            String event = "";
            while ((line = in.readLine()) != null) {
              if (line.startsWith("event:")) {
                event = line.substring(6).strip();
                if (event.equals("ready")) {
                  ready.countDown();
                }
              } else if (line.startsWith("data:") && event.equals("process")) {
                JsonNode data = Api.JSON.readTree(line.substring(5));
                Long at = sentAt.get(data.path("id").asText());
                if (at != null) {
                  delivery.recordValue(System.nanoTime() - at);
                  delivered.increment();
                }
              }
            }
          }
        } catch (Exception e) {
          // closed by the bench when it is done
        }
      }));
    }
    if (!ready.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("only " + (subscribers - ready.getCount()) + " of " + subscribers
          + " event streams said ready within 60 s");
    }
    List<Process> all = seeded.processes();
    long started = System.nanoTime();
    Histogram writes = Row.newHistogram();
    for (int i = 0; i < changes; i++) {
      Process p = all.get(i % all.size());
      long t = System.nanoTime();
      sentAt.put(p.id(), t);
      api.put("/process/" + p.id(), Map.of("Authorization", "Bearer " + admin),
          "{\"name\":\"renamed-" + i + "\"}", 200);
      writes.recordValue(System.nanoTime() - t);
    }
    long expected = (long) subscribers * changes;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (delivered.sum() < expected && System.nanoTime() < deadline) {
      Thread.sleep(10); // the bench waits for its streams: nothing to be woken by
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    for (InputStream s : streams) {
      s.close();
    }
    for (Thread t : readers) {
      t.join(TimeUnit.SECONDS.toMillis(5));
    }
    List<Row> rows = new ArrayList<>();
    rows.add(new Row(section, "PUT /process/{id} (rename: a store write + event), " + subscribers + " streams open",
        1, writes, changes / seconds, "req", ""));
    rows.add(new Row(section, "event delivered on GET /events (SSE), " + subscribers + " subscribers", subscribers,
        delivery.getIntervalHistogram(), delivered.sum() / seconds, "deliveries",
        String.format(Locale.ROOT, "%,d of %,d delivered; from the rename's send", delivered.sum(), expected)));
    return rows;
  }
}
