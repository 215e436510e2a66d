package dev.geminilive.examples.phone;

import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects phone calls to a voice agent: a WebSocket endpoint speaking the Twilio Media Streams
 * protocol that opens one {@link ResilientLiveSession} per call.
 *
 * <p>Point a Twilio number's TwiML at it ({@code <Connect><Stream url="wss://your-host/media"/>
 * </Connect>}, behind a TLS-terminating proxy or tunnel). Per call, Twilio sends {@code connected},
 * {@code start} (with the {@code streamSid} and {@code mediaFormat} audio/x-mulaw 8000 Hz), a
 * {@code media} event every 20 ms (base64 mu-law), {@code mark} when the caller has heard audio up
 * to a mark of ours, and {@code stop}. The bridge answers with {@code media} frames of the agent's
 * voice (20 ms of base64 mu-law each, with the {@code streamSid}), a {@code mark} after each
 * answer, and {@code clear} the moment the model reports {@code interrupted}, so the caller stops
 * hearing an answer they talked over. The conversion in both directions is in {@link PhoneCall}.
 *
 * <p>The session comes from the {@code sessions} supplier: one fresh builder per call, with
 * credentials, persona, tools and so on; the bridge sets its listener and connects it
 * asynchronously (caller audio is kept until it is open). The service detects speech, so the model
 * hears the caller's silence too; there is no local voice detection.
 *
 * <p>Threads: one Netty acceptor thread and {@value #WORKER_THREADS} event-loop threads (caller
 * audio is decoded and resampled there, never blocking), each session's own dispatch thread (model
 * audio is encoded there), and a small pool that closes sessions after a hang-up. Thread-safe;
 * {@link #close()} stops accepting calls and ends the open ones.
 *
 * <pre>{@code
 * try (PhoneBridge bridge = PhoneBridge.builder()
 *         .sessions(() -> ResilientLiveSession.builder().apiKey(key).persona("You answer calls..."))
 *         .port(8081)
 *         .start()) {
 *   awaitShutdown();
 * }
 * }</pre>
 *
 * <p>Run {@link #main} without {@code GEMINI_API_KEY} for an offline call against the embedded fake
 * Live server ({@link PhoneBridgeDemo}); with the key it listens on port 8081 (or {@code --port N})
 * until Enter is pressed.
 */
public final class PhoneBridge implements AutoCloseable {
  /** The WebSocket path of the media stream. */
  public static final String PATH = "/media";

  /** Netty event-loop threads for all calls. */
  static final int WORKER_THREADS = 2;

  /** Largest WebSocket frame accepted (Twilio's are a few hundred bytes). */
  static final int MAX_FRAME_BYTES = 1 << 16;

  private static final Logger log = LoggerFactory.getLogger(PhoneBridge.class);

  private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoopGroup workers =
      new MultiThreadIoEventLoopGroup(WORKER_THREADS, NioIoHandler.newFactory());
  private final ExecutorService hangups =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "phone-bridge-hangup");
            t.setDaemon(true);
            return t;
          });
  private final Channel server;

  private PhoneBridge(Builder b) throws InterruptedException {
    Supplier<LiveSessionBuilder> sessions = Objects.requireNonNull(b.sessions);
    Consumer<String> events = b.events;
    try {
      this.server = bind(b, sessions, events);
    } catch (InterruptedException | RuntimeException e) { // e.g. the port is taken
      releaseThreads();
      throw e;
    }
    log.info("Phone bridge listening on {}", uri());
  }

  private Channel bind(Builder b, Supplier<LiveSessionBuilder> sessions, Consumer<String> events)
      throws InterruptedException {
    return new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                    .addLast(new HttpServerCodec())
                    .addLast(new HttpObjectAggregator(MAX_FRAME_BYTES))
                    .addLast(new WebSocketServerProtocolHandler(PATH, null, false, MAX_FRAME_BYTES))
                    .addLast(new PhoneCall(sessions, events, hangups));
              }
            })
        .bind(new InetSocketAddress(b.host, b.port))
        .sync()
        .channel();
  }

  /** Returns a builder; {@link Builder#sessions} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port the bridge listens on (useful with port 0). */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The media-stream address, e.g. {@code ws://127.0.0.1:8081/media}. */
  public URI uri() {
    InetSocketAddress a = (InetSocketAddress) server.localAddress();
    return URI.create("ws://" + a.getAddress().getHostAddress() + ":" + a.getPort() + PATH);
  }

  /** Stops accepting calls, hangs up the open ones and releases the threads. Idempotent. */
  @Override
  public void close() {
    server.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    releaseThreads();
  }

  private void releaseThreads() {
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    hangups.shutdown();
  }

  /** Runs the example; see the class documentation. */
  public static void main(String[] args) throws InterruptedException {
    String apiKey = System.getenv(LiveSessionBuilder.API_KEY_ENV);
    if (apiKey == null || apiKey.isBlank()) {
      System.exit(PhoneBridgeDemo.run(System.out));
    }
    int port = args.length == 2 && args[0].equals("--port") ? Integer.parseInt(args[1]) : 8081;
    try (PhoneBridge bridge =
        PhoneBridge.builder()
            .sessions(() -> receptionist().apiKey(apiKey))
            .port(port)
            .events(System.out::println)
            .start()) {
      System.out.println("Phone bridge on " + bridge.uri());
      System.out.println(
          "Expose it over wss (a TLS proxy or tunnel) and answer your Twilio number with TwiML:");
      System.out.println(
          "  <Response><Connect><Stream url=\"wss://YOUR-HOST"
              + PATH
              + "\"/></Connect></Response>");
      System.out.println("Press Enter to stop.");
      System.in.read();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read stdin", e);
    }
    System.exit(0);
  }

  /** The agent that answers the phone; the caller of this method adds credentials. */
  static LiveSessionBuilder receptionist() {
    return ResilientLiveSession.builder()
        .voice("Aoede")
        .language("en-US")
        .persona(
            "You are Robin, the receptionist of a small dental practice, answering the phone."
                + " You help callers book, move or cancel an appointment and answer simple"
                + " questions about opening hours and directions. You speak warmly, in short"
                + " sentences that are easy to follow on a phone line, you never give medical"
                + " advice, and you stop talking the moment the caller speaks.")
        .greeting("A caller has just been connected. Greet them and ask how you can help.");
  }

  /** Configures and starts a {@link PhoneBridge}; not thread-safe. */
  public static final class Builder {
    private @Nullable Supplier<LiveSessionBuilder> sessions;
    private Consumer<String> events = line -> {};
    private InetAddress host = InetAddress.getLoopbackAddress();
    private int port = 0;

    private Builder() {}

    /**
     * A fresh session builder per call (required): credentials, model, persona, tools. The bridge
     * replaces its listener and connects it.
     */
    public Builder sessions(Supplier<LiveSessionBuilder> sessions) {
      this.sessions = Objects.requireNonNull(sessions, "sessions");
      return this;
    }

    /** Receives one readable line per call event (start, barge-in, end); default: none. */
    public Builder events(Consumer<String> events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /** The address to listen on; default 127.0.0.1 (a proxy or tunnel forwards to it). */
    public Builder host(InetAddress host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port; default 0 (any free port, see {@link PhoneBridge#port()}). */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Binds and starts the bridge.
     *
     * @throws IllegalStateException if no session supplier was given
     * @throws InterruptedException if interrupted while binding
     */
    public PhoneBridge start() throws InterruptedException {
      if (sessions == null) {
        throw new IllegalStateException("PhoneBridge needs sessions(...) before start()");
      }
      return new PhoneBridge(this);
    }
  }
}
