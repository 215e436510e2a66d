package dev.geminilive.micrometer;

import static dev.geminilive.micrometer.GeminiLiveMetrics.AUDIO_DROPPED;
import static dev.geminilive.micrometer.GeminiLiveMetrics.CONNECTIONS_CLOSED;
import static dev.geminilive.micrometer.GeminiLiveMetrics.CONNECTIONS_FAILED;
import static dev.geminilive.micrometer.GeminiLiveMetrics.CONNECTIONS_OPENED;
import static dev.geminilive.micrometer.GeminiLiveMetrics.GO_AWAYS;
import static dev.geminilive.micrometer.GeminiLiveMetrics.INTERRUPTIONS;
import static dev.geminilive.micrometer.GeminiLiveMetrics.MESSAGES_REPLAYED;
import static dev.geminilive.micrometer.GeminiLiveMetrics.RECONNECTS;
import static dev.geminilive.micrometer.GeminiLiveMetrics.RECONNECT_ATTEMPTS;
import static dev.geminilive.micrometer.GeminiLiveMetrics.RESPONSE_LATENCY;
import static dev.geminilive.micrometer.GeminiLiveMetrics.SESSIONS_ENDED;
import static dev.geminilive.micrometer.GeminiLiveMetrics.SESSIONS_STARTED;
import static dev.geminilive.micrometer.GeminiLiveMetrics.TOKENS;
import static dev.geminilive.micrometer.GeminiLiveMetrics.TOOL_CALLS;
import static dev.geminilive.micrometer.GeminiLiveMetrics.TURNS;

import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveException;
import dev.geminilive.LiveObserver;
import dev.geminilive.Reconnecting;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The observer of one session for {@link GeminiLiveMetrics}: counts and times its events into the
 * metrics' registry (nothing while it is unbound) and keeps the session's stage in {@link
 * ActiveSessions}. Thread-safe (see {@link LiveObserver}).
 */
final class SessionMetrics implements LiveObserver {
  private final GeminiLiveMetrics metrics;
  private final Tags sessionTags;
  private final AtomicInteger[] states;
  // Index into ActiveSessions.STATES, or -1 once ended; guarded by this.
  private int state = 0;
  private volatile long replyRequestedNanos = -1;
  private volatile DisconnectCause lastCause = DisconnectCause.NETWORK;
  private volatile boolean resuming;

  SessionMetrics(GeminiLiveMetrics metrics, Tags sessionTags) {
    this.metrics = metrics;
    this.sessionTags = sessionTags;
    this.states = metrics.activeSessions().countsFor(sessionTags);
    states[0].incrementAndGet();
    count(SESSIONS_STARTED, Tags.empty(), "Gemini Live sessions started", 1);
  }

  private synchronized void moveTo(int next) {
    if (state == -1 || state == next) {
      return;
    }
    states[state].decrementAndGet();
    state = next;
    if (next >= 0) {
      states[next].incrementAndGet();
    }
  }

  private void count(String name, Tags extra, String description, double amount) {
    MeterRegistry r = metrics.registry();
    if (r == null) {
      return;
    }
    Counter.builder(name)
        .tags(sessionTags.and(extra))
        .description(description)
        .register(r)
        .increment(amount);
  }

  private void time(String name, Tags extra, String description, long nanos, boolean histogram) {
    MeterRegistry r = metrics.registry();
    if (r == null) {
      return;
    }
    Timer.builder(name)
        .tags(sessionTags.and(extra))
        .description(description)
        .publishPercentileHistogram(histogram && metrics.histograms())
        .register(r)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void connectionStarted(int connection, boolean resuming) {
    this.resuming = resuming;
  }

  @Override
  public void connectionOpened(int connection, @Nullable String serviceSessionId) {
    moveTo(1);
    count(
        CONNECTIONS_OPENED,
        Tags.of("resumed", Boolean.toString(resuming)),
        "Gemini Live connections set up",
        1);
  }

  @Override
  public void connectionFailed(int connection, LiveException error) {
    count(CONNECTIONS_FAILED, Tags.empty(), "Gemini Live connection attempts that failed", 1);
  }

  @Override
  public void connectionClosed(
      int connection, DisconnectCause cause, int closeCode, String reason) {
    lastCause = cause;
    if (cause != DisconnectCause.CLIENT_CLOSE && cause != DisconnectCause.REFUSED) {
      moveTo(2);
    }
    count(CONNECTIONS_CLOSED, Tags.of("cause", lower(cause)), "Gemini Live connections ended", 1);
  }

  @Override
  public void goAway(Duration timeLeft) {
    count(GO_AWAYS, Tags.empty(), "goAway notices from the service", 1);
  }

  @Override
  public void reconnecting(Reconnecting event) {
    count(
        RECONNECT_ATTEMPTS,
        Tags.of("planned", Boolean.toString(event.planned())),
        "Gemini Live reconnect attempts",
        1);
  }

  @Override
  public void reconnected(ContextRestoration restoration) {
    count(
        RECONNECTS,
        Tags.of("cause", lower(lastCause), "restoration", lower(restoration)),
        "Gemini Live sessions moved to a new connection",
        1);
  }

  @Override
  public void replyRequested() {
    replyRequestedNanos = System.nanoTime();
  }

  @Override
  public void modelTurnStarted(boolean audio) {
    long requested = replyRequestedNanos;
    if (requested < 0) {
      return; // the model spoke first (a greeting, proactive audio): no turn to answer
    }
    replyRequestedNanos = -1;
    time(
        RESPONSE_LATENCY,
        Tags.of("first", audio ? "audio" : "text"),
        "From the end of the user's turn to the model's first content",
        System.nanoTime() - requested,
        true);
  }

  @Override
  public void interrupted() {
    count(INTERRUPTIONS, Tags.empty(), "Barge-ins and replies cut off", 1);
  }

  @Override
  public void turnComplete(@Nullable String reason) {
    count(
        TURNS,
        Tags.of("reason", reason == null ? "none" : reason.toLowerCase(Locale.ROOT)),
        "Model turns completed",
        1);
  }

  @Override
  public void usage(Usage usage) {
    tokens("input", usage.promptTokenCount(), usage.promptTokensByModality());
    tokens("output", usage.responseTokenCount(), usage.responseTokensByModality());
    tokens("thoughts", usage.thoughtsTokenCount(), Map.of());
    tokens("tool_use", usage.toolUsePromptTokenCount(), Map.of());
    tokens("cached", usage.cachedContentTokenCount(), Map.of());
  }

  private void tokens(String type, int total, Map<String, Integer> byModality) {
    if (byModality.isEmpty()) {
      if (total > 0) {
        count(TOKENS, Tags.of("type", type, "modality", "all"), "Tokens reported by usage", total);
      }
      return;
    }
    for (Map.Entry<String, Integer> e : byModality.entrySet()) {
      if (e.getValue() > 0) {
        count(
            TOKENS,
            Tags.of("type", type, "modality", e.getKey().toLowerCase(Locale.ROOT)),
            "Tokens reported by usage",
            e.getValue());
      }
    }
  }

  @Override
  public void toolCallEnded(ToolCallEvent call, ToolOutcome outcome, Duration elapsed) {
    time(
        TOOL_CALLS,
        Tags.of("tool", call.name(), "outcome", lower(outcome)),
        "Tool calls from dispatch to answer",
        elapsed.toNanos(),
        false);
  }

  @Override
  public void audioDropped(int chunks) {
    count(AUDIO_DROPPED, Tags.empty(), "Input audio chunks dropped", chunks);
  }

  @Override
  public void messagesReplayed(int messages) {
    count(MESSAGES_REPLAYED, Tags.empty(), "Messages replayed after reconnects", messages);
  }

  @Override
  public void sessionEnded(@Nullable LiveException failure) {
    moveTo(-1);
    count(
        SESSIONS_ENDED,
        Tags.of("outcome", failure == null ? "closed" : "failed"),
        "Gemini Live sessions ended",
        1);
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
