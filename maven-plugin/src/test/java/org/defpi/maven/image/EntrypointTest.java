package org.defpi.maven.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EntrypointTest {
  static final List<String> JIB = List.of("java", "-cp", "/app/libs/*:/app/classes:/app/resources", "org.example.Main");

  @Test
  void execsJavaWithTheBuildsFlagsThenJvmArgumentsThenTheClasspath() {
    assertThat(Entrypoint.shellForm(JIB, List.of("-XX:+UseSerialGC", "-Dx=1"))).containsExactly("/bin/sh", "-c",
        "set -f; exec java -XX:+UseSerialGC -Dx=1 $JVM_ARGUMENTS -cp '/app/libs/*:/app/classes:/app/resources' "
            + "org.example.Main");
  }

  @Test
  void withoutFlagsOnlyJvmArgumentsComesBeforeTheClasspath() {
    assertThat(Entrypoint.shellForm(JIB, List.of()).get(2))
        .isEqualTo("set -f; exec java $JVM_ARGUMENTS -cp '/app/libs/*:/app/classes:/app/resources' org.example.Main");
  }

  @Test
  void quotesEveryCharacterTheShellWouldInterpret() {
    assertThat(Entrypoint.quote("-Dplain.value=a/b:c,d@e%f+g")).isEqualTo("-Dplain.value=a/b:c,d@e%f+g");
    assertThat(Entrypoint.quote("-Dname=two words")).isEqualTo("'-Dname=two words'");
    assertThat(Entrypoint.quote("-Dq=it's")).isEqualTo("'-Dq=it'\\''s'");
    assertThat(Entrypoint.quote("-Dv=$HOME")).isEqualTo("'-Dv=$HOME'");
    assertThat(Entrypoint.quote("-Dv=`id`;x")).isEqualTo("'-Dv=`id`;x'");
    assertThat(Entrypoint.quote("")).isEqualTo("''");
  }

  @Test
  void refusesACommandThatIsNotJava() {
    assertThatThrownBy(() -> Entrypoint.shellForm(List.of("/bin/true"), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[/bin/true]");
  }
}
