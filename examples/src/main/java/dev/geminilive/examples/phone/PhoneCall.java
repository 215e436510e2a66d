package dev.geminilive.examples.phone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.AudioChunk;
import dev.geminilive.LiveException;
import dev.geminilive.LiveListener;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.audio.G711;
import dev.geminilive.audio.Pcm16;
import dev.geminilive.audio.Resampler;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One phone call: a Twilio Media Streams WebSocket on one side, a {@link ResilientLiveSession} on
 * the other.
 *
 * <p>Caller to model, on the channel's event loop: {@code media} payload (base64 mu-law, 8 kHz) →
 * G.711 decode → PCM16 8 kHz → {@link Resampler} to 16 kHz → {@code sendAudio}. Audio that arrives
 * before the session is open is kept (up to {@link #MAX_PENDING_BYTES}) and sent when it opens.
 *
 * <p>Model to caller, on the session's dispatch thread (the listener): PCM16 24 kHz → {@link
 * Resampler} to 8 kHz → G.711 encode → outbound {@code media} frames of {@link #FRAME_BYTES} (20
 * ms), then a {@code mark} at the end of each answer. On {@code interrupted} the half-built frame
 * and the resampler's history are dropped and {@code clear} is sent at once, so Twilio drops the
 * answer it has buffered but not yet played. Netty writes from both threads in the order each
 * thread made them.
 */
final class PhoneCall extends ChannelInboundHandlerAdapter {
  /** One outbound media frame: 20 ms of 8 kHz mu-law, one byte per sample. */
  static final int FRAME_BYTES = 160;

  /** Caller audio kept while the session connects: 2 s of 16 kHz PCM16. */
  static final int MAX_PENDING_BYTES = 64_000;

  /** The only media format Twilio Media Streams uses. */
  static final String MU_LAW = "audio/x-mulaw";

  static final int TELEPHONY_RATE_HZ = 8_000;

  private static final Logger log = LoggerFactory.getLogger(PhoneCall.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte MU_LAW_SILENCE = (byte) 0xFF;

  private final Supplier<LiveSessionBuilder> sessions;
  private final Consumer<String> events;
  private final Executor hangups;

  // Owned by the channel's event loop, except channel (also read by the listener).
  private volatile @Nullable Channel channel;
  private final Resampler toModel = Resampler.create(TELEPHONY_RATE_HZ, 16_000);
  private final Deque<byte[]> pending = new ArrayDeque<>();
  private int pendingBytes;
  private @Nullable ResilientLiveSession session;
  private boolean started;
  private boolean ended;

  // Written once on the event loop (start), read by the listener thread.
  private volatile String streamSid = "";

  // Owned by the session's dispatch thread (listener callbacks are serial).
  private Resampler toCaller =
      Resampler.create(AudioChunk.OUTPUT_SAMPLE_RATE_HZ, TELEPHONY_RATE_HZ);
  private final ByteArrayOutputStream unframed = new ByteArrayOutputStream();
  private boolean answering;
  private int answers;

  PhoneCall(Supplier<LiveSessionBuilder> sessions, Consumer<String> events, Executor hangups) {
    this.sessions = sessions;
    this.events = events;
    this.hangups = hangups;
  }

  // ---- caller -> model (event loop) ----

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof HandshakeComplete) {
      channel = ctx.channel();
      log.debug("Media stream connected from {}", ctx.channel().remoteAddress());
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof TextWebSocketFrame frame) {
        onMessage(frame.text());
      } else if (msg instanceof FullHttpRequest request) {
        // Not the media-stream path, or not a WebSocket upgrade.
        DefaultFullHttpResponse notFound =
            new DefaultFullHttpResponse(
                request.protocolVersion(), HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
        notFound.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(notFound).addListener(ChannelFutureListener.CLOSE);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    hangUp("the media stream closed");
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.warn("Media stream {} failed; hanging up", streamSid, cause);
    hangUp("the media stream failed: " + cause.getMessage());
    ctx.close();
  }

  private void onMessage(String text) {
    JsonNode message;
    try {
      message = JSON.readTree(text);
    } catch (IOException e) {
      log.warn("Media stream {} sent a frame that is not JSON; ignored", streamSid);
      return;
    }
    switch (message.path("event").asText()) {
      case "connected" -> log.debug("Media stream protocol {}", message.path("protocol").asText());
      case "start" -> onStart(message);
      case "media" -> onMedia(message.path("media"));
      case "mark" ->
          events.accept(
              "[" + streamSid + "] caller heard " + message.path("mark").path("name").asText());
      case "stop" -> {
        hangUp("the caller hung up");
        close(1000, "stream stopped");
      }
      default -> log.debug("Media stream event {} ignored", message.path("event").asText());
    }
  }

  private void onStart(JsonNode message) {
    if (started) {
      log.warn("Media stream {} sent a second start; ignored", streamSid);
      return;
    }
    started = true;
    JsonNode start = message.path("start");
    streamSid = message.path("streamSid").asText(start.path("streamSid").asText());
    JsonNode format = start.path("mediaFormat");
    if (!format.path("encoding").asText().equals(MU_LAW)
        || format.path("sampleRate").asInt() != TELEPHONY_RATE_HZ
        || format.path("channels").asInt(1) != 1) {
      events.accept("[" + streamSid + "] unsupported media format " + format + "; hanging up");
      close(1003, "expected audio/x-mulaw 8000 Hz mono");
      return;
    }
    events.accept("[" + streamSid + "] call started (" + MU_LAW + ", 8000 Hz)");
    try {
      sessions
          .get()
          .listener(new ModelSide())
          .connectAsync()
          .whenComplete(
              (s, error) -> {
                Channel c = channel;
                if (c != null) {
                  c.eventLoop().execute(() -> sessionOpened(s, error));
                } else if (s != null) {
                  hangups.execute(s::close);
                }
              });
    } catch (RuntimeException e) { // an invalid session builder: a bug, say what it was
      log.error("Could not build the session for call {}", streamSid, e);
      close(1011, "agent unavailable");
    }
  }

  private void sessionOpened(@Nullable ResilientLiveSession s, @Nullable Throwable error) {
    if (s == null) {
      events.accept("[" + streamSid + "] could not reach the agent: " + message(error));
      close(1011, "agent unavailable");
      return;
    }
    if (ended) {
      hangups.execute(s::close);
      return;
    }
    session = s;
    while (!pending.isEmpty()) {
      s.sendAudio(pending.removeFirst());
    }
    pendingBytes = 0;
  }

  private void onMedia(JsonNode media) {
    if (ended || (media.has("track") && !media.path("track").asText().equals("inbound"))) {
      return;
    }
    // snippet:phone-inbound
    byte[] mulaw = Base64.getDecoder().decode(media.path("payload").asText("")); // 8 kHz mu-law
    short[] pcm8k = G711.decodeMuLaw(mulaw);
    byte[] pcm16k = Pcm16.toBytes(toModel.process(pcm8k)); // one Resampler(8000 -> 16000) per call
    // end:phone-inbound
    ResilientLiveSession s = session;
    if (s != null) {
      s.sendAudio(pcm16k);
      return;
    }
    pending.addLast(pcm16k);
    pendingBytes += pcm16k.length;
    while (pendingBytes > MAX_PENDING_BYTES) {
      pendingBytes -= pending.removeFirst().length; // oldest first: the freshest audio matters
    }
  }

  /** Ends the model side once (event loop). */
  private void hangUp(String why) {
    if (ended) {
      return;
    }
    ended = true;
    if (!started) {
      return; // no call yet: a plain HTTP request, or a stream closed before its start
    }
    events.accept("[" + streamSid + "] call ended: " + why);
    ResilientLiveSession s = session;
    if (s != null) {
      hangups.execute(s::close); // close() may wait for the session's threads: not on the loop
    }
  }

  // ---- model -> caller (the session's dispatch thread) ----

  private final class ModelSide implements LiveListener {
    @Override
    public void onAudio(ResilientLiveSession s, AudioChunk chunk) {
      if (toCaller.fromHz() != chunk.sampleRateHz()) {
        toCaller = Resampler.create(chunk.sampleRateHz(), TELEPHONY_RATE_HZ);
      }
      answering = true;
      // snippet:phone-outbound
      short[] pcm8k = toCaller.process(Pcm16.toShorts(chunk.pcm())); // Resampler(24000 -> 8000)
      unframed.writeBytes(G711.encodeMuLaw(pcm8k));
      sendWholeFrames(); // {"event":"media","streamSid":...,"media":{"payload":...}} per 160 bytes
      // end:phone-outbound
    }

    @Override
    public void onTurnComplete(ResilientLiveSession s, @Nullable String reason) {
      if (!answering) {
        return; // nothing of this turn went out (or it was interrupted and cleared)
      }
      answering = false;
      unframed.writeBytes(G711.encodeMuLaw(toCaller.flush()));
      int partial = unframed.size() % FRAME_BYTES;
      if (partial != 0) {
        byte[] pad = new byte[FRAME_BYTES - partial];
        Arrays.fill(pad, MU_LAW_SILENCE);
        unframed.writeBytes(pad);
      }
      sendWholeFrames();
      // Twilio echoes the mark back when the caller has heard everything before it.
      send(event("mark").set("mark", JSON.createObjectNode().put("name", "answer-" + ++answers)));
    }

    @Override
    public void onInterrupted(ResilientLiveSession s) {
      // snippet:phone-interrupted
      answering = false;
      unframed.reset(); // the half-built frame of the old answer
      toCaller.reset(); // and the resampler's history of it
      send(event("clear")); // Twilio drops what it buffered: the caller hears nothing more of it
      // end:phone-interrupted
      events.accept("[" + streamSid + "] barge-in: the caller spoke, sent clear");
    }

    @Override
    public void onInputTranscript(ResilientLiveSession s, String text) {
      events.accept("[" + streamSid + "] caller: " + text);
    }

    @Override
    public void onOutputTranscript(ResilientLiveSession s, String text) {
      events.accept("[" + streamSid + "] agent: " + text);
    }

    @Override
    public void onClosed(ResilientLiveSession s) {
      close(1000, "call ended");
    }

    @Override
    public void onFailure(ResilientLiveSession s, LiveException failure) {
      events.accept("[" + streamSid + "] the agent's session failed: " + failure.getMessage());
      close(1011, "agent unavailable");
    }

    private void sendWholeFrames() {
      byte[] codes = unframed.toByteArray();
      int whole = codes.length - codes.length % FRAME_BYTES;
      for (int at = 0; at < whole; at += FRAME_BYTES) {
        String payload =
            Base64.getEncoder().encodeToString(Arrays.copyOfRange(codes, at, at + FRAME_BYTES));
        ObjectNode media = event("media");
        media.putObject("media").put("payload", payload);
        send(media);
      }
      unframed.reset();
      unframed.write(codes, whole, codes.length - whole);
    }
  }

  private ObjectNode event(String name) {
    ObjectNode json = JSON.createObjectNode();
    json.put("event", name);
    json.put("streamSid", streamSid);
    return json;
  }

  private void send(ObjectNode json) {
    Channel c = channel;
    if (c != null && c.isActive()) {
      c.writeAndFlush(new TextWebSocketFrame(json.toString()));
    }
  }

  private void close(int code, String reason) {
    Channel c = channel;
    if (c != null && c.isActive()) {
      c.writeAndFlush(new CloseWebSocketFrame(code, reason))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static String message(@Nullable Throwable error) {
    Throwable t = error;
    while (t != null && t.getCause() != null && !(t instanceof LiveException)) {
      t = t.getCause();
    }
    return t == null ? "unknown error" : String.valueOf(t.getMessage());
  }
}
