package org.defpi.sdk.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.defpi.sdk.Connection;
import org.defpi.sdk.ConnectionHandler;
import org.defpi.wire.protocol.ProcessProto.ErrorMessage;

/**
 * A generated-style handler that records what happens, as strings: {@code "got <text>"} per
 * message, and the callback names. The text {@code "block"} holds the handler until {@link
 * #release()}; the text {@code "throw"} makes it throw.
 */
public final class RecordingHandler implements ConnectionHandler {
  private final Connection connection;
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final CountDownLatch released = new CountDownLatch(1);

  RecordingHandler(Connection connection) {
    this.connection = connection;
  }

  public Connection connection() {
    return connection;
  }

  public List<String> events() {
    return events;
  }

  /** Only the messages' texts, in arrival order. */
  public List<String> texts() {
    return events.stream().filter(e -> e.startsWith("got ")).map(e -> e.substring(4)).toList();
  }

  public void release() {
    released.countDown();
  }

  public void handleErrorMessage(ErrorMessage message) throws InterruptedException {
    String text = message.getDebugInformation();
    if (text.equals("throw")) {
      events.add("got throw");
      throw new IllegalStateException("the handler failed on purpose");
    }
    if (text.equals("block")) {
      released.await();
    }
    events.add("got " + text);
  }

  @Override
  public void onSuspend() {
    events.add("onSuspend");
  }

  @Override
  public void resumeAfterSuspend() {
    events.add("resumeAfterSuspend");
  }

  @Override
  public void onInterrupt() {
    events.add("onInterrupt");
  }

  @Override
  public void resumeAfterInterrupt() {
    events.add("resumeAfterInterrupt");
  }

  @Override
  public void terminated() {
    events.add("terminated");
  }
}
