package org.defpi.maven.generate;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs protoc on one interface version's .proto file. The file is first copied with the Java
 * options the generated code needs (see {@link ProtoSource}); the original is never changed, and its
 * exact bytes, not the copy's, are what the interface hashes are taken over.
 */
public final class ProtoCompiler {
  private static final long TIMEOUT_SECONDS = 120;

  private final Path protoc;

  public ProtoCompiler(Path protoc) {
    this.protoc = protoc;
  }

  /**
   * Compiles {@code original} into {@code javaOut} with the given Java package and outer class.
   *
   * <p>Files it imports are looked up relative to its directory (the proto path root, as protoc's
   * {@code --proto_path}), copied with the same package and an outer class of their own
   * ({@code <FileName>Proto}) and compiled alongside; {@code google/protobuf/*.proto} come from the
   * protobuf runtime, whose classes the generated code uses. Imports of imported files are
   * followed too. Only {@code original}'s top-level messages can be sent or received.
   *
   * @param workDir a directory of its own for the rewritten copies and the descriptor set
   * @return the names of the top-level message types {@code original} defines
   * @throws ProtocException protoc refused the file; the message holds its output
   */
  public Set<String> compile(Path original, byte[] originalBytes, String javaPackage, String outerClassName,
      Path workDir, Path javaOut) throws IOException {
    Files.createDirectories(workDir);
    Files.createDirectories(javaOut);
    String mainName = original.getFileName().toString();
    Path copy = workDir.resolve(mainName);
    String source = new String(originalBytes, StandardCharsets.UTF_8);
    Files.writeString(copy, ProtoSource.withJavaOptions(source, javaPackage, outerClassName), StandardCharsets.UTF_8);
    Path root = original.toAbsolutePath().getParent();
    // virtual name (as protoc names it in errors) -> the original file
    Map<String, Path> originals = new LinkedHashMap<>();
    originals.put(mainName, original);
    List<String> inputs = new ArrayList<>(List.of(copy.toAbsolutePath().toString()));
    copyImports(source, root, javaPackage, Set.of(outerClassName), workDir, originals, inputs);

    Path descriptorSet = workDir.resolve("descriptor-set.pb");
    makeExecutable(protoc);
    List<String> command = new ArrayList<>(List.of(protoc.toString(), "--proto_path=" + workDir.toAbsolutePath(),
        "--java_out=" + javaOut.toAbsolutePath(), "--descriptor_set_out=" + descriptorSet.toAbsolutePath()));
    command.addAll(inputs);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int exit;
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new ProtocException("protoc did not finish within " + TIMEOUT_SECONDS + " s on " + original);
      }
      exit = process.exitValue();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while protoc compiled " + original, e);
    }
    // Errors name the copies; line numbers are the originals' (ProtoSource keeps lines), so name those.
    output = output.replace(workDir.toAbsolutePath() + "/", "");
    List<String> names = new ArrayList<>(originals.keySet());
    names.sort(Comparator.comparingInt(String::length).reversed());
    for (String name : names) {
      output = output.replaceAll("(?m)(^|\\s)" + Pattern.quote(name + ":"),
          "$1" + Matcher.quoteReplacement(originals.get(name) + ":"));
    }
    if (exit != 0) {
      throw new ProtocException("protoc failed (exit " + exit + ") on " + original + ":\n" + output.strip());
    }
    FileDescriptorSet set;
    try (InputStream in = Files.newInputStream(descriptorSet)) {
      set = FileDescriptorSet.parseFrom(in);
    }
    Set<String> types = new TreeSet<>();
    for (FileDescriptorProto file : set.getFileList()) {
      if (file.getName().equals(mainName)) {
        for (DescriptorProto message : file.getMessageTypeList()) {
          types.add(message.getName());
        }
      }
    }
    return types;
  }

  private static final Pattern IMPORT = Pattern.compile("\\bimport\\s+(?:public\\s+|weak\\s+)?\"([^\"]+)\"\\s*;");

  /** Copies what {@code source} imports, and what those import, into {@code workDir}; adds them to {@code inputs}. */
  private static void copyImports(String source, Path root, String javaPackage, Set<String> usedOuterClasses,
      Path workDir, Map<String, Path> originals, List<String> inputs) throws IOException {
    Set<String> outers = new HashSet<>(usedOuterClasses);
    Deque<String> pending = new ArrayDeque<>(imports(source));
    while (!pending.isEmpty()) {
      String name = pending.removeFirst();
      if (originals.containsKey(name) || Files.exists(workDir.resolve(name))) {
        continue;
      }
      Path file = root.resolve(name).normalize();
      Path target = workDir.resolve(name).normalize();
      if (!file.startsWith(root) || !target.startsWith(workDir.toAbsolutePath().normalize())) {
        continue; // protoc refuses it with a position in the importing file
      }
      if (Files.isRegularFile(file)) {
        String imported = Files.readString(file, StandardCharsets.UTF_8);
        String stem = file.getFileName().toString().replaceFirst("\\.proto$", "");
        String outer = JavaNames.typePart(stem, "P") + "Proto";
        for (int n = 2; outers.contains(outer); n++) {
          outer = JavaNames.typePart(stem, "P") + "Proto" + n;
        }
        outers.add(outer);
        Files.createDirectories(target.getParent());
        Files.writeString(target, ProtoSource.withJavaOptions(imported, javaPackage, outer), StandardCharsets.UTF_8);
        originals.put(name, file);
        inputs.add(target.toString());
        pending.addAll(imports(imported));
      } else if (name.startsWith("google/protobuf/")) {
        // A well-known type: its classes are in protobuf-java, and so is its .proto.
        try (InputStream in = ProtoCompiler.class.getClassLoader().getResourceAsStream(name)) {
          if (in != null) {
            Files.createDirectories(target.getParent());
            Files.write(target, in.readAllBytes());
          }
        }
      }
    }
  }

  /** The files {@code source} imports, as written (comments and strings elsewhere never match). */
  static List<String> imports(String source) {
    String masked = ProtoSource.mask(source);
    List<String> names = new ArrayList<>();
    Matcher m = IMPORT.matcher(masked);
    while (m.find()) {
      // The mask blanks the contents of string literals: read the name from the source.
      int open = source.indexOf('"', m.start());
      int close = source.indexOf('"', open + 1);
      names.add(source.substring(open + 1, close));
    }
    return names;
  }

  private static void makeExecutable(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("protoc executable " + file + " does not exist");
    }
    if (!Files.isExecutable(file) && !file.toFile().setExecutable(true)) {
      throw new IOException("cannot make " + file + " executable");
    }
  }

  /** protoc refused an interface file, or could not run. */
  public static final class ProtocException extends IOException {
    public ProtocException(String message) {
      super(message);
    }
  }
}
