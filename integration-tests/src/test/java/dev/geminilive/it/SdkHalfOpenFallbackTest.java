package dev.geminilive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ContextRestoration;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.Transport;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import java.time.Duration;
import java.util.logging.Filter;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SDK connector's fallback when its log bridge learns nothing: the SDK never answers a server
 * close frame, so a half-closed connection is found only by the ping interval (SDK-GAPS Q4). The
 * test hides every SDK log record with a JUL filter (restored afterwards), which is what a change
 * of the SDK's log wording would do.
 */
class SdkHalfOpenFallbackTest {
  /**
   * The ping interval, the only way this test's close is found. OkHttp fails a connection whose
   * pong is not back by the next ping, setup included, so it is long enough for a setup over TLS on
   * a loaded machine (500 ms failed the first connect now and then at a load average of 20).
   */
  private static final Duration PING = Duration.ofSeconds(2);

  /** Detection takes about two ping intervals; the waits leave room for a loaded machine. */
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();

  @Test
  void aHalfOpenCloseIsDetectedAndResumedWithoutTheSdkLog() throws Exception {
    Logger sdkLog = Logger.getLogger("com.google.genai.AsyncLive");
    Filter saved = sdkLog.getFilter();
    sdkLog.setFilter(r -> false);
    try {
      FakeLiveServer server = live.server();
      RecordingLiveListener events = new RecordingLiveListener();
      try (ResilientLiveSession session =
          Fakes.builder(server)
              .transport(Transport.SDK)
              .pingInterval(PING)
              .listener(events)
              .connect()) {
        session.sendText("before");
        events.awaitTurnComplete();
        ResilienceTest.awaitHandle(events, session);

        long start = System.nanoTime();
        server.connections().get(0).closeHalfOpen(1011, "The service is currently unavailable.");
        Reconnecting r = (Reconnecting) events.await(EventType.RECONNECTING, 1, WAIT).value();
        long detectedMs = (System.nanoTime() - start) / 1_000_000;
        Measurements.record("sdk.fallback.detect.halfOpen1011.ms", detectedMs);
        assertThat(r.planned()).isFalse();
        // The detection time (about two ping intervals) is a recorded figure, not a bound.
        // The fake refuses a resume while it holds the old socket; ours was closed on detection.
        assertThat(server.connections().get(0).awaitClosed(WAIT)).isTrue();
        assertThat(events.await(EventType.RECONNECTED, 1, WAIT).value())
            .isEqualTo(ContextRestoration.RESUMED);
        session.sendText("after");
        events.awaitTurnComplete(2, WAIT);
      }
    } finally {
      sdkLog.setFilter(saved);
    }
  }
}
