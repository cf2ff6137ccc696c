package org.defpi.maven;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Properties;

/**
 * The protoc executable on Maven Central: {@code com.google.protobuf:protoc:<version>:exe:<classifier>}.
 * Its version defaults to the protobuf version the SDK was built with, because the generated message
 * classes must match the protobuf-java runtime the service runs on.
 */
public final class ProtocArtifact {
  public static final String GROUP_ID = "com.google.protobuf";
  public static final String ARTIFACT_ID = "protoc";
  public static final String TYPE = "exe";

  private ProtocArtifact() {}

  /** The classifier of the protoc build for a platform, from {@code os.name} and {@code os.arch}. */
  public static String classifier(String osName, String osArch) {
    String name = osName.toLowerCase(Locale.ROOT);
    String os;
    if (name.startsWith("linux")) {
      os = "linux";
    } else if (name.startsWith("mac") || name.startsWith("darwin")) {
      os = "osx";
    } else if (name.startsWith("windows")) {
      os = "windows";
    } else {
      throw new IllegalArgumentException("no protoc on Maven Central for operating system '" + osName
          + "': install protoc and set defpi.protoc to its path");
    }
    String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64", "x64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch_64";
      default -> throw new IllegalArgumentException("no protoc on Maven Central for architecture '" + osArch
          + "': install protoc and set defpi.protoc to its path");
    };
    if (os.equals("windows") && !arch.equals("x86_64")) {
      throw new IllegalArgumentException("no protoc on Maven Central for Windows on " + osArch);
    }
    return os + "-" + arch;
  }

  /** The classifier for the running JVM's platform. */
  public static String currentClassifier() {
    return classifier(System.getProperty("os.name"), System.getProperty("os.arch"));
  }

  /** The protobuf version this plugin was built with (that of the SDK). */
  public static String defaultVersion() {
    try (InputStream in = ProtocArtifact.class.getResourceAsStream("/defpi-maven-plugin.properties")) {
      if (in == null) {
        throw new IllegalStateException("defpi-maven-plugin.properties is missing from the plugin");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("protobuf.version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
