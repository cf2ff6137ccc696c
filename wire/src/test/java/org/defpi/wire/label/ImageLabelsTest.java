package org.defpi.wire.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.defpi.wire.service.Parameter;
import org.defpi.wire.service.ParameterType;
import org.junit.jupiter.api.Test;

class ImageLabelsTest {
  @Test
  void writesTheOriginalSpellingAndReadsItBack() throws Exception {
    ServiceLabels service = new ServiceLabels("Power Meter",
        List.of(new InterfaceLabel("power-meter/power", "Power", "power-meter",
            List.of(new InterfaceVersionLabel("v1", "rh", "sh")), true, false)),
        List.of(new Parameter("count", "Count", ParameterType.INTEGER, false, false, List.of(), List.of(), Optional.of("10"))));
    Map<String, String> labels = ImageLabels.write(service);
    assertThat(labels).containsEntry(ImageLabels.API_VERSION, "1");
    assertThat(labels.get(ImageLabels.INTERFACES)).isEqualTo(
        "[{\"id\":\"power-meter/power\",\"name\":\"Power\",\"serviceId\":\"power-meter\","
            + "\"interfaceVersions\":[{\"versionName\":\"v1\",\"receivesHash\":\"rh\",\"sendsHash\":\"sh\"}],"
            + "\"allowMultiple\":true,\"autoConnect\":false}]");
    assertThat(labels.get(ImageLabels.PARAMETERS)).contains("\"array\":false", "\"isArray\":false", "\"default\":\"10\"");
    assertThat(ImageLabels.read(labels)).isEqualTo(service);
  }

  @Test
  void readsParametersOfTheOriginalToolsAndNull() throws Exception {
    Map<String, String> labels = Map.of(
        ImageLabels.SERVICE_NAME, "X",
        ImageLabels.INTERFACES, "[]",
        ImageLabels.PARAMETERS, "[{\"id\":\"max\",\"name\":\"Max\",\"type\":\"double\",\"array\":true,\"optional\":false,\"default\":\"40.0\"}]");
    Parameter p = ImageLabels.read(labels).parameters().get(0);
    assertThat(p.isArray()).isTrue();
    assertThat(p.defaultValue()).contains("40.0");
    assertThat(ImageLabels.read(Map.of(ImageLabels.SERVICE_NAME, "X", ImageLabels.INTERFACES, "[]",
        ImageLabels.PARAMETERS, "null")).parameters()).isEmpty();
  }

  @Test
  void missingOrMalformedLabelsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> ImageLabels.read(Map.of())).hasMessageContaining("serviceName is missing");
    assertThatThrownBy(() -> ImageLabels.read(Map.of(ImageLabels.SERVICE_NAME, "X", ImageLabels.INTERFACES, "{")))
        .isInstanceOf(InvalidLabelsException.class).hasMessageContaining("interfaces is malformed");
    assertThatThrownBy(() -> ImageLabels.read(Map.of(ImageLabels.SERVICE_NAME, "X", ImageLabels.INTERFACES, "[{\"id\":\"a\"}]")))
        .isInstanceOf(InvalidLabelsException.class);
  }
}
