package org.defpi.maven.image;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The entrypoint of a service image: {@code /bin/sh -c 'set -f; exec java <jvmFlags> $JVM_ARGUMENTS
 * -cp … <main>'}.
 *
 * <p>Why a shell: the orchestrator passes JVM options in the {@code JVM_ARGUMENTS} environment
 * variable (WIRE.md sections 4 and 8), and only a shell can split it into arguments at start.
 * {@code exec} replaces the shell with java, so java is PID 1 and gets the SIGTERM of
 * {@code docker stop} itself. {@code set -f} keeps the shell from expanding {@code *} in
 * {@code JVM_ARGUMENTS} (or in the classpath) as a file pattern; splitting at blanks is what we want.
 * The flags from the build come first, so the orchestrator's can override them.
 */
public final class Entrypoint {
  /** The variable the orchestrator sets for Java images (WIRE.md section 4). */
  public static final String JVM_ARGUMENTS = "JVM_ARGUMENTS";

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_+=:,./@%-]+");

  private Entrypoint() {}

  /**
   * @param javaCommand the exec-form command Jib computed, {@code [java, -cp, /app/libs/*:/app/classes:/app/resources, <main>]}
   *     (any arguments after {@code java} are kept, after ours)
   * @param jvmFlags flags from the build, put right after {@code java}
   */
  public static List<String> shellForm(List<String> javaCommand, List<String> jvmFlags) {
    if (javaCommand.isEmpty() || !javaCommand.get(0).equals("java")) {
      throw new IllegalArgumentException("expected a command starting with java, got " + javaCommand);
    }
    List<String> words = new ArrayList<>();
    words.add("java");
    jvmFlags.forEach(flag -> words.add(quote(flag)));
    words.add("$" + JVM_ARGUMENTS);
    javaCommand.subList(1, javaCommand.size()).forEach(arg -> words.add(quote(arg)));
    return List.of("/bin/sh", "-c", "set -f; exec " + String.join(" ", words));
  }

  /** {@code word} as one shell word: unchanged when it has no special characters, else in single quotes. */
  static String quote(String word) {
    if (PLAIN.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
