package org.defpi.maven;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles generated sources in-process against the test classpath (SDK, wire, protobuf) and loads them. */
public final class TestCompiler {
  /** The loaded classes and javac's warnings ({@code file:line: message}). */
  public record Compiled(ClassLoader loader, List<String> warnings) {
    public Class<?> load(String name) throws ClassNotFoundException {
      return Class.forName(name, true, loader);
    }
  }

  private TestCompiler() {}

  /** Compiles every .java file under {@code sourceRoots} into {@code out}; fails with javac's errors. */
  public static Compiled compile(Path out, Path... sourceRoots) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
      List<File> sources = new ArrayList<>();
      for (Path root : sourceRoots) {
        try (Stream<Path> walk = Files.walk(root)) {
          walk.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).forEach(sources::add);
        }
      }
      Files.createDirectories(out);
      // Surefire puts the real classpath here; java.class.path may be its booter jar only.
      String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      List<String> options = List.of("--release", "21", "-proc:none", "-Xlint:all", "-classpath", classpath,
          "-d", out.toString());
      boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromFiles(sources)).call();
      if (!ok) {
        throw new AssertionError("generated code does not compile:\n" + render(diagnostics, Diagnostic.Kind.ERROR)
            .collect(Collectors.joining("\n")));
      }
      List<String> warnings = Stream.concat(render(diagnostics, Diagnostic.Kind.WARNING),
          render(diagnostics, Diagnostic.Kind.MANDATORY_WARNING)).toList();
      return new Compiled(new URLClassLoader(new URL[] {out.toUri().toURL()}, TestCompiler.class.getClassLoader()),
          warnings);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<String> render(DiagnosticCollector<JavaFileObject> diagnostics, Diagnostic.Kind kind) {
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == kind)
        .map(d -> (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ")
            + d.getMessage(null));
  }
}
