package org.defpi.maven.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a .proto file so protoc puts its Java classes where the generated code expects them.
 * The original file may have no {@code java_package}, or one of its own: the copy gets
 * {@code option java_package} and {@code option java_outer_classname} right after its
 * {@code syntax}/{@code edition}/{@code package} statements, and loses any {@code java_package},
 * {@code java_outer_classname} and {@code java_multiple_files} options it had.
 *
 * <p>Invariant: the copy has the same lines as the original (removed options become blanks and the
 * new options join the line of the statement they follow), so protoc's error positions hold for
 * the original file too. Comments and string literals are never matched.
 */
public final class ProtoSource {
  private static final Pattern REMOVED_OPTION =
      Pattern.compile("\\boption\\s+(java_package|java_outer_classname|java_multiple_files)\\s*=[^;]*;");
  private static final Pattern HEADER = Pattern.compile(
      "\\b(?:(?:syntax|edition)\\s*=\\s*[^;]*|package\\s+[A-Za-z_][\\w.]*\\s*);");

  private ProtoSource() {}

  public static String withJavaOptions(String source, String javaPackage, String outerClassName) {
    String masked = mask(source);
    StringBuilder out = new StringBuilder(source);
    // Blank the options we replace; same length, so positions in masked stay valid for out.
    List<int[]> removed = new ArrayList<>();
    Matcher option = REMOVED_OPTION.matcher(masked);
    while (option.find()) {
      if (depth(masked, option.start()) == 0) {
        removed.add(new int[] {option.start(), option.end()});
      }
    }
    for (int[] range : removed) {
      for (int i = range[0]; i < range[1]; i++) {
        if (out.charAt(i) != '\n' && out.charAt(i) != '\r') {
          out.setCharAt(i, ' ');
        }
      }
    }
    int insertAt = 0;
    Matcher header = HEADER.matcher(masked);
    while (header.find()) {
      if (depth(masked, header.start()) == 0) {
        insertAt = Math.max(insertAt, header.end());
      }
    }
    String options = "option java_package = \"" + javaPackage + "\"; option java_outer_classname = \""
        + outerClassName + "\";";
    out.insert(insertAt, insertAt == 0 ? options + " " : " " + options);
    return out.toString();
  }

  /** Brace depth at {@code index}: options and headers only count at the top level of the file. */
  private static int depth(String masked, int index) {
    int depth = 0;
    for (int i = 0; i < index; i++) {
      char c = masked.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
      }
    }
    return depth;
  }

  /** {@code source} with comments and the contents of string literals replaced by spaces (line breaks kept). */
  static String mask(String source) {
    StringBuilder masked = new StringBuilder(source);
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
        while (i < n && source.charAt(i) != '\n') {
          blank(masked, i++);
        }
      } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
        int end = source.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        while (i < end) {
          blank(masked, i++);
        }
      } else if (c == '"' || c == '\'') {
        i++;
        while (i < n && source.charAt(i) != c && source.charAt(i) != '\n') {
          if (source.charAt(i) == '\\' && i + 1 < n) {
            blank(masked, i++);
          }
          blank(masked, i++);
        }
        i++;
      } else {
        i++;
      }
    }
    return masked.toString();
  }

  private static void blank(StringBuilder masked, int i) {
    if (masked.charAt(i) != '\n' && masked.charAt(i) != '\r') {
      masked.setCharAt(i, ' ');
    }
  }
}
