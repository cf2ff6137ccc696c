package org.defpi.cli;

/** {@code java -jar defpi-cli.jar ARGS}: runs {@link Cli} on the real terminal and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.standard().run(args));
  }
}
