package dev.geminilive.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * {@code java.net.http.WebSocket}: non-blocking, all sockets served by the HttpClient's one
 * selector thread and a small shared executor, so it shows what a transport without a reader thread
 * per socket gives. The JDK allows one outstanding send per WebSocket, so sends are queued here and
 * chained.
 */
final class JdkPeer implements Peers.Peer, java.net.http.WebSocket.Listener {
  private final Peers.Sink sink;
  private final CompletableFuture<JdkPeer> ready = new CompletableFuture<>();
  private final java.util.ArrayDeque<String> queue = new java.util.ArrayDeque<>();
  private final StringBuilder text = new StringBuilder();
  private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
  private volatile java.net.http.WebSocket ws;
  private boolean sending; // guarded by queue
  private volatile boolean setupDone;

  private JdkPeer(Peers.Sink sink) {
    this.sink = sink;
  }

  /** One client for many sockets, as a non-blocking application would share it. */
  static java.net.http.HttpClient client(Peers.Target target) {
    java.net.http.HttpClient.Builder b =
        java.net.http.HttpClient.newBuilder()
            .executor(
                Executors.newFixedThreadPool(
                    Runtime.getRuntime().availableProcessors(),
                    r -> {
                      Thread t = new Thread(r, "jdk-websocket");
                      t.setDaemon(true);
                      return t;
                    }));
    if (target.tls() != null) {
      b.sslContext(target.tls());
    }
    return b.build();
  }

  static CompletableFuture<JdkPeer> connectAsync(
      java.net.http.HttpClient client, Peers.Target target, Peers.Sink sink) {
    JdkPeer peer = new JdkPeer(sink);
    client
        .newWebSocketBuilder()
        .header("x-goog-api-key", target.apiKey())
        .connectTimeout(Duration.ofSeconds(30))
        .buildAsync(java.net.URI.create(target.webSocketUrl()), peer)
        .whenComplete(
            (w, e) -> {
              if (e != null) {
                peer.ready.completeExceptionally(e);
              }
            });
    return peer.ready;
  }

  @Override
  public void onOpen(java.net.http.WebSocket webSocket) {
    ws = webSocket;
    webSocket.request(1);
    enqueue(
        "{\"setup\":{\"model\":\"models/"
            + Peers.MODEL
            + "\",\"generationConfig\":{\"responseModalities\":[\"AUDIO\"]}}}");
  }

  @Override
  public java.util.concurrent.CompletionStage<?> onText(
      java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      onMessage(text.toString());
      text.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public java.util.concurrent.CompletionStage<?> onBinary(
      java.net.http.WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
    byte[] chunk = new byte[data.remaining()];
    data.get(chunk);
    binary.writeBytes(chunk);
    if (last) {
      onMessage(binary.toString(java.nio.charset.StandardCharsets.UTF_8));
      binary = new java.io.ByteArrayOutputStream();
    }
    webSocket.request(1);
    return null;
  }

  private void onMessage(String message) {
    if (!setupDone) {
      if (message.contains("setupComplete")) {
        setupDone = true;
        ready.complete(this);
      }
      return;
    }
    com.fasterxml.jackson.databind.JsonNode root = Peers.deliverAudio(message, sink);
    if (root != null) {
      sink.onFrame();
      if (root.path("serverContent").path("turnComplete").asBoolean(false)) {
        sink.onTurnComplete();
      }
    }
  }

  @Override
  public void onError(java.net.http.WebSocket webSocket, Throwable error) {
    ready.completeExceptionally(error);
  }

  private void enqueue(String message) {
    synchronized (queue) {
      if (sending) {
        queue.add(message);
        return;
      }
      sending = true;
    }
    send(message);
  }

  private void send(String message) {
    ws.sendText(message, true)
        .whenComplete(
            (w, e) -> {
              String next;
              synchronized (queue) {
                next = e == null ? queue.poll() : null;
                if (next == null) {
                  sending = false;
                  return;
                }
              }
              send(next);
            });
  }

  @Override
  public void sendAudio(byte[] pcm) {
    enqueue(Pcm.audioFrame(pcm));
  }

  @Override
  public void sendText(String t) {
    var out = Peers.JSON.createObjectNode();
    out.putObject("realtimeInput").put("text", t);
    enqueue(out.toString());
  }

  @Override
  public void close() {
    java.net.http.WebSocket w = ws;
    if (w != null) {
      w.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "");
    }
  }
}
