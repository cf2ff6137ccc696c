package org.defpi.maven.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.defpi.maven.Fixtures;
import org.defpi.maven.service.ServiceProject;
import org.defpi.wire.label.ImageLabels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the fixture's image against the real registry of the environment (scripts start it on
 * 127.0.0.1:5000, with the base image) and reads it back over the registry's HTTP API v2.
 */
class ImageBuilderTest {
  static final String REGISTRY = System.getProperty("defpi.test.registry", "127.0.0.1:5000");
  static final String BASE_IMAGE = System.getProperty("defpi.test.baseImage", REGISTRY + "/defpi/jre:25");
  static final String SERVICE_ID = "defpi-maven-plugin-test";
  static final String MANIFEST_TYPES = "application/vnd.docker.distribution.manifest.v2+json,"
      + "application/vnd.oci.image.manifest.v1+json";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void pushesTheLabelledImageUnderBothTags(@TempDir Path dir) throws Exception {
    ServiceProject project = ServiceProject.load(Fixtures.copy("power-meter", dir.resolve("project")).resolve("service.json"),
        SERVICE_ID);
    Path classes = Files.createDirectories(dir.resolve("classes/org/example/powermeter")).getParent().getParent().getParent();
    Files.write(classes.resolve("org/example/powermeter/PowerMeterMain.class"), new byte[] {(byte) 0xCA, (byte) 0xFE});
    Files.writeString(classes.resolve("simplelogger.properties"), "org.slf4j.simpleLogger.defaultLogLevel=info\n");
    List<Path> jars = List.of(jar(dir.resolve("lib-1.0.jar")), jar(dir.resolve("sdk-0.1.0-SNAPSHOT.jar")));
    List<String> log = new ArrayList<>();

    ImageResult result = new ImageBuilder(log::add).build(new ImageRequest(
        BASE_IMAGE, ImageRequest.serviceRepository(REGISTRY, SERVICE_ID), List.of("1.2.0", "latest"),
        project.imageLabels(), Map.of(ImageLabels.SERVICE_PACKAGE_ENV, "org.example.powermeter"),
        classes, jars, "org.example.powermeter.PowerMeterMain", List.of("-XX:+UseSerialGC"), true,
        Optional.of(dir.resolve("cache"))));

    assertThat(result.image()).isEqualTo(REGISTRY + "/services/" + SERVICE_ID + ":1.2.0");
    assertThat(result.digest()).startsWith("sha256:");
    assertThat(log).anyMatch(line -> line.contains("digest " + result.digest()));

    // Both tags name the pushed manifest.
    assertThat(tags()).contains("1.2.0", "latest");
    JsonNode manifest = manifest("1.2.0", result.digest());
    manifest("latest", result.digest());

    JsonNode config = json.readTree(get("/blobs/" + manifest.path("config").path("digest").asText(), "*/*").body())
        .path("config");
    Map<String, String> labels = json.convertValue(config.path("Labels"),
        json.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    assertThat(labels).containsAllEntriesOf(project.imageLabels());
    assertThat(labels.get(ImageLabels.SERVICE_NAME)).isEqualTo("Power Meter");
    assertThat(labels.get(ImageLabels.API_VERSION)).isEqualTo("1");
    assertThat(labels.get(ImageLabels.INTERFACES)).contains("\"id\":\"" + SERVICE_ID + "/power-measurement\"");
    assertThat(labels.get(ImageLabels.PARAMETERS)).contains("\"id\":\"port\"");
    assertThat(json.convertValue(config.path("Env"), String[].class)).contains("SERVICE_PACKAGE=org.example.powermeter");
    assertThat(json.convertValue(config.path("Entrypoint"), String[].class))
        .startsWith("java", "-XX:+UseSerialGC", "-cp")
        .endsWith("org.example.powermeter.PowerMeterMain");
  }

  private List<String> tags() throws Exception {
    HttpResponse<byte[]> response = get("/tags/list", "application/json");
    return List.of(json.convertValue(json.readTree(response.body()).path("tags"), String[].class));
  }

  private JsonNode manifest(String tag, String expectedDigest) throws Exception {
    HttpResponse<byte[]> response = get("/manifests/" + tag, MANIFEST_TYPES);
    assertThat(response.headers().firstValue("Docker-Content-Digest")).as("digest of tag " + tag).contains(expectedDigest);
    return json.readTree(response.body());
  }

  private HttpResponse<byte[]> get(String path, String accept) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/services/" + SERVICE_ID + path))
        .header("Accept", accept).timeout(Duration.ofSeconds(10)).build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as("GET " + request.uri()).isEqualTo(200);
    return response;
  }

  private static Path jar(Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
      zip.write("Manifest-Version: 1.0\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      zip.closeEntry();
    }
    return file;
  }
}
