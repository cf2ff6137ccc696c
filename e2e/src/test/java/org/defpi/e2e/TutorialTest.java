package org.defpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * docs/tutorial.md, run as a reader runs it: its {@code bash} blocks, in order, in one shell started
 * in the project's directory, so the tutorial cannot drift from what works. The only thing the test
 * adds is {@code DEFPI_DEMO_BUILD=skip}: this build pushed the images already.
 */
class TutorialTest {
  static final Path TUTORIAL = Platform.PROJECT_DIR.resolve("docs/tutorial.md");
  private static final Pattern BASH_BLOCK = Pattern.compile("(?ms)^```bash\\n(.*?)^```$");
  private static final Path LOG = Platform.PROJECT_DIR.resolve("e2e/target/tutorial.log");

  /** The tutorial's bash blocks, in order. */
  static List<String> bashBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher m = BASH_BLOCK.matcher(markdown);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  @Test
  void findsTheBlocksInOrderAndOnlyTheBashOnes() {
    String markdown = "text\n```bash\necho one\n```\n```java\nclass X {}\n```\n```bash\necho two\necho three\n```\n";
    assertThat(bashBlocks(markdown)).containsExactly("echo one\n", "echo two\necho three\n");
  }

  @Test
  void theTutorialsCommandsRunInOrderAndItsServiceWatchesTheDemosGrid() throws Exception {
    List<String> blocks = bashBlocks(Files.readString(TUTORIAL));
    assertThat(blocks).as("bash blocks in " + TUTORIAL).hasSizeGreaterThan(8);
    StringBuilder script = new StringBuilder("set -e\n");
    for (int i = 0; i < blocks.size(); i++) {
      // Each block says where it starts, so a failure in the log points at its block.
      script.append("echo '### tutorial block ").append(i + 1).append("'\n").append(blocks.get(i));
    }
    Path config = Files.createTempDirectory("tutorial-config");
    ProcessBuilder bash = new ProcessBuilder("bash", "-c", script.toString())
        .directory(Platform.PROJECT_DIR.toFile())
        .redirectErrorStream(true)
        .redirectOutput(LOG.toFile());
    bash.environment().put("DEFPI_DEMO_BUILD", "skip");
    bash.environment().put("XDG_CONFIG_HOME", config.toString()); // the tutorial's login is not the machine's
    Files.createDirectories(LOG.getParent());
    Process run = bash.start();
    boolean ended = run.waitFor(12, TimeUnit.MINUTES);
    if (!ended) {
      run.descendants().forEach(ProcessHandle::destroy);
      run.destroy();
    }
    String output = Files.readString(LOG, StandardCharsets.UTF_8);
    System.out.println("--- tutorial output (" + LOG + ")\n" + output);
    assertThat(ended).as("the tutorial ended within 12 minutes").isTrue();
    assertThat(run.exitValue()).as("the tutorial's exit code; its output is above").isZero();
    assertThat(output).contains("### tutorial block " + blocks.size())
        .containsPattern("new peak (import|export) \\d+ W")
        // its row in defpi top: RUNNING, one connection, messages coming in (about 12 a second)
        .containsPattern("(?m)^my-peak-watcher +peak-watcher +RUNNING +1 +[1-9][0-9.]*k? ")
        .contains("watching for power beyond 4500");
  }

  /** A failed run leaves no process of the tutorial behind. */
  @AfterAll
  static void removeTheTutorialsProcess() throws IOException, InterruptedException {
    OrchestratorClient admin = Platform.up();
    OrchestratorClient.Response processes = admin.get("process?name=my-peak-watcher");
    for (JsonNode p : processes.json()) {
      admin.delete("process/" + p.path("id").asText());
    }
  }
}
