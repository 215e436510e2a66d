package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.ServerEffect;
import dev.geminilive.testkit.UserTurn;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol engine of one WebSocket connection: reads the client's frames, checks them, runs the
 * setup and the voice activity detection, and applies {@link ServerEffect}s. {@link FakeConnection}
 * is its public handle. Its protocol state is owned by the server thread; the public methods may be
 * called from any thread.
 */
public final class ConnectionEngine {
  private static final Logger log = LoggerFactory.getLogger(ConnectionEngine.class);

  private final ServerEngine server;
  private final FakeConnection handle;
  private final Channel channel;
  private final int index;
  private final String path;
  private final String apiVersion;
  private final boolean constrained;
  private final Map<String, String> headers;
  private final @Nullable TokenGrant token;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicBoolean closeSent = new AtomicBoolean();
  private volatile boolean open = true;
  private volatile boolean stalled;
  private volatile boolean halfOpen;
  private volatile int clientCloseCode = -1;
  private volatile String clientCloseReason = "";
  private volatile @Nullable SessionEngine session;
  private volatile @Nullable Duration latencyOverride;
  private volatile @Nullable Duration pongDelayOverride;
  // Under it a write counts its frame or a stall stops it: after stall() the count is final.
  private final Object sending = new Object();
  private long framesSent;

  // Owned by the server's model thread.
  private boolean setupDone;
  private ModelBehaviour behaviour = ModelBehaviour.of("");
  private boolean noInterruption;
  private boolean resumption;
  private boolean transparent;
  private long nextIndex;
  private long lastConsumedIndex = -1;
  private final ActivityDetector activity = new ActivityDetector(this);

  ConnectionEngine(
      ServerEngine server,
      Channel channel,
      int index,
      String path,
      String apiVersion,
      boolean constrained,
      Map<String, String> headers,
      @Nullable TokenGrant token) {
    this.server = server;
    this.channel = channel;
    this.index = index;
    this.path = path;
    this.apiVersion = apiVersion;
    this.constrained = constrained;
    this.headers = Map.copyOf(headers);
    this.token = token;
    this.handle = server.host().connectionHandle(this);
  }

  /** Returns the public handle of this connection. */
  public FakeConnection handle() {
    return handle;
  }

  /**
   * Returns this connection's position among the server's connections, from 0.
   *
   * @return the index, from 0
   */
  public int index() {
    return index;
  }

  /**
   * Returns true until the TCP connection is closed.
   *
   * @return true while the connection is open
   */
  public boolean isOpen() {
    return open;
  }

  /**
   * Returns the id of the session this connection serves, once its setup succeeded.
   *
   * @return the session id, or empty before setup succeeded
   */
  public Optional<String> sessionId() {
    SessionEngine s = session;
    return s == null ? Optional.empty() : Optional.of(s.id());
  }

  /**
   * Returns the session this connection serves, once its setup succeeded.
   *
   * @return the session, or empty before setup succeeded
   */
  public Optional<SessionEngine> session() {
    return Optional.ofNullable(session);
  }

  /**
   * Returns the request path of the upgrade.
   *
   * @return the path, such as {@code /ws/...BidiGenerateContent}
   */
  public String path() {
    return path;
  }

  /**
   * Returns {@code v1alpha} or {@code v1beta}, from the path.
   *
   * @return the API version
   */
  public String apiVersion() {
    return apiVersion;
  }

  /**
   * Returns true for the {@code BidiGenerateContentConstrained} (ephemeral token) path.
   *
   * @return true for the ephemeral token path
   */
  public boolean isConstrained() {
    return constrained;
  }

  /**
   * Returns an upgrade request header (name case-insensitive).
   *
   * @param name the header name
   * @return the header value, or empty if absent
   */
  public Optional<String> requestHeader(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * Returns the close code the client sent, if it sent a close frame.
   *
   * @return the close code, or empty if the client sent no close frame
   */
  public OptionalInt clientCloseCode() {
    int c = clientCloseCode;
    return c < 0 ? OptionalInt.empty() : OptionalInt.of(c);
  }

  /**
   * Returns the close reason the client sent (empty if none).
   *
   * @return the close reason, or an empty string
   */
  public String clientCloseReason() {
    return clientCloseReason;
  }

  /**
   * Waits until the TCP connection is closed; returns false on timeout.
   *
   * @param timeout the longest to wait
   * @return true if the connection closed in time
   * @throws java.lang.InterruptedException if the thread is interrupted while waiting
   */
  public boolean awaitClosed(Duration timeout) throws InterruptedException {
    return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Applies {@code effect} to this connection: the one place where server effects take effect. Any
   * thread.
   */
  public void apply(ServerEffect effect) {
    Objects.requireNonNull(effect, "effect");
    if (effect instanceof ServerEffect.Close c) {
      closeWith(c.code(), c.reason(), false);
    } else if (effect instanceof ServerEffect.CloseHalfOpen c) {
      closeWith(c.code(), c.reason(), true);
    } else if (effect instanceof ServerEffect.Drop) {
      log.debug("Dropping connection {}", index);
      // Closing from the head context skips the SslHandler: no close_notify, just TCP FIN.
      channel.eventLoop().execute(() -> channel.pipeline().firstContext().close());
    } else if (effect instanceof ServerEffect.Reset) {
      log.debug("Resetting connection {}", index);
      channel
          .eventLoop()
          .execute(
              () -> {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
                channel.close();
              });
    } else if (effect instanceof ServerEffect.CloseTls) {
      SslHandler ssl = channel.pipeline().get(SslHandler.class);
      if (ssl == null) {
        apply(ServerEffect.drop());
        return;
      }
      channel.eventLoop().execute(() -> ssl.closeOutbound().addListener(f -> channel.close()));
    } else if (effect instanceof ServerEffect.Stall) {
      log.debug("Stalling connection {}", index);
      synchronized (sending) {
        stalled = true;
      }
      channel.config().setAutoRead(false);
    } else if (effect instanceof ServerEffect.GoAway g) {
      server.run(() -> goAwayNow(g.timeLeft()));
    } else if (effect instanceof ServerEffect.SendRaw raw) {
      server.run(() -> write(raw.frame()));
    }
  }

  /** Applies {@code effect} after {@code delay}, on the server thread. */
  public void applyAfter(Duration delay, ServerEffect effect) {
    Objects.requireNonNull(effect, "effect");
    server.schedule(() -> apply(effect), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The text or binary frames sent so far, {@code setupComplete} included; final after a stall. */
  public long framesSent() {
    synchronized (sending) {
      return framesSent;
    }
  }

  /** Delays every later server frame of this connection by {@code latency} (overrides faults). */
  public void latency(Duration latency) {
    this.latencyOverride = Objects.requireNonNull(latency, "latency");
  }

  /** Delays this connection's pongs by {@code delay} (overrides the server-wide pong delay). */
  public void pongDelay(Duration delay) {
    this.pongDelayOverride = Objects.requireNonNull(delay, "delay");
  }

  @Override
  public String toString() {
    return "ConnectionEngine[" + index + (open ? ", open" : ", closed") + "]";
  }

  // ---------------------------------------------------------------- package-private

  ServerEngine server() {
    return server;
  }

  @Nullable TokenGrant token() {
    return token;
  }

  /** The session this connection serves; only after its setup succeeded. */
  SessionEngine requireSession() {
    return Objects.requireNonNull(session);
  }

  /** Takes the options of an accepted setup (before its session is resumed or created). */
  void configure(ModelBehaviour behaviour, JsonNode setup) {
    this.behaviour = behaviour;
    activity.configure(setup);
    JsonNode rtc = setup.path("realtimeInputConfig");
    noInterruption = rtc.path("activityHandling").asText().equals("NO_INTERRUPTION");
    resumption = setup.has("sessionResumption");
    transparent = Json.bool(setup.path("sessionResumption").path("transparent"));
  }

  /** The setup succeeded: this connection serves {@code s} from now on. */
  void established(SessionEngine s) {
    session = s;
    setupDone = true;
  }

  boolean multiPart() {
    return behaviour.multiPart();
  }

  ModelBehaviour behaviour() {
    return behaviour;
  }

  boolean noInterruption() {
    return noInterruption;
  }

  boolean resumption() {
    return resumption;
  }

  boolean transparent() {
    return transparent;
  }

  long lastConsumedIndex() {
    return lastConsumedIndex;
  }

  boolean stalled() {
    return stalled;
  }

  Duration effectiveLatency() {
    Duration d = latencyOverride;
    return d != null ? d : server.faults().latency();
  }

  Duration effectivePongDelay() {
    Duration d = pongDelayOverride;
    return d != null ? d : server.faults().pongDelay();
  }

  void goAwayNow(Duration timeLeft) {
    send(ServerMessages.goAway(timeLeft));
    server.schedule(
        () -> closeWith(1011, "Deadline expired before operation could complete.", false),
        timeLeft.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  void send(ObjectNode message) {
    write(Json.write(message));
  }

  void write(String json) {
    synchronized (sending) {
      if (!open || closeSent.get() || stalled) {
        return;
      }
      framesSent++;
    }
    log.trace("-> [{}] {}", index, json);
    WebSocketFrame frame =
        server.config().textFrames()
            ? new TextWebSocketFrame(json)
            : new BinaryWebSocketFrame(Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
    writeFrame(frame);
  }

  private void writeFrame(WebSocketFrame frame) {
    Duration latency = effectiveLatency();
    if (latency.isZero()) {
      channel.writeAndFlush(frame);
    } else {
      channel
          .eventLoop()
          .schedule(() -> channel.writeAndFlush(frame), latency.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  void closeWith(int code, String reason, boolean keepTcp) {
    if (!open || !closeSent.compareAndSet(false, true)) {
      return;
    }
    log.debug("Closing connection {} with {} {}", index, code, reason);
    halfOpen = keepTcp;
    writeFrame(new CloseWebSocketFrame(code, Pcm.closeReason(reason)));
    if (!keepTcp) {
      channel
          .eventLoop()
          .schedule(
              () -> {
                channel.close();
              },
              1,
              TimeUnit.SECONDS);
    }
  }

  /** Netty thread: the client sent a close frame. */
  void onClientClose(int code, String reason) {
    clientCloseCode = code;
    clientCloseReason = reason;
    if (stalled) {
      // A stalled connection answers nothing, not even a close frame read just before the stall
      // took effect (Netty stops reading asynchronously).
      return;
    }
    if (closeSent.compareAndSet(false, true)) {
      channel
          .writeAndFlush(new CloseWebSocketFrame(code < 0 ? 1000 : code, ""))
          .addListener(ChannelFutureListener.CLOSE);
    } else if (!halfOpen) {
      channel.close();
    }
  }

  /** Netty thread: TCP closed. */
  void onChannelClosed() {
    open = false;
    closed.countDown();
    server.run(
        () -> {
          SessionEngine s = session;
          if (s != null) {
            s.detach(this);
          }
        });
  }

  /** Model thread: one text or binary frame from the client. */
  void onFrame(String raw) {
    JsonNode json;
    try {
      json = Json.camelCase(Json.parseObject(raw));
    } catch (JsonProcessingException e) {
      server.host().record(index, MessageKind.UNKNOWN, raw, MissingNode.getInstance());
      closeWith(1007, "Invalid JSON payload received.", false);
      return;
    }
    MessageKind kind = MessageKinds.classify(json);
    server.host().record(index, kind, raw, json);
    if (closeSent.get()) {
      return;
    }
    if (!setupDone) {
      if (kind != MessageKind.SETUP) {
        closeWith(1007, "Request contains an invalid argument.", false);
        return;
      }
      SetupHandshake.answer(this, (ObjectNode) json.path("setup"));
      return;
    }
    long messageIndex = nextIndex++;
    if (json.size() != 1 || kind == MessageKind.SETUP || kind == MessageKind.UNKNOWN) {
      closeWith(1007, "Request contains an invalid argument.", false);
      return;
    }
    SessionEngine s = Objects.requireNonNull(session);
    JsonNode rt = json.path("realtimeInput");
    lastConsumedIndex = messageIndex;
    switch (kind) {
      case REALTIME_AUDIO -> activity.onAudio(rt.path("audio"));
      case REALTIME_TEXT ->
          s.userTurn(
              this, UserTurn.Kind.TEXT, rt.path("text").asText(), new byte[0], Duration.ZERO);
      case ACTIVITY_START -> {
        if (!activity.manual()) {
          closeWith(1007, "Request contains an invalid argument.", false);
          return;
        }
        activity.activityStart(s);
      }
      case ACTIVITY_END -> {
        if (!activity.manual()) {
          closeWith(1007, "Request contains an invalid argument.", false);
          return;
        }
        activity.activityEnd();
      }
      case AUDIO_STREAM_END -> {
        if (activity.manual()) {
          closeWith(1007, "Request contains an invalid argument.", false);
          return;
        }
        activity.audioStreamEnd();
      }
      case MEDIA_CHUNKS -> {
        if (behaviour.multiPart()) {
          closeWith(1007, "Request contains an invalid argument.", false);
          return;
        }
        rt.path("mediaChunks")
            .forEach(
                blob -> {
                  if (blob.path("mimeType").asText().startsWith("audio/")) {
                    activity.onAudio(blob);
                  }
                });
      }
      case CLIENT_CONTENT -> s.clientContent(this, json.path("clientContent"));
      case CONTEXT_UPDATE -> {
        if (!behaviour.contextUpdates()) {
          // What the service answers to a field its message type does not have.
          closeWith(
              1007,
              "Invalid JSON payload received. Unknown name \"contextUpdate\": Cannot find field.",
              false);
          return;
        }
        s.contextUpdate(json.path("contextUpdate"));
      }
      case TOOL_RESPONSE -> {
        java.util.List<JsonNode> list = new java.util.ArrayList<>();
        json.path("toolResponse").path("functionResponses").forEach(list::add);
        s.toolResponse(this, list);
      }
      default -> {}
    }
  }
}
