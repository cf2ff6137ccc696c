package org.defpi.maven.generate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JavaNamesTest {
  @ParameterizedTest
  @CsvSource({
      "Power Meter,        PowerMeter,       powermeter",
      "power-meter,        PowerMeter,       powermeter",
      "HTTP,               HTTP,             http",
      "v1,                 V1,               v1",
      "v0.0.1,             V001,             v001",
      "2.0,                X20,              x20",
      "efi_2.0 (draft),    Efi20Draft,       efi20draft",
      "switch,             Switch,           switch_",
      "Élan vital,         ÉlanVital,        élanvital",
  })
  void namesFollowTheWordsOfTheName(String raw, String typePart, String packageSegment) {
    assertThat(JavaNames.typePart(raw, "X")).isEqualTo(typePart);
    assertThat(JavaNames.packageSegment(raw, "x")).isEqualTo(packageSegment);
  }

  @ParameterizedTest
  @CsvSource({
      "org.defpi.examples, power-meter, org.defpi.examples.powermeter",
      "com.Example,        My_Service,  com.example.my_service",
      "org.x,              2fast,       org.x._2fast",
      "org.x,              new,         org.x.new_",
  })
  void theDefaultPackageIsGroupAndArtifact(String groupId, String artifactId, String expected) {
    assertThat(JavaNames.defaultPackage(groupId, artifactId)).isEqualTo(expected);
    assertThat(JavaNames.isPackageName(expected)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
      "PowerMeasurement, powerMeasurement",
      "HTTP,             http",
      "HTTPServer,       httpServer",
      "V1,               v1",
  })
  void variablesAreLowerCamelCase(String typePart, String variable) {
    assertThat(JavaNames.lowerFirst(typePart)).isEqualTo(variable);
  }

  @ParameterizedTest
  @CsvSource({"port, getPort, port", "maxSamples, getMaxSamples, maxSamples", "class, getClass_, class_", "int, getInt, int_",
      "hashCode, getHashCode, hashCode_"})
  void parameterIdsGiveGettersAndFields(String id, String getter, String field) {
    assertThat(JavaNames.getterName(id)).isEqualTo(getter);
    assertThat(JavaNames.fieldName(id)).isEqualTo(field);
  }
}
