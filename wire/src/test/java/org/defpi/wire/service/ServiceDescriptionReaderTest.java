package org.defpi.wire.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceDescriptionReaderTest {
  private static ServiceDescription read(String json) throws InvalidServiceDescriptionException {
    return ServiceDescriptionReader.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsAFullDescription() throws Exception {
    ServiceDescription d = read("""
        {"name": "Power Meter", "version": "1.0.2-SNAPSHOT",
         "parameters": [{"id": "count", "name": "Messages", "type": "integer", "default": 10},
                        {"id": "mode", "name": "Mode", "type": "string", "values": ["a","b"], "labels": ["A","B"], "isOptional": true}],
         "interfaces": [{"name": "Power Measurement", "autoConnect": false, "allowMultiple": true,
           "interfaceVersions": [{"versionName": "v1", "location": "power.proto", "sends": ["PowerMeasurement"], "receives": []}]}]}
        """);
    assertThat(d.name()).isEqualTo("Power Meter");
    assertThat(d.parameters().get(0).defaultValue()).isEqualTo(Optional.of("10"));
    assertThat(d.parameters().get(1).isOptional()).isTrue();
    assertThat(d.interfaces().get(0).idFor("power-meter")).isEqualTo("power-meter/power-measurement");
    assertThat(d.interfaces().get(0).interfaceVersions().get(0).type()).isEqualTo(InterfaceType.PROTO);
  }

  @Test
  void everyProblemIsReportedWithItsPointer() {
    assertThatThrownBy(() -> read("""
        {"name": "", "version": "one",
         "parameters": [{"id": "Bad", "name": "x", "type": "int"}],
         "interfaces": [{"name": "I", "autoConnect": "yes",
           "interfaceVersions": [{"versionName": "v1", "location": "x.txt"}]}]}
        """))
        .isInstanceOfSatisfying(InvalidServiceDescriptionException.class, e -> assertThat(e.problems())
            .extracting(Problem::pointer)
            .containsExactly("/name", "/version", "/parameters/0/id", "/parameters/0/type",
                "/interfaces/0/autoConnect", "/interfaces/0/allowMultiple",
                "/interfaces/0/interfaceVersions/0/type"));
  }

  @Test
  void malformedJsonIsAProblemNotACrash() {
    assertThatThrownBy(() -> read("{\"name\": ")).isInstanceOf(InvalidServiceDescriptionException.class)
        .hasMessageContaining("not valid JSON");
  }
}
