package org.defpi.sdk.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.defpi.sdk.ConfigBinder;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.InvalidConfigException;
import org.defpi.sdk.Service;
import org.defpi.sdk.ServiceDefinition;

/**
 * A service whose configuration has one integer parameter {@code interval} (default 10) and one
 * string {@code mode}; {@code mode=explode} makes init and modify throw. It records its lifecycle
 * calls as strings.
 */
public final class RecordingService implements Service<RecordingService.Config> {
  public record Config(int interval, String mode) {}

  /** What the build tools would generate for the two parameters. */
  public static final ConfigBinder<Config> BINDER = (Map<String, String> map) -> {
    String interval = map.getOrDefault("interval", "10");
    int value;
    try {
      value = Integer.parseInt(interval);
    } catch (NumberFormatException e) {
      throw new InvalidConfigException("parameter 'interval' must be an integer, is '" + interval + "'");
    }
    return new Config(value, map.getOrDefault("mode", "normal"));
  };

  private final List<String> calls = new CopyOnWriteArrayList<>();
  private volatile DefPiParameters parameters;

  public static ServiceDefinition<Config> definition(RecordingService service, TestInterface chat) {
    return new ServiceDefinition<>(service, BINDER, chat.versions());
  }

  public List<String> calls() {
    return calls;
  }

  public DefPiParameters parameters() {
    return parameters;
  }

  @Override
  public void init(Config config, DefPiParameters parameters) {
    explodeIfAsked(config);
    this.parameters = parameters;
    calls.add("init " + config.interval());
  }

  @Override
  public void modify(Config config) {
    explodeIfAsked(config);
    calls.add("modify " + config.interval());
  }

  @Override
  public byte[] suspend() {
    calls.add("suspend");
    return "saved-state".getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void resumeFrom(byte[] state) {
    calls.add("resumeFrom " + new String(state, StandardCharsets.UTF_8));
  }

  @Override
  public void terminate() {
    calls.add("terminate");
  }

  private static void explodeIfAsked(Config config) {
    if (config.mode().equals("explode")) {
      throw new IllegalStateException("cannot run in mode explode");
    }
  }
}
