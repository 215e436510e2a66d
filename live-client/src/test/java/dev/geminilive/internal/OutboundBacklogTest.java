package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The replay copies' trim by age: media past the window leave, everything else stays in order. */
class OutboundBacklogTest {
  private static final long WINDOW = 1_000;
  private static final String CHUNK = Frames.audio(new byte[640], 0, 640);

  private long index;

  private Outgoing kept(OutboundBacklog backlog, Outgoing.Kind kind, long createdNanos) {
    Outgoing o =
        new Outgoing(
            kind,
            kind == Outgoing.Kind.AUDIO ? CHUNK : Frames.text("t" + index),
            kind == Outgoing.Kind.TEXT,
            Set.of(),
            index,
            createdNanos);
    o.index = index++;
    backlog.keep(o);
    return o;
  }

  private static List<Outgoing> unconfirmed(OutboundBacklog backlog) {
    return new ArrayList<>(backlog.unconfirmed());
  }

  @Test
  void atASteadyPaceEachTrimTakesTheChunksPastTheWindowFromTheFront() {
    // Bound to exactly the window's 51 chunks: a byte count the trim did not keep right would make
    // the bound drop chunks still inside the window.
    OutboundBacklog backlog = new OutboundBacklog(51L * CHUNK.length(), WINDOW);
    List<Outgoing> sent = new ArrayList<>();
    for (long t = 0; t < 5_000; t += 20) {
      sent.add(kept(backlog, Outgoing.Kind.AUDIO, t));
      backlog.trim(t);
      assertThat(backlog.bound()).isEmpty();
      long limit = t - WINDOW;
      assertThat(unconfirmed(backlog))
          .as("at %d", t)
          .isEqualTo(sent.stream().filter(o -> o.createdNanos >= limit).toList());
    }
    assertThat(backlog.size()).isEqualTo(51);
  }

  @Test
  void textPastTheWindowStaysWhileTheMediaBeforeAndBehindItGo() {
    OutboundBacklog backlog = new OutboundBacklog(2L * CHUNK.length(), WINDOW);
    kept(backlog, Outgoing.Kind.AUDIO, 0);
    Outgoing text = kept(backlog, Outgoing.Kind.TEXT, 10);
    kept(backlog, Outgoing.Kind.AUDIO, 20);
    kept(backlog, Outgoing.Kind.VIDEO, 30);
    Outgoing control = kept(backlog, Outgoing.Kind.CONTROL, 40);
    kept(backlog, Outgoing.Kind.AUDIO, 50);
    Outgoing young = kept(backlog, Outgoing.Kind.AUDIO, 1_500);

    backlog.trim(1_100); // the window reaches back to 100
    assertThat(unconfirmed(backlog)).containsExactly(text, control, young);
    assertThat(backlog.size()).isEqualTo(3);

    backlog.coverThrough(young.index);
    assertThat(backlog.size()).isZero();
    // Nothing is left over in the byte count: two chunks, the bound, are kept whole again.
    Outgoing a = kept(backlog, Outgoing.Kind.AUDIO, 2_000);
    Outgoing b = kept(backlog, Outgoing.Kind.AUDIO, 2_000);
    assertThat(backlog.bound()).isEmpty();
    assertThat(unconfirmed(backlog)).containsExactly(a, b);
  }
}
