package dev.geminilive.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.AsyncSession;
import com.google.genai.Client;
import com.google.genai.types.Blob;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.LiveConnectConfig;
import com.google.genai.types.LiveSendRealtimeInputParameters;
import com.google.genai.types.LiveSendToolResponseParameters;
import com.google.genai.types.LiveServerMessage;
import com.google.genai.types.Modality;
import com.google.genai.types.Part;
import dev.geminilive.AudioChunk;
import dev.geminilive.LiveListener;
import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.testkit.FakeLiveServer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/** The three ways of talking to the fake server that the benchmarks compare. */
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

  /** Plain sockets with TCP_NODELAY set before connecting. */
  static final class NoDelaySocketFactory extends javax.net.SocketFactory {
    private final javax.net.SocketFactory base = javax.net.SocketFactory.getDefault();

    private static java.net.Socket noDelay(java.net.Socket s) throws java.io.IOException {
      s.setTcpNoDelay(true);
      return s;
    }

    @Override
    public java.net.Socket createSocket() throws java.io.IOException {
      return noDelay(base.createSocket());
    }

    @Override
    public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
      return noDelay(base.createSocket(host, port));
    }

    @Override
    public java.net.Socket createSocket(
        String host, int port, java.net.InetAddress local, int localPort)
        throws java.io.IOException {
      return noDelay(base.createSocket(host, port, local, localPort));
    }

    @Override
    public java.net.Socket createSocket(java.net.InetAddress host, int port)
        throws java.io.IOException {
      return noDelay(base.createSocket(host, port));
    }

    @Override
    public java.net.Socket createSocket(
        java.net.InetAddress address, int port, java.net.InetAddress local, int localPort)
        throws java.io.IOException {
      return noDelay(base.createSocket(address, port, local, localPort));
    }
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

  // ---------------------------------------------------------------- the raw SDK

  static final class SdkPeer implements Peer {
    private final AsyncSession session;
    private final boolean chained;
    // Caller thread only (the benchmarks send from one thread per peer at a time).
    private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

    private SdkPeer(AsyncSession session, boolean chained) {
      this.session = session;
      this.chained = chained;
    }

    static CompletableFuture<SdkPeer> connectAsync(
        Client client, Sink sink, boolean chained, boolean answerTools) {
      LiveConnectConfig config =
          LiveConnectConfig.builder().responseModalities(Modality.Known.AUDIO).build();
      CompletableFuture<SdkPeer> result = new CompletableFuture<>();
      // receive() is registered in a stage attached at once (SDK-GAPS Q3), so no frame is lost.
      client
          .async
          .live
          .connect(MODEL, config)
          .thenAccept(
              s -> {
                s.receive(m -> onMessage(s, m, sink, answerTools));
                result.complete(new SdkPeer(s, chained));
              })
          .exceptionally(
              e -> {
                result.completeExceptionally(e);
                return null;
              });
      return result;
    }

    static SdkPeer connect(Client client, Sink sink, boolean chained, boolean answerTools)
        throws Exception {
      return connectAsync(client, sink, chained, answerTools).get(10, TimeUnit.SECONDS);
    }

    private static void onMessage(
        AsyncSession s, LiveServerMessage m, Sink sink, boolean answerTools) {
      m.serverContent()
          .ifPresent(
              c -> {
                c.modelTurn()
                    .flatMap(t -> t.parts())
                    .ifPresent(
                        parts -> {
                          for (Part p : parts) {
                            p.inlineData().flatMap(Blob::data).ifPresent(sink::onAudio);
                          }
                        });
                if (c.turnComplete().orElse(false)) {
                  sink.onTurnComplete();
                }
              });
      if (answerTools) {
        m.toolCall()
            .flatMap(t -> t.functionCalls())
            .ifPresent(
                calls -> {
                  for (FunctionCall call : calls) {
                    Object x = call.args().map(a -> a.get("x")).orElse("");
                    s.sendToolResponse(
                        LiveSendToolResponseParameters.builder()
                            .functionResponses(
                                FunctionResponse.builder()
                                    .id(call.id().orElse(""))
                                    .name(call.name().orElse(""))
                                    .response(Map.of("result", String.valueOf(x))))
                            .build());
                  }
                });
      }
      sink.onFrame();
    }

    @Override
    public void sendAudio(byte[] pcm) {
      LiveSendRealtimeInputParameters p =
          LiveSendRealtimeInputParameters.builder()
              .audio(Blob.builder().data(pcm).mimeType("audio/pcm;rate=16000").build())
              .build();
      if (chained) {
        last = last.thenCompose(v -> session.sendRealtimeInput(p));
      } else {
        session.sendRealtimeInput(p);
      }
    }

    @Override
    public void sendText(String text) {
      LiveSendRealtimeInputParameters p =
          LiveSendRealtimeInputParameters.builder().text(text).build();
      if (chained) {
        last = last.thenCompose(v -> session.sendRealtimeInput(p));
      } else {
        session.sendRealtimeInput(p);
      }
    }

    @Override
    public void close() {
      session.close();
    }
  }

  // ---------------------------------------------------------------- raw OkHttp

  static final class OkHttpPeer extends WebSocketListener implements Peer {
    private final Sink sink;
    private final boolean answerTools;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile WebSocket ws;
    private volatile boolean setupDone;

    private OkHttpPeer(Sink sink, boolean answerTools) {
      this.sink = sink;
      this.answerTools = answerTools;
    }

    static OkHttpPeer connect(FakeLiveServer server, OkHttpClient http, Sink sink, boolean tools)
        throws InterruptedException {
      return connect(Target.of(server), http, sink, tools);
    }

    static OkHttpPeer connect(Target target, OkHttpClient http, Sink sink, boolean tools)
        throws InterruptedException {
      OkHttpPeer peer = new OkHttpPeer(sink, tools);
      Request request =
          new Request.Builder()
              .url(target.webSocketUrl())
              .header("x-goog-api-key", target.apiKey())
              .build();
      peer.ws = http.newWebSocket(request, peer);
      if (!peer.ready.await(30, TimeUnit.SECONDS)) {
        peer.ws.cancel();
        throw new IllegalStateException("raw OkHttp setup timed out");
      }
      return peer;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      webSocket.send(
          "{\"setup\":{\"model\":\"models/"
              + MODEL
              + "\",\"generationConfig\":{\"responseModalities\":[\"AUDIO\"]}}}");
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
      onMessage(webSocket, bytes.utf8());
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      if (!setupDone) {
        if (text.contains("setupComplete")) {
          setupDone = true;
          ready.countDown();
        }
        return;
      }
      JsonNode root = deliverAudio(text, sink);
      if (root == null) {
        return;
      }
      JsonNode content = root.path("serverContent");
      if (content.path("turnComplete").asBoolean(false)) {
        sink.onTurnComplete();
      }
      if (answerTools) {
        for (JsonNode call : root.path("toolCall").path("functionCalls")) {
          var out = JSON.createObjectNode();
          var r = out.putObject("toolResponse").putArray("functionResponses").addObject();
          r.put("id", call.path("id").asText());
          r.put("name", call.path("name").asText());
          r.putObject("response").put("result", call.path("args").path("x").asText());
          webSocket.send(out.toString());
        }
      }
      sink.onFrame();
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      webSocket.close(code, null);
    }

    @Override
    public void sendAudio(byte[] pcm) {
      ws.send(Pcm.audioFrame(pcm));
    }

    @Override
    public void sendText(String text) {
      var out = JSON.createObjectNode();
      out.putObject("realtimeInput").put("text", text);
      ws.send(out.toString());
    }

    @Override
    public void close() {
      ws.close(1000, null);
    }
  }

  static List<String> kinds() {
    return List.of("library", "sdk", "okhttp");
  }
}
