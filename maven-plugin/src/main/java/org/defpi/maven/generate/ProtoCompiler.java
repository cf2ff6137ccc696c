package org.defpi.maven.generate;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

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
   * @param workDir a directory of its own for the rewritten copy and the descriptor set
   * @return the names of the top-level message types the file defines
   * @throws ProtocException protoc refused the file; the message holds its output
   */
  public Set<String> compile(Path original, byte[] originalBytes, String javaPackage, String outerClassName,
      Path workDir, Path javaOut) throws IOException {
    Files.createDirectories(workDir);
    Files.createDirectories(javaOut);
    Path copy = workDir.resolve(original.getFileName().toString());
    String source = new String(originalBytes, StandardCharsets.UTF_8);
    Files.writeString(copy, ProtoSource.withJavaOptions(source, javaPackage, outerClassName), StandardCharsets.UTF_8);
    Path descriptorSet = workDir.resolve("descriptor-set.pb");
    makeExecutable(protoc);
    List<String> command = List.of(protoc.toString(), "--proto_path=" + workDir.toAbsolutePath(),
        "--java_out=" + javaOut.toAbsolutePath(), "--descriptor_set_out=" + descriptorSet.toAbsolutePath(),
        copy.toAbsolutePath().toString());
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
    // Errors name the copy; line numbers are the original's (ProtoSource keeps lines), so name it.
    output = output.replace(copy.toAbsolutePath().toString(), original.toString())
        .replace(copy.getFileName().toString() + ":", original + ":");
    if (exit != 0) {
      throw new ProtocException("protoc failed (exit " + exit + ") on " + original + ":\n" + output.strip());
    }
    FileDescriptorSet set;
    try (InputStream in = Files.newInputStream(descriptorSet)) {
      set = FileDescriptorSet.parseFrom(in);
    }
    Set<String> types = new TreeSet<>();
    for (FileDescriptorProto file : set.getFileList()) {
      for (DescriptorProto message : file.getMessageTypeList()) {
        types.add(message.getName());
      }
    }
    return types;
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
