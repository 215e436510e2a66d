package dev.geminilive.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.testkit.FakeLiveServer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * Raw OkHttp as a compared client: one WebSocket speaking the Live protocol by hand, the baseline
 * of most sections. Thread-safe for sends (OkHttp queues them); frames arrive on the socket's
 * reader thread.
 */
final class OkHttpPeer extends WebSocketListener implements Peers.Peer {
  private final Peers.Sink sink;
  private final boolean answerTools;
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile WebSocket ws;
  private volatile boolean setupDone;

  private OkHttpPeer(Peers.Sink sink, boolean answerTools) {
    this.sink = sink;
    this.answerTools = answerTools;
  }

  static OkHttpPeer connect(
      FakeLiveServer server, OkHttpClient http, Peers.Sink sink, boolean tools)
      throws InterruptedException {
    return connect(Peers.Target.of(server), http, sink, tools);
  }

  static OkHttpPeer connect(Peers.Target target, OkHttpClient http, Peers.Sink sink, boolean tools)
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
            + Peers.MODEL
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
    JsonNode root = Peers.deliverAudio(text, sink);
    if (root == null) {
      return;
    }
    JsonNode content = root.path("serverContent");
    if (content.path("turnComplete").asBoolean(false)) {
      sink.onTurnComplete();
    }
    if (answerTools) {
      for (JsonNode call : root.path("toolCall").path("functionCalls")) {
        var out = Peers.JSON.createObjectNode();
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
    var out = Peers.JSON.createObjectNode();
    out.putObject("realtimeInput").put("text", text);
    ws.send(out.toString());
  }

  @Override
  public void close() {
    ws.close(1000, null);
  }
}
