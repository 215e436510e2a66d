package dev.geminilive.opentelemetry;

import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveAuth;
import dev.geminilive.LiveException;
import dev.geminilive.LiveObserver;
import dev.geminilive.Reconnecting;
import dev.geminilive.SessionSpec;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.Usage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * OpenTelemetry spans for Gemini Live sessions: a span per session, a child span per connection and
 * per tool call, and events for {@code goAway}, interruptions and reconnects.
 *
 * <pre>{@code
 * GeminiLiveTracing tracing = GeminiLiveTracing.create(openTelemetry);
 * ResilientLiveSession.builder().observer(tracing)...connect();
 * }</pre>
 *
 * <h2>Spans</h2>
 *
 * <ul>
 *   <li><b>The session</b>: {@code chat {model}}, kind CLIENT, from {@code connect()} to the end of
 *       the session (an hour-long call is an hour-long span). Its parent is the context current on
 *       the thread that calls {@code connect()}, so a session started while handling a request
 *       nests under that request. Attributes after the GenAI semantic conventions: {@code
 *       gen_ai.operation.name} ({@code chat}: the conventions have no realtime operation yet),
 *       {@code gen_ai.provider.name} ({@code gcp.gemini} or {@code gcp.vertex_ai}), {@code
 *       gen_ai.request.model}, {@code gen_ai.conversation.id} (the library's session id), and at
 *       the end {@code gen_ai.usage.input_tokens} and {@code gen_ai.usage.output_tokens} (the sums
 *       of every {@code usageMetadata}), {@code gen_ai.response.finish_reasons} (the distinct
 *       {@code turnCompleteReason}s), {@code gemini_live.end_reason} ({@code closed} or {@code
 *       failed}, with {@code error.type} and status ERROR on failure), {@code
 *       gemini_live.connections} and {@code gemini_live.reconnects}. Events: {@code
 *       gemini_live.go_away}, {@code gemini_live.reconnecting}, {@code gemini_live.reconnected},
 *       {@code gemini_live.interrupted}.
 *   <li><b>Each connection</b>: {@code gemini_live.connection}, kind CLIENT, child of the session,
 *       from the connect attempt to its end, with {@code gemini_live.connection.number}, {@code
 *       gemini_live.connection.resumed}, and at the end {@code gemini_live.disconnect.cause} and
 *       {@code gemini_live.close.code}. A connection that failed, dropped or stalled has status
 *       ERROR; one that ended with a planned move or a close by the application does not.
 *   <li><b>Each tool call</b>: {@code execute_tool {name}}, kind INTERNAL, child of the session,
 *       with {@code gen_ai.operation.name} {@code execute_tool}, {@code gen_ai.tool.name}, {@code
 *       gen_ai.tool.call.id}, {@code gen_ai.tool.type} ({@code function}) and {@code
 *       gemini_live.tool.outcome}; status ERROR (and {@code error.type}) for an error, a rejection
 *       or a timeout. The span is current while the handler runs, so spans the handler starts on
 *       its thread nest under it.
 * </ul>
 *
 * <p>No attribute carries what the user or the model said, tool arguments or results, or a
 * credential.
 *
 * <p>Thread-safe; one instance serves any number of sessions.
 *
 * @since 0.1
 */
public final class GeminiLiveTracing implements LiveObserver.Factory {
  /** The instrumentation scope name of the tracer. */
  public static final String INSTRUMENTATION_NAME = "dev.geminilive";

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> CONVERSATION = AttributeKey.stringKey("gen_ai.conversation.id");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<List<String>> FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
  static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
  static final AttributeKey<String> TOOL_TYPE = AttributeKey.stringKey("gen_ai.tool.type");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> END_REASON = AttributeKey.stringKey("gemini_live.end_reason");
  static final AttributeKey<Long> CONNECTIONS = AttributeKey.longKey("gemini_live.connections");
  static final AttributeKey<Long> RECONNECTS = AttributeKey.longKey("gemini_live.reconnects");
  static final AttributeKey<Long> CONNECTION_NUMBER =
      AttributeKey.longKey("gemini_live.connection.number");
  static final AttributeKey<Boolean> RESUMED =
      AttributeKey.booleanKey("gemini_live.connection.resumed");
  static final AttributeKey<String> CAUSE = AttributeKey.stringKey("gemini_live.disconnect.cause");
  static final AttributeKey<Long> CLOSE_CODE = AttributeKey.longKey("gemini_live.close.code");
  static final AttributeKey<String> TOOL_OUTCOME =
      AttributeKey.stringKey("gemini_live.tool.outcome");

  private final Tracer tracer;

  private GeminiLiveTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  /**
   * Tracing through the given OpenTelemetry instance.
   *
   * @param openTelemetry the application's OpenTelemetry (SDK or agent)
   * @return the factory to pass to {@code LiveSessionBuilder.observer(...)}
   */
  public static GeminiLiveTracing create(OpenTelemetry openTelemetry) {
    Objects.requireNonNull(openTelemetry, "openTelemetry");
    return new GeminiLiveTracing(openTelemetry.getTracer(INSTRUMENTATION_NAME));
  }

  @Override
  public LiveObserver create(String sessionId, SessionSpec spec) {
    return new SessionTracing(sessionId, spec);
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /** The spans of one session. Thread-safe: connection state under {@code this}. */
  private final class SessionTracing implements LiveObserver {
    private final Span session;
    private final Context sessionContext;
    private final Map<String, Span> tools = new ConcurrentHashMap<>();

    // Guarded by this.
    private @Nullable Span connection;
    private long inputTokens;
    private long outputTokens;
    private long connections;
    private long reconnects;
    private final Set<String> finishReasons = new LinkedHashSet<>();
    private boolean ended;

    SessionTracing(String sessionId, SessionSpec spec) {
      this.session =
          tracer
              .spanBuilder("chat " + spec.model())
              .setSpanKind(SpanKind.CLIENT)
              .setParent(Context.current())
              .setAttribute(OPERATION, "chat")
              .setAttribute(
                  PROVIDER,
                  spec.auth() instanceof LiveAuth.VertexAi ? "gcp.vertex_ai" : "gcp.gemini")
              .setAttribute(MODEL, spec.model())
              .setAttribute(CONVERSATION, sessionId)
              .startSpan();
      this.sessionContext = Context.current().with(session);
    }

    @Override
    public synchronized void connectionStarted(int number, boolean resuming) {
      endConnection(null, 0, null);
      connections++;
      connection =
          tracer
              .spanBuilder("gemini_live.connection")
              .setSpanKind(SpanKind.CLIENT)
              .setParent(sessionContext)
              .setAttribute(CONNECTION_NUMBER, (long) number)
              .setAttribute(RESUMED, resuming)
              .startSpan();
    }

    @Override
    public synchronized void connectionOpened(int number, @Nullable String serviceSessionId) {
      if (connection != null) {
        connection.addEvent("gemini_live.setup_complete");
      }
    }

    @Override
    public synchronized void connectionFailed(int number, LiveException error) {
      Span c = connection;
      if (c != null) {
        c.recordException(error);
        c.setAttribute(ERROR_TYPE, error.getClass().getName());
        c.setStatus(StatusCode.ERROR, "connection attempt failed");
        c.end();
        connection = null;
      }
    }

    @Override
    public synchronized void connectionClosed(
        int number, DisconnectCause cause, int closeCode, String reason) {
      endConnection(cause, closeCode, reason);
    }

    private void endConnection(
        @Nullable DisconnectCause cause, int closeCode, @Nullable String why) {
      Span c = connection;
      if (c == null) {
        return;
      }
      if (cause != null) {
        c.setAttribute(CAUSE, lower(cause));
        c.setAttribute(CLOSE_CODE, (long) closeCode);
        if (cause != DisconnectCause.GO_AWAY
            && cause != DisconnectCause.PLANNED
            && cause != DisconnectCause.CLIENT_CLOSE) {
          c.setAttribute(ERROR_TYPE, lower(cause));
          c.setStatus(StatusCode.ERROR, why);
        }
      }
      c.end();
      connection = null;
    }

    @Override
    public void goAway(Duration timeLeft) {
      session.addEvent(
          "gemini_live.go_away",
          Attributes.of(AttributeKey.longKey("gemini_live.time_left_ms"), timeLeft.toMillis()));
    }

    @Override
    public void reconnecting(Reconnecting event) {
      session.addEvent(
          "gemini_live.reconnecting",
          Attributes.builder()
              .put("gemini_live.attempt", event.attempt())
              .put("gemini_live.delay_ms", event.delay().toMillis())
              .put("gemini_live.planned", event.planned())
              .put("gemini_live.cause", event.cause())
              .build());
    }

    @Override
    public synchronized void reconnected(ContextRestoration restoration) {
      reconnects++;
      session.addEvent(
          "gemini_live.reconnected",
          Attributes.of(AttributeKey.stringKey("gemini_live.restoration"), lower(restoration)));
    }

    @Override
    public void interrupted() {
      session.addEvent("gemini_live.interrupted");
    }

    @Override
    public synchronized void turnComplete(@Nullable String reason) {
      if (reason != null) {
        finishReasons.add(reason.toLowerCase(Locale.ROOT));
      }
    }

    @Override
    public synchronized void usage(Usage usage) {
      inputTokens += usage.promptTokenCount();
      outputTokens += usage.responseTokenCount();
    }

    @Override
    public void toolCallStarted(ToolCallEvent call) {
      Span span =
          tracer
              .spanBuilder("execute_tool " + call.name())
              .setSpanKind(SpanKind.INTERNAL)
              .setParent(sessionContext)
              .setAttribute(OPERATION, "execute_tool")
              .setAttribute(TOOL_NAME, call.name())
              .setAttribute(TOOL_CALL_ID, call.id())
              .setAttribute(TOOL_TYPE, "function")
              .startSpan();
      Span previous = tools.put(call.id(), span);
      if (previous != null) {
        previous.end(); // a repeated id (or none): never leave a span open
      }
    }

    @Override
    public Scope toolExecution(ToolCallEvent call) {
      Span span = tools.get(call.id());
      if (span == null) {
        return Scope.NONE;
      }
      io.opentelemetry.context.Scope scope = sessionContext.with(span).makeCurrent();
      return scope::close;
    }

    @Override
    public void toolCallEnded(ToolCallEvent call, ToolOutcome outcome, Duration elapsed) {
      Span span = tools.remove(call.id());
      if (span == null) {
        return;
      }
      span.setAttribute(TOOL_OUTCOME, lower(outcome));
      if (outcome == ToolOutcome.ERROR
          || outcome == ToolOutcome.REJECTED
          || outcome == ToolOutcome.TIMEOUT) {
        span.setAttribute(ERROR_TYPE, lower(outcome));
        span.setStatus(StatusCode.ERROR, "tool " + lower(outcome));
      }
      span.end();
    }

    @Override
    public void sessionEnded(@Nullable LiveException failure) {
      List<Span> openTools;
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
        endConnection(null, 0, null);
        session.setAttribute(INPUT_TOKENS, inputTokens);
        session.setAttribute(OUTPUT_TOKENS, outputTokens);
        session.setAttribute(CONNECTIONS, connections);
        session.setAttribute(RECONNECTS, reconnects);
        if (!finishReasons.isEmpty()) {
          session.setAttribute(FINISH_REASONS, List.copyOf(finishReasons));
        }
        openTools = new ArrayList<>(tools.values());
        tools.clear();
      }
      for (Span t : openTools) {
        t.setAttribute(TOOL_OUTCOME, "cancelled");
        t.end();
      }
      if (failure == null) {
        session.setAttribute(END_REASON, "closed");
      } else {
        session.setAttribute(END_REASON, "failed");
        session.setAttribute(ERROR_TYPE, failure.getClass().getName());
        session.recordException(failure);
        session.setStatus(StatusCode.ERROR, failure.getMessage());
      }
      session.end();
    }
  }
}
