package org.defpi.benchmarks;

import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage.ModeType;

/**
 * One SDK path between the two nodes of {@link NodesBench}, as both know it without talking: the
 * port node B listens on, the process ids and interface hashes of each end, and whether it runs
 * in TLS. Node A's process connects, node B's listens. The raw path needs only {@link #RAW_PORT}.
 *
 * <p>What node B does on every path ({@link NodePeer}): it echoes each {@link Message200#PING} and
 * answers each full {@link #BATCH} of data messages with one message, so node A can time batches
 * and round trips on its own clock.
 */
record NodeWiring(String name, boolean tls, int port) {
  static final int RAW_PORT = 47100;
  static final NodeWiring PLAIN = new NodeWiring("plain", false, 47101);
  static final NodeWiring TLS = new NodeWiring("tls", true, 47102);
  static final int BATCH = ThroughputBenchmark.BATCH;
  static final String A_TO_B = "bench-nodes-a-to-b";
  static final String B_TO_A = "bench-nodes-b-to-a";
  private static final String CONNECTION_ID = "bench-nodes";

  /** Node A's process: it connects. */
  String connectorId() {
    return "bench-a-" + name;
  }

  /** Node B's process: it listens. */
  String listenerId() {
    return "bench-b-" + name;
  }

  /** The CREATE node B's process gets: listen on {@link #port}, the peer named as its certificate must name it. */
  ConnectionMessage listen() {
    return create(A_TO_B, B_TO_A, "", connectorId());
  }

  /** The CREATE node A's process gets: connect to {@code peerAddress}. */
  ConnectionMessage connect(String peerAddress) {
    return create(B_TO_A, A_TO_B, peerAddress, listenerId());
  }

  private ConnectionMessage create(String receives, String sends, String target, String remoteProcessId) {
    return ConnectionMessage.newBuilder().setMode(ModeType.CREATE).setConnectionId(CONNECTION_ID)
        .setTargetAddress(target).setListenPort(port).setReceiveHash(receives).setSendHash(sends)
        .setRemoteProcessId(remoteProcessId).setTls(tls).build();
  }
}
