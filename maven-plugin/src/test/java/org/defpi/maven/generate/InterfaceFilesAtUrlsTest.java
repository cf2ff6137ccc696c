package org.defpi.maven.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.defpi.maven.Fixtures;
import org.defpi.maven.generate.ServiceLayout.VersionLayout;
import org.defpi.maven.service.InterfaceCache;
import org.defpi.maven.service.InvalidServiceException;
import org.defpi.maven.service.ServiceProject;
import org.defpi.wire.hash.InterfaceHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interface files at http URLs, served by a real HTTP server on loopback that counts what it is
 * asked: fetched once into the cache, read from there by later (and offline) builds, hashed over
 * the bytes used.
 */
class InterfaceFilesAtUrlsTest {
  private static final String PROTO = """
      syntax = "proto3";
      message Ping { int32 n = 1; }
      message Pong { int32 n = 1; }
      """;

  @TempDir Path project;
  @TempDir Path cache;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final Map<String, byte[]> served = new ConcurrentHashMap<>();

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      byte[] body = served.get(exchange.getRequestURI().getPath());
      exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        if (body != null) {
          out.write(body);
        }
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private void writeService(String location, String sends, String receives) throws IOException {
    Files.writeString(project.resolve("service.json"), """
        {"name": "Echo", "version": "1.0.0",
         "interfaces": [{"name": "Echo", "autoConnect": false, "allowMultiple": true,
           "interfaceVersions": [{"versionName": "v1", "location": "%s", "sends": [%s], "receives": [%s]}]}]}
        """.formatted(location, sends, receives));
  }

  private ServiceCodeGenerator.Result generate(InterfaceCache interfaceCache) throws Exception {
    return new ServiceCodeGenerator(Fixtures::protoc, line -> {}).generate(new ServiceCodeGenerator.Request(
        project.resolve("service.json"), "echo", "org.example.echo", project.resolve("target/generated-sources/defpi"),
        project.resolve("src/main/java"), project.resolve("target/defpi"), interfaceCache));
  }

  private static VersionLayout version(ServiceCodeGenerator.Result result) {
    return result.layout().interfaces().get(0).versions().get(0);
  }

  @Test
  void aUrlIsFetchedOnceAndEveryLaterBuildReadsTheSameBytesFromTheCache() throws Exception {
    byte[] original = PROTO.getBytes(StandardCharsets.UTF_8);
    served.put("/interfaces/echo/1.0/echo.proto", original);
    writeService(url("/interfaces/echo/1.0/echo.proto"), "\"Pong\"", "\"Ping\"");
    String expected = InterfaceHash.messageSetHash(InterfaceHash.fileHash(original), List.of("Pong"));

    assertThat(version(generate(new InterfaceCache(cache, false, false))).sendsHash()).isEqualTo(expected);
    assertThat(requests).hasValue(1);
    assertThat(project.resolve("target/generated-sources/defpi/org/example/echo/echo/v1/proto/EchoV1Proto.java")).exists();

    // The file at the URL changes; a second build, and an offline one, keep to the cached bytes.
    served.put("/interfaces/echo/1.0/echo.proto", (PROTO + "// changed\n").getBytes(StandardCharsets.UTF_8));
    assertThat(version(generate(new InterfaceCache(cache, false, false))).sendsHash()).isEqualTo(expected);
    assertThat(version(generate(new InterfaceCache(cache, true, false))).sendsHash()).isEqualTo(expected);
    assertThat(requests).as("no request after the first build").hasValue(1);
    // The image goal reads the project through the same cache: its labels carry the code's hashes.
    assertThat(ServiceProject.load(project.resolve("service.json"), "echo", new InterfaceCache(cache, true, false))
        .interfaceLabels().get(0).interfaceVersions().get(0).sendsHash()).isEqualTo(expected);

    // Asked to refresh, the build fetches once more and hashes the new bytes.
    String refreshed = version(generate(new InterfaceCache(cache, false, true))).sendsHash();
    assertThat(requests).hasValue(2);
    assertThat(refreshed).isEqualTo(InterfaceHash.messageSetHash(
        InterfaceHash.fileHash(served.get("/interfaces/echo/1.0/echo.proto")), List.of("Pong")));
  }

  @Test
  void anXsdAtAUrlIsFetchedOnceAndCompiled() throws Exception {
    byte[] xsd = Files.readAllBytes(Fixtures.copy("flex-device", project.resolve("fixture")).resolve("flexibility.xsd"));
    served.put("/flexibility.xsd", xsd);
    writeService(url("/flexibility.xsd"), "\"registration\"", "\"Instruction\"");
    VersionLayout version = version(generate(new InterfaceCache(cache, false, false)));
    assertThat(version.receivesHash())
        .isEqualTo(InterfaceHash.messageSetHash(InterfaceHash.fileHash(xsd), List.of("Instruction")));
    // xjc reads the cached bytes, never the URL itself.
    assertThat(requests).hasValue(1);
    assertThat(project.resolve("target/generated-sources/defpi/org/example/echo/echo/v1/xml/Registration.java")).exists();
  }

  @Test
  void offlineAUrlThatIsNotCachedIsAProblemAtItsLocation() throws Exception {
    served.put("/echo.proto", PROTO.getBytes(StandardCharsets.UTF_8));
    writeService(url("/echo.proto"), "", "");
    InvalidServiceException e = catchThrowableOfType(InvalidServiceException.class,
        () -> generate(new InterfaceCache(cache, true, false)));
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.pointer()).isEqualTo("/interfaces/0/interfaceVersions/0/location");
      assertThat(p.message()).contains("is not in the interface cache").contains("the build is offline");
    });
    assertThat(requests).hasValue(0);
  }

  @Test
  void aUrlThatCannotBeFetchedIsNamedWithTheAnswer() throws Exception {
    writeService(url("/gone.proto"), "", "");
    InvalidServiceException e = catchThrowableOfType(InvalidServiceException.class,
        () -> generate(new InterfaceCache(cache, false, false)));
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.pointer()).isEqualTo("/interfaces/0/interfaceVersions/0/location");
      assertThat(p.message()).isEqualTo("'" + url("/gone.proto") + "' cannot be fetched: GET answered 404");
    });
    // Nothing is cached from a failed fetch, so the next build tries again.
    assertThat(cache).isEmptyDirectory();
  }

  @Test
  void onlyHttpUrlsAreFetched() throws Exception {
    writeService("ftp://127.0.0.1/echo.proto", "", "");
    InvalidServiceException e = catchThrowableOfType(InvalidServiceException.class,
        () -> generate(new InterfaceCache(cache, false, false)));
    assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("only http and https URLs"));
  }
}
