package dev.geminilive.benchmarks;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
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
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A lean Live server for the scale benchmark, run as its own process so that it does not share a
 * JVM (heap, GC pauses, JIT, threads) with the clients it serves.
 *
 * <p>Why not the testkit's {@code FakeLiveServer}: it records every client message, runs the
 * protocol of all connections on one thread and parses every frame as JSON, which is what tests
 * need and what caps it near a hundred duplex sessions on two cores. This server does only what the
 * load needs, on Netty's event loops (one per core), with nothing shared between connections:
 * answer the setup, read the stamp, stream id and sequence number from the first bytes of each
 * audio chunk (without parsing the JSON), and on command send every session a 40 ms / 24 kHz audio
 * frame every 40 ms, stamped with {@link System#nanoTime()} just before the write (the same
 * monotonic clock as the client's on Linux, across processes), ending a model turn every {@link
 * #TURN_FRAMES} frames with {@code turnComplete} and a resumption handle.
 *
 * <p>Usage: {@code LoadServer [--tls CERT.pem KEY.pem]}. Prints {@code listening <port>}, then
 * answers one line per command read from stdin: {@code start <millis>} (stream to every session for
 * that long, counters reset), {@code stats}, {@code count}, {@code clock}, {@code quit}.
 */
public final class LoadServer {
  /** Downlink period. */
  static final long DOWN_PERIOD_NANOS = 40_000_000;

  /**
   * Downlink frames per model turn (4 s of audio): after each turn the server ends it and sends a
   * resumption handle, as the service does after every {@code turnComplete}, so that a client that
   * keeps input for replay can let go of what the handle covers.
   */
  static final int TURN_FRAMES = 100;

  private static final byte[] TURN_COMPLETE =
      "{\"serverContent\":{\"turnComplete\":true}}".getBytes(StandardCharsets.US_ASCII);

  /** Bytes of an uplink chunk's header: stamp (8), stream (2), sequence (4), spare (1). */
  static final int HEADER_BYTES = 15;

  private static final byte[] SETUP_COMPLETE =
      "{\"setupComplete\":{}}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA_KEY = "\"data\"".getBytes(StandardCharsets.US_ASCII);

  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<EventExecutor, Recorder> recorders = new ConcurrentHashMap<>();
  private final byte[] frameTemplate;
  private final int stampOffset;

  private LoadServer() {
    String prefix =
        "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":"
            + "\"audio/pcm;rate=24000\",\"data\":\"";
    String data = Base64.getEncoder().encodeToString(new byte[Pcm.OUTPUT_CHUNK_BYTES]);
    frameTemplate = (prefix + data + "\"}}]}}}").getBytes(StandardCharsets.US_ASCII);
    stampOffset = prefix.length();
  }

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    SslContext ssl = null;
    if (args.length == 3 && args[0].equals("--tls")) {
      ssl = SslContextBuilder.forServer(new File(args[1]), new File(args[2])).build();
    }
    new LoadServer().run(ssl);
  }

  private void run(SslContext ssl) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(cores, NioIoHandler.newFactory());
    WebSocketServerProtocolConfig ws =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath("/ws")
            .checkStartsWith(true)
            .maxFramePayloadLength(1 << 20)
            .build();
    Channel server =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (ssl != null) {
                      ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                    }
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(1 << 16))
                        .addLast(new WebSocketServerProtocolHandler(ws))
                        .addLast(new WebSocketFrameAggregator(1 << 20))
                        .addLast(new Session());
                  }
                })
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .sync()
            .channel();
    System.out.println("listening " + ((InetSocketAddress) server.localAddress()).getPort());
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] cmd = line.trim().split("\\s+");
      String reply;
      try {
        reply =
            switch (cmd[0]) {
              case "start" -> start(Long.parseLong(cmd[1]));
              case "stats" -> stats();
              case "count" -> "sessions=" + ready();
              case "await-sessions" ->
                  awaitSessions(Integer.parseInt(cmd[1]), Long.parseLong(cmd[2]));
              case "await-up" -> awaitUp(Long.parseLong(cmd[1]), Long.parseLong(cmd[2]));
              case "clock" -> String.valueOf(System.nanoTime());
              case "quit" -> null;
              default -> "error unknown command " + cmd[0];
            };
      } catch (RuntimeException | InterruptedException e) {
        reply = "error " + e;
      }
      if (reply == null) {
        break;
      }
      System.out.println("ok " + reply);
      System.out.flush();
    }
    server.close().sync();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  /** Resets the counters and streams to every ready session for {@code millis}. */
  private String start(long millis) {
    onEveryLoop(Recorder::clear);
    List<Session> ready = new ArrayList<>();
    for (Session s : sessions) {
      if (s.ready) {
        ready.add(s);
      }
    }
    long now = System.nanoTime();
    long end = now + millis * 1_000_000;
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int i = 0; i < ready.size(); i++) {
      Session s = ready.get(i);
      long first = now + DOWN_PERIOD_NANOS * i / ready.size();
      CompletableFuture<Void> f = new CompletableFuture<>();
      s.channel
          .eventLoop()
          .execute(
              () -> {
                s.nextSend = first;
                s.endSend = end;
                recorders.get(s.channel.eventLoop()).streaming.add(s);
                f.complete(null);
              });
      done.add(f);
    }
    done.forEach(CompletableFuture::join);
    for (Recorder r : recorders.values()) {
      r.loop.execute(r::startTicking);
    }
    return "started sessions=" + ready.size();
  }

  private long ready() {
    return sessions.stream().filter(s -> s.ready).count();
  }

  /** Waits (up to {@code millis}) until {@code n} sessions are open; replies the count. */
  private String awaitSessions(int n, long millis) throws InterruptedException {
    long until = System.nanoTime() + millis * 1_000_000;
    while (ready() != n && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    return "sessions=" + ready();
  }

  /** Waits (up to {@code millis}) until {@code n} audio chunks arrived; replies the stats. */
  private String awaitUp(long n, long millis) throws InterruptedException {
    long until = System.nanoTime() + millis * 1_000_000;
    String stats = stats();
    while (received(stats) < n && System.nanoTime() < until) {
      Thread.sleep(5);
      stats = stats();
    }
    return stats;
  }

  private static long received(String stats) {
    for (String kv : stats.split(" ")) {
      if (kv.startsWith("upReceived=")) {
        return Long.parseLong(kv.substring("upReceived=".length()));
      }
    }
    return 0;
  }

  private String stats() {
    List<Recorder> copies = new ArrayList<>();
    for (Recorder r : recorders.values()) {
      CompletableFuture<Recorder> copy = new CompletableFuture<>();
      r.loop.execute(() -> copy.complete(r.copy()));
      copies.add(copy.join());
    }
    long received = 0;
    long outOfOrder = 0;
    long sent = 0;
    int n = 0;
    for (Recorder r : copies) {
      received += r.received;
      outOfOrder += r.outOfOrder;
      sent += r.sent;
      n += r.count;
    }
    long[] all = new long[n];
    int at = 0;
    for (Recorder r : copies) {
      System.arraycopy(r.latencies, 0, all, at, r.count);
      at += r.count;
    }
    Arrays.sort(all);
    long minPerSession = Long.MAX_VALUE;
    int ready = 0;
    for (Session s : sessions) {
      if (s.ready) {
        ready++;
        minPerSession = Math.min(minPerSession, s.receivedSinceStart);
      }
    }
    return String.format(
        Locale.ROOT,
        "sessions=%d upReceived=%d upOutOfOrder=%d downSent=%d upP50=%d upP99=%d upP999=%d"
            + " upMax=%d minUpPerSession=%d cpuNanos=%d",
        ready,
        received,
        outOfOrder,
        sent,
        rank(all, 50),
        rank(all, 99),
        rank(all, 99.9),
        all.length == 0 ? -1 : all[all.length - 1],
        ready == 0 ? 0 : minPerSession,
        processCpuNanos());
  }

  private void onEveryLoop(java.util.function.Consumer<Recorder> action) {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (Recorder r : recorders.values()) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      r.loop.execute(
          () -> {
            action.accept(r);
            f.complete(null);
          });
      done.add(f);
    }
    for (Session s : sessions) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      s.channel
          .eventLoop()
          .execute(
              () -> {
                s.receivedSinceStart = 0;
                f.complete(null);
              });
      done.add(f);
    }
    done.forEach(CompletableFuture::join);
  }

  private static long rank(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : -1;
  }

  /**
   * What one event loop measured, and the sessions it streams to; touched only on that loop's
   * thread. One tick per millisecond sends every frame that is due, so the loop wakes a thousand
   * times a second however many sessions it serves.
   */
  private static final class Recorder {
    final EventLoop loop;
    final List<Session> streaming = new ArrayList<>();
    ScheduledFuture<?> ticker;
    long[] latencies = new long[1 << 16];
    int count;
    long received;
    long outOfOrder;
    long sent;

    Recorder(EventLoop loop) {
      this.loop = loop;
    }

    void startTicking() {
      if (ticker == null) {
        ticker = loop.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
      }
    }

    private void tick() {
      long now = System.nanoTime();
      for (int i = streaming.size() - 1; i >= 0; i--) {
        Session s = streaming.get(i);
        if (now >= s.endSend || !s.channel.isActive()) {
          streaming.remove(i);
          continue;
        }
        while (s.nextSend <= now && s.nextSend < s.endSend) {
          s.sendFrame(this);
          s.nextSend += DOWN_PERIOD_NANOS;
        }
      }
      if (streaming.isEmpty()) {
        ticker.cancel(false);
        ticker = null;
      }
    }

    void record(long latency) {
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, count * 2);
      }
      latencies[count++] = latency;
    }

    void clear() {
      count = 0;
      received = 0;
      outOfOrder = 0;
      sent = 0;
    }

    Recorder copy() {
      Recorder c = new Recorder(loop);
      c.latencies = Arrays.copyOf(latencies, count);
      c.count = count;
      c.received = received;
      c.outOfOrder = outOfOrder;
      c.sent = sent;
      return c;
    }
  }

  /** One WebSocket connection; all state is owned by its event loop. */
  private final class Session extends SimpleChannelInboundHandler<WebSocketFrame> {
    Channel channel;
    Recorder recorder;
    volatile boolean ready;
    volatile long receivedSinceStart; // written by the loop, read by stats()
    long lastSeq = -1;
    long sentSeq;
    long nextSend;
    long endSend;
    private final byte[] header = new byte[20];
    private final byte[] decoded = new byte[HEADER_BYTES];
    private final byte[] stamp = new byte[HEADER_BYTES];
    private final byte[] encoded = new byte[20];

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      channel = ctx.channel();
      recorder = recorders.computeIfAbsent(ctx.executor(), e -> new Recorder(channel.eventLoop()));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      sessions.remove(this);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      ByteBuf content = frame.content();
      if (!ready) {
        // The first message is the setup: answer it and count the session.
        ready = true;
        sessions.add(this);
        ctx.writeAndFlush(
            new BinaryWebSocketFrame(ctx.alloc().buffer().writeBytes(SETUP_COMPLETE)));
        return;
      }
      long now = System.nanoTime();
      int at = indexOf(content, DATA_KEY);
      if (at < 0) {
        return; // not audio: nothing to measure
      }
      at += DATA_KEY.length;
      int end = content.writerIndex();
      while (at < end && content.getByte(at) != '"') {
        at++; // the colon and any spaces
      }
      at++;
      if (at + header.length > end) {
        return;
      }
      content.getBytes(at, header);
      Base64.getDecoder().decode(header, decoded);
      long sentAt = 0;
      for (int i = 0; i < 8; i++) {
        sentAt |= (decoded[i] & 0xFFL) << (8 * i);
      }
      int seq =
          (decoded[10] & 0xFF)
              | (decoded[11] & 0xFF) << 8
              | (decoded[12] & 0xFF) << 16
              | (decoded[13] & 0xFF) << 24;
      if (seq <= lastSeq) {
        recorder.outOfOrder++;
      }
      lastSeq = seq;
      recorder.received++;
      receivedSinceStart++;
      recorder.record(now - sentAt);
    }

    /** Writes one stamped audio frame; on the event loop. */
    void sendFrame(Recorder recorder) {
      ByteBuf buf = channel.alloc().buffer(frameTemplate.length);
      buf.writeBytes(frameTemplate);
      long now = System.nanoTime();
      for (int i = 0; i < 8; i++) {
        stamp[i] = (byte) (now >>> (8 * i));
      }
      long seq = sentSeq++;
      for (int i = 0; i < 4; i++) {
        stamp[10 + i] = (byte) (seq >>> (8 * i));
      }
      Base64.getEncoder().encode(stamp, encoded);
      buf.setBytes(stampOffset, encoded);
      recorder.sent++;
      // The stamp is taken before the write: the latency includes this write and its flush.
      channel.writeAndFlush(new BinaryWebSocketFrame(buf));
      if (sentSeq % TURN_FRAMES == 0) {
        // The end of a model turn, then the handle the service sends after it (not counted as
        // audio frames, and not stamped).
        channel.write(new BinaryWebSocketFrame(channel.alloc().buffer().writeBytes(TURN_COMPLETE)));
        byte[] handle =
            ("{\"sessionResumptionUpdate\":{\"newHandle\":\"load-"
                    + sentSeq / TURN_FRAMES
                    + "\",\"resumable\":true}}")
                .getBytes(StandardCharsets.US_ASCII);
        channel.writeAndFlush(
            new BinaryWebSocketFrame(channel.alloc().buffer().writeBytes(handle)));
      }
    }
  }

  private static int indexOf(ByteBuf content, byte[] key) {
    int end = content.writerIndex() - key.length;
    outer:
    for (int i = content.readerIndex(); i <= end; i++) {
      for (int k = 0; k < key.length; k++) {
        if (content.getByte(i + k) != key[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
