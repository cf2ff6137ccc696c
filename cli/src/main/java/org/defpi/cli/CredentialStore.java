package org.defpi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * {@code credentials.json}: {@code {url, user, token, expiresAt}}, mode 0600 in a 0700 directory.
 * Written to a temporary file made 0600 from the start and moved into place, so the token is never in
 * a file anyone else may read, not even for a moment. A file from an older defpi holds
 * {@code {url, user, password}} instead: it is read as "not logged in", never used, and replaced by
 * the next {@code login} or deleted by {@code logout}.
 */
final class CredentialStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  CredentialStore(Path file) {
    this.file = file.toAbsolutePath();
  }

  /**
   * {@code $XDG_CONFIG_HOME/defpi/credentials.json}, else {@code $HOME/.config/defpi/credentials.json}
   * ({@code $HOME} as the shell has it, which may differ from Java's {@code user.home}).
   */
  static Path defaultFile() {
    String xdg = System.getenv("XDG_CONFIG_HOME");
    String home = System.getenv("HOME");
    Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".config");
    return config.resolve("defpi").resolve("credentials.json");
  }

  Path file() {
    return file;
  }

  Optional<Credentials> read() throws CliException.NotLoggedIn {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new CliException.NotLoggedIn("cannot read " + file + ": " + e.getMessage());
    }
    JsonNode o;
    try {
      o = JSON.readTree(text);
    } catch (IOException e) {
      throw damaged(e.getMessage());
    }
    if (o == null || !o.isObject()) {
      throw damaged("not a JSON object");
    }
    if (!o.path("token").isTextual() && o.has("password")) {
      throw new CliException.NotLoggedIn(file + " is from an older defpi that stored a password, which defpi no"
          + " longer uses: run 'defpi login' again (it replaces the file) or 'defpi logout' (it deletes it)");
    }
    try {
      return Optional.of(new Credentials(URI.create(o.path("url").asText()), o.path("user").asText(),
          o.path("token").asText(), o.path("expiresAt").isTextual() ? o.path("expiresAt").asText() : null));
    } catch (IllegalArgumentException e) {
      throw damaged(e.getMessage());
    }
  }

  private CliException.NotLoggedIn damaged(String why) {
    return new CliException.NotLoggedIn(file + " is damaged (" + why + "): run 'defpi login' again");
  }

  Credentials require() throws CliException.NotLoggedIn {
    return read().orElseThrow(() -> new CliException.NotLoggedIn(
        "not logged in: run 'defpi login --url URL --user USER' first"));
  }

  void write(Credentials c) throws IOException {
    Path dir = file.getParent();
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    if (posix) {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } else {
      Files.createDirectories(dir);
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("url", c.url().toString());
    o.put("user", c.user());
    o.put("token", c.token());
    if (c.expiresAt() != null) {
      o.put("expiresAt", c.expiresAt());
    }
    Path tmp = posix
        ? Files.createTempFile(dir, ".credentials", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
        : Files.createTempFile(dir, ".credentials", ".tmp");
    try {
      Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** True when there was something to delete. */
  boolean delete() throws IOException {
    return Files.deleteIfExists(file);
  }
}
