package dev.geminilive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A frame's marks while its sender is inside {@link Connection#send}: the race the queue's lock
 * used to close by making the socket's thread wait for the sender. The sender is held inside the
 * send by a latch; the socket's thread is a thread of the test.
 */
class OutboundQueueMarksTest {
  private static final long TIMEOUT_SECONDS = 30;

  private final ExecutorService sender = Executors.newSingleThreadExecutor(daemon("sender"));
  private final ExecutorService socketThread = Executors.newSingleThreadExecutor(daemon("socket"));

  @AfterEach
  void stop() {
    sender.shutdownNow();
    socketThread.shutdownNow();
  }

  /**
   * A socket that holds the sender of one frame inside {@code send} until released, and then
   * accepts or refuses it.
   */
  private static final class HeldSocket extends StubConnection {
    final String held;
    final boolean accept;
    final CountDownLatch inside = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<String> frames = new ArrayList<>();

    HeldSocket(String held, boolean accept) {
      this.held = held;
      this.accept = accept;
    }

    @Override
    public boolean send(String json) {
      if (json.equals(held)) {
        inside.countDown();
        try {
          release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (!accept) {
          return false;
        }
      }
      synchronized (frames) {
        frames.add(json);
      }
      return true;
    }
  }

  private static Outgoing text(String s) {
    return new Outgoing(Outgoing.Kind.TEXT, Frames.text(s), true, Set.of(), 0, 0);
  }

  private static Outgoing audio() {
    return new Outgoing(
        Outgoing.Kind.AUDIO, Frames.audio(new byte[64], 0, 64), false, Set.of(), 0, 0);
  }

  private static OutboundQueue resumable() {
    return new OutboundQueue(true, false, 64L << 20, Long.MAX_VALUE / 4);
  }

  /** The marks a frame arriving now gets, taken on the test's socket thread. */
  private OutboundQueue.Marks marksOnTheSocketThread(OutboundQueue queue) throws Exception {
    return CompletableFuture.supplyAsync(queue::marks, socketThread)
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void aReplyArrivingWhileItsSenderIsInsideTheSendCountsTheMessageWithoutWaitingForTheSender()
      throws Exception {
    OutboundQueue queue = resumable();
    Outgoing question = text("what time is it?");
    HeldSocket socket = new HeldSocket(question.json, true);
    queue.install(socket, 0, first -> null);
    queue.enqueue(audio(), 0);
    queue.enqueue(audio(), 0);

    CompletableFuture<Void> sent =
        CompletableFuture.runAsync(() -> queue.enqueue(question, 0), sender);
    assertThat(socket.inside.await(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .as("the sender reached the socket's send")
        .isTrue();

    // The sender is inside Connection.send: the service may have the question, and its reply can
    // arrive now. The socket's thread must not wait for the sender, and must count the question.
    OutboundQueue.Marks marks = marksOnTheSocketThread(queue);
    boolean terminal =
        CompletableFuture.supplyAsync(queue::isTerminal, socketThread)
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThat(sent).as("the sender is still held inside the send").isNotDone();
    assertThat(question.index).isEqualTo(2);
    assertThat(marks.sent())
        .as("a reply arriving during the send counts the message being sent")
        .isEqualTo(question.index);
    assertThat(marks.sentRequest())
        .as("and counts it as the newest request, which its reply answers")
        .isEqualTo(question.index);
    assertThat(terminal).isFalse();

    socket.release.countDown();
    sent.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThat(question.future).isCompleted();
    assertThat(queue.coverThrough(marks.sent()))
        .as("the message was handed over: a handle may cover it")
        .isEqualTo(question.index);
    assertThat(queue.size()).as("every replay copy covered").isZero();
  }

  @Test
  void aRequestCountedWhileItsSendWasInFlightButRefusedIsNotCoveredByAHandleAndIsReplayed()
      throws Exception {
    OutboundQueue queue = resumable();
    Outgoing question = text("still there?");
    HeldSocket refusing = new HeldSocket(question.json, false);
    queue.install(refusing, 0, first -> null);
    Outgoing before = audio();
    queue.enqueue(before, 0);

    CompletableFuture<Void> sent =
        CompletableFuture.runAsync(() -> queue.enqueue(question, 0), sender);
    assertThat(refusing.inside.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    // A reply that began while the hand-over was in flight counts the question as maybe seen...
    OutboundQueue.Marks marks = marksOnTheSocketThread(queue);
    assertThat(marks.sent()).isEqualTo(question.index);
    refusing.release.countDown();
    sent.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThat(question.future).as("refused: it waits for the next connection").isNotDone();

    // ...but the socket refused it, so a handle on this connection must not cover it.
    assertThat(queue.coverThrough(marks.sent()))
        .as("a handle covers only what a connection took")
        .isEqualTo(before.index);

    queue.detach();
    HeldSocket next = new HeldSocket("nothing is held", true);
    queue.install(next, 0, first -> null);
    assertThat(next.frames).as("the refused question goes on the next connection").hasSize(1);
    assertThat(next.frames.get(0)).isEqualTo(question.json);
    assertThat(question.future).isCompleted();
    assertThat(queue.size()).as("and its replay copy is kept until a handle covers it").isOne();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, "marks-test-" + name);
      t.setDaemon(true);
      return t;
    };
  }
}
