package org.defpi.orchestrator.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MeteredDockerHttpTest {
  @ParameterizedTest(name = "{0} {1} is {2}")
  @CsvSource(delimiter = '|', textBlock = """
      GET    | /v1.41/services?filters=%7B%22label%22%7D            | GET /services
      POST   | /v1.41/services/create                                | POST /services/create
      GET    | /v1.41/services/65f0c0de1a2b3c4d5e6f7a8b              | GET /services/{id}
      POST   | /v1.41/services/65f0c0de1a2b3c4d5e6f7a8b/update?version=12 | POST /services/{id}/update
      GET    | /v1.41/services/65f0c0de1a2b3c4d5e6f7a8b/logs?follow=true&tail=200 | GET /services/{id}/logs
      DELETE | /v1.41/services/65f0c0de1a2b3c4d5e6f7a8b              | DELETE /services/{id}
      GET    | /v1.41/tasks?filters=x                                | GET /tasks
      GET    | /v1.41/nodes                                          | GET /nodes
      POST   | /v1.41/nodes/abc123/update?version=7                  | POST /nodes/{id}/update
      POST   | /v1.41/networks/create                                | POST /networks/create
      POST   | /v1.41/networks/defpi-user-65f0c0de1a2b3c4d5e6f7a8b/connect | POST /networks/{id}/connect
      GET    | /v1.41/containers/defpi-orchestrator/json             | GET /containers/{id}/json
      GET    | /v1.41/distribution/127.0.0.1:5000/services/power-meter:0.1.0/json | GET /distribution/{name}/json
      GET    | /v1.41/info                                           | GET /info
      GET    | /_ping                                                | GET /_ping
      GET    | /                                                     | GET /
      """)
  void anEngineCallIsNamedByItsTemplateNeverByAnId(String method, String path, String operation) {
    assertThat(MeteredDockerHttp.operation(method, path)).isEqualTo(operation);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(textBlock = """
      200, ''
      201, ''
      204, ''
      101, ''
      304, NotModifiedException
      400, BadRequestException
      401, UnauthorizedException
      404, NotFoundException
      406, NotAcceptableException
      409, ConflictException
      500, InternalServerErrorException
      503, DockerException
      """)
  void anAnswerIsAnErrorWhenDockerJavaThrowsForItNamedAsItsException(int status, String exception) {
    assertThat(MeteredDockerHttp.error(status)).isEqualTo(exception.isEmpty() ? Optional.empty() : Optional.of(exception));
  }
}
