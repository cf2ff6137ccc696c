package org.defpi.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.defpi.orchestrator.api.ApiFixture.JSON;
import static org.defpi.orchestrator.api.ApiFixture.basic;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** GET /events over the real server: what a stream carries, to whom, and how a client catches up. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventsTest {
  private static final String ANY_PROCESS = "65a1b2c30000000000000042";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ApiFixture fixture = new ApiFixture();
  private String aliceId;
  private String aliceToken;

  /** One server-sent event as it came over the wire. */
  record Received(String name, String id, String data) {
    JsonNode json() throws Exception {
      return JSON.readTree(data);
    }
  }

  /** An open stream, read line by line on a virtual thread into a queue of events. */
  final class EventStream implements AutoCloseable {
    private final BlockingQueue<Received> events = new LinkedBlockingQueue<>();
    private final HttpResponse<java.util.stream.Stream<String>> response;
    private volatile boolean ended;

    EventStream(String authorization, Map<String, String> headers) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.port() + "/events"))
          .header("Authorization", authorization).header("Accept", "text/event-stream");
      headers.forEach(b::header);
      response = fixture.http().send(b.build(), HttpResponse.BodyHandlers.ofLines());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
          .startsWith("text/event-stream"));
      Thread.ofVirtual().start(this::read);
      // Listening once "ready" is in: what the test does from here on is on the stream.
      Received first = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(first).as("the first event of a stream").isNotNull();
      if (!first.name().equals("ready")) {
        events.add(first); // a reset: left for the test to read
      }
    }

    private void read() {
      String name = null;
      String id = null;
      StringBuilder data = new StringBuilder();
      try (java.util.stream.Stream<String> lines = response.body()) {
        for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
          String line = it.next();
          if (line.isEmpty()) {
            if (name != null) {
              events.add(new Received(name, id, data.toString()));
            }
            name = null;
            id = null;
            data.setLength(0);
          } else if (line.startsWith("event:")) {
            name = line.substring(6).strip();
          } else if (line.startsWith("id:")) {
            id = line.substring(3).strip();
          } else if (line.startsWith("data:")) {
            data.append(line.substring(5).strip());
          }
        }
      } catch (RuntimeException e) {
        // closed by the test
      } finally {
        ended = true;
      }
    }

    /** The next event about {@code id}, skipping others; fails after {@link #WAIT}. */
    Received next(String id) throws Exception {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        Received r = events.poll(100, TimeUnit.MILLISECONDS);
        if (r != null && (id == null || r.data().contains("\"" + id + "\""))) {
          return r;
        }
      }
      throw new AssertionError("no event about " + id + " within " + WAIT);
    }

    /** Whether an event about {@code id} arrives within {@code within}. */
    boolean sees(String id, Duration within) throws Exception {
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline) {
        Received r = events.poll(50, TimeUnit.MILLISECONDS);
        if (r != null && r.data().contains("\"" + id + "\"")) {
          return true;
        }
      }
      return false;
    }

    boolean ended(Duration within) throws InterruptedException {
      long deadline = System.nanoTime() + within.toNanos();
      while (!ended && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      return ended;
    }

    @Override
    public void close() {
      response.body().close();
    }
  }

  @BeforeAll
  void start() throws Exception {
    fixture.start(ApiFixture.Database.H2);
    JsonNode alice = ApiFixture.ok(fixture.send("POST", "/user",
        "{\"name\": \"events-alice\", \"password\": \"alice-password\"}", admin()), 201);
    aliceId = alice.path("id").asText();
    aliceToken = fixture.login("events-alice", "alice-password");
  }

  @AfterAll
  void stop() throws Exception {
    fixture.close();
  }

  private static String admin() {
    return basic("admin", ApiFixture.PASSWORD);
  }

  @Test
  void aChangeIsOnTheStreamWithItsSubjectActionAndState() throws Exception {
    try (EventStream stream = new EventStream(admin(), Map.of())) {
      String change = fixture.newPendingChange(ANY_PROCESS, fixture.adminId());
      Received created = stream.next(change);
      assertThat(created.name()).isEqualTo("pendingchange");
      assertThat(created.id()).matches("[0-9a-f]+-\\d+");
      JsonNode data = created.json();
      assertThat(data.path("action").asText()).isEqualTo("created");
      assertThat(data.path("state").asText()).isEqualTo("PENDING");
      assertThat(data.path("userId").asText()).isEqualTo(fixture.adminId());

      assertThat(fixture.send("DELETE", "/pendingchange/" + change, null, admin()).statusCode()).isEqualTo(204);
      JsonNode cancelled = stream.next(change).json();
      assertThat(cancelled.path("action").asText()).isEqualTo("changed");
      assertThat(cancelled.path("state").asText()).isEqualTo("CANCELLED");
      assertThat(cancelled.path("seq").asLong()).isGreaterThan(data.path("seq").asLong());
    }
  }

  @Test
  void aUserSeesTheirOwnEventsAndAnAdminEveryones() throws Exception {
    try (EventStream alice = new EventStream("Bearer " + aliceToken, Map.of());
        EventStream admin = new EventStream(admin(), Map.of())) {
      String adminsChange = fixture.newPendingChange(ANY_PROCESS, fixture.adminId());
      String alicesChange = fixture.newPendingChange(ANY_PROCESS, aliceId);
      assertThat(alice.next(alicesChange).json().path("userId").asText()).isEqualTo(aliceId);
      assertThat(admin.next(adminsChange)).isNotNull();
      assertThat(admin.next(alicesChange)).isNotNull();
      assertThat(alice.sees(adminsChange, Duration.ofMillis(300))).isFalse();
    }
  }

  @Test
  void aClientThatReconnectsWithTheLastIdGetsWhatItMissed() throws Exception {
    String first;
    String missed;
    try (EventStream stream = new EventStream(admin(), Map.of())) {
      String change = fixture.newPendingChange(ANY_PROCESS, fixture.adminId());
      first = stream.next(change).id();
    }
    missed = fixture.newPendingChange(ANY_PROCESS, fixture.adminId());
    try (EventStream again = new EventStream(admin(), Map.of("Last-Event-ID", first))) {
      assertThat(again.next(missed).json().path("action").asText()).isEqualTo("created");
    }
  }

  @Test
  void anIdThisRunDoesNotKnowGetsOneResetAndTheStreamEnds() throws Exception {
    try (EventStream stream = new EventStream(admin(), Map.of("Last-Event-ID", "0000-5"))) {
      Received reset = stream.next(null);
      assertThat(reset.name()).isEqualTo("reset");
      assertThat(reset.json().path("reason").asText()).contains("reload and listen again");
      assertThat(stream.ended(WAIT)).isTrue();
    }
  }
}
