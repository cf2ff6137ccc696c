package org.defpi.orchestrator.registry;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A second, real Distribution registry ({@code /usr/bin/docker-registry}) on a free loopback port,
 * in a temp dir, with htpasswd auth for one user; closed, it stops and leaves nothing behind.
 */
final class AuthRegistry implements AutoCloseable {
  static final String USER = "defpi-test";

  final int port;
  final String password;
  private final Path dir;
  private final Process process;

  private AuthRegistry(int port, String password, Path dir, Process process) {
    this.port = port;
    this.password = password;
    this.dir = dir;
    this.process = process;
  }

  /** With htpasswd auth: the registry answers 401 with a Basic challenge. */
  static AuthRegistry start(String password) throws Exception {
    Path dir = Files.createTempDirectory("defpi-auth-registry");
    // The registry reads bcrypt hashes only; Apache's "$2y$" is what htpasswd -B writes.
    String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(6, password.toCharArray());
    Files.writeString(dir.resolve("htpasswd"), USER + ":" + hash + "\n");
    return start(password, dir, """
          htpasswd:
            realm: defpi-test
            path: %s
        """.formatted(dir.resolve("htpasswd")), null);
  }

  /**
   * With token auth: the registry answers 401 with a Bearer challenge naming {@code server}'s realm,
   * and trusts the tokens it signs.
   */
  static AuthRegistry startWithTokens(String password, TokenServer server) throws Exception {
    Path dir = Files.createTempDirectory("defpi-token-registry");
    Files.writeString(dir.resolve("root.pem"), server.certificatePem());
    return start(password, dir, """
          token:
            realm: %s
            service: %s
            issuer: %s
            rootcertbundle: %s
        """.formatted(server.realm(), TokenServer.SERVICE, TokenServer.ISSUER, dir.resolve("root.pem")), server);
  }

  private static AuthRegistry start(String password, Path dir, String auth, TokenServer server) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.writeString(dir.resolve("config.yml"), """
        version: 0.1
        log:
          level: info
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: %s
        http:
          addr: 127.0.0.1:%d
        auth:
        """.formatted(dir.resolve("data"), port) + auth);
    Process process = new ProcessBuilder("/usr/bin/docker-registry", "serve", dir.resolve("config.yml").toString())
        .redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    // Ready when it says so: its own log line, not a guess of how long it takes.
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); ; line = out.readLine()) {
      if (line == null) {
        process.destroyForcibly();
        throw new IllegalStateException("docker-registry ended before listening: " + seen);
      }
      seen.append(line).append('\n');
      if (line.contains("listening on")) {
        break;
      }
    }
    Thread.ofVirtual().start(() -> {
      try {
        while (out.readLine() != null) {
          // drained, so the registry never blocks on a full pipe
        }
      } catch (IOException e) {
        // the registry ended
      }
    });
    return new AuthRegistry(port, password, dir, process);
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
