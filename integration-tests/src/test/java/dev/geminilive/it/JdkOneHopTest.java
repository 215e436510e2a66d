package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.Transport;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Transport.JDK} with one thread hop per frame: the JDK's client runs on the library's
 * workers, and a frame's session turn follows the JDK's call on the same worker. What must hold
 * with it: the JDK client starts no pool of its own, a listener that blocks holds up neither
 * another session's frames nor its own connection's reading, and its own frames then arrive in
 * order.
 */
class JdkOneHopTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  FakeLiveServerExtension text = new FakeLiveServerExtension(b -> b.textFrames(true));

  /**
   * The client's ping interval in the blocking test: short, so that pongs its connection stopped
   * reading would show within the test, and long enough for a loaded machine's scheduling.
   */
  private static final Duration PING = Duration.ofMillis(500);

  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void releaseTheBlockedListener() {
    release.countDown();
  }

  @Test
  void theJdkClientRunsOnTheLibrarysWorkersAndStartsNoThreadPoolOfItsOwn() throws Exception {
    FakeLiveServer server = text.server();
    RecordingLiveListener events = new RecordingLiveListener();
    try (ResilientLiveSession session = jdk(server).listener(events).connect()) {
      server.connections().get(0).sendRaw(textFrame("hello"));
      server.connections().get(0).sendRaw(TURN_COMPLETE);
      events.awaitTurnComplete(1, WAIT);
      assertThat(events.<String>values(EventType.TEXT)).containsExactly("hello");
      List<String> names = new ArrayList<>();
      Thread.getAllStackTraces().keySet().forEach(t -> names.add(t.getName()));
      assertThat(names).noneMatch(n -> n.startsWith("gemini-live-jdk-ws"));
    }
  }

  @Test
  void aListenerThatBlocksHoldsUpNeitherAnotherSessionsFramesNorItsOwnConnectionsReading()
      throws Exception {
    FakeLiveServer server = text.server();
    CountDownLatch blocked = new CountDownLatch(1);
    RecordingLiveListener aEvents = new RecordingLiveListener();
    LiveListener blocking =
        new LiveListener() {
          @Override
          public void onText(ResilientLiveSession session, String text) {
            if (text.equals("block")) {
              blocked.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            aEvents.onText(session, text);
          }

          @Override
          public void onTurnComplete(ResilientLiveSession session, String reason) {
            aEvents.onTurnComplete(session, reason);
          }
        };
    RecordingLiveListener bEvents = new RecordingLiveListener();
    try (ResilientLiveSession a = jdk(server).pingInterval(PING).listener(blocking).connect();
        ResilientLiveSession b = jdk(server).listener(bEvents).connect()) {
      FakeConnection toA = server.connections().get(0);
      FakeConnection toB = server.connections().get(1);
      toA.sendRaw(textFrame("block"));
      assertThat(blocked.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      // While a's listener blocks: more frames for a, which its connection still reads, and a
      // burst for b, which b's listener gets in full.
      List<String> toAafter = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        toAafter.add("a " + i);
        toA.sendRaw(textFrame("a " + i));
      }
      toA.sendRaw(TURN_COMPLETE);
      List<String> toBsent = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        toBsent.add("b " + i);
        toB.sendRaw(textFrame("b " + i));
      }
      toB.sendRaw(TURN_COMPLETE);
      bEvents.awaitTurnComplete(1, WAIT);
      assertThat(bEvents.<String>values(EventType.TEXT)).containsExactlyElementsOf(toBsent);
      // a's connection is still read while its listener blocks: its pongs arrive, so the ping sent
      // every PING interval never goes unanswered (an unanswered one fails the connection, and no
      // further ping follows on it). Five more pings arrive with the listener blocked.
      long pingsBefore = toA.pingsReceived();
      assertThat(toA.awaitPings(pingsBefore + 5, WAIT)).isTrue();
      assertThat(aEvents.count(EventType.TEXT)).isZero();
      release.countDown();
      aEvents.awaitTurnComplete(1, WAIT);
      List<String> expected = new ArrayList<>();
      expected.add("block");
      expected.addAll(toAafter);
      assertThat(aEvents.<String>values(EventType.TEXT)).containsExactlyElementsOf(expected);
      // One connection each: no ping of a's went unanswered, nothing was resumed.
      assertThat(server.connections()).hasSize(2);
    }
  }

  private static final String TURN_COMPLETE = "{\"serverContent\":{\"turnComplete\":true}}";

  private static String textFrame(String text) {
    return "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"text\":\"" + text + "\"}]}}}";
  }

  private static dev.geminilive.LiveSessionBuilder jdk(FakeLiveServer server) {
    return Fakes.builder(server).transport(Transport.JDK);
  }
}
