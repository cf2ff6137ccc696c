package org.defpi.orchestrator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.defpi.orchestrator.FakeScheduler;
import org.defpi.orchestrator.TestImages;
import org.defpi.orchestrator.service.Image;
import org.defpi.orchestrator.service.Registry.RegistryException;
import org.defpi.wire.label.ImageLabels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connector against a real Distribution registry with {@code auth.token}: a 401 with a Bearer
 * challenge, a token from the test's token server (which checks our Basic credentials), kept until
 * it expires by the connector's clock (here a fake one).
 */
class RealRegistryTokenTest {
  private static final String PASSWORD = "t0ken-" + Long.toHexString(System.nanoTime());
  private static final long EXPIRES_IN = 60;
  private static TokenServer tokens;
  private static AuthRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    tokens = TokenServer.start(AuthRegistry.USER, PASSWORD, EXPIRES_IN);
    registry = AuthRegistry.startWithTokens(PASSWORD, tokens);
    System.setProperty("sendCredentialsOverHttp", "true"); // loopback only; Jib refuses otherwise
    try {
      Jib.fromScratch().setLabels(ImageLabels.write(TestImages.meterLabels())).setCreationTime(Instant.EPOCH)
          .containerize(Containerizer.to(RegistryImage.named(registry.address() + "/services/" + TestImages.METER + ":"
                  + TestImages.VERSION).addCredential(AuthRegistry.USER, PASSWORD))
              .setAllowInsecureRegistries(true)
              .setToolName("defpi-orchestrator-tests"));
    } finally {
      System.clearProperty("sendCredentialsOverHttp");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
    if (tokens != null) {
      tokens.close();
    }
  }

  private static RealRegistry.Settings settings() {
    return new RealRegistry.Settings(URI.create("http://" + registry.address()), registry.address(),
        Duration.ofSeconds(10));
  }

  @Test
  void aBearerChallengeIsAnsweredWithATokenThatIsKeptUntilItExpires() throws Exception {
    FakeScheduler time = new FakeScheduler();
    RealRegistry connector = new RealRegistry(settings().withCredentials(
        new RealRegistry.Credentials(AuthRegistry.USER, PASSWORD)), time.clock());
    int before = tokens.issued.get();
    tokens.scopesAsked.clear();

    assertThat(connector.serviceIds()).containsExactly(TestImages.METER);
    assertThat(connector.images(TestImages.METER)).singleElement().isInstanceOfSatisfying(Image.Valid.class,
        i -> assertThat(i.labels()).isEqualTo(TestImages.meterLabels()));
    assertThat(tokens.scopesAsked).containsExactly("registry:catalog:*",
        "repository:services/" + TestImages.METER + ":pull");
    assertThat(tokens.issued.get()).isEqualTo(before + 2);

    // Within their lifetime the tokens are sent up front: no 401, no new token.
    connector.serviceIds();
    connector.images(TestImages.METER);
    assertThat(tokens.issued.get()).isEqualTo(before + 2);

    // Past it (by our clock), each scope gets a new one.
    time.advance(Duration.ofSeconds(EXPIRES_IN));
    connector.serviceIds();
    connector.images(TestImages.METER);
    assertThat(tokens.issued.get()).isEqualTo(before + 4);
  }

  @Test
  void withoutCredentialsTheTokenServerRefusesAndTheReadFailsSayingSo() {
    assertThatThrownBy(() -> new RealRegistry(settings()).serviceIds()).isInstanceOf(RegistryException.class)
        .hasMessageContaining("token server 127.0.0.1 answered 401 (no registry credentials are configured)");
  }
}
