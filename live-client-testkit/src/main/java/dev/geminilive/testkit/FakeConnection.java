package dev.geminilive.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.testkit.internal.Json;
import dev.geminilive.testkit.internal.Pcm;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
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
 * One WebSocket connection to a {@link FakeLiveServer}, with its faults.
 *
 * <p>Get them from {@link FakeLiveServer#connections()} or {@link
 * FakeLiveServer#awaitConnections(int, Duration)}; index 0 is the first connection whose upgrade
 * was accepted (connections rejected with a close code after the upgrade count too). Thread-safe:
 * every method may be called from any thread. A connection is open until either side closes it or
 * the server closes.
 *
 * <pre>{@code
 * FakeConnection c = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
 * c.goAway(Duration.ofSeconds(1));      // goAway, then 1011 after one second
 * c.closeHalfOpen(1011, "Internal error encountered."); // close frame, TCP stays open
 * c.drop();                             // TCP closed without a close frame
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FakeConnection {
  private static final Logger log = LoggerFactory.getLogger(FakeConnection.class);

  /** Default end-of-speech silence when the setup has no {@code silenceDurationMs}. */
  public static final Duration DEFAULT_SILENCE = Duration.ofMillis(500);

  private final FakeLiveServer server;
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
  private volatile @Nullable FakeSession session;
  private volatile @Nullable Duration latencyOverride;
  private volatile @Nullable Duration pongDelayOverride;

  // Owned by the server's model thread.
  private boolean setupDone;
  private boolean multiPart;
  private boolean contextUpdates;
  private boolean manualVad;
  private boolean noInterruption;
  private boolean resumption;
  private boolean transparent;
  private int silenceMillis = (int) DEFAULT_SILENCE.toMillis();
  private long nextIndex;
  private long lastConsumedIndex = -1;
  private boolean speaking;
  private boolean inActivity;
  private long silentSamples;
  private int turnRate = 16_000;
  private final ByteArrayOutputStream turnAudio = new ByteArrayOutputStream();

  FakeConnection(
      FakeLiveServer server,
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
  }

  /**
   * Returns this connection's position in {@link FakeLiveServer#connections()}, from 0.
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
    FakeSession s = session;
    return s == null ? Optional.empty() : Optional.of(s.id());
  }

  /**
   * Returns the session this connection serves, once its setup succeeded.
   *
   * @return the session, or empty before setup succeeded
   */
  public Optional<FakeSession> session() {
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
   * Sends a close frame with {@code code} and {@code reason}, then closes TCP when the client
   * answers or after one second, as a well-behaved server does.
   *
   * @param code the WebSocket close code
   * @param reason the close reason
   */
  public void close(int code, String reason) {
    closeWith(code, reason, false);
  }

  /**
   * Sends a close frame with {@code code} and {@code reason} and keeps the TCP connection open (the
   * google-genai SDK never answers a close frame, so it stays half-closed and never notices).
   *
   * @param code the WebSocket close code
   * @param reason the close reason
   */
  public void closeHalfOpen(int code, String reason) {
    closeWith(code, reason, true);
  }

  /** Closes the TCP connection abruptly, without a close frame (clients see 1006 / EOF). */
  public void drop() {
    log.debug("Dropping connection {}", index);
    // Closing from the head context skips the SslHandler: no close_notify, just TCP FIN.
    channel.eventLoop().execute(() -> channel.pipeline().firstContext().close());
  }

  /** Resets the TCP connection (SO_LINGER 0, then close: the client sees "connection reset"). */
  public void reset() {
    log.debug("Resetting connection {}", index);
    channel
        .eventLoop()
        .execute(
            () -> {
              channel.config().setOption(ChannelOption.SO_LINGER, 0);
              channel.close();
            });
  }

  /**
   * Sends TLS close_notify and closes TCP, without a WebSocket close frame; plain: {@link #drop}.
   */
  public void closeTls() {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    if (ssl == null) {
      drop();
      return;
    }
    channel.eventLoop().execute(() -> ssl.closeOutbound().addListener(f -> channel.close()));
  }

  /** Stops reading, writing and answering pings; the TCP connection stays open. */
  public void stall() {
    log.debug("Stalling connection {}", index);
    stalled = true;
    channel.config().setAutoRead(false);
  }

  /**
   * Sends {@code goAway {timeLeft}} now and closes with 1011 "Deadline expired before operation
   * could complete." when {@code timeLeft} has run out.
   *
   * @param timeLeft the time left announced in the message
   */
  public void goAway(Duration timeLeft) {
    Objects.requireNonNull(timeLeft, "timeLeft");
    server.run(() -> goAwayNow(timeLeft));
  }

  /**
   * Like {@link #goAway(Duration)}, but after {@code delay}.
   *
   * @param delay the time to wait before sending
   * @param timeLeft the time left announced in the message
   */
  public void goAwayAfter(Duration delay, Duration timeLeft) {
    Objects.requireNonNull(timeLeft, "timeLeft");
    server.schedule(() -> goAwayNow(timeLeft), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Delays every later server frame of this connection by {@code latency} (overrides faults).
   *
   * @param latency the delay per frame; zero for none
   */
  public void latency(Duration latency) {
    this.latencyOverride = Objects.requireNonNull(latency, "latency");
  }

  /**
   * Delays this connection's pongs by {@code delay} (overrides {@link Faults#pongDelay}).
   *
   * @param delay the delay per pong
   */
  public void pongDelay(Duration delay) {
    this.pongDelayOverride = Objects.requireNonNull(delay, "delay");
  }

  /**
   * Sends {@code json} as one server frame, as is (it need not be valid JSON): for messages the
   * script cannot produce. Ordered after frames already sent.
   *
   * @param json the frame text
   */
  public void sendRaw(String json) {
    Objects.requireNonNull(json, "json");
    server.run(() -> write(json));
  }

  @Override
  public String toString() {
    return "FakeConnection[" + index + (open ? ", open" : ", closed") + "]";
  }

  // ---------------------------------------------------------------- package-private

  boolean multiPart() {
    return multiPart;
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
    ObjectNode msg = Json.object();
    msg.putObject("goAway").put("timeLeft", protoDuration(timeLeft));
    send(msg);
    server.schedule(
        () -> closeWith(1011, "Deadline expired before operation could complete.", false),
        timeLeft.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  static String protoDuration(Duration d) {
    BigDecimal seconds = BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
    return seconds.stripTrailingZeros().toPlainString() + "s";
  }

  void send(ObjectNode message) {
    write(Json.write(message));
  }

  private void write(String json) {
    if (!open || closeSent.get() || stalled) {
      return;
    }
    log.trace("-> [{}] {}", index, json);
    WebSocketFrame frame =
        server.textFrames()
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
          FakeSession s = session;
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
      server.record(this, MessageKind.UNKNOWN, raw, MissingNode.getInstance());
      closeWith(1007, "Invalid JSON payload received.", false);
      return;
    }
    MessageKind kind = classify(json);
    server.record(this, kind, raw, json);
    if (closeSent.get()) {
      return;
    }
    if (!setupDone) {
      if (kind != MessageKind.SETUP) {
        closeWith(1007, "Request contains an invalid argument.", false);
        return;
      }
      onSetup((ObjectNode) json.path("setup"));
      return;
    }
    long messageIndex = nextIndex++;
    if (json.size() != 1 || kind == MessageKind.SETUP || kind == MessageKind.UNKNOWN) {
      closeWith(1007, "Request contains an invalid argument.", false);
      return;
    }
    FakeSession s = Objects.requireNonNull(session);
    JsonNode rt = json.path("realtimeInput");
    lastConsumedIndex = messageIndex;
    switch (kind) {
      case REALTIME_AUDIO -> onAudio(rt.path("audio"));
      case REALTIME_TEXT ->
          s.userTurn(
              this, UserTurn.Kind.TEXT, rt.path("text").asText(), new byte[0], Duration.ZERO);
      case ACTIVITY_START -> {
        if (!manualVad) {
          closeWith(1007, "Request contains an invalid argument.", false);
          return;
        }
        inActivity = true;
        turnAudio.reset();
        s.speechStarted(this);
      }
      case ACTIVITY_END -> {
        if (!manualVad) {
          closeWith(1007, "Request contains an invalid argument.", false);
          return;
        }
        if (inActivity) {
          endAudioTurn();
        }
      }
      case AUDIO_STREAM_END -> {
        if (manualVad) {
          closeWith(1007, "Request contains an invalid argument.", false);
          return;
        }
        if (speaking) {
          endAudioTurn();
        }
      }
      case MEDIA_CHUNKS -> {
        if (multiPart) {
          closeWith(1007, "Request contains an invalid argument.", false);
          return;
        }
        rt.path("mediaChunks")
            .forEach(
                blob -> {
                  if (blob.path("mimeType").asText().startsWith("audio/")) {
                    onAudio(blob);
                  }
                });
      }
      case CLIENT_CONTENT -> s.clientContent(this, json.path("clientContent"));
      case CONTEXT_UPDATE -> {
        if (!contextUpdates) {
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

  /** Returns true for the models whose service accepts {@code contextUpdate}: gemini-3.8. */
  static boolean takesContextUpdates(String modelId) {
    return modelId.startsWith("gemini-3.8");
  }

  static MessageKind classify(JsonNode json) {
    if (json.has("setup")) {
      return MessageKind.SETUP;
    }
    if (json.has("clientContent")) {
      return MessageKind.CLIENT_CONTENT;
    }
    if (json.has("toolResponse")) {
      return MessageKind.TOOL_RESPONSE;
    }
    if (json.has("contextUpdate")) {
      return MessageKind.CONTEXT_UPDATE;
    }
    JsonNode rt = json.path("realtimeInput");
    if (rt.isObject()) {
      if (rt.has("audio")) {
        return MessageKind.REALTIME_AUDIO;
      }
      if (rt.has("text")) {
        return MessageKind.REALTIME_TEXT;
      }
      if (rt.has("video")) {
        return MessageKind.REALTIME_VIDEO;
      }
      if (rt.has("activityStart")) {
        return MessageKind.ACTIVITY_START;
      }
      if (rt.has("activityEnd")) {
        return MessageKind.ACTIVITY_END;
      }
      if (rt.has("audioStreamEnd")) {
        return MessageKind.AUDIO_STREAM_END;
      }
      if (rt.has("mediaChunks")) {
        return MessageKind.MEDIA_CHUNKS;
      }
    }
    return MessageKind.UNKNOWN;
  }

  private void onSetup(ObjectNode clientSetup) {
    if (server.faults().takeSetupRejection()) {
      closeWith(server.faults().setupRejectCode(), server.faults().setupRejectReason(), false);
      return;
    }
    String override = server.faults().setupCompleteOverride();
    if (override != null) {
      write(override);
      return;
    }
    ObjectNode setup = token == null ? clientSetup : token.apply(clientSetup);
    String model = setup.path("model").asText("");
    // "models/X" on the Gemini API, "projects/P/locations/L/publishers/google/models/X" on Vertex
    // AI.
    int models = model.lastIndexOf("models/");
    String modelId = models >= 0 ? model.substring(models + "models/".length()) : model;
    if (!server.isKnownModel(modelId)) {
      closeWith(
          1008,
          model
              + " is not found for API version "
              + apiVersion
              + ", or is not supported for bidiGenerateContent.",
          false);
      return;
    }
    boolean textModality = false;
    for (JsonNode m : setup.path("generationConfig").path("responseModalities")) {
      textModality |= m.asText().equalsIgnoreCase("TEXT");
    }
    if (textModality && modelId.contains("native-audio")) {
      closeWith(1007, "Cannot extract voices from a non-audio request.", false);
      return;
    }
    multiPart = modelId.startsWith("gemini-3");
    contextUpdates = takesContextUpdates(modelId);
    JsonNode rtc = setup.path("realtimeInputConfig");
    JsonNode aad = rtc.path("automaticActivityDetection");
    manualVad = Json.bool(aad.path("disabled"));
    if (aad.path("silenceDurationMs").canConvertToInt()
        && aad.path("silenceDurationMs").asInt() > 0) {
      silenceMillis = aad.path("silenceDurationMs").asInt();
    }
    noInterruption = rtc.path("activityHandling").asText().equals("NO_INTERRUPTION");
    resumption = setup.has("sessionResumption");
    transparent = Json.bool(setup.path("sessionResumption").path("transparent"));
    String handle = setup.path("sessionResumption").path("handle").asText("");
    FakeSession s;
    if (!handle.isEmpty()) {
      FakeLiveServer.HandleRecord rec = server.lookupHandle(handle);
      if (rec == null) {
        closeWith(1008, "BidiGenerateContent session not found", false);
        return;
      }
      FakeConnection previous = rec.session().current();
      if (previous != null && previous.isOpen()) {
        closeWith(1011, "Internal error encountered.", false);
        return;
      }
      if (token != null && server.resumeConsumesTokenUse() && !token.consumeUse()) {
        closeWith(1011, "Token has been used too many times", false);
        return;
      }
      s = rec.session();
      s.attach(this, setup, rec.historySize(), rec.setup());
    } else {
      if (token != null) {
        if (token.newSessionExpireTime != null
            && server.clock().instant().isAfter(token.newSessionExpireTime)) {
          closeWith(1008, "API key expired. Please renew the API key.", false);
          return;
        }
        if (!token.consumeUse()) {
          closeWith(1011, "Token has been used too many times", false);
          return;
        }
      }
      s = server.newSession(this, modelId, setup);
    }
    session = s;
    setupDone = true;
    ObjectNode complete = Json.object();
    ObjectNode body = complete.putObject("setupComplete");
    if (server.sessionIdInSetupComplete()) {
      body.put("sessionId", s.id());
    }
    send(complete);
    Duration goAwayDelay = server.faults().goAwayDelay();
    if (goAwayDelay != null) {
      goAwayAfter(goAwayDelay, server.faults().goAwayTimeLeft());
    }
  }

  private void onAudio(JsonNode blob) {
    byte[] pcm = Base64.getDecoder().decode(blob.path("data").asText(""));
    int rate = Pcm.rateOf(blob.path("mimeType").asText(""));
    FakeSession s = Objects.requireNonNull(session);
    if (manualVad) {
      if (inActivity) {
        turnAudio.writeBytes(pcm);
        turnRate = rate;
      }
      return;
    }
    long silenceSamples = (long) silenceMillis * rate / 1000;
    for (int i = 0; i + 1 < pcm.length; i += 2) {
      boolean loud = Math.abs(Pcm.sample(pcm, i / 2)) > Pcm.SPEECH_THRESHOLD;
      if (!speaking) {
        if (!loud) {
          continue;
        }
        speaking = true;
        silentSamples = 0;
        turnAudio.reset();
        turnRate = rate;
        s.speechStarted(this);
      }
      turnAudio.write(pcm[i]);
      turnAudio.write(pcm[i + 1]);
      silentSamples = loud ? 0 : silentSamples + 1;
      if (silentSamples >= silenceSamples) {
        endAudioTurn();
      }
    }
  }

  private void endAudioTurn() {
    speaking = false;
    inActivity = false;
    byte[] audio = turnAudio.toByteArray();
    turnAudio.reset();
    Duration d = Duration.ofNanos(audio.length / 2 * 1_000_000_000L / turnRate);
    Objects.requireNonNull(session).userTurn(this, UserTurn.Kind.AUDIO, "", audio, d);
  }
}
