package org.defpi.maven.generate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProtoSourceTest {
  private static final String OPTIONS = "option java_package = \"p.q.proto\"; option java_outer_classname = \"QV1Proto\";";

  @Test
  void optionsFollowThePackageStatementOnItsLine() {
    String source = """
        syntax = "proto2";
        package meter;

        message Reading { optional int32 w = 1; }
        """;
    assertThat(ProtoSource.withJavaOptions(source, "p.q.proto", "QV1Proto")).isEqualTo("""
        syntax = "proto2";
        package meter; %s

        message Reading { optional int32 w = 1; }
        """.formatted(OPTIONS));
  }

  @Test
  void withoutPackageTheyFollowTheSyntaxStatement() {
    assertThat(ProtoSource.withJavaOptions("syntax = 'proto3';\nmessage A {}\n", "p.q.proto", "QV1Proto"))
        .isEqualTo("syntax = 'proto3'; " + OPTIONS + "\nmessage A {}\n");
  }

  @Test
  void withNeitherTheyOpenTheFile() {
    assertThat(ProtoSource.withJavaOptions("message A {}\n", "p.q.proto", "QV1Proto"))
        .isEqualTo(OPTIONS + " message A {}\n");
  }

  @Test
  void ownJavaOptionsAreBlankedKeepingTheLines() {
    String source = """
        syntax = "proto2";
        option java_package = "com.example";
        option java_outer_classname = "Other";
        option java_multiple_files = true;
        option optimize_for = SPEED;
        package meter;
        """;
    String rewritten = ProtoSource.withJavaOptions(source, "p.q.proto", "QV1Proto");
    assertThat(rewritten.lines()).hasSize(6);
    assertThat(rewritten).doesNotContain("com.example").doesNotContain("Other").doesNotContain("java_multiple_files")
        .contains("option optimize_for = SPEED;")
        .endsWith("package meter; " + OPTIONS + "\n");
  }

  @Test
  void commentsStringsAndNestedStatementsAreLeftAlone() {
    String source = """
        // package fake; option java_package = "x";
        /* syntax = "proto9"; */
        syntax = "proto2";
        message A {
          optional string package = 1 [default = "package b;"];
          option java_package = "never at this depth";
        }
        """;
    String rewritten = ProtoSource.withJavaOptions(source, "p.q.proto", "QV1Proto");
    assertThat(rewritten).startsWith("// package fake; option java_package = \"x\";\n/* syntax = \"proto9\"; */\n"
        + "syntax = \"proto2\"; " + OPTIONS + "\n");
    assertThat(rewritten).contains("[default = \"package b;\"]").contains("option java_package = \"never at this depth\";");
  }
}
