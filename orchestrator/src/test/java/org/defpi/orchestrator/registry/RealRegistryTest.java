package org.defpi.orchestrator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.defpi.orchestrator.TestImages;
import org.defpi.orchestrator.service.Image;
import org.defpi.orchestrator.service.Registry.RegistryException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry connector against the project's registry on 127.0.0.1:5000 (scripts/env.sh up). */
class RealRegistryTest {
  private static final RealRegistry REGISTRY = new RealRegistry(new RealRegistry.Settings(
      URI.create("http://" + TestImages.REGISTRY), "127.0.0.1:5000", Duration.ofSeconds(10)));
  private static String meterDigest;

  @BeforeAll
  static void push() throws Exception {
    meterDigest = TestImages.meter();
    TestImages.invalid();
    TestImages.malformed();
  }

  @Test
  void theCatalogListsServicesButNotOtherRepositories() throws Exception {
    List<String> ids = REGISTRY.serviceIds();
    assertThat(ids).contains(TestImages.METER, TestImages.INVALID, TestImages.MALFORMED).doesNotContain("defpi/jre", "jre");
    assertThat(ids).isSorted();
  }

  @Test
  void aLabelledImageIsReadWithEveryVersionTagButNotItsArmAlias() throws Exception {
    List<Image> images = REGISTRY.images(TestImages.METER);
    // TestImages also pushes "<version>-arm": a platform alias of a version, not a version.
    assertThat(images).extracting(Image::tag).containsExactly(TestImages.VERSION, "latest");
    assertThat(images).allSatisfy(i -> {
      assertThat(i).isInstanceOf(Image.Valid.class);
      assertThat(i.digest()).isEqualTo(meterDigest);
      assertThat(((Image.Valid) i).labels()).isEqualTo(TestImages.meterLabels());
      // One platform: its config says which.
      assertThat(((Image.Valid) i).architectures()).containsExactly("amd64");
    });
  }

  @Test
  void imagesWithoutOrWithBrokenLabelsAreListedAsInvalidWithTheReason() throws Exception {
    assertThat(REGISTRY.images(TestImages.INVALID)).first().isInstanceOfSatisfying(Image.Invalid.class,
        i -> assertThat(i.reason()).isEqualTo("label org.flexiblepower.serviceName is missing"));
    assertThat(REGISTRY.images(TestImages.MALFORMED)).first().isInstanceOfSatisfying(Image.Invalid.class,
        i -> assertThat(i.reason()).startsWith("label org.flexiblepower.interfaces is malformed"));
  }

  @Test
  void aManifestListIsResolvedToItsAmd64Image() throws Exception {
    String digest = TestImages.indexed();
    assertThat(REGISTRY.images(TestImages.INDEXED)).first().isInstanceOfSatisfying(Image.Valid.class, i -> {
      assertThat(i.labels()).isEqualTo(TestImages.meterLabels());
      assertThat(i.digest()).isEqualTo(digest);
      // Built for both: the index lists them.
      assertThat(i.architectures()).containsExactly("amd64", "arm64");
    });
  }

  @Test
  void anOciManifestIsReadToo() throws Exception {
    TestImages.oci();
    assertThat(REGISTRY.images(TestImages.OCI)).first().isInstanceOfSatisfying(Image.Valid.class, i -> {
      assertThat(i.labels()).isEqualTo(TestImages.meterLabels());
      assertThat(i.architectures()).containsExactly("amd64");
    });
  }

  @Test
  void theCatalogIsReadPageByPageFollowingTheNextLinks() throws Exception {
    TestImages.indexed();
    TestImages.oci();
    RealRegistry paged = new RealRegistry(new RealRegistry.Settings(URI.create("http://" + TestImages.REGISTRY),
        TestImages.REGISTRY, Duration.ofSeconds(10)).withPageSize(2));
    // With n=2 the registry sends two repositories a page and a Link to the next: it does page.
    HttpResponse<String> first = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + TestImages.REGISTRY + "/v2/_catalog?n=2")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(first.headers().firstValue("Link")).hasValueSatisfying(l -> assertThat(l).contains("rel=\"next\""));

    List<String> ids = paged.serviceIds();
    assertThat(ids).contains(TestImages.METER, TestImages.INVALID, TestImages.MALFORMED, TestImages.INDEXED,
        TestImages.OCI);
    assertThat(ids).isEqualTo(REGISTRY.serviceIds()).doesNotHaveDuplicates();
  }

  @Test
  void theTagsAreReadPageByPageToo() throws Exception {
    RealRegistry paged = new RealRegistry(new RealRegistry.Settings(URI.create("http://" + TestImages.REGISTRY),
        TestImages.REGISTRY, Duration.ofSeconds(10)).withPageSize(1));
    // Three tags (0.1.0, 0.1.0-arm, latest): three pages of one.
    assertThat(paged.images(TestImages.METER)).extracting(Image::tag).containsExactly(TestImages.VERSION, "latest");
  }

  @Test
  void theScopeOfARequestIsTheCatalogOrPullingItsRepository() {
    assertThat(RealRegistry.scope("/v2/_catalog")).isEqualTo("registry:catalog:*");
    assertThat(RealRegistry.scope("/v2/services/power-meter/tags/list")).isEqualTo("repository:services/power-meter:pull");
    assertThat(RealRegistry.scope("/v2/services/power-meter/blobs/sha256:ab"))
        .isEqualTo("repository:services/power-meter:pull");
  }

  @Test
  void anUnknownServiceHasNoImages() throws Exception {
    assertThat(REGISTRY.images("defpi-test-no-such-service")).isEmpty();
    assertThat(REGISTRY.images("Not A Name/..")).isEmpty();
  }

  @Test
  void theImageReferenceNamesTheRegistryAsTheEnginesSeeItAndPinsTheDigest() {
    RealRegistry registry = new RealRegistry(new RealRegistry.Settings(URI.create("http://defpi-registry:5000"),
        "127.0.0.1:5000", Duration.ofSeconds(1)));
    assertThat(registry.imageReference("power-meter", "0.1.0", "sha256:ab"))
        .isEqualTo("127.0.0.1:5000/services/power-meter:0.1.0@sha256:ab");
  }

  @Test
  void anUnreachableRegistryIsAnException() {
    RealRegistry nowhere = new RealRegistry(new RealRegistry.Settings(URI.create("http://127.0.0.1:1"), "x",
        Duration.ofSeconds(2)));
    assertThatThrownBy(nowhere::serviceIds).isInstanceOf(RegistryException.class)
        .hasMessageContaining("cannot reach the registry at http://127.0.0.1:1");
  }

  @Test
  void theArchitecturesOfAnIndexAreItsLinuxPlatformsWithoutAttestations() throws Exception {
    var index = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
        {"manifests": [
          {"digest": "sha256:1", "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
          {"digest": "sha256:2", "platform": {"os": "linux", "architecture": "amd64"}},
          {"digest": "sha256:3", "platform": {"os": "linux", "architecture": "arm", "variant": "v7"}},
          {"digest": "sha256:4", "platform": {"os": "linux", "architecture": "arm", "variant": "v6"}},
          {"digest": "sha256:5", "platform": {"os": "windows", "architecture": "amd64"}},
          {"digest": "sha256:6", "platform": {"os": "unknown", "architecture": "unknown"}},
          {"digest": "sha256:7"}]}""");
    assertThat(RealRegistry.architectures(index)).containsExactly("amd64", "arm", "arm64");
  }
}
