package org.defpi.maven.interfaces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.defpi.maven.service.ServiceProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The expected hashes were computed apart from our code (Python's hashlib over the same bytes, by
 * the rules of WIRE.md section 2), so this also checks the hashing, not only the report.
 */
class InterfaceReportTest {
  static final String PROTO = """
      syntax = "proto3";
      message Reading { double watts = 1; }
      message Status { string text = 1; }
      message ReadingRequest {}
      """;
  static final String FILE_HASH = "ba64f38c6988e15f2402442199c2f54352db82508c8a72c5d4b8d9cfe5af7b60";
  /** sends [Status, Reading], sorted: "Reading;Status". */
  static final String READING_STATUS = "2b3f549f8e821d505c1db5a7525609b6883c6b8a887d9ffafe7eb809a7017ebd";
  static final String READING_REQUEST = "9713314ef9ea72288fa1ed0c22cc3b365c9dca54633d22730d01ab2dc3dbb98c";
  /** An empty message set hashes the file hash alone. */
  static final String NOTHING = "c7968217724a697d3be4b7b090375229d1cc0b9107ef6d68abd507aace0906aa";

  InterfaceReport report;

  @BeforeEach
  void load(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("meter.proto"), PROTO);
    Files.writeString(dir.resolve("service.json"), """
        {"name": "Meter", "version": "2.1.0", "interfaces": [
          {"name": "Power Measurement", "autoConnect": true, "allowMultiple": false, "interfaceVersions": [
            {"versionName": "v1", "location": "meter.proto", "sends": ["Status", "Reading"], "receives": ["ReadingRequest"]},
            {"versionName": "v2", "type": "proto", "location": "meter.proto", "sends": [], "receives": []}]}]}
        """);
    report = InterfaceReport.of(ServiceProject.load(dir.resolve("service.json"), "meter"));
  }

  @Test
  void listsEachVersionWithItsFileAndMessageSetHashes() {
    assertThat(report.text()).containsExactly(
        "Meter 2.1.0 (service id meter): 1 interface",
        "",
        "Power Measurement  id meter/power-measurement  autoConnect true  allowMultiple false",
        "  v1  proto meter.proto",
        "    fileHash      " + FILE_HASH,
        "    sendsHash     " + READING_STATUS + "  sends [Status, Reading]",
        "    receivesHash  " + READING_REQUEST + "  receives [ReadingRequest]",
        "  v2  proto meter.proto",
        "    fileHash      " + FILE_HASH,
        "    sendsHash     " + NOTHING + "  sends []",
        "    receivesHash  " + NOTHING + "  receives []");
  }

  @Test
  void jsonCarriesTheSameForScripts() throws Exception {
    JsonNode json = new ObjectMapper().readTree(report.json());
    assertThat(json.path("serviceId").asText()).isEqualTo("meter");
    JsonNode v1 = json.path("interfaces").path(0).path("interfaceVersions").path(0);
    assertThat(json.path("interfaces").path(0).path("id").asText()).isEqualTo("meter/power-measurement");
    assertThat(v1.path("fileHash").asText()).isEqualTo(FILE_HASH);
    assertThat(v1.path("sendsHash").asText()).isEqualTo(READING_STATUS);
    assertThat(v1.path("receivesHash").asText()).isEqualTo(READING_REQUEST);
    assertThat(v1.path("type").asText()).isEqualTo("proto");
  }
}
