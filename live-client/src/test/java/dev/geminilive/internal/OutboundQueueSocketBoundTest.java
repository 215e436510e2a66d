package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class OutboundQueueSocketBoundTest {
  private static final String CHUNK = Frames.audio(new byte[640], 0, 640);

  /** A socket whose writer has stalled until the test drains it. */
  private static final class StalledSocket extends StubConnection {
    long queued;
    int reads;
    int frames;

    @Override
    public boolean send(String json) {
      queued += json.length();
      frames++;
      return true;
    }

    @Override
    public long queueSize() {
      reads++;
      return queued;
    }
  }

  private static Outgoing audio() {
    return new Outgoing(Outgoing.Kind.AUDIO, CHUNK, false, Set.of(), 0, 0);
  }

  @Test
  void audioPastTheSocketsLimitIsDroppedAndReportedTextStillGoesAndAudioResumesOnceDrained() {
    OutboundQueue queue = new OutboundQueue(false, false, 64L << 20, Long.MAX_VALUE / 4);
    StalledSocket socket = new StalledSocket();
    queue.install(socket, 0, first -> null);
    long fit = OutboundQueue.SOCKET_QUEUE_LIMIT_BYTES / CHUNK.length() + 1;

    for (int i = 0; i < fit; i++) {
      assertThat(queue.enqueue(audio(), 0)).as("chunk %d fits", i).isNull();
    }
    assertThat(socket.queued).isGreaterThan(OutboundQueue.SOCKET_QUEUE_LIMIT_BYTES);
    assertThat(socket.reads)
        .as("the size is read only once what was handed over could pass the limit")
        .isLessThanOrEqualTo(2);

    Outgoing over = audio();
    OutboundQueue.Dropped dropped = queue.enqueue(over, 0);
    assertThat(dropped).isNotNull();
    assertThat(dropped.bySocket()).isTrue();
    assertThat(dropped.messages()).containsExactly(over);
    assertThat(socket.frames).isEqualTo(fit);

    Outgoing text = new Outgoing(Outgoing.Kind.TEXT, Frames.text("hi"), true, Set.of(), 0, 0);
    assertThat(queue.enqueue(text, 0)).isNull();
    assertThat(text.future).isCompleted();
    assertThat(socket.frames).isEqualTo(fit + 1);

    socket.queued = 0; // the writer caught up
    Outgoing after = audio();
    assertThat(queue.enqueue(after, 0)).isNull();
    assertThat(after.future).isCompleted();
    assertThat(socket.frames).isEqualTo(fit + 2);
  }
}
