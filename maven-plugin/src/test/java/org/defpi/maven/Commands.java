package org.defpi.maven;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command (docker, mvnw) for a test, bounded in time, its output (stdout and stderr) kept. */
public final class Commands {
  /** How a command ended. */
  public record Result(List<String> command, int exitCode, String output) {
    public List<String> lines() {
      return output.lines().toList();
    }

    /** This result, after checking it exited with 0; else an AssertionError with the output. */
    public Result ok() {
      if (exitCode != 0) {
        throw new AssertionError(String.join(" ", command) + " exited with " + exitCode + ":\n" + output);
      }
      return this;
    }
  }

  private Commands() {}

  public static Result run(Duration timeout, Path directory, Map<String, String> env, List<String> command)
      throws IOException, InterruptedException {
    File log = Files.createTempFile("defpi-command", ".log").toFile();
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
          .redirectErrorStream(true).redirectOutput(log).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(String.join(" ", command) + " did not end within " + timeout + ":\n"
            + Files.readString(log.toPath(), StandardCharsets.UTF_8));
      }
      return new Result(List.copyOf(command), process.exitValue(), Files.readString(log.toPath(), StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log.toPath());
    }
  }

  /** {@code docker ARGS...}, within 60 s. */
  public static Result docker(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    return run(Duration.ofSeconds(60), Path.of("."), Map.of(), command);
  }
}
