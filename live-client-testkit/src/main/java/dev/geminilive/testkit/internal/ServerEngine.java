package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fake server's engine: the Netty listener, the server thread that runs the protocol and the
 * script, the connections, sessions, handles and tokens. {@code FakeLiveServer} is its public face.
 * Thread-safe.
 */
public final class ServerEngine {
  private static final Logger log = LoggerFactory.getLogger(ServerEngine.class);

  /** The server's settings, from {@code FakeLiveServer.Builder}. */
  public record Config(
      boolean plain,
      boolean textFrames,
      String apiKey,
      int port,
      Duration handleTtl,
      boolean sessionIdInSetupComplete,
      boolean resumeConsumesTokenUse,
      int badAuthHttpStatus,
      Clock clock,
      Set<String> models) {}

  /** A handle's snapshot: the history length and the setup in force when it was issued. */
  public record HandleRecord(
      SessionEngine session, int historySize, JsonNode setup, Instant issuedAt) {}

  private final Config config;
  private final EngineHost host;
  private final FaultState faults = new FaultState();
  private final @Nullable HeldCertificate certificate;
  private final @Nullable HandshakeCertificates trust;
  private final OkHttpClient okHttpClient;
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
  private final ExecutorService okHttpThreads = okHttpThreads();
  private final ScheduledExecutorService modelThread;
  // Where a closed connection's end goes: the model thread, unless a test holds it.
  private volatile Consumer<Runnable> connectionEnds = this::run;
  private final Channel serverChannel;
  private final int port;
  private final List<ConnectionEngine> connections = new ArrayList<>();
  private final List<SessionEngine> sessions = new CopyOnWriteArrayList<>();
  private final Map<String, HandleRecord> handles = new ConcurrentHashMap<>();
  private final Map<String, TokenGrant> tokens = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final SecureRandom random = new SecureRandom();

  /** Starts the engine: binds 127.0.0.1, or throws with nothing left running. */
  public ServerEngine(Config config, EngineHost host) {
    this.config = config;
    this.host = host;
    SslContext ssl = null;
    if (config.plain()) {
      certificate = null;
      trust = null;
      okHttpClient = new OkHttpClient.Builder().dispatcher(new Dispatcher(okHttpThreads)).build();
    } else {
      certificate =
          new HeldCertificate.Builder()
              .commonName("fake-live-server")
              .addSubjectAlternativeName("127.0.0.1")
              .addSubjectAlternativeName("localhost")
              .build();
      trust =
          new HandshakeCertificates.Builder()
              .addTrustedCertificate(certificate.certificate())
              .build();
      okHttpClient =
          new OkHttpClient.Builder()
              .dispatcher(new Dispatcher(okHttpThreads))
              .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager())
              .build();
      try {
        ssl =
            SslContextBuilder.forServer(
                    certificate.keyPair().getPrivate(), certificate.certificate())
                .build();
      } catch (SSLException e) {
        throw new IllegalStateException("Cannot create the fake server's TLS context", e);
      }
    }
    this.modelThread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fake-live-server");
              t.setDaemon(true);
              return t;
            });
    this.bossGroup =
        new MultiThreadIoEventLoopGroup(
            1,
            new DefaultThreadFactory("fake-live-server-accept", true),
            NioIoHandler.newFactory());
    this.workerGroup =
        new MultiThreadIoEventLoopGroup(
            2, new DefaultThreadFactory("fake-live-server-io", true), NioIoHandler.newFactory());
    SslContext sslContext = ssl;
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    channels.add(ch);
                    ch.closeFuture().addListener(f -> channels.remove(ch));
                    if (sslContext != null) {
                      ch.pipeline().addLast("ssl", sslContext.newHandler(ch.alloc()));
                    }
                    ch.pipeline()
                        .addLast("http", new HttpServerCodec())
                        .addLast("http-aggregator", new HttpObjectAggregator(1 << 16))
                        .addLast(
                            "ws-aggregator",
                            new WebSocketFrameAggregator(ServerHandler.MAX_FRAME_BYTES))
                        .addLast("live", new ServerHandler(ServerEngine.this));
                  }
                });
    serverChannel = bind(bootstrap, config.port());
    this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /**
   * Binds the listening socket; on any failure releases every thread started so far, so a failed
   * {@code build()} leaves nothing running.
   */
  private Channel bind(ServerBootstrap bootstrap, int requestedPort) {
    try {
      // 127.0.0.1 itself, as baseUrl() says, whatever the JVM's preferred loopback address.
      InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
      return bootstrap.bind(new InetSocketAddress(loopback, requestedPort)).sync().channel();
    } catch (Exception e) { // sync() rethrows the bind's checked exceptions undeclared
      shutdownThreads();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while binding the fake server", e);
      }
      if (e instanceof BindException bind) {
        throw new UncheckedIOException(
            "The fake Live server cannot listen on 127.0.0.1:"
                + requestedPort
                + " ("
                + bind.getMessage()
                + "). Choose another port, or port(0) for any free one.",
            bind);
      }
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(
          "The fake Live server cannot listen on 127.0.0.1:" + requestedPort + ": " + e, e);
    }
  }

  /**
   * The threads of the OkHttp clients the server hands out: daemon threads (OkHttp's default
   * dispatcher pool is not), so a test or a {@code main} that forgets a client does not keep the
   * JVM up; released by {@link #close()}.
   */
  public static ExecutorService okHttpThreads() {
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        60,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, "fake-live-server-okhttp");
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Closes every connection (TCP, no close frame) and the threads, and returns once the port
   * refuses connections.
   */
  public void close() {
    serverChannel.close().awaitUninterruptibly();
    for (Channel ch : List.copyOf(channels)) {
      ch.close().awaitUninterruptibly();
    }
    shutdownThreads();
    okHttpClient.connectionPool().evictAll();
  }

  /**
   * Stops the server's threads and waits for the event loops to end. The wait matters for the port:
   * the JDK closes a listening socket registered with a selector only when the selector lets go of
   * it, on the acceptor thread, after {@code serverChannel.close()} has already returned; until
   * then the port still accepts connections.
   */
  private void shutdownThreads() {
    modelThread.shutdownNow();
    okHttpThreads.shutdown(); // running readers end with their sockets
    io.netty.util.concurrent.Future<?> boss = bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    boss.awaitUninterruptibly();
  }

  public Config config() {
    return config;
  }

  public EngineHost host() {
    return host;
  }

  public FaultState faults() {
    return faults;
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return (config.plain() ? "http://" : "https://") + "127.0.0.1:" + port;
  }

  public OkHttpClient okHttpClient() {
    return okHttpClient;
  }

  public @Nullable HeldCertificate certificate() {
    return certificate;
  }

  public @Nullable HandshakeCertificates trust() {
    return trust;
  }

  public Clock clock() {
    return config.clock();
  }

  public boolean isKnownModel(String modelId) {
    return config.models().contains(modelId);
  }

  public long nextId() {
    return ids.incrementAndGet();
  }

  /** Hands a closed connection's end (its detach from its session) to the model thread. */
  void connectionEnded(Runnable end) {
    connectionEnds.accept(end);
  }

  /**
   * For the testkit's own tests: each closed connection's end goes to {@code hold}, which may run
   * it later with {@link #run}, instead of to the model thread at once.
   */
  public void holdConnectionEnds(Consumer<Runnable> hold) {
    connectionEnds = hold;
  }

  /** Runs {@code task} on the server thread; failures are logged, not lost. */
  public void run(Runnable task) {
    try {
      modelThread.execute(guard(task));
    } catch (RejectedExecutionException e) {
      log.debug("Server closed; task dropped");
    }
  }

  /** Runs {@code task} on the server thread after {@code delay}; null once the server closed. */
  public @Nullable ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    try {
      return modelThread.schedule(guard(task), delay, unit);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  private static Runnable guard(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        log.error("Fake server task failed", e);
      }
    };
  }

  /** Returns the connections accepted so far, in order of opening. */
  public List<ConnectionEngine> connections() {
    synchronized (connections) {
      return List.copyOf(connections);
    }
  }

  /**
   * Waits until at least {@code n} connections were accepted and returns them.
   *
   * @throws AssertionError if fewer arrive within {@code timeout}
   */
  public List<ConnectionEngine> awaitConnections(int n, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (connections) {
      while (connections.size() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "Expected " + n + " connections within " + timeout + ", got " + connections.size());
        }
        TimeUnit.NANOSECONDS.timedWait(connections, left);
      }
      return List.copyOf(connections);
    }
  }

  public List<SessionEngine> sessions() {
    return List.copyOf(sessions);
  }

  ConnectionEngine newConnection(
      Channel ch,
      String path,
      String version,
      boolean constrained,
      Map<String, String> headers,
      @Nullable TokenGrant grant) {
    synchronized (connections) {
      ConnectionEngine c =
          new ConnectionEngine(
              this, ch, connections.size(), path, version, constrained, headers, grant);
      connections.add(c);
      connections.notifyAll();
      return c;
    }
  }

  SessionEngine newSession(ConnectionEngine conn, String modelId, JsonNode setup) {
    SessionEngine s = new SessionEngine(this, "fake-session-" + nextId(), modelId, conn, setup);
    sessions.add(s);
    return s;
  }

  String issueHandle(SessionEngine session, int historySize, JsonNode setup) {
    byte[] bytes = new byte[18];
    random.nextBytes(bytes);
    String handle = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    handles.put(handle, new HandleRecord(session, historySize, setup, config.clock().instant()));
    return handle;
  }

  @Nullable HandleRecord lookupHandle(String handle) {
    HandleRecord rec = handles.get(handle);
    if (rec == null || faults.refuseHandles()) {
      return null;
    }
    if (config.clock().instant().isAfter(rec.issuedAt().plus(config.handleTtl()))) {
      handles.remove(handle);
      return null;
    }
    return rec;
  }

  /** Makes every handle issued so far unknown. */
  public void expireHandles() {
    handles.clear();
  }

  public void registerToken(TokenGrant grant) {
    tokens.put(grant.name, grant);
  }

  /** Returns the grant for {@code name} unless it is unknown or past its expire time. */
  @Nullable TokenGrant validToken(String name) {
    TokenGrant g = tokens.get(name);
    if (g == null || (g.expireTime != null && config.clock().instant().isAfter(g.expireTime))) {
      return null;
    }
    return g;
  }
}
