package dev.geminilive.testkit;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/** A plain OkHttp WebSocket client that sees close codes, failures and HTTP status codes. */
final class RawWebSocket extends WebSocketListener {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  final CompletableFuture<String> closed = new CompletableFuture<>();
  final CompletableFuture<Throwable> failure = new CompletableFuture<>();
  volatile int failureHttpStatus = -1;
  final WebSocket webSocket;

  private RawWebSocket(OkHttpClient client, Request request) {
    this.webSocket = client.newWebSocket(request, this);
  }

  static RawWebSocket open(FakeLiveServer server, String pathAndQuery, String... headers) {
    return open(server.okHttpClient(), server, pathAndQuery, headers);
  }

  static RawWebSocket open(
      OkHttpClient client, FakeLiveServer server, String pathAndQuery, String... headers) {
    Request.Builder b = new Request.Builder().url(server.baseUrl() + pathAndQuery);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return new RawWebSocket(client, b.build());
  }

  /** Opens the API-key path (v1beta) with the server's key in the header. */
  static RawWebSocket openWithKey(FakeLiveServer server) {
    return open(server, path("v1beta", false), "x-goog-api-key", server.apiKey());
  }

  static String path(String version, boolean constrained) {
    return "/ws/google.ai.generativelanguage."
        + version
        + ".GenerativeService.BidiGenerateContent"
        + (constrained ? "Constrained" : "");
  }

  static String setup(String model) {
    return "{\"setup\":{\"model\":\"models/" + model + "\",\"sessionResumption\":{}}}";
  }

  RawWebSocket send(String text) {
    webSocket.send(text);
    return this;
  }

  String take() throws InterruptedException {
    String m = messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (m == null) {
      throw new AssertionError("No message within " + TIMEOUT);
    }
    return m;
  }

  /** Returns messages until one contains {@code fragment}; that one is returned. */
  String takeUntil(String fragment) throws InterruptedException {
    while (true) {
      String m = take();
      if (m.contains(fragment)) {
        return m;
      }
    }
  }

  /** Returns "code reason" of the server's close frame. */
  String awaitClose() throws Exception {
    return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  Throwable awaitFailure() throws Exception {
    return failure.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void onMessage(WebSocket ws, String text) {
    messages.add(text);
  }

  @Override
  public void onMessage(WebSocket ws, ByteString bytes) {
    messages.add(bytes.utf8());
  }

  @Override
  public void onClosing(WebSocket ws, int code, String reason) {
    closed.complete(code + " " + reason);
    ws.close(1000, null);
  }

  @Override
  public void onFailure(WebSocket ws, Throwable t, Response response) {
    if (response != null) {
      failureHttpStatus = response.code();
    }
    failure.complete(t);
    closed.complete("failure " + t);
  }
}
