package dev.geminilive.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A raw client on Netty's own WebSocket client, the cheapest of the compared clients: every socket
 * is served by a small group of event loops (one per core), and in the scale section each loop also
 * paces its own sockets' audio (see {@link #pace}), so a chunk goes from the pacing tick to the
 * socket with no hand-off between threads. It does the same work per frame as the other raw clients
 * (a JSON string built per chunk; a JSON tree and a base64 decode per received frame), so what it
 * saves is threads and hand-offs. It shows how many sessions the load server carries when the
 * client costs little.
 *
 * <p>Thread-safe: {@link #sendAudio} may be called from any thread (Netty hands the write to the
 * socket's loop); everything else runs on the socket's event loop.
 */
final class NettyPeer implements Peers.Peer {
  private final Channel channel;

  private NettyPeer(Channel channel) {
    this.channel = channel;
  }

  /** The event loops and connection settings shared by all of one step's sockets. */
  static final class Group implements AutoCloseable {
    final EventLoopGroup loops;
    final Bootstrap bootstrap;
    final URI uri;
    final String apiKey;
    final SslContext ssl;

    Group(Peers.Target target) {
      this.loops =
          new MultiThreadIoEventLoopGroup(
              Runtime.getRuntime().availableProcessors(),
              new DefaultThreadFactory("netty-client", true),
              NioIoHandler.newFactory());
      this.uri = URI.create(target.webSocketUrl());
      this.apiKey = target.apiKey();
      this.ssl =
          target.tls() == null ? null : new JdkSslContext(target.tls(), true, ClientAuth.NONE);
      this.bootstrap =
          new Bootstrap()
              .group(loops)
              .channel(NioSocketChannel.class)
              .option(ChannelOption.TCP_NODELAY, true)
              .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
    }

    @Override
    public void close() {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  static CompletableFuture<NettyPeer> connectAsync(Group group, Peers.Sink sink) {
    CompletableFuture<NettyPeer> ready = new CompletableFuture<>();
    WebSocketClientProtocolConfig config =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(group.uri)
            .customHeaders(new DefaultHttpHeaders().add("x-goog-api-key", group.apiKey))
            .maxFramePayloadLength(1 << 20)
            .handshakeTimeoutMillis(30_000)
            .build();
    Bootstrap b =
        group
            .bootstrap
            .clone()
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (group.ssl != null) {
                      ch.pipeline()
                          .addLast(
                              group.ssl.newHandler(
                                  ch.alloc(), group.uri.getHost(), group.uri.getPort()));
                    }
                    ch.pipeline()
                        .addLast(new HttpClientCodec())
                        .addLast(new HttpObjectAggregator(1 << 16))
                        .addLast(new WebSocketClientProtocolHandler(config))
                        .addLast(new WebSocketFrameAggregator(1 << 20))
                        .addLast(new Reader(sink, ready));
                  }
                });
    b.connect(group.uri.getHost(), group.uri.getPort())
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                ready.completeExceptionally(f.cause());
              }
            });
    return ready;
  }

  /** One socket's inbound side: the setup, then audio frames to the sink. */
  private static final class Reader extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final Peers.Sink sink;
    private final CompletableFuture<NettyPeer> ready;
    private boolean setupDone;

    Reader(Peers.Sink sink, CompletableFuture<NettyPeer> ready) {
      this.sink = sink;
      this.ready = ready;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        ctx.writeAndFlush(
            new TextWebSocketFrame(
                "{\"setup\":{\"model\":\"models/"
                    + Peers.MODEL
                    + "\",\"generationConfig\":{\"responseModalities\":[\"AUDIO\"]}}}"));
      } else if (event
          == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
        ready.completeExceptionally(new IllegalStateException("Netty handshake timed out"));
      }
      ctx.fireUserEventTriggered(event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof CloseWebSocketFrame) {
        return;
      }
      String text = frame.content().toString(StandardCharsets.UTF_8);
      if (!setupDone) {
        if (text.contains("setupComplete")) {
          setupDone = true;
          ready.complete(new NettyPeer(ctx.channel()));
        }
        return;
      }
      if (Peers.deliverAudio(text, sink) != null) {
        sink.onFrame();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      ready.completeExceptionally(new IllegalStateException("Netty socket closed before setup"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ready.completeExceptionally(cause);
      ctx.close();
    }
  }

  private static ByteBuf ascii(Channel channel, String s) {
    return ByteBufUtil.writeAscii(channel.alloc(), s);
  }

  @Override
  public void sendAudio(byte[] pcm) {
    channel.writeAndFlush(new TextWebSocketFrame(ascii(channel, Pcm.audioFrame(pcm))));
  }

  @Override
  public void sendText(String text) {
    var out = Peers.JSON.createObjectNode();
    out.putObject("realtimeInput").put("text", text);
    channel.writeAndFlush(new TextWebSocketFrame(out.toString()));
  }

  @Override
  public void close() {
    channel.writeAndFlush(new CloseWebSocketFrame()).addListener(f -> channel.close());
  }

  /**
   * Paces the audio of {@code peers} on their own event loops, with the schedule and the records of
   * {@code ScaleBench}'s pacing threads: session {@code i}'s chunk {@code s} is due at {@code t0 +
   * i * 20 ms / n + s * 20 ms}, sent at the first tick of its loop (one per millisecond) at or
   * after that, and stamped as it is written. Returns when every chunk has been written.
   */
  static void pace(
      List<NettyPeer> peers,
      long t0,
      int perSession,
      AtomicLong upSent,
      long[] late,
      AtomicInteger lateCount)
      throws InterruptedException {
    int n = peers.size();
    Map<EventLoop, List<Integer>> byLoop = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      byLoop.computeIfAbsent(peers.get(i).channel.eventLoop(), l -> new ArrayList<>()).add(i);
    }
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (var e : byLoop.entrySet()) {
      Ticker ticker = new Ticker(peers, e.getValue(), n, t0, perSession, upSent, late, lateCount);
      done.add(ticker.done);
      e.getKey().execute(() -> ticker.start(e.getKey()));
    }
    try {
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
          .get(perSession * 20L + 60_000, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Netty pacing did not finish", e);
    }
  }

  /** One event loop's pacing: its sockets, their next chunk, and its tick. Loop thread only. */
  private static final class Ticker implements Runnable {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final List<NettyPeer> peers;
    private final int[] sessions;
    private final int[] next;
    private final int n;
    private final long t0;
    private final int perSession;
    private final AtomicLong upSent;
    private final long[] late;
    private final AtomicInteger lateCount;
    private ScheduledFuture<?> tick;

    Ticker(
        List<NettyPeer> peers,
        List<Integer> sessions,
        int n,
        long t0,
        int perSession,
        AtomicLong upSent,
        long[] late,
        AtomicInteger lateCount) {
      this.peers = peers;
      this.sessions = sessions.stream().mapToInt(Integer::intValue).toArray();
      this.next = new int[this.sessions.length];
      this.n = n;
      this.t0 = t0;
      this.perSession = perSession;
      this.upSent = upSent;
      this.late = late;
      this.lateCount = lateCount;
    }

    void start(EventLoop loop) {
      tick = loop.scheduleAtFixedRate(this, 0, 1, TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
      long now = System.nanoTime();
      boolean pending = false;
      for (int k = 0; k < sessions.length; k++) {
        int i = sessions[k];
        long origin = t0 + i * 20_000_000L / n;
        Channel channel = peers.get(i).channel;
        boolean wrote = false;
        while (next[k] < perSession && origin + next[k] * 20_000_000L <= now) {
          int s = next[k]++;
          int at = lateCount.getAndIncrement();
          if (at < late.length) {
            late[at] = now - (origin + s * 20_000_000L);
          }
          String frame = Pcm.audioFrame(Pcm.loadChunk(now, i, s));
          channel.write(new TextWebSocketFrame(ascii(channel, frame)));
          upSent.incrementAndGet();
          wrote = true;
          now = System.nanoTime();
        }
        if (wrote) {
          channel.flush();
        }
        pending |= next[k] < perSession;
      }
      if (!pending) {
        tick.cancel(false);
        done.complete(null);
      }
    }
  }
}
