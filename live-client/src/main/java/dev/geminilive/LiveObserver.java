package dev.geminilive;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Watches one session for metrics, tracing and logs; it sees what the session does but may not
 * change it. The {@code live-client-micrometer} and {@code live-client-opentelemetry} modules are
 * built on it; an application rarely implements it itself (a {@link LiveListener} is for the
 * conversation, this is for operations).
 *
 * <p>A {@link Factory} given to {@link LiveSessionBuilder#observer(Factory)} creates one observer
 * per session, when the session starts (before its first connection), in the manner of OkHttp's
 * {@code EventListener.Factory}: per-session state (a span, the time of the last user turn) lives
 * in fields of the observer, with no map keyed by session.
 *
 * <pre>{@code
 * LiveObserver.Factory counting = (sessionId, spec) -> new LiveObserver() {
 *   @Override public void goAway(Duration timeLeft) { goAways.increment(); }
 * };
 * ResilientLiveSession.builder().observer(counting)...connect();
 * }</pre>
 *
 * <h2>Threads and order</h2>
 *
 * Connection, turn and usage events come from the session's tasks (its serial queue on the
 * scheduler's shared threads), one at a time and in the order they happened. {@link #toolExecution}
 * and {@link #toolCallEnded} come from the thread that ran the tool, {@link #audioDropped} from the
 * thread that sent the audio, {@link #replyRequested} from the thread that sent the input (or the
 * session's tasks), {@link #sessionEnded} from whichever thread ended the session. So an
 * implementation must be thread-safe, must return quickly and must not block: it runs on the
 * session's tasks and the callers' threads, and a slow observer slows them. An observer that throws
 * is logged at WARN and ignored; the session goes on unchanged.
 *
 * <h2>Stability</h2>
 *
 * New methods may be added with empty defaults in later versions; implement only what you need.
 * Every method has an empty default.
 *
 * @since 0.1
 */
public interface LiveObserver {

  /** An observer that ignores every event. */
  LiveObserver NONE = new LiveObserver() {};

  /**
   * Creates the observer of each new session.
   *
   * <p>Called once per session, on the thread that calls {@code connect()}, before the first
   * connection is opened. Must be thread-safe (sessions start concurrently) and must not throw: a
   * factory that throws is logged and the session runs unobserved.
   *
   * @since 0.1
   */
  @FunctionalInterface
  interface Factory {
    /** A factory that observes nothing. */
    Factory NONE = (sessionId, spec) -> LiveObserver.NONE;

    /**
     * Creates the observer of one session.
     *
     * @param sessionId the library's id of the session, as in its log lines and the MDC key {@link
     *     #MDC_SESSION_ID}; unique within the JVM, never personal data
     * @param spec the session's description (model, tools, auth kind; {@code toString()} never
     *     shows credentials)
     * @return the session's observer, or {@link LiveObserver#NONE}
     */
    LiveObserver create(String sessionId, SessionSpec spec);
  }

  /**
   * The MDC key under which the session's id is set on the library's threads and tasks (the
   * session's control and event threads, and its tool calls), so that a log pattern can show it:
   * {@code %X{geminilive.session}}.
   */
  String MDC_SESSION_ID = "geminilive.session";

  /**
   * Something opened around a tool's execution, closed on the same thread when the handler returns.
   *
   * @since 0.1
   */
  @FunctionalInterface
  interface Scope extends AutoCloseable {
    /** A scope that does nothing. */
    Scope NONE = () -> {};

    /** Ends the scope; must not throw. */
    @Override
    void close();
  }

  /** How a connection ended, as a metric tag or span attribute would name it. */
  enum DisconnectCause {
    /** A planned move after the service's {@code goAway}. */
    GO_AWAY,
    /**
     * A planned move the session made itself, with no {@code goAway}: near a connection's or a
     * service session's lifetime, or for a context update (or a flow's stage change) on a model
     * without {@code contextUpdate}. Like {@link #GO_AWAY}, it is no failure.
     *
     * @since 0.1
     */
    PLANNED,
    /** The connection was lost without a close frame (network, proxy, TLS). */
    NETWORK,
    /** The service closed the connection with a code that may heal (e.g. 1011, 1000). */
    SERVER_CLOSE,
    /** The service sent nothing for too long in the middle of a turn; the session gave up on it. */
    STALLED,
    /** The service refused the session in a way that does not heal (credentials, setup, policy). */
    REFUSED,
    /** The application closed the session. */
    CLIENT_CLOSE
  }

  /** How a tool call ended. */
  enum ToolOutcome {
    /** The handler returned a result. */
    SUCCESS,
    /** The handler threw, or returned a failed future. */
    ERROR,
    /**
     * The call was answered with an error without running the handler (unknown tool, bad arguments,
     * {@code requires} not met).
     */
    REJECTED,
    /** The handler did not finish within its timeout. */
    TIMEOUT,
    /** The service cancelled the call, or the session closed; no answer was sent. */
    CANCELLED
  }

  /**
   * A connection is being opened: the first one, a reconnect or a planned move.
   *
   * @param connection the connection's number within the session, from 1
   * @param resuming whether it resumes with a handle
   */
  default void connectionStarted(int connection, boolean resuming) {}

  /**
   * The connection finished its setup and is in use.
   *
   * @param connection the connection's number within the session, from 1
   * @param serviceSessionId the service's id for it, when it sent one
   */
  default void connectionOpened(int connection, @Nullable String serviceSessionId) {}

  /**
   * A connection attempt failed before its setup completed.
   *
   * @param connection the connection's number within the session, from 1
   * @param error why it failed
   */
  default void connectionFailed(int connection, LiveException error) {}

  /**
   * A connection that was in use ended.
   *
   * @param connection the connection's number within the session, from 1
   * @param cause how it ended
   * @param closeCode the WebSocket close code, 0 when none arrived
   * @param reason the close reason or a description of the failure; never a secret
   */
  default void connectionClosed(
      int connection, DisconnectCause cause, int closeCode, String reason) {}

  /**
   * The service announced the end of the current connection.
   *
   * @param timeLeft the time it announced
   */
  default void goAway(Duration timeLeft) {}

  /**
   * The session is about to open a new connection after a drop or a planned move.
   *
   * @param event the attempt, its delay, whether it is planned, and why
   */
  default void reconnecting(Reconnecting event) {}

  /**
   * The session is on a new connection again.
   *
   * @param restoration what the model still knows
   */
  default void reconnected(ContextRestoration restoration) {}

  /**
   * The user's turn ended and the model is expected to answer: the session sent a text turn, the
   * end of activity or of the audio stream, client content that completes a turn, or a tool
   * response; or the service reported the end of the user's speech. The time from here to the next
   * {@link #modelTurnStarted} is the response latency a caller hears.
   */
  default void replyRequested() {}

  /**
   * The first content of a model turn arrived (audio, text or an output transcript).
   *
   * @param audio whether that first content is audio
   */
  default void modelTurnStarted(boolean audio) {}

  /** The user spoke into the model's turn (barge-in), or a drop cut a reply off. */
  default void interrupted() {}

  /**
   * The model's turn is over.
   *
   * @param reason the service's {@code turnCompleteReason}, or null when it sent none
   */
  default void turnComplete(@Nullable String reason) {}

  /**
   * The service reported token usage (one {@code usageMetadata}).
   *
   * @param usage the counts as reported
   */
  default void usage(Usage usage) {}

  /**
   * The model called a tool; the session is about to run it (or answer it with an error).
   *
   * @param call the call id, tool name and arguments; arguments may carry personal data and belong
   *     in no metric tag
   */
  default void toolCallStarted(ToolCallEvent call) {}

  /**
   * The tool's handler is about to run on this thread; the returned scope is closed on this thread
   * when the handler returns (a handler that returns a future may go on after that). Use it to make
   * a tracing context current, so that spans the handler starts nest under the tool call.
   *
   * @param call the call being run
   * @return what to close after the handler returned; {@link Scope#NONE} for nothing
   */
  default Scope toolExecution(ToolCallEvent call) {
    return Scope.NONE;
  }

  /**
   * A tool call ended.
   *
   * @param call the call
   * @param outcome how it ended
   * @param elapsed the time from dispatch to the end
   */
  default void toolCallEnded(ToolCallEvent call, ToolOutcome outcome, Duration elapsed) {}

  /**
   * Input audio was dropped by the overflow policy (the network or a reconnect could not keep up).
   *
   * @param chunks the number of chunks dropped now
   */
  default void audioDropped(int chunks) {}

  /**
   * Messages the service had not taken were sent again on a new connection.
   *
   * @param messages how many were replayed
   */
  default void messagesReplayed(int messages) {}

  /**
   * The session ended; nothing follows.
   *
   * @param failure why it failed, or null when the application closed it
   */
  default void sessionEnded(@Nullable LiveException failure) {}
}
