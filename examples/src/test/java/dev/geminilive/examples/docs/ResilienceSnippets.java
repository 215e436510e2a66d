package dev.geminilive.examples.docs;

import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveException;
import dev.geminilive.LiveListener;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ReconnectPolicy;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import java.time.Duration;

/** Compiled sources of docs/resilience.md. */
final class ResilienceSnippets {
  private ResilienceSnippets() {}

  static LiveSessionBuilder knobs(LiveSessionBuilder builder) {
    // snippet:resilience-knobs
    return builder
        .reconnectPolicy(
            ReconnectPolicy.exponential(Duration.ofMillis(250), 2.0, Duration.ofSeconds(10))
                .withJitter(0.2)
                .withMaxAttempts(6) // per outage
                .withMaxReconnects(200) // per session
                .withStablePeriod(Duration.ofSeconds(30)) // a connection this old resets backoff
                .withMaxOutage(Duration.ofMinutes(1)))
        .contextCompression(104_857, 52_428) // the defaults; always configured
        .stallTimeout(Duration.ofSeconds(20)) // no frame this long mid-turn = dead connection
        .pingInterval(Duration.ofSeconds(30)) // tolerant: the service's pongs can be slow
        .replayWindow(Duration.ofSeconds(30)) // unconfirmed audio older than this is not replayed
        .maxQueuedBytes(8L * 1024 * 1024); // input kept for replay and while reconnecting
    // end:resilience-knobs
  }

  static LiveListener listener() {
    // snippet:resilience-listener
    return new LiveListener() {
      @Override
      public void onGoAway(ResilientLiveSession s, Duration timeLeft) {
        System.out.println("service ends this connection in " + timeLeft);
      }

      @Override
      public void onReconnecting(ResilientLiveSession s, Reconnecting r) {
        System.out.println(
            (r.planned() ? "moving" : "reconnecting") + " #" + r.attempt() + ": " + r.cause());
      }

      @Override
      public void onReconnected(ResilientLiveSession s, ContextRestoration restoration) {
        if (restoration != ContextRestoration.RESUMED) {
          System.out.println("the model lost some context: " + restoration);
        }
      }

      @Override
      public void onError(ResilientLiveSession s, LiveException recovered) {
        System.out.println("recovered: " + recovered.getMessage()); // e.g. audio dropped
      }

      @Override
      public void onFailure(ResilientLiveSession s, LiveException failure) {
        System.out.println("gave up: " + failure.getMessage()); // final
      }
    };
    // end:resilience-listener
  }

  static void stats(ResilientLiveSession session) {
    // snippet:resilience-stats
    ResilientLiveSession.SessionStats stats = session.stats();
    System.out.printf(
        "%d connections, %d reconnects, %d messages replayed, %d audio chunks dropped%n",
        stats.connections(),
        stats.reconnects(),
        stats.messagesReplayed(),
        stats.audioChunksDropped());
    // end:resilience-stats
  }
}
