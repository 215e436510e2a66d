package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * What the JDK transport does that OkHttp does for itself: frames the JDK delivers in parts are put
 * back together, sends wait for the one in flight, and the send queue has OkHttp's bound. Driven
 * through a {@link WebSocket} that behaves as the JDK's does (a second text while one is in flight
 * is refused with {@code IllegalStateException}; nothing is read until it is requested).
 */
class JdkConnectionTest {
  private static final String SETUP_COMPLETE = "{\"setupComplete\":{\"sessionId\":\"s-1\"}}";

  private final RecordingHandler handler = new RecordingHandler();
  private final JdkWebSocket socket = new JdkWebSocket();
  private final JdkConnection connection =
      new JdkConnection(
          new ConnectRequest(
              "ws://127.0.0.1:1/ws",
              Map.of(),
              "{\"setup\":{}}",
              Duration.ofSeconds(30),
              Duration.ZERO,
              1,
              new SessionThreads("jdk-test")),
          handler,
          new QueuedScheduler());

  private void openAndSetUp() {
    connection.onOpen(socket);
    socket.writeAll();
    connection.onText(socket, SETUP_COMPLETE, true);
    assertThat(connection.ready).isCompleted();
  }

  @Test
  void aTextFrameDeliveredInPartsReachesTheSessionWhole() {
    openAndSetUp();
    connection.onText(socket, "{\"serverContent\":", false);
    connection.onText(socket, "{\"modelTurn\":{\"parts\":[{\"text\":\"hel", false);
    assertThat(handler.messages).isEmpty();
    connection.onText(socket, "lo\"}]}}}", true);
    connection.onText(socket, "{\"b\":2}", true);
    assertThat(handler.messages)
        .containsExactly(
            "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"text\":\"hello\"}]}}}", "{\"b\":2}");
  }

  @Test
  void aBinaryFrameSplitInsideACharacterIsDecodedWhenWhole() {
    openAndSetUp();
    byte[] json = "{\"text\":\"Grüße, 東京\"}".getBytes(StandardCharsets.UTF_8);
    // Split inside the three bytes of 東.
    int cut = new String(json, StandardCharsets.ISO_8859_1).indexOf('\u00e6') + 1;
    connection.onBinary(socket, ByteBuffer.wrap(json, 0, cut), false);
    connection.onBinary(socket, ByteBuffer.wrap(json, cut, json.length - cut), true);
    assertThat(handler.messages).containsExactly("{\"text\":\"Grüße, 東京\"}");
  }

  @Test
  void eachFrameAsksForTheNextOnlyAfterItWasHandedOn() {
    connection.onOpen(socket);
    assertThat(socket.requested).isEqualTo(1);
    connection.onText(socket, SETUP_COMPLETE, true);
    assertThat(handler.readyBeforeFrames).isTrue();
    assertThat(socket.requested).isEqualTo(2);
    connection.onText(socket, "{\"a\":", false);
    connection.onText(socket, "1}", true);
    assertThat(socket.requested).isEqualTo(4);
  }

  @Test
  void aSendWhileOneIsInFlightWaitsForItAndTheyGoOutInOrder() {
    openAndSetUp();
    assertThat(connection.send("{\"n\":1}")).isTrue();
    assertThat(connection.send("{\"n\":2}")).isTrue();
    assertThat(connection.send("{\"n\":3}")).isTrue();
    // The JDK has the first; the others wait in the connection's queue, counted.
    assertThat(socket.written).containsExactly("{\"setup\":{}}");
    assertThat(socket.inFlight).isEqualTo("{\"n\":1}");
    assertThat(connection.queueSize()).isEqualTo(3 * "{\"n\":1}".length());
    socket.writeAll();
    assertThat(socket.written)
        .containsExactly("{\"setup\":{}}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
    assertThat(socket.refusedSends).isZero();
    assertThat(connection.queueSize()).isZero();
  }

  @Test
  void framesQueuedBeforeTheSocketOpenedGoFirstAndInOrder() {
    assertThat(connection.send("{\"n\":1}")).isTrue();
    assertThat(connection.send("{\"n\":2}")).isTrue();
    assertThat(socket.written).isEmpty();
    // The socket opens; the setup frame is sent before the queue is kicked: it must not pass them.
    connection.onOpen(socket);
    connection.opened(socket);
    socket.writeAll();
    assertThat(connection.send("{\"n\":3}")).isTrue();
    socket.writeAll();
    assertThat(socket.written)
        .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"setup\":{}}", "{\"n\":3}");
    assertThat(socket.refusedSends).isZero();
    assertThat(connection.queueSize()).isZero();
  }

  @Test
  void writesThatCompleteAtOnceLeaveNothingQueuedAndKeepTheOrder() {
    openAndSetUp();
    socket.immediate = true;
    for (int i = 0; i < 5; i++) {
      assertThat(connection.send("{\"n\":" + i + "}")).isTrue();
      assertThat(connection.queueSize()).isZero();
    }
    connection.close(1000, "bye");
    assertThat(socket.written)
        .containsExactly(
            "{\"setup\":{}}", "{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
    assertThat(socket.closeCode).isEqualTo(1000);
    assertThat(socket.refusedSends).isZero();
  }

  @Test
  void aFrameBeyondTheQueueBoundIsRefusedAndTheSocketClosedAfterWhatIsQueued() {
    openAndSetUp();
    String big = "x".repeat((int) (JdkSendQueue.MAX_QUEUE_BYTES / 2));
    assertThat(connection.send(big)).isTrue();
    assertThat(connection.send(big)).isTrue();
    assertThat(connection.send("{\"one\":\"too many\"}")).isFalse();
    assertThat(connection.send("{\"after\":1}")).isFalse();
    socket.writeAll();
    assertThat(socket.written).containsExactly("{\"setup\":{}}", big, big);
    assertThat(socket.closeCode).isEqualTo(1001);
  }

  @Test
  void aCloseFromTheServiceIsReportedOnceWithItsCodeAndReason() {
    openAndSetUp();
    connection.onClose(socket, 1011, "Internal error encountered.");
    connection.onError(socket, new java.io.IOException("late"));
    assertThat(handler.closes).containsExactly("1011 Internal error encountered.");
    assertThat(connection.send("{}")).isFalse();
  }

  @Test
  void anEndWithoutACloseFrameIsReportedAsCodeZero() {
    openAndSetUp();
    connection.onClose(socket, 1006, "");
    assertThat(handler.closes).containsExactly("0 ");
  }

  @Test
  void aFrameIsHandedOnUnderTheWorkersOwnNameWhileTheConnectionsEndCarriesTheSessions() {
    openAndSetUp();
    String own = Thread.currentThread().getName();
    connection.onText(socket, "{\"a\":1}", true);
    connection.onBinary(
        socket, ByteBuffer.wrap("{\"b\":2}".getBytes(StandardCharsets.UTF_8)), true);
    assertThat(handler.messageThreads).containsExactly(own, own);
    connection.onClose(socket, 1000, "");
    assertThat(handler.closeThreads).containsExactly("jdk-test-socket-1");
    assertThat(Thread.currentThread().getName()).isEqualTo(own);
  }

  /** Records what the connection hands on, and the name of the thread it was handed on from. */
  private static final class RecordingHandler implements Connection.Handler {
    final List<String> messages = new ArrayList<>();
    final List<String> messageThreads = new ArrayList<>();
    final List<String> closes = new ArrayList<>();
    final List<String> closeThreads = new ArrayList<>();
    boolean readyBeforeFrames;

    @Override
    public void onReady(Connection connection) {
      readyBeforeFrames = messages.isEmpty();
    }

    @Override
    public void onMessage(Connection connection, String json) {
      messages.add(json);
      messageThreads.add(Thread.currentThread().getName());
    }

    @Override
    public void onClosed(
        Connection connection, int code, String reason, @Nullable Throwable failure) {
      closes.add(code + " " + reason);
      closeThreads.add(Thread.currentThread().getName());
    }
  }

  /** A WebSocket with the JDK's rules for sends, written when the test says. */
  private static final class JdkWebSocket implements WebSocket {
    final List<String> written = new ArrayList<>();
    @Nullable String inFlight;
    @Nullable CompletableFuture<WebSocket> inFlightFuture;
    int refusedSends;
    long requested;
    int closeCode = -1;
    boolean aborted;
    // Whether a send is written as it is made (its future complete on return), as the JDK's often
    // is.
    boolean immediate;

    /** Writes the send in flight, and each that the connection gives next. */
    void writeAll() {
      while (inFlightFuture != null) {
        CompletableFuture<WebSocket> f = inFlightFuture;
        written.add(inFlight);
        inFlight = null;
        inFlightFuture = null;
        f.complete(this);
      }
    }

    @Override
    public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
      if (inFlightFuture != null) {
        refusedSends++;
        return CompletableFuture.failedFuture(new IllegalStateException("Send pending"));
      }
      if (immediate) {
        written.add(data.toString());
        return CompletableFuture.completedFuture(this);
      }
      inFlight = data.toString();
      inFlightFuture = new CompletableFuture<>();
      return inFlightFuture;
    }

    @Override
    public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
      closeCode = statusCode;
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public void request(long n) {
      requested += n;
    }

    @Override
    public String getSubprotocol() {
      return "";
    }

    @Override
    public boolean isOutputClosed() {
      return closeCode >= 0 || aborted;
    }

    @Override
    public boolean isInputClosed() {
      return aborted;
    }

    @Override
    public void abort() {
      aborted = true;
    }
  }
}
