package dev.geminilive;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The settings of {@link LiveSessionBuilder} for sessions that outlive one connection: context
 * compression, resumption, seeded history and greeting, reconnects, and the timeouts and bounds the
 * session keeps while it moves between connections.
 *
 * <p>A part of {@link LiveSessionBuilder}, its only public subclass, which documents these methods
 * as its own: every setter here checks its own argument and returns that builder. Not thread-safe.
 */
abstract sealed class LongSessionSetters extends InputSetters permits LiveSessionBuilder {
  LongSessionSetters(SessionSettings settings) {
    super(settings);
  }

  /**
   * Context window compression settings (always on; this tunes it).
   *
   * @param triggerTokens context size, in tokens, at which compression starts; positive
   * @param targetTokens context size, in tokens, kept after compression; positive and below the
   *     trigger
   * @return this builder
   */
  public LiveSessionBuilder contextCompression(long triggerTokens, long targetTokens) {
    s.compression = new ContextCompression(triggerTokens, targetTokens);
    return self();
  }

  /**
   * Whether resumption handles are requested (on by default). Turning it off also requires {@link
   * ReconnectPolicy#none()}: a reconnect without a handle would lose the conversation.
   *
   * @param enabled false to request no resumption handles
   * @return this builder
   */
  public LiveSessionBuilder sessionResumption(boolean enabled) {
    s.sessionResumption = enabled;
    return self();
  }

  /**
   * Asks the service for the index of the last client message each handle covers, so that replay
   * after a resume is exact. Vertex AI only.
   *
   * @param enabled true to ask for the index of the last covered client message
   * @return this builder
   */
  public LiveSessionBuilder transparentResumption(boolean enabled) {
    s.transparentResumption = enabled;
    return self();
  }

  /**
   * Resumes an earlier service session on the first connect.
   *
   * @param handle a resumption handle from an earlier session
   * @return this builder
   */
  public LiveSessionBuilder resumptionHandle(String handle) {
    s.initialHandle = LiveAuth.requireText(handle, "handle");
    return self();
  }

  /**
   * Seeds the conversation with earlier turns, sent before any input.
   *
   * @param turns the turns in conversation order; an empty list seeds nothing
   * @return this builder
   */
  public LiveSessionBuilder history(List<Turn> turns) {
    Objects.requireNonNull(turns, "turns").forEach(t -> s.history.add(Objects.requireNonNull(t)));
    return self();
  }

  /**
   * Makes the agent speak first: after the first connect, this prompt is sent as a user turn, so
   * that the model greets the user without waiting for them.
   *
   * @param prompt the text sent as the first user turn
   * @return this builder
   */
  public LiveSessionBuilder greeting(String prompt) {
    s.greeting = LiveAuth.requireText(prompt, "prompt");
    return self();
  }

  /**
   * When and how often to reconnect ({@link ReconnectPolicy#defaults()} by default).
   *
   * @param policy the reconnect policy
   * @return this builder
   */
  public LiveSessionBuilder reconnectPolicy(ReconnectPolicy policy) {
    s.reconnectPolicy = Objects.requireNonNull(policy, "policy");
    return self();
  }

  /**
   * The longest a connect may take, setup included.
   *
   * @param timeout the connect time limit; positive
   * @return this builder
   */
  public LiveSessionBuilder connectTimeout(Duration timeout) {
    s.connectTimeout = requirePositive(timeout, "timeout");
    return self();
  }

  /**
   * WebSocket ping interval ({@link Duration#ZERO} turns pings off). A pong missing for one whole
   * interval ends the connection, so keep it generous.
   *
   * @param interval the time between pings; zero turns pings off
   * @return this builder
   */
  public LiveSessionBuilder pingInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("interval must not be negative: " + interval);
    }
    s.pingInterval = interval;
    return self();
  }

  /**
   * The longest the model may stay silent in the middle of a turn before the connection is dropped.
   *
   * @param timeout the longest silence within a turn; positive
   * @return this builder
   */
  public LiveSessionBuilder stallTimeout(Duration timeout) {
    s.stallTimeout = requirePositive(timeout, "timeout");
    return self();
  }

  /**
   * How far back unconfirmed input is replayed after a resume; older audio is dropped.
   *
   * @param window how far back input is replayed; positive
   * @return this builder
   */
  public LiveSessionBuilder replayWindow(Duration window) {
    s.replayWindow = requirePositive(window, "window");
    return self();
  }

  /**
   * Bound on the input kept for replay and queued while reconnecting. Past it, the oldest audio is
   * dropped (counted, reported through {@link LiveListener#onError}); text, activity signals and
   * tool responses are never dropped.
   *
   * @param bytes the bound in bytes; at least 64 KiB
   * @return this builder
   */
  public LiveSessionBuilder maxQueuedBytes(long bytes) {
    if (bytes < 64 * 1024) {
      throw new IllegalArgumentException("maxQueuedBytes must be at least 64 KiB: " + bytes);
    }
    s.maxQueuedBytes = bytes;
    return self();
  }
}
