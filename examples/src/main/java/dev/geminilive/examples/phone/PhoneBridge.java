package dev.geminilive.examples.phone;

import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.examples.ExampleCommandLine;
import dev.geminilive.examples.PortOption;
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
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
 * audio is encoded there), and a small pool that closes sessions after a hang-up; all of them
 * daemon threads. Thread-safe; {@link #close()} stops accepting calls, ends the open ones and
 * releases the threads. A port that is taken makes {@link Builder#start()} throw an {@link
 * UncheckedIOException} naming it, with nothing left running.
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
 * Live server ({@link PhoneBridgeDemo}); with the key it listens on port 8081 (or {@code --port=N};
 * {@code --help} lists the options) until Enter is pressed.
 */
public final class PhoneBridge implements AutoCloseable {
  /** The WebSocket path of the media stream. */
  public static final String PATH = "/media";

  /** Netty event-loop threads for all calls. */
  static final int WORKER_THREADS = 2;

  /** Largest WebSocket frame accepted (Twilio's are a few hundred bytes). */
  static final int MAX_FRAME_BYTES = 1 << 16;

  private static final Logger log = LoggerFactory.getLogger(PhoneBridge.class);

  private final EventLoopGroup boss =
      new MultiThreadIoEventLoopGroup(
          1, new DefaultThreadFactory("phone-bridge-accept", true), NioIoHandler.newFactory());
  private final EventLoopGroup workers =
      new MultiThreadIoEventLoopGroup(
          WORKER_THREADS,
          new DefaultThreadFactory("phone-bridge-io", true),
          NioIoHandler.newFactory());
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
      this.server = bindOrExplain(b, sessions, events);
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

  /** Binds; a taken port becomes an {@link UncheckedIOException} that names it. */
  private Channel bindOrExplain(
      Builder b, Supplier<LiveSessionBuilder> sessions, Consumer<String> events)
      throws InterruptedException {
    try {
      return bind(b, sessions, events);
    } catch (InterruptedException | RuntimeException e) {
      throw e;
    } catch (Exception e) { // sync() rethrows the bind's IOException undeclared
      throw new UncheckedIOException(
          "The phone bridge cannot listen on "
              + b.host.getHostAddress()
              + ":"
              + b.port
              + " ("
              + e.getMessage()
              + "). Choose another port, or 0 for any free one.",
          e instanceof IOException io ? io : new IOException(e));
    }
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

  /**
   * The port PhoneBridge listens on with {@code GEMINI_API_KEY} unless {@code --port} says
   * otherwise.
   */
  static final int DEFAULT_PORT = 8081;

  /** The command line. */
  @Command(
      name = "PhoneBridge",
      mixinStandardHelpOptions = true,
      versionProvider = ExampleCommandLine.Version.class,
      description = {
        "Bridges Twilio Media Streams calls to Live sessions."
            + " Without GEMINI_API_KEY: an offline demonstration against the testkit's fakes."
            + " With it: serves until Enter is pressed."
      },
      footer = {
        "",
        "With GEMINI_API_KEY it listens on port 8081 unless --port says otherwise.",
        "Exit codes: 0 done, 1 it could not run (a taken port), 2 a bad command line."
      })
  static final class Options {
    @Mixin private final PortOption port = new PortOption();

    Optional<Integer> port() {
      return port.port();
    }
  }

  /**
   * Runs the example; see the class documentation. Returns normally when it went well (every thread
   * it starts is a daemon or ends with it); exits with the code otherwise.
   */
  public static void main(String[] args) throws InterruptedException {
    int code =
        run(args, System.getenv(LiveSessionBuilder.API_KEY_ENV), System.in, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(
      String[] args, @Nullable String apiKey, InputStream in, PrintStream out, PrintStream err)
      throws InterruptedException {
    Options options = new Options();
    OptionalInt exit = ExampleCommandLine.parse(options, args, out, err);
    if (exit.isPresent()) {
      return exit.getAsInt();
    }
    try {
      if (apiKey == null || apiKey.isBlank()) {
        return PhoneBridgeDemo.run(out, options.port().orElse(0));
      }
      return serve(apiKey, options, in, out, err);
    } catch (UncheckedIOException e) { // the port is taken
      err.println("PhoneBridge: " + e.getMessage());
      return 1;
    }
  }

  private static int serve(
      String apiKey, Options options, InputStream in, PrintStream out, PrintStream err)
      throws InterruptedException {
    try (PhoneBridge bridge =
        PhoneBridge.builder()
            .sessions(() -> receptionist().apiKey(apiKey))
            .port(options.port().orElse(DEFAULT_PORT))
            .events(out::println)
            .start()) {
      out.println("Phone bridge on " + bridge.uri());
      out.println(
          "Expose it over wss (a TLS proxy or tunnel) and answer your Twilio number with TwiML:");
      out.println(
          "  <Response><Connect><Stream url=\"wss://YOUR-HOST"
              + PATH
              + "\"/></Connect></Response>");
      out.println("Press Enter to stop.");
      in.read();
    } catch (IOException e) {
      err.println("PhoneBridge: could not read stdin: " + e.getMessage());
      return 1;
    }
    return 0;
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
     * @throws UncheckedIOException if the port cannot be bound (for example, it is taken)
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
