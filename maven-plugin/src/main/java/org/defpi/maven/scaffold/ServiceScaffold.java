package org.defpi.maven.scaffold;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.defpi.maven.generate.JavaNames;

/**
 * Writes a new service project: a pom.xml that uses this plugin, a service.json with one example
 * proto interface, the .proto, and a .gitignore. Nothing is generated yet: the first build writes the
 * generated code and the stubs ({@code mvn install}), and {@code mvn deploy} pushes the image.
 *
 * <p>The pom does not inherit from any defpi pom, so it pins the versions of the build plugins a
 * plain Maven 3.8 would otherwise take from its old defaults, and sets {@code maven.deploy.skip}: the
 * service is published as an image, so {@code mvn deploy} works without a distributionManagement.
 */
public final class ServiceScaffold {
  /** A service id: an artifactId that is also a repository name component ({@code services/<id>}). */
  static final Pattern SERVICE_ID = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
  static final Pattern VERSION = Pattern.compile("^([0-9]+\\.)*[0-9]+(-[0-9a-zA-Z]*)?$");
  static final Pattern GROUP_ID = Pattern.compile("[A-Za-z0-9_.-]+");
  static final String PROTO_FILE = "example.proto";
  // Kept out of the text blocks: the parser that reads this source for the plugin descriptor (QDox)
  // takes a "//" inside a text block for the start of a comment.
  private static final String PROJECT_START = "<project xmlns=\"http://maven.apache.org/POM/4.0.0\" "
      + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      + "xsi:schemaLocation=\"http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd\">";
  private static final String COMMENT = "//";

  /**
   * What to create.
   *
   * @param parent the directory the project's directory is made in
   * @param serviceId the artifactId, which is the service id (WIRE.md section 1) and the project's directory name
   * @param groupId the project's groupId
   * @param packageName the Java package of the generated code
   * @param name the service's display name (service.json {@code name}, 1 to 64 characters)
   * @param version the project's and the service's version
   * @param defpiVersion the version of the defpi SDK and plugin the project uses
   */
  public record Request(Path parent, String serviceId, String groupId, String packageName, String name, String version,
      String defpiVersion) {
    public Request {
      Objects.requireNonNull(parent, "parent");
      require(serviceId, SERVICE_ID.matcher(serviceId).matches(), "serviceId",
          "lower-case letters and digits, in parts separated by one '-', '_' or '.'");
      require(groupId, GROUP_ID.matcher(groupId).matches(), "groupId", "letters, digits, '_', '-' and '.'");
      require(packageName, JavaNames.isPackageName(packageName), "package", "a Java package name");
      require(name, !name.isBlank() && name.length() <= 64, "name", "1 to 64 characters");
      require(version, VERSION.matcher(version).matches(), "version", "numbers separated by '.', then '-' and a qualifier");
      require(defpiVersion, !defpiVersion.isBlank(), "defpiVersion", "a version");
    }

    /**
     * A request with defaults for what is not given: groupId {@code org.example}, package
     * {@code groupId.serviceId} made legal, name from the service id's words ({@code battery-manager}
     * gives {@code Battery Manager}), version {@code 0.1.0}.
     */
    public static Request of(Path parent, String serviceId, Optional<String> groupId, Optional<String> packageName,
        Optional<String> name, Optional<String> version, String defpiVersion) {
      Objects.requireNonNull(serviceId, "serviceId");
      String group = groupId.filter(s -> !s.isBlank()).map(String::strip).orElse("org.example");
      return new Request(parent, serviceId.strip(), group,
          packageName.filter(s -> !s.isBlank()).map(String::strip)
              .orElseGet(() -> JavaNames.defaultPackage(group, serviceId.strip())),
          name.filter(s -> !s.isBlank()).map(String::strip).orElseGet(() -> displayName(serviceId.strip())),
          version.filter(s -> !s.isBlank()).map(String::strip).orElse("0.1.0"), defpiVersion);
    }

    /** The project's directory. */
    public Path directory() {
      return parent.resolve(serviceId);
    }

    private static void require(String value, boolean ok, String what, String expected) {
      Objects.requireNonNull(value, what);
      if (!ok) {
        throw new IllegalArgumentException(what + " '" + value + "' is not valid: expected " + expected);
      }
    }
  }

  /** The project directory is there already and not empty; nothing was written. */
  public static final class DirectoryNotEmptyException extends Exception {
    public DirectoryNotEmptyException(Path directory) {
      super(directory + " exists and is not empty: choose another serviceId or directory");
    }
  }

  /** {@code battery-manager} gives {@code Battery Manager}. */
  static String displayName(String serviceId) {
    return Arrays.stream(serviceId.split("[-_.]+"))
        .filter(word -> !word.isEmpty())
        .map(word -> word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1))
        .collect(Collectors.joining(" "));
  }

  /** The project's files, by path relative to its directory, in the order they are written. */
  public Map<String, String> files(Request request) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("pom.xml", pom(request));
    files.put("service.json", serviceJson(request));
    files.put(PROTO_FILE, proto(request));
    files.put(".gitignore", "target/\n");
    return files;
  }

  /** Writes the project; returns the files written. */
  public List<Path> create(Request request) throws IOException, DirectoryNotEmptyException {
    Path directory = request.directory();
    if (Files.isDirectory(directory)) {
      try (var entries = Files.list(directory)) {
        if (entries.findAny().isPresent()) {
          throw new DirectoryNotEmptyException(directory);
        }
      }
    } else if (Files.exists(directory)) {
      throw new DirectoryNotEmptyException(directory);
    }
    Files.createDirectories(directory);
    List<Path> written = new ArrayList<>();
    for (Map.Entry<String, String> file : files(request).entrySet()) {
      Path path = directory.resolve(file.getKey());
      Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
      written.add(path);
    }
    return written;
  }

  private static String pom(Request r) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        %7$s
          <!-- A defpi service. The artifactId is the service id.
               mvn install  generates the code from service.json (stubs to fill in: src/main/java), compiles, tests
               mvn deploy   also builds the service image and pushes it to ${defpi.registry}/services/%2$s
                            (linux/amd64 and linux/arm64, tags <version> and latest; no Docker daemon needed)
               mvn defpi:interfaces  lists the interfaces with the hashes the orchestrator matches -->
          <modelVersion>4.0.0</modelVersion>
          <groupId>%1$s</groupId>
          <artifactId>%2$s</artifactId>
          <version>%3$s</version>
          <name>%4$s</name>

          <properties>
            <maven.compiler.release>21</maven.compiler.release>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
            <defpi.version>%5$s</defpi.version>
            <!-- Where the image is pushed; the base image (defpi/jre:25) comes from there too. -->
            <defpi.registry>127.0.0.1:5000</defpi.registry>
            <!-- The service is deployed as an image, not as a jar: no distributionManagement needed. -->
            <maven.deploy.skip>true</maven.deploy.skip>
          </properties>

          <dependencies>
            <dependency>
              <groupId>org.defpi</groupId>
              <artifactId>defpi-sdk</artifactId>
              <version>${defpi.version}</version>
            </dependency>
          </dependencies>

          <build>
            <pluginManagement>
              <plugins>
                <!-- Maven 3.8's defaults are too old for Java 21. -->
                <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-clean-plugin</artifactId><version>3.4.0</version></plugin>
                <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.14.1</version></plugin>
                <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.4</version></plugin>
                <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
                <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-install-plugin</artifactId><version>3.1.4</version></plugin>
                <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-deploy-plugin</artifactId><version>3.1.4</version></plugin>
              </plugins>
            </pluginManagement>
            <plugins>
              <plugin>
                <groupId>org.defpi</groupId>
                <artifactId>defpi-maven-plugin</artifactId>
                <version>${defpi.version}</version>
                <configuration>
                  <servicePackage>%6$s</servicePackage>
                </configuration>
                <executions>
                  <!-- generate: phase generate-sources; image: phase deploy -->
                  <execution><goals><goal>generate</goal><goal>image</goal></goals></execution>
                </executions>
              </plugin>
            </plugins>
          </build>
        </project>
        """.formatted(xml(r.groupId()), xml(r.serviceId()), xml(r.version()), xml(r.name()), xml(r.defpiVersion()),
        xml(r.packageName()), PROJECT_START);
  }

  private static String serviceJson(Request r) {
    return """
        {
          "name": %1$s,
          "version": %2$s,
          "parameters": [
            {"id": "intervalMillis", "name": "Milliseconds between two example messages", "type": "integer", "default": "1000"}
          ],
          "interfaces": [
            {
              "name": "Example",
              "autoConnect": false,
              "allowMultiple": true,
              "interfaceVersions": [
                {"versionName": "v1", "type": "proto", "location": "%3$s", "sends": ["ExampleMessage"], "receives": ["ExampleRequest"]}
              ]
            }
          ]
        }
        """.formatted(json(r.name()), json(r.version()), PROTO_FILE);
  }

  private static String proto(Request r) {
    return """
        %3$s An example interface of %1$s: it sends ExampleMessage and receives ExampleRequest
        %3$s (service.json says which way each message goes). Change it freely before the first
        %3$s release; afterwards add a new version instead, because the hashes of this file are what
        %3$s the orchestrator matches when it connects two services.
        syntax = "proto3";

        package %2$s;

        message ExampleMessage {
          int64 timestamp_millis = 1;
          string text = 2;
        }

        message ExampleRequest {
          string text = 1;
        }
        """.formatted(r.name().replace('\n', ' '), protoPackage(r.serviceId()), COMMENT);
  }

  /** A proto package from a service id: {@code battery-manager} gives {@code battery_manager}. */
  static String protoPackage(String serviceId) {
    String id = serviceId.replaceAll("[^a-z0-9]", "_");
    return Character.isDigit(id.charAt(0)) ? "s" + id : id;
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String json(String text) {
    StringBuilder out = new StringBuilder().append('\u0022');
    for (char c : text.toCharArray()) {
      if (c == '\u0022' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('\u0022').toString();
  }
}
