package dev.geminilive.examples.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.AudioChunk;
import dev.geminilive.ContextRestoration;
import dev.geminilive.LiveException;
import dev.geminilive.LiveListener;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.Reconnecting;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.ToolCallEvent;
import dev.geminilive.spring.LiveSessions;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/**
 * The relay: one browser WebSocket ({@code /api/live/relay}) bridged to one {@link
 * ResilientLiveSession}, so that the API key and the tools stay on the server.
 *
 * <p>Browser to server: binary frames of microphone audio (PCM16 little-endian mono, 16 kHz), and
 * text frames {@code {"type":"text","text":...}} for typed turns. Server to browser: binary frames
 * of the model's audio (PCM16 mono, 24 kHz) and text frames of events: {@code state} (connecting,
 * live, reconnecting, failed, closed), {@code transcript} (role user or model), {@code
 * interrupted}, {@code turnComplete}, {@code tool} (a call and its result) and {@code error}.
 *
 * <p>The live session's listener runs on the session's event thread; sends to the browser go
 * through a {@link ConcurrentWebSocketSessionDecorator} because connect completion and events come
 * from different threads. Closing the browser's socket closes the live session, and the starter's
 * {@link LiveSessions} closes the live sessions (and so the sockets) at shutdown.
 */
@Component
final class RelayHandler extends AbstractWebSocketHandler {
  private static final Logger log = LoggerFactory.getLogger(RelayHandler.class);
  private static final int SEND_TIME_LIMIT_MS = 5_000;
  private static final int BUFFER_LIMIT_BYTES = 2 * 1024 * 1024;

  private final ObjectProvider<LiveSessionBuilder> builders;
  private final LiveSessions sessions;
  private final ObjectMapper json;
  private final Map<String, Call> calls = new ConcurrentHashMap<>();

  RelayHandler(
      ObjectProvider<LiveSessionBuilder> builders, LiveSessions sessions, ObjectMapper json) {
    this.builders = builders;
    this.sessions = sessions;
    this.json = json;
  }

  /** One browser call: its socket and, once connected, its live session. */
  private static final class Call {
    final WebSocketSession socket;
    volatile @Nullable ResilientLiveSession live;
    volatile boolean ended;

    Call(WebSocketSession socket) {
      this.socket = socket;
    }
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession raw) {
    WebSocketSession socket =
        new ConcurrentWebSocketSessionDecorator(raw, SEND_TIME_LIMIT_MS, BUFFER_LIMIT_BYTES);
    Call call = new Call(socket);
    calls.put(raw.getId(), call);
    event(call, "state", "state", "connecting");
    // snippet:spring-relay-connect
    // A fresh builder: properties, @LiveTool beans and customizers already applied.
    LiveSessionBuilder builder =
        builders.getObject().greeting(VoiceCoachApplication.GREETING).listener(new Forwarder(call));
    // Tracked by LiveSessions: in the health indicator, and closed before the web server stops.
    CompletableFuture<ResilientLiveSession> connecting = sessions.connectAsync(builder);
    // end:spring-relay-connect
    connecting.whenComplete(
        (live, failure) -> {
          if (failure != null) {
            LiveException e = unwrap(failure);
            event(call, "state", "state", "failed", "detail", e.getMessage());
            closeSocket(call, CloseStatus.SERVER_ERROR);
            return;
          }
          call.live = live;
          if (call.ended) {
            live.close(); // the browser left while connecting
          }
        });
  }

  @Override
  protected void handleBinaryMessage(WebSocketSession raw, BinaryMessage message) {
    ResilientLiveSession live = live(raw);
    if (live != null) {
      live.sendAudio(message.getPayload());
    }
  }

  @Override
  protected void handleTextMessage(WebSocketSession raw, TextMessage message) throws IOException {
    ResilientLiveSession live = live(raw);
    JsonNode m = json.readTree(message.getPayload());
    if (live != null && "text".equals(m.path("type").asText()) && m.hasNonNull("text")) {
      live.sendText(m.get("text").asText());
    }
  }

  @Override
  public void afterConnectionClosed(WebSocketSession raw, CloseStatus status) {
    Call call = calls.remove(raw.getId());
    if (call != null) {
      call.ended = true;
      ResilientLiveSession live = call.live;
      if (live != null) {
        live.close();
      }
    }
  }

  @Override
  public void handleTransportError(WebSocketSession raw, Throwable exception) {
    log.debug("Relay socket {} failed: {}", raw.getId(), exception.toString());
  }

  private @Nullable ResilientLiveSession live(WebSocketSession raw) {
    Call call = calls.get(raw.getId());
    return call == null ? null : call.live;
  }

  /** Sends {@code {"type": type, key: value, ...}} to the browser; a gone browser is ignored. */
  private void event(Call call, String type, String... keyValues) {
    ObjectNode m = json.createObjectNode().put("type", type);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    send(call, new TextMessage(m.toString()));
  }

  private void send(Call call, org.springframework.web.socket.WebSocketMessage<?> message) {
    if (!call.socket.isOpen()) {
      return;
    }
    try {
      call.socket.sendMessage(message);
    } catch (IOException | IllegalStateException e) {
      log.debug("Relay socket {}: send failed: {}", call.socket.getId(), e.toString());
    }
  }

  private static void closeSocket(Call call, CloseStatus status) {
    try {
      call.socket.close(status);
    } catch (IOException e) {
      log.debug("Relay socket {}: close failed: {}", call.socket.getId(), e.toString());
    }
  }

  private static LiveException unwrap(Throwable t) {
    Throwable c =
        t instanceof java.util.concurrent.CompletionException && t.getCause() != null
            ? t.getCause()
            : t;
    return c instanceof LiveException l ? l : new LiveException("The session could not start.", c);
  }

  /** The live session's events, as the page shows them. Runs on the session's event thread. */
  private final class Forwarder implements LiveListener {
    private final Call call;

    Forwarder(Call call) {
      this.call = call;
    }

    @Override
    public void onOpen(ResilientLiveSession session) {
      event(call, "state", "state", "live");
    }

    @Override
    public void onAudio(ResilientLiveSession session, AudioChunk chunk) {
      send(call, new BinaryMessage(chunk.pcm()));
    }

    @Override
    public void onInputTranscript(ResilientLiveSession session, String text) {
      event(call, "transcript", "role", "user", "text", text);
    }

    @Override
    public void onOutputTranscript(ResilientLiveSession session, String text) {
      event(call, "transcript", "role", "model", "text", text);
    }

    @Override
    public void onInterrupted(ResilientLiveSession session) {
      event(call, "interrupted");
    }

    @Override
    public void onTurnComplete(ResilientLiveSession session, @Nullable String reason) {
      event(call, "turnComplete");
    }

    @Override
    public void onToolCall(ResilientLiveSession session, ToolCallEvent toolCall) {
      event(
          call,
          "tool",
          "phase",
          "call",
          "name",
          toolCall.name(),
          "args",
          toolCall.args().toString());
    }

    @Override
    public void onToolResult(
        ResilientLiveSession session, ToolCallEvent toolCall, JsonNode result) {
      event(call, "tool", "phase", "result", "name", toolCall.name(), "result", result.toString());
    }

    @Override
    public void onReconnecting(ResilientLiveSession session, Reconnecting event) {
      event(
          call,
          "state",
          "state",
          "reconnecting",
          "detail",
          (event.planned() ? "moving to a new connection" : "connection lost")
              + " (attempt "
              + event.attempt()
              + ")");
    }

    @Override
    public void onReconnected(ResilientLiveSession session, ContextRestoration restoration) {
      event(
          call,
          "state",
          "state",
          "live",
          "detail",
          "reconnected: " + restoration.name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public void onError(ResilientLiveSession session, LiveException error) {
      event(call, "error", "message", error.getMessage());
    }

    @Override
    public void onClosed(ResilientLiveSession session) {
      event(call, "state", "state", "closed");
      closeSocket(call, CloseStatus.NORMAL);
    }

    @Override
    public void onFailure(ResilientLiveSession session, LiveException failure) {
      event(call, "state", "state", "failed", "detail", failure.getMessage());
      closeSocket(call, CloseStatus.SERVER_ERROR);
    }
  }
}
