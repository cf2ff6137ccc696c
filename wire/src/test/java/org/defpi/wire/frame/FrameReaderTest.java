package org.defpi.wire.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
  @Test
  void readsWhatTheWriterWrote() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(out);
    writer.write(new byte[] {1, 2, 3});
    writer.writeHeartbeat(Heartbeat.PING);
    writer.write(new byte[0]);
    assertThat(out.toByteArray()).startsWith(0, 0, 0, 3, 1, 2, 3, 0xFF - 256, 0, 0, 0, 1, 0x0A, -1);

    FrameReader reader = new FrameReader(new ByteArrayInputStream(out.toByteArray()));
    assertThat(reader.read()).hasValueSatisfying(p -> assertThat(p).containsExactly(1, 2, 3));
    assertThat(reader.read()).hasValueSatisfying(p -> assertThat(Heartbeat.isHeartbeat(p)).isTrue());
    assertThat(reader.read()).hasValueSatisfying(p -> assertThat(p).isEmpty());
    assertThat(reader.read()).isEmpty();
  }

  @Test
  void readsFramesSplitAcrossManySmallReads() throws IOException {
    byte[] wire = {0, 0, 0, 2, 7, 8, -1, 0, 0, 0, 1, 9, -1};
    FrameReader reader = new FrameReader(oneByteAtATime(wire));
    assertThat(reader.read()).hasValueSatisfying(p -> assertThat(p).containsExactly(7, 8));
    assertThat(reader.read()).hasValueSatisfying(p -> assertThat(p).containsExactly(9));
  }

  @Test
  void wrongEndOfMessageSkipsToTheNextFFAndReadsOn() throws IOException {
    // Frame 1 claims 2 bytes but carries 3 before its 0xFF: the reader skips to that 0xFF.
    byte[] wire = {0, 0, 0, 2, 1, 2, 3, -1, 0, 0, 0, 1, 5, -1};
    FrameReader reader = new FrameReader(new ByteArrayInputStream(wire));
    assertThatThrownBy(reader::read)
        .isInstanceOf(CorruptedFrameException.class)
        .hasMessageContaining("found 0x03");
    assertThat(reader.read()).hasValueSatisfying(p -> assertThat(p).containsExactly(5));
  }

  @Test
  void negativeLengthEndsTheStream() throws IOException {
    FrameReader reader = new FrameReader(new ByteArrayInputStream(new byte[] {-1, -1, -1, -1, 0, 0}));
    assertThat(reader.read()).isEmpty();
  }

  @Test
  void frameOverTheMaximumIsRefusedWithItsLength() {
    FrameReader reader = new FrameReader(new ByteArrayInputStream(new byte[] {0, 0, 1, 0}), 255);
    assertThatThrownBy(reader::read)
        .isInstanceOf(TooLongFrameException.class)
        .hasMessage("frame length 256 exceeds the maximum of 255 bytes");
  }

  @Test
  void streamEndingInsideAFrameIsAnError() {
    FrameReader reader = new FrameReader(new ByteArrayInputStream(new byte[] {0, 0, 0, 5, 1, 2}));
    assertThatThrownBy(reader::read).isInstanceOf(EOFException.class);
  }

  private static InputStream oneByteAtATime(byte[] bytes) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1));
      }
    };
  }
}
