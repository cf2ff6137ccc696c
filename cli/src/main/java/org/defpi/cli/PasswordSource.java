package org.defpi.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --password-file FILE | --password-stdin}, an exclusive {@code @ArgGroup}: a password never
 * comes from the command line, where {@code ps} and the shell's history would show it.
 */
final class PasswordSource {
  @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from FILE (its first line).")
  Path file;

  @Option(names = "--password-stdin", description = "Read the password from standard input (its first line).")
  boolean stdin;

  /** The password, or {@code null} when neither option was given. */
  String read(Cli cli) throws CliException.Usage, IOException {
    String password;
    if (file != null) {
      password = fromFile(file);
    } else if (stdin) {
      password = firstLine(new BufferedReader(new InputStreamReader(cli.in, StandardCharsets.UTF_8)));
    } else {
      return null;
    }
    return nonEmpty(password);
  }

  static String fromFile(Path file) throws CliException.Usage, IOException {
    try {
      return nonEmpty(firstLine(Files.newBufferedReader(file, StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      throw new CliException.Usage("no password file " + file);
    }
  }

  static String nonEmpty(String password) throws CliException.Usage {
    if (password == null || password.isEmpty()) {
      throw new CliException.Usage("the password is empty");
    }
    return password;
  }

  private static String firstLine(BufferedReader reader) throws IOException {
    try (reader) {
      String line = reader.readLine();
      return line == null ? "" : line.strip();
    }
  }
}
