package org.defpi.sdk.testing;

import com.google.protobuf.Struct;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.InvalidStateException;
import org.defpi.sdk.Service;
import org.defpi.sdk.ServiceDefinition;
import org.defpi.sdk.ServiceState;

/**
 * A service that keeps its state in a protobuf {@link Struct} and saves it the way the SDK
 * recommends, with {@link ServiceState}: what a service developer would write.
 */
public final class StatefulService implements Service<RecordingService.Config> {
  public static final String SERVICE_ID = "stateful-test";

  private final String version;
  private volatile Struct state = Struct.getDefaultInstance();
  private volatile ServiceState resumedFrom;

  public StatefulService(String version) {
    this.version = version;
  }

  public static ServiceDefinition<RecordingService.Config> definition(StatefulService service, TestInterface chat) {
    return new ServiceDefinition<>(service, RecordingService.BINDER, chat.versions());
  }

  public Struct state() {
    return state;
  }

  public void setState(Struct state) {
    this.state = state;
  }

  /** The envelope {@link #resumeFrom} accepted, or null before a resume. */
  public ServiceState resumedFrom() {
    return resumedFrom;
  }

  @Override
  public void init(RecordingService.Config config, DefPiParameters parameters) {}

  @Override
  public byte[] suspend() {
    return ServiceState.of(SERVICE_ID, version, state).toBytes();
  }

  @Override
  public void resumeFrom(byte[] saved) throws InvalidStateException {
    ServiceState envelope = ServiceState.parse(saved).requireService(SERVICE_ID);
    state = envelope.payloadAs(Struct.getDefaultInstance());
    resumedFrom = envelope;
  }
}
