package org.defpi.maven;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.defpi.maven.image.ImagePlatform;

/** Reads the environment's registry over its HTTP API v2, as the orchestrator does. */
public final class TestRegistry {
  public static final String ADDRESS = System.getProperty("defpi.test.registry", "127.0.0.1:5000");
  public static final String BASE_IMAGE = System.getProperty("defpi.test.baseImage", ADDRESS + "/defpi/jre:25");
  public static final String LIST_TYPE = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String MANIFEST_TYPES = "application/vnd.docker.distribution.manifest.v2+json,"
      + "application/vnd.oci.image.manifest.v1+json";
  static final String ANY_MANIFEST_TYPES = MANIFEST_TYPES + "," + LIST_TYPE + ",application/vnd.oci.image.index.v1+json";

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String repository;

  /** @param repository e.g. {@code services/power-meter} */
  public TestRegistry(String repository) {
    this.repository = repository;
  }

  public List<String> tags() throws IOException, InterruptedException {
    return List.of(JSON.convertValue(JSON.readTree(get("/tags/list", "application/json").body()).path("tags"),
        String[].class));
  }

  /** The digest a tag names. */
  public String digest(String tag) throws IOException, InterruptedException {
    return get("/manifests/" + tag, ANY_MANIFEST_TYPES).headers().firstValue("Docker-Content-Digest").orElseThrow();
  }

  /** A manifest or manifest list by tag or digest. */
  public JsonNode manifest(String reference) throws IOException, InterruptedException {
    return JSON.readTree(get("/manifests/" + reference, ANY_MANIFEST_TYPES).body());
  }

  /** The image manifest digest per platform: a list's entries, or the one image's (as linux/amd64). */
  public Map<ImagePlatform, String> platformImages(String reference) throws IOException, InterruptedException {
    JsonNode manifest = manifest(reference);
    Map<ImagePlatform, String> images = new LinkedHashMap<>();
    if (!manifest.has("manifests")) {
      images.put(ImagePlatform.LINUX_AMD64, digest(reference));
      return images;
    }
    assertThat(manifest.path("mediaType").asText()).as("media type of " + reference).isEqualTo(LIST_TYPE);
    for (JsonNode entry : manifest.path("manifests")) {
      images.put(new ImagePlatform(entry.path("platform").path("os").asText(),
          entry.path("platform").path("architecture").asText()), entry.path("digest").asText());
    }
    return images;
  }

  /** The config blob of an image manifest: {@code architecture}, {@code config.Labels}, {@code config.Entrypoint}… */
  public JsonNode config(String manifestDigest) throws IOException, InterruptedException {
    JsonNode manifest = JSON.readTree(get("/manifests/" + manifestDigest, MANIFEST_TYPES).body());
    return JSON.readTree(get("/blobs/" + manifest.path("config").path("digest").asText(), "*/*").body());
  }

  /** The labels of an image manifest's config. */
  public Map<String, String> labels(String manifestDigest) throws IOException, InterruptedException {
    return JSON.convertValue(config(manifestDigest).path("config").path("Labels"),
        JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
  }

  /** How Docker names one of the repository's images by digest. */
  public String reference(String digest) {
    return ADDRESS + "/" + repository + "@" + digest;
  }

  private HttpResponse<byte[]> get(String path, String accept) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + ADDRESS + "/v2/" + repository + path))
        .header("Accept", accept).timeout(Duration.ofSeconds(10)).build();
    HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as("GET " + request.uri()).isEqualTo(200);
    return response;
  }
}
