package org.defpi.wire.frame;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Writes frames to a blocking stream. Thread-safe: concurrent writes never interleave. */
public final class FrameWriter {
  private final DataOutputStream out;

  public FrameWriter(OutputStream out) {
    this.out = new DataOutputStream(new BufferedOutputStream(out));
  }

  public synchronized void write(byte[] payload) throws IOException {
    out.writeInt(payload.length);
    out.write(payload);
    out.write(0xFF);
    out.flush();
  }

  public void writeHeartbeat(byte heartbeat) throws IOException {
    write(new byte[] {heartbeat});
  }
}
