package dev.geminilive.testkit.internal;

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
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output side of one {@link ConnectionEngine}: the server's messages as frames (binary, or text
 * when the server is so configured; delayed by the latency fault), the close handshake, and the
 * abrupt ends a fault asks for (drop, reset, TLS close, stall). Once a close frame went out or the
 * connection is stalled or gone, nothing more is written.
 *
 * <p>Thread-safe: any thread may write; its state is volatile or atomic, and the channel's event
 * loop does the I/O.
 */
final class FrameWriter {
  private static final Logger log = LoggerFactory.getLogger(FrameWriter.class);

  private final Channel channel;
  private final int index;
  private final boolean textFrames;
  private final FaultState faults;
  private final AtomicBoolean closeSent = new AtomicBoolean();
  private volatile boolean open = true;
  private volatile boolean stalled;
  private volatile boolean halfOpen;
  private volatile @Nullable Duration latencyOverride;
  // Under it a write counts its frame or a stall stops it: after stall() the count is final.
  private final Object sending = new Object();
  private long framesSent;

  FrameWriter(Channel channel, int index, boolean textFrames, FaultState faults) {
    this.channel = channel;
    this.index = index;
    this.textFrames = textFrames;
    this.faults = faults;
  }

  /** True until the TCP connection is closed. */
  boolean isOpen() {
    return open;
  }

  /** The TCP connection is closed. */
  void closed() {
    open = false;
  }

  /** Whether a close frame went out (sent or answered). */
  boolean closeSent() {
    return closeSent.get();
  }

  boolean stalled() {
    return stalled;
  }

  /** The text or binary frames sent so far; final once {@link #stall()} returned. */
  long framesSent() {
    synchronized (sending) {
      return framesSent;
    }
  }

  /** Delays every later frame by {@code latency} (overrides the server-wide latency fault). */
  void latency(Duration latency) {
    this.latencyOverride = Objects.requireNonNull(latency, "latency");
  }

  private Duration effectiveLatency() {
    Duration d = latencyOverride;
    return d != null ? d : faults.latency();
  }

  /** Sends one server message, unless the connection is closing, stalled or gone. */
  void write(String json) {
    synchronized (sending) {
      if (!open || closeSent.get() || stalled) {
        return;
      }
      framesSent++;
    }
    log.trace("-> [{}] {}", index, json);
    WebSocketFrame frame =
        textFrames
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

  /**
   * Sends a close frame with {@code code} and {@code reason} (once), then closes TCP a second later
   * unless {@code keepTcp} (a half-open close).
   */
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

  /** Netty thread: answers the client's close frame with {@code code}, or closes TCP. */
  void answerClose(int code) {
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

  /** Closes TCP without a close frame. */
  void drop() {
    log.debug("Dropping connection {}", index);
    // Closing from the head context skips the SslHandler: no close_notify, just TCP FIN.
    channel.eventLoop().execute(() -> channel.pipeline().firstContext().close());
  }

  /** Closes TCP with a reset (SO_LINGER 0). */
  void reset() {
    log.debug("Resetting connection {}", index);
    channel
        .eventLoop()
        .execute(
            () -> {
              channel.config().setOption(ChannelOption.SO_LINGER, 0);
              channel.close();
            });
  }

  /** Sends TLS close_notify, then closes TCP; a plain connection is dropped instead. */
  void closeTls() {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    if (ssl == null) {
      drop();
      return;
    }
    channel.eventLoop().execute(() -> ssl.closeOutbound().addListener(f -> channel.close()));
  }

  /** Stops reading and writing: the connection stays open and answers nothing. */
  void stall() {
    log.debug("Stalling connection {}", index);
    synchronized (sending) {
      stalled = true;
    }
    channel.config().setAutoRead(false);
  }
}
