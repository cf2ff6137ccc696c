package org.defpi.orchestrator.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserManagerTest {
  @TempDir Path dir;

  @Test
  void theAdminLogsInWithThePasswordFromTheFile() throws IOException {
    Path file = Files.writeString(dir.resolve("pw"), "correct horse\n");
    UserManager users = UserManager.fromPasswordFile(file, "a@b");
    assertThat(users.authenticate("admin", "correct horse")).contains(new User("admin", "admin", "a@b"));
    assertThat(users.authenticate("admin", "correct horsE")).isEmpty();
    assertThat(users.authenticate("root", "correct horse")).isEmpty();
    assertThat(users.authenticate("admin", "x".repeat(100))).isEmpty();
    assertThat(users.toString()).doesNotContain("correct");
  }

  @Test
  void theFileMayHoldABcryptHash() throws IOException {
    String hash = new String(BCrypt.withDefaults().hash(4, "pw".getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
    UserManager users = UserManager.fromPasswordFile(Files.writeString(dir.resolve("pw"), hash), "a@b");
    assertThat(users.authenticate("admin", "pw")).isPresent();
    assertThat(users.authenticate("admin", hash)).isEmpty();
  }

  @Test
  void thereIsNoDefaultPassword() throws IOException {
    assertThatThrownBy(() -> UserManager.fromPasswordFile(dir.resolve("missing"), "a@b"))
        .isInstanceOf(IOException.class).hasMessageContaining("missing");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> UserManager.fromPasswordFile(empty, "a@b"))
        .isInstanceOf(IOException.class).hasMessageContaining("empty");
  }
}
