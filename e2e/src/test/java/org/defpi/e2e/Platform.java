package org.defpi.e2e;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The platform under test, deployed the way a user deploys it: with the project's own scripts
 * ({@code scripts/orchestrator.sh up}), from the images this build just pushed.
 */
final class Platform {
  static final Path PROJECT_DIR = Path.of(System.getProperty("defpi.projectDir", "..")).toAbsolutePath().normalize();
  static final Path ADMIN_PASSWORD = Path.of("/var/lib/defpi/admin-password");
  static final URI ORCHESTRATOR = URI.create("http://127.0.0.1:8484/");

  private Platform() {}

  /** Deploys (or rolls) the orchestrator and returns a client logged in as the admin. */
  static OrchestratorClient up() throws IOException, InterruptedException {
    run(PROJECT_DIR.resolve("scripts/orchestrator.sh").toString(), "up");
    String password = Files.readString(ADMIN_PASSWORD).strip();
    OrchestratorClient client = new OrchestratorClient(ORCHESTRATOR, "admin", password);
    await("orchestrator health").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> client.get("health").status() == 200);
    return client;
  }

  static DockerClient docker() {
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost("unix:///var/run/docker.sock").withApiVersion("1.41").build();
    return DockerClientImpl.getInstance(config,
        new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
  }

  private static void run(String... command) throws IOException, InterruptedException {
    // Not inheritIO(): the forked test JVM's own stdout is Surefire's channel, so copy lines instead.
    Process process = new ProcessBuilder(command).directory(PROJECT_DIR.toFile())
        .redirectErrorStream(true).start();
    try (var lines = process.inputReader().lines()) {
      lines.forEach(System.out::println);
    }
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 5 minutes");
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue());
    }
  }
}
