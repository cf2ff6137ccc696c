package org.defpi.sdk;

import java.util.Map;
import java.util.Objects;

/**
 * What the orchestrator tells a process about itself through its environment (WIRE.md section 4).
 * {@link #toString()} hides the token.
 */
public record DefPiParameters(
    String orchestratorHost,
    int orchestratorPort,
    String orchestratorToken,
    String processId,
    String userId,
    String userName,
    String userEmail) {
  public static final String ORCHESTRATOR_HOST = "ORCHESTRATOR_HOST";
  public static final String ORCHESTRATOR_PORT = "ORCHESTRATOR_PORT";
  public static final String ORCHESTRATOR_TOKEN = "ORCHESTRATOR_TOKEN";
  public static final String PROCESS_ID = "PROCESS_ID";
  public static final String USER_ID = "USER_ID";
  public static final String USER_NAME = "USER_NAME";
  public static final String USER_EMAIL = "USER_EMAIL";

  public DefPiParameters {
    Objects.requireNonNull(orchestratorHost, "orchestratorHost");
    Objects.requireNonNull(orchestratorToken, "orchestratorToken");
    Objects.requireNonNull(processId, "processId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(userName, "userName");
    Objects.requireNonNull(userEmail, "userEmail");
  }

  /** Reads the variables of WIRE.md section 4; a missing one is named in the exception. */
  public static DefPiParameters fromEnvironment(Map<String, String> env) {
    String port = required(env, ORCHESTRATOR_PORT);
    int portNumber;
    try {
      portNumber = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(ORCHESTRATOR_PORT + " must be a port number, is '" + port + "'");
    }
    return new DefPiParameters(
        required(env, ORCHESTRATOR_HOST), portNumber, required(env, ORCHESTRATOR_TOKEN),
        required(env, PROCESS_ID), env.getOrDefault(USER_ID, ""), env.getOrDefault(USER_NAME, ""),
        env.getOrDefault(USER_EMAIL, ""));
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("environment variable " + name + " is not set");
    }
    return value;
  }

  @Override
  public String toString() {
    return "DefPiParameters[orchestrator=" + orchestratorHost + ":" + orchestratorPort
        + ", orchestratorToken=██, processId=" + processId + ", userId=" + userId
        + ", userName=" + userName + ", userEmail=" + userEmail + "]";
  }
}
