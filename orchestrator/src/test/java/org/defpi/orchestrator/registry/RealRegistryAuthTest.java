package org.defpi.orchestrator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.defpi.orchestrator.TestImages;
import org.defpi.orchestrator.service.Image;
import org.defpi.orchestrator.service.Registry.RegistryException;
import org.defpi.wire.label.ImageLabels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The connector against a real Distribution registry that demands HTTP Basic (htpasswd). */
class RealRegistryAuthTest {
  private static final String PASSWORD = "s3cret-" + Long.toHexString(System.nanoTime());
  private static AuthRegistry registry;
  private static String digest;

  @BeforeAll
  static void start() throws Exception {
    registry = AuthRegistry.start(PASSWORD);
    // Jib refuses to send credentials over plain HTTP unless told to: the registry is on loopback.
    System.setProperty("sendCredentialsOverHttp", "true");
    try {
      digest = Jib.fromScratch().setLabels(ImageLabels.write(TestImages.meterLabels())).setCreationTime(Instant.EPOCH)
          .containerize(Containerizer.to(RegistryImage.named(registry.address() + "/services/" + TestImages.METER + ":"
                  + TestImages.VERSION).addCredential(AuthRegistry.USER, PASSWORD))
              .withAdditionalTag("latest")
              .setAllowInsecureRegistries(true)
              .setToolName("defpi-orchestrator-tests"))
          .getDigest().toString();
    } finally {
      System.clearProperty("sendCredentialsOverHttp");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  private static RealRegistry connector(RealRegistry.Credentials credentials) {
    RealRegistry.Settings settings = new RealRegistry.Settings(URI.create("http://" + registry.address()),
        registry.address(), Duration.ofSeconds(10));
    return new RealRegistry(credentials == null ? settings : settings.withCredentials(credentials));
  }

  @Test
  void withBasicCredentialsTheCatalogTagsAndLabelsAreRead() throws Exception {
    RealRegistry connector = connector(new RealRegistry.Credentials(AuthRegistry.USER, PASSWORD));
    assertThat(connector.serviceIds()).containsExactly(TestImages.METER);
    assertThat(connector.images(TestImages.METER)).extracting(Image::tag).containsExactly(TestImages.VERSION, "latest");
    assertThat(connector.images(TestImages.METER)).allSatisfy(i -> {
      assertThat(i).isInstanceOf(Image.Valid.class);
      assertThat(i.digest()).isEqualTo(digest);
      assertThat(((Image.Valid) i).labels()).isEqualTo(TestImages.meterLabels());
    });
  }

  @Test
  void withoutCredentialsTheRefusalIsAnExceptionThatSaysSo() {
    assertThatThrownBy(() -> connector(null).serviceIds()).isInstanceOf(RegistryException.class)
        .hasMessageContaining("refused access to /v2/_catalog (401, no credentials configured)");
    // A refused tag list or manifest is no image's fault: the whole read fails, no image turns invalid.
    assertThatThrownBy(() -> connector(null).images(TestImages.METER)).isInstanceOf(RegistryException.class)
        .hasMessageContaining("401");
  }

  @Test
  void aWrongPasswordIsRefusedAndNeverShown() {
    String wrong = "wrong-" + PASSWORD;
    assertThatThrownBy(() -> connector(new RealRegistry.Credentials(AuthRegistry.USER, wrong)).serviceIds())
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("(401, user " + AuthRegistry.USER + ")")
        .hasMessageNotContaining(wrong);
  }

  @Test
  void credentialsNeverShowTheirPassword() {
    RealRegistry.Credentials credentials = new RealRegistry.Credentials(AuthRegistry.USER, PASSWORD);
    assertThat(credentials.toString()).contains(AuthRegistry.USER).doesNotContain(PASSWORD);
    assertThat(new RealRegistry.Settings(URI.create("http://x"), "x", Duration.ofSeconds(1)).withCredentials(credentials)
        .toString()).doesNotContain(PASSWORD);
  }
}
