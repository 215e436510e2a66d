package dev.geminilive.examples.phone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminilive.audio.G711;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for Twilio: opens a media stream to a {@link PhoneBridge} and plays the caller's side
 * of the protocol ({@code connected}, {@code start}, {@code media} every 20 ms, {@code stop}),
 * keeping every message the bridge sends back.
 *
 * <p>Thread-safe: OkHttp's reader thread fills the queue, the caller's thread sends and takes.
 */
final class TwilioCaller implements AutoCloseable {
  /** Samples in one 20 ms media frame at 8 kHz. */
  static final int FRAME_SAMPLES = 160;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final OkHttpClient client;
  private final WebSocket socket;
  private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> opened = new CompletableFuture<>();
  private final String streamSid;
  private int sequence = 1;
  private int chunk = 1;

  private TwilioCaller(URI uri, String streamSid) {
    this.streamSid = streamSid;
    // Daemon threads (OkHttp's default dispatcher pool is not), released by close().
    this.client =
        new OkHttpClient.Builder()
            .dispatcher(
                new Dispatcher(
                    Executors.newCachedThreadPool(
                        r -> {
                          Thread t = new Thread(r, "twilio-caller");
                          t.setDaemon(true);
                          return t;
                        })))
            .build();
    this.socket =
        client.newWebSocket(
            new Request.Builder().url(uri.toString()).build(),
            new WebSocketListener() {
              @Override
              public void onOpen(WebSocket webSocket, Response response) {
                opened.complete(null);
              }

              @Override
              public void onMessage(WebSocket webSocket, String text) {
                try {
                  received.add(JSON.readTree(text));
                } catch (IOException e) {
                  received.add(JSON.createObjectNode().put("event", "not-json").put("text", text));
                }
              }

              @Override
              public void onClosing(WebSocket webSocket, int code, String reason) {
                received.add(
                    JSON.createObjectNode()
                        .put("event", "closed")
                        .put("code", code)
                        .put("reason", reason));
                webSocket.close(1000, null);
              }

              @Override
              public void onFailure(WebSocket webSocket, Throwable t, @Nullable Response response) {
                opened.completeExceptionally(t);
                received.add(
                    JSON.createObjectNode()
                        .put("event", "failed")
                        .put("reason", String.valueOf(t)));
              }
            });
  }

  /** Connects and sends {@code connected} and {@code start} for an 8 kHz mu-law stream. */
  static TwilioCaller dial(URI bridge, String streamSid) throws InterruptedException {
    return dial(bridge, streamSid, PhoneCall.MU_LAW, PhoneCall.TELEPHONY_RATE_HZ);
  }

  /** Like {@link #dial(URI, String)} with another media format in {@code start}. */
  static TwilioCaller dial(URI bridge, String streamSid, String encoding, int sampleRateHz)
      throws InterruptedException {
    TwilioCaller caller = new TwilioCaller(bridge, streamSid);
    try {
      caller.opened.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      caller.close();
      throw new IllegalStateException("Could not open a media stream to " + bridge, e);
    }
    caller.send(
        JSON.createObjectNode()
            .put("event", "connected")
            .put("protocol", "Call")
            .put("version", "1.0.0"));
    ObjectNode start = caller.message("start");
    ObjectNode body = start.putObject("start");
    body.put("streamSid", streamSid).put("accountSid", "AC-demo").put("callSid", "CA-demo");
    body.putArray("tracks").add("inbound");
    body.putObject("mediaFormat")
        .put("encoding", encoding)
        .put("sampleRate", sampleRateHz)
        .put("channels", 1);
    caller.send(start);
    return caller;
  }

  /** Sends 8 kHz PCM as mu-law {@code media} events of 20 ms (the last one padded). */
  void speak(short[] pcm8k) {
    for (int at = 0; at < pcm8k.length; at += FRAME_SAMPLES) {
      short[] frame = Arrays.copyOfRange(pcm8k, at, at + FRAME_SAMPLES); // zero-padded at the end
      ObjectNode media = message("media");
      media
          .putObject("media")
          .put("track", "inbound")
          .put("chunk", Integer.toString(chunk))
          .put("timestamp", Integer.toString((chunk - 1) * 20))
          .put("payload", Base64.getEncoder().encodeToString(G711.encodeMuLaw(frame)));
      chunk++;
      send(media);
    }
  }

  /** Sends {@code stop}: the caller hung up. */
  void hangUp() {
    ObjectNode stop = message("stop");
    stop.putObject("stop").put("callSid", "CA-demo");
    send(stop);
  }

  /** The next message from the bridge, or null if none arrives within {@code timeout}. */
  @Nullable JsonNode next(Duration timeout) throws InterruptedException {
    return received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    socket.close(1000, "bye");
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  /**
   * {@code duration} of a speech-like test signal at 8 kHz: a 300 Hz tone with a 4 Hz syllable
   * envelope, loud enough for any energy detector.
   */
  static short[] voice(Duration duration) {
    int n = (int) (duration.toMillis() * PhoneCall.TELEPHONY_RATE_HZ / 1000);
    short[] out = new short[n];
    for (int i = 0; i < n; i++) {
      double t = (double) i / PhoneCall.TELEPHONY_RATE_HZ;
      out[i] =
          (short)
              (8000
                  * (0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t))
                  * Math.sin(2 * Math.PI * 300 * t));
    }
    return out;
  }

  /** {@code duration} of silence at 8 kHz. */
  static short[] silence(Duration duration) {
    return new short[(int) (duration.toMillis() * PhoneCall.TELEPHONY_RATE_HZ / 1000)];
  }

  private ObjectNode message(String event) {
    ObjectNode json = JSON.createObjectNode();
    json.put("event", event);
    json.put("sequenceNumber", Integer.toString(sequence++));
    json.put("streamSid", streamSid);
    return json;
  }

  private void send(ObjectNode json) {
    if (!socket.send(json.toString())) {
      throw new IllegalStateException("The media stream is closed");
    }
  }
}
