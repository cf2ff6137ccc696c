package org.defpi.sdk.testing;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.defpi.sdk.InterfaceVersion;
import org.defpi.sdk.MessageCodec;
import org.defpi.wire.protocol.ProcessProto.ErrorMessage;

/**
 * A tiny hand-written interface, as the build tools would generate it: both ends send and receive
 * wire's {@code ErrorMessage}, used here as an application message ({@code processId} says who
 * sent it, {@code debugInformation} is the text). Side A receives what B sends and vice versa, so
 * the hashes are mirrored as WIRE.md section 2 requires.
 */
public final class TestInterface {
  public static final String INTERFACE_ID = "test-service/chat";

  /** One end's hashes. */
  public record Side(String receivesHash, String sendsHash) {}

  public static final Side A = new Side("hash-b-to-a", "hash-a-to-b");
  public static final Side B = new Side("hash-a-to-b", "hash-b-to-a");

  private final BlockingQueue<RecordingHandler> handlers = new LinkedBlockingQueue<>();

  /** Both versions, so one service can be either end. */
  public List<InterfaceVersion> versions() {
    return List.of(version(A, "a"), version(B, "b"));
  }

  /** Handlers built so far, in order. */
  public BlockingQueue<RecordingHandler> handlers() {
    return handlers;
  }

  private InterfaceVersion version(Side side, String name) {
    return new InterfaceVersion(INTERFACE_ID, name, side.receivesHash(), side.sendsHash(),
        MessageCodec.protobuf(ErrorMessage.getDefaultInstance()),
        connection -> {
          RecordingHandler handler = new RecordingHandler(connection);
          handlers.add(handler);
          return handler;
        },
        (handler, message) -> {
          if (!(message instanceof ErrorMessage m)) {
            throw new IllegalArgumentException("chat receives ErrorMessage, not " + message.getClass().getSimpleName());
          }
          ((RecordingHandler) handler).handleErrorMessage(m);
        });
  }

  public static ErrorMessage text(String from, String text) {
    return ErrorMessage.newBuilder().setProcessId(from).setDebugInformation(text).build();
  }
}
