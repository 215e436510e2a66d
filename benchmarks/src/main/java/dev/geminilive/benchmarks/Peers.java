package dev.geminilive.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.Client;
import com.google.genai.types.ClientOptions;
import dev.geminilive.AudioChunk;
import dev.geminilive.LiveListener;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * What the compared clients share: the {@link Peer} and {@link Sink} interfaces, where they connect
 * ({@link Target}), the OkHttp and SDK clients they are built on, and the library as a peer. The
 * raw clients are {@link OkHttpPeer}, {@link SdkPeer}, {@link JdkPeer} and {@link NettyPeer}.
 */
final class Peers {
  private Peers() {}

  static final String MODEL = "gemini-3.1-flash-live-preview";
  static final ObjectMapper JSON = new ObjectMapper();

  /** What a benchmark wants to know about frames arriving at a client. */
  interface Sink {
    /** One audio part arrived (called on the path's delivery thread). */
    default void onAudio(byte[] pcm) {}

    /** Any server message arrived (library: any listener event). */
    default void onFrame() {}

    default void onTurnComplete() {}
  }

  /**
   * Parses one raw server frame and hands its audio parts to the sink, the same work on every raw
   * client; returns the parsed frame, or null when it is not JSON (the frame is then ignored).
   */
  static JsonNode deliverAudio(String text, Sink sink) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (Exception e) {
      return null;
    }
    for (JsonNode part : root.path("serverContent").path("modelTurn").path("parts")) {
      JsonNode data = part.path("inlineData").path("data");
      if (data.isTextual()) {
        sink.onAudio(Base64.getDecoder().decode(data.asText()));
      }
    }
    return root;
  }

  /** One client connection of one of the compared kinds. */
  interface Peer extends AutoCloseable {
    /** The path's send call for one PCM chunk; returns when the call returns. */
    void sendAudio(byte[] pcm);

    /** Sends a text turn. */
    void sendText(String text);

    @Override
    void close();
  }

  /**
   * Where the peers connect: the in-process fake server, or the load server in its own process.
   *
   * @param baseUrl the HTTP(S) base URL (library, SDK)
   * @param webSocketUrl the full WebSocket URL of the API-key endpoint (raw clients)
   * @param apiKey the key the server accepts
   * @param http an OkHttp client that trusts the server's certificate, if it has one
   * @param tls the JDK TLS context trusting the server, or null for plain WebSockets
   */
  record Target(
      String baseUrl,
      String webSocketUrl,
      String apiKey,
      OkHttpClient http,
      javax.net.ssl.SSLContext tls) {
    static Target of(FakeLiveServer server) {
      return new Target(
          server.baseUrl(),
          server.webSocketUrl("v1beta"),
          server.apiKey(),
          server.okHttpClient(),
          null);
    }
  }

  /** An OkHttp client trusting {@code server} with a dispatcher that allows many WebSockets. */
  static OkHttpClient roomyClient(FakeLiveServer server) {
    return roomyClient(Target.of(server));
  }

  /** An OkHttp client trusting {@code target} with a dispatcher that allows many WebSockets. */
  static OkHttpClient roomyClient(Target target) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(100_000);
    dispatcher.setMaxRequestsPerHost(100_000);
    return target.http().newBuilder().dispatcher(dispatcher).build();
  }

  /**
   * Like {@link #roomyClient} but every socket has TCP_NODELAY: OkHttp leaves Nagle's algorithm on,
   * which holds a small frame until the previous one is acknowledged (up to the peer's delayed-ACK
   * timer, 40 ms on Linux).
   */
  static OkHttpClient noDelayClient(FakeLiveServer server) {
    return noDelayClient(Target.of(server));
  }

  static OkHttpClient noDelayClient(Target target) {
    return roomyClient(target).newBuilder().socketFactory(new NoDelaySocketFactory()).build();
  }

  /** An SDK client trusting {@code server}, sharing {@code http}. */
  static Client sdkClient(FakeLiveServer server, OkHttpClient http) {
    return sdkClient(Target.of(server), http);
  }

  static Client sdkClient(Target target, OkHttpClient http) {
    return Client.builder()
        .apiKey(target.apiKey())
        .httpOptions(
            com.google.genai.types.HttpOptions.builder()
                .baseUrl(target.baseUrl())
                .apiVersion("v1beta")
                .build())
        .clientOptions(ClientOptions.builder().customHttpClient(http).build())
        .build();
  }

  // ---------------------------------------------------------------- the library

  static LiveSessionBuilder libraryBuilder(FakeLiveServer server, OkHttpClient http) {
    return libraryBuilder(Target.of(server)).httpClient(http);
  }

  /** The library with its own defaults (its shared OkHttp client), as an application uses it. */
  static LiveSessionBuilder libraryBuilder(Target target) {
    LiveSessionBuilder b =
        ResilientLiveSession.builder()
            .apiKey(target.apiKey())
            .baseUrl(target.baseUrl())
            .model(MODEL)
            .connectTimeout(Duration.ofSeconds(30));
    return target.tls() == null ? b : b.httpClient(roomyClient(target));
  }

  static LiveListener listenerFor(Sink sink) {
    return new LiveListener() {
      @Override
      public void onAudio(ResilientLiveSession s, AudioChunk chunk) {
        sink.onAudio(chunk.pcm());
        sink.onFrame();
      }

      @Override
      public void onOutputTranscript(ResilientLiveSession s, String text) {
        sink.onFrame();
      }

      @Override
      public void onTurnComplete(ResilientLiveSession s, String reason) {
        sink.onFrame();
        sink.onTurnComplete();
      }
    };
  }

  static final class LibraryPeer implements Peer {
    final ResilientLiveSession session;

    LibraryPeer(ResilientLiveSession session) {
      this.session = session;
    }

    static LibraryPeer connect(FakeLiveServer server, OkHttpClient http, Sink sink) {
      return new LibraryPeer(libraryBuilder(server, http).listener(listenerFor(sink)).connect());
    }

    static CompletableFuture<LibraryPeer> connectAsync(
        FakeLiveServer server, OkHttpClient http, Sink sink) {
      return libraryBuilder(server, http)
          .listener(listenerFor(sink))
          .connectAsync()
          .thenApply(LibraryPeer::new);
    }

    static CompletableFuture<LibraryPeer> connectAsync(Target target, Sink sink) {
      return libraryBuilder(target)
          .listener(listenerFor(sink))
          .connectAsync()
          .thenApply(LibraryPeer::new);
    }

    /** The library on {@code transport} (for the JDK transport: plain loopback only). */
    static CompletableFuture<LibraryPeer> connectAsync(
        Target target, Sink sink, dev.geminilive.Transport transport) {
      return libraryBuilder(target)
          .transport(transport)
          .listener(listenerFor(sink))
          .connectAsync()
          .thenApply(LibraryPeer::new);
    }

    @Override
    public void sendAudio(byte[] pcm) {
      session.sendAudio(pcm);
    }

    @Override
    public void sendText(String text) {
      session.sendText(text);
    }

    @Override
    public void close() {
      session.close();
    }
  }

  static List<String> kinds() {
    return List.of("library", "sdk", "okhttp");
  }
}
