package org.defpi.maven.generate;

import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.defpi.maven.generate.ServiceLayout.InterfaceLayout;
import org.defpi.maven.generate.ServiceLayout.VersionLayout;
import org.defpi.maven.service.InterfaceCache;
import org.defpi.maven.service.InvalidServiceException;
import org.defpi.maven.service.ServiceProject;
import org.defpi.wire.service.InterfaceType;
import org.defpi.wire.service.Parameter;
import org.defpi.wire.service.Problem;

/**
 * Generates a service's code from its service.json and interface files (ARCHITECTURE.md, "Generated
 * code"). The generated sources directory is emptied and written anew on each run; the stubs in the
 * developer's source directory are written only where no file exists yet, never overwritten.
 */
public final class ServiceCodeGenerator {
  /** Finds protoc, only when a service has a proto interface; the Maven goal resolves it from Maven Central. */
  @FunctionalInterface
  public interface ProtocLocator {
    Path protoc() throws IOException;
  }

  /**
   * What to generate.
   *
   * @param serviceId the Maven artifactId of the service's project
   * @param servicePackage the Java package of the generated code
   * @param generatedSources emptied and filled with the generated code (a compile source root)
   * @param stubSources where the stubs go when absent (the project's {@code src/main/java})
   * @param workDirectory scratch space of the generator (the rewritten .proto copies)
   * @param interfaceCache where interface files given as URLs are fetched to and read from
   */
  public record Request(
      Path serviceJson, String serviceId, String servicePackage, Path generatedSources, Path stubSources, Path workDirectory,
      InterfaceCache interfaceCache) {
    /** A request whose URLs go through the {@linkplain InterfaceCache#standard() standard cache}. */
    public Request(
        Path serviceJson, String serviceId, String servicePackage, Path generatedSources, Path stubSources, Path workDirectory) {
      this(serviceJson, serviceId, servicePackage, generatedSources, stubSources, workDirectory, InterfaceCache.standard());
    }

    public Request {
      Objects.requireNonNull(interfaceCache, "interfaceCache");
      Objects.requireNonNull(serviceJson, "serviceJson");
      Objects.requireNonNull(serviceId, "serviceId");
      Objects.requireNonNull(servicePackage, "servicePackage");
      Objects.requireNonNull(generatedSources, "generatedSources");
      Objects.requireNonNull(stubSources, "stubSources");
      Objects.requireNonNull(workDirectory, "workDirectory");
    }
  }

  /** What was written: every generated file, the stubs written now, and the stubs that existed and were kept. */
  public record Result(ServiceLayout layout, List<Path> generated, List<Path> stubsWritten, List<Path> stubsKept) {
    public Result {
      generated = List.copyOf(generated);
      stubsWritten = List.copyOf(stubsWritten);
      stubsKept = List.copyOf(stubsKept);
    }
  }

  private final ProtocLocator protocLocator;
  private final Consumer<String> log;

  public ServiceCodeGenerator(ProtocLocator protocLocator, Consumer<String> log) {
    this.protocLocator = protocLocator;
    this.log = log;
  }

  /**
   * @throws InvalidServiceException service.json or an interface file is wrong; every problem is
   *     listed with its JSON pointer
   * @throws ProtoCompiler.ProtocException protoc refused a .proto file
   */
  public Result generate(Request request) throws InvalidServiceException, IOException {
    ServiceProject project = ServiceProject.load(request.serviceJson(), request.serviceId(), request.interfaceCache());
    List<Problem> problems = new ArrayList<>();
    checkParameters(project.description().parameters(), problems);
    if (!problems.isEmpty()) {
      throw new InvalidServiceException(request.serviceJson() + " cannot be built", problems);
    }
    ServiceLayout layout = ServiceLayout.of(project, request.servicePackage());

    deleteRecursively(request.generatedSources());
    deleteRecursively(request.workDirectory().resolve("proto"));
    Files.createDirectories(request.generatedSources());
    List<Path> generated = new ArrayList<>();
    Map<VersionLayout, MessageBinding> bindings = compileInterfaces(project, layout, request, problems);
    if (!problems.isEmpty()) {
      throw new InvalidServiceException(request.serviceJson() + " names message types its interface files lack", problems);
    }
    try (Stream<Path> files = Files.walk(request.generatedSources())) {
      generated.addAll(files.filter(Files::isRegularFile).toList());
    }

    List<JavaFile> sources = new ArrayList<>(
        new ConfigurationWriter(layout, project.description().name(), project.description().parameters()).files());
    for (InterfaceLayout iface : layout.interfaces()) {
      sources.addAll(new ConnectionWriter(iface, bindings::get).files());
    }
    sources.add(new MainWriter(layout, project.description().name()).file());
    for (JavaFile source : sources) {
      generated.add(source.writeToPath(request.generatedSources()));
    }

    List<Path> written = new ArrayList<>();
    List<Path> kept = new ArrayList<>();
    for (JavaFile stub : new StubWriter(layout, bindings::get).files()) {
      Path target = sourcePath(request.stubSources(), stub);
      if (Files.exists(target)) {
        kept.add(target);
      } else {
        written.add(stub.writeToPath(request.stubSources()));
        log.accept("wrote stub " + target + ": fill it in, it is never overwritten");
      }
    }
    log.accept("generated " + generated.size() + " files for " + project.description().name() + " in "
        + request.generatedSources());
    return new Result(layout, generated, written, kept);
  }

  private static Path sourcePath(Path root, JavaFile file) {
    Path dir = root;
    if (!file.packageName().isEmpty()) {
      for (String segment : file.packageName().split("\\.")) {
        dir = dir.resolve(segment);
      }
    }
    return dir.resolve(file.typeSpec().name() + ".java");
  }

  /** Compiles each version's interface file (protoc or xjc) and binds its message names to classes. */
  private Map<VersionLayout, MessageBinding> compileInterfaces(ServiceProject project, ServiceLayout layout,
      Request request, List<Problem> problems) throws IOException {
    Map<VersionLayout, MessageBinding> bindings = new HashMap<>();
    ProtoCompiler compiler = null;
    for (InterfaceLayout iface : layout.interfaces()) {
      for (VersionLayout version : iface.versions()) {
        Path original = project.interfaceFile(version.description());
        byte[] bytes = project.interfaceFileBytes(version.description());
        if (version.description().type() == InterfaceType.XSD) {
          MessageBinding binding = XsdCompiler.compile(version, project.interfaceSystemId(version.description()), bytes,
              request.generatedSources(), problems);
          if (binding != null) {
            bindings.put(version, binding);
          }
          continue;
        }
        if (compiler == null) {
          compiler = new ProtoCompiler(protocLocator.protoc());
        }
        Path workDir = request.workDirectory().resolve("proto").resolve(version.packageName().replace('.', '/'));
        Set<String> defined = compiler.compile(original, bytes, version.protoPackage(),
            version.protoOuterClass().simpleName(), workDir, request.generatedSources());
        int before = problems.size();
        checkMessageTypes(version, "sends", version.description().sends(), defined, original, problems);
        checkMessageTypes(version, "receives", version.description().receives(), defined, original, problems);
        if (problems.size() == before) {
          bindings.put(version, MessageBinding.protobuf(version));
        }
      }
    }
    return bindings;
  }

  private static void checkMessageTypes(VersionLayout version, String field, List<String> types, Set<String> defined,
      Path file, List<Problem> problems) {
    for (int k = 0; k < types.size(); k++) {
      if (!defined.contains(types.get(k))) {
        problems.add(new Problem(version.pointer() + "/" + field + "/" + k, "message type '" + types.get(k)
            + "' is not a top-level message of " + file + " (it has " + String.join(", ", defined) + ")"));
      }
    }
  }

  private static void checkParameters(List<Parameter> parameters, List<Problem> problems) {
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < parameters.size(); i++) {
      Parameter p = parameters.get(i);
      Integer first = ids.putIfAbsent(p.id(), i);
      if (first != null) {
        problems.add(new Problem("/parameters/" + i + "/id", "'" + p.id() + "' is the id of /parameters/" + first + " already"));
      }
      ParameterValues.check(p, "/parameters/" + i, problems);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
