package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.ServerEffect;
import dev.geminilive.testkit.UserTurn;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol engine of one WebSocket connection: reads the client's frames, checks them, runs the
 * setup and the voice activity detection, and applies {@link ServerEffect}s; what it sends and how
 * it closes goes through its {@link FrameWriter}. {@link FakeConnection} is its public handle and
 * documents the getters. Its protocol state is owned by the server thread; the public methods may
 * be called from any thread.
 */
public final class ConnectionEngine {
  private static final Logger log = LoggerFactory.getLogger(ConnectionEngine.class);

  private final ServerEngine server;
  private final FakeConnection handle;
  private final FrameWriter writer;
  private final int index;
  private final String path;
  private final String apiVersion;
  private final boolean constrained;
  private final Map<String, String> headers;
  private final @Nullable TokenGrant token;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Object pings = new Object();
  private long pingsReceived;
  private volatile int clientCloseCode = -1;
  private volatile String clientCloseReason = "";
  private volatile @Nullable SessionEngine session;
  private volatile @Nullable Duration pongDelayOverride;

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
    this.writer = new FrameWriter(channel, index, server.config().textFrames(), server.faults());
    this.index = index;
    this.path = path;
    this.apiVersion = apiVersion;
    this.constrained = constrained;
    this.headers = Map.copyOf(headers);
    this.token = token;
    this.handle = server.host().connectionHandle(this);
  }

  /** The public handle of this connection. */
  public FakeConnection handle() {
    return handle;
  }

  /** This connection's position among the server's connections, from 0. */
  public int index() {
    return index;
  }

  /** True until the TCP connection is closed. */
  public boolean isOpen() {
    return writer.isOpen();
  }

  /** The id of the session this connection serves, once its setup succeeded. */
  public Optional<String> sessionId() {
    SessionEngine s = session;
    return s == null ? Optional.empty() : Optional.of(s.id());
  }

  /** The session this connection serves, once its setup succeeded. */
  public Optional<SessionEngine> session() {
    return Optional.ofNullable(session);
  }

  /** The request path of the upgrade. */
  public String path() {
    return path;
  }

  /** {@code v1alpha} or {@code v1beta}, from the path. */
  public String apiVersion() {
    return apiVersion;
  }

  /** True for the {@code BidiGenerateContentConstrained} (ephemeral token) path. */
  public boolean isConstrained() {
    return constrained;
  }

  /** An upgrade request header (name case-insensitive), if present. */
  public Optional<String> requestHeader(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The close code the client sent, if it sent a close frame. */
  public OptionalInt clientCloseCode() {
    int c = clientCloseCode;
    return c < 0 ? OptionalInt.empty() : OptionalInt.of(c);
  }

  /** The close reason the client sent (empty if none). */
  public String clientCloseReason() {
    return clientCloseReason;
  }

  /** Waits until the TCP connection is closed; returns false on timeout. */
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
      writer.drop();
    } else if (effect instanceof ServerEffect.Reset) {
      writer.reset();
    } else if (effect instanceof ServerEffect.CloseTls) {
      writer.closeTls();
    } else if (effect instanceof ServerEffect.Stall) {
      writer.stall();
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
    return writer.framesSent();
  }

  /** Delays every later server frame of this connection by {@code latency} (overrides faults). */
  public void latency(Duration latency) {
    writer.latency(latency);
  }

  /** Delays this connection's pongs by {@code delay} (overrides the server-wide pong delay). */
  public void pongDelay(Duration delay) {
    this.pongDelayOverride = Objects.requireNonNull(delay, "delay");
  }

  @Override
  public String toString() {
    return "ConnectionEngine[" + index + (writer.isOpen() ? ", open" : ", closed") + "]";
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
    return writer.stalled();
  }

  /** Counts a ping the client sent on this connection; called on the Netty thread. */
  void pingReceived() {
    synchronized (pings) {
      pingsReceived++;
      pings.notifyAll();
    }
  }

  /** The pings the client has sent on this connection so far. */
  public long pingsReceived() {
    synchronized (pings) {
      return pingsReceived;
    }
  }

  /** Waits until the client has sent {@code count} pings; returns false on timeout. */
  public boolean awaitPings(long count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (pings) {
      while (pingsReceived < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(pings, left);
      }
      return true;
    }
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
    writer.write(json);
  }

  void closeWith(int code, String reason, boolean keepTcp) {
    writer.closeWith(code, reason, keepTcp);
  }

  /** Netty thread: the client sent a close frame. */
  void onClientClose(int code, String reason) {
    clientCloseCode = code;
    clientCloseReason = reason;
    writer.answerClose(code);
  }

  /** Netty thread: TCP closed. */
  void onChannelClosed() {
    writer.closed();
    closed.countDown();
    server.connectionEnded(
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
    if (writer.closeSent()) {
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
