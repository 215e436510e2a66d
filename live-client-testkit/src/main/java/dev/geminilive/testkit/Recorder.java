package dev.geminilive.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Every message clients sent to one {@link FakeLiveServer}, in arrival order, across all
 * connections.
 *
 * <p>Get it from {@link FakeLiveServer#recorder()}. Thread-safe: the server appends on its own
 * thread while tests read; every query returns an immutable snapshot (plain lists, so AssertJ's
 * list assertions apply). Lives as long as its server; {@link #clear()} forgets what was recorded.
 *
 * <pre>{@code
 * assertThat(server.recorder().setups()).hasSize(1);
 * assertThat(server.recorder().ofKind(MessageKind.REALTIME_TEXT))
 *     .extracting(RecordedMessage::text).containsExactly("hello");
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Recorder {
  private final List<RecordedMessage> messages = new ArrayList<>();
  private final LinkedBlockingQueue<RecordedMessage> pending = new LinkedBlockingQueue<>();

  Recorder() {}

  synchronized void add(RecordedMessage message) {
    messages.add(message);
    pending.add(message);
    notifyAll();
  }

  /**
   * Waits until at least {@code count} messages of {@code kind} were recorded and returns them: for
   * assertions on what the client sent that must not race the server thread recording it.
   *
   * @param kind the kind to count
   * @param count how many to wait for
   * @param timeout the longest to wait
   * @return a snapshot of the messages of that kind, at least {@code count} long
   * @throws AssertionError if fewer arrive within {@code timeout}
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public synchronized List<RecordedMessage> awaitOfKind(
      MessageKind kind, int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<RecordedMessage> matching = ofKind(kind);
      if (matching.size() >= count) {
        return matching;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "Expected "
                + count
                + " "
                + kind
                + " message(s) within "
                + timeout
                + ", got "
                + matching.size());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /**
   * Waits until {@code condition} holds for this recorder: it is tested now and again each time a
   * message is recorded (no polling), so it may look at anything the recorder answers (counts,
   * kinds, contents). For waits such as "the server has received both turns" before asserting on
   * them.
   *
   * <pre>{@code
   * server.recorder().awaitUntil("two texts", Duration.ofSeconds(5),
   *     r -> r.ofKind(MessageKind.REALTIME_TEXT).size() == 2);
   * }</pre>
   *
   * @param what a description of the awaited state, for the failure message
   * @param timeout the longest to wait
   * @param condition the state to wait for; called with this recorder's lock held, so it must not
   *     block
   * @throws AssertionError if the condition does not hold within {@code timeout}
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public synchronized void awaitUntil(
      String what, Duration timeout, Predicate<? super Recorder> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.test(this)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "Expected "
                + what
                + " within "
                + timeout
                + "; recorded "
                + messages.size()
                + " message(s): "
                + this);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Takes the oldest message not yet taken, waiting up to {@code timeout}; null on timeout. */
  @Nullable RecordedMessage poll(Duration timeout) throws InterruptedException {
    return pending.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Returns every recorded message, oldest first.
   *
   * @return a snapshot of the messages
   */
  public synchronized List<RecordedMessage> all() {
    return List.copyOf(messages);
  }

  /**
   * Returns the recorded messages of the given kinds, oldest first.
   *
   * @param first a kind to include
   * @param more further kinds to include
   * @return a snapshot of the matching messages
   */
  public synchronized List<RecordedMessage> ofKind(MessageKind first, MessageKind... more) {
    Set<MessageKind> kinds = EnumSet.of(first, more);
    return messages.stream().filter(m -> kinds.contains(m.kind())).toList();
  }

  /**
   * Returns the recorded messages of connection {@code connectionIndex}, oldest first.
   *
   * @param connectionIndex the connection index, from 0
   * @return a snapshot of the matching messages
   */
  public synchronized List<RecordedMessage> ofConnection(int connectionIndex) {
    return messages.stream().filter(m -> m.connectionIndex() == connectionIndex).toList();
  }

  /**
   * Returns the {@code setup} objects (camelCase) of all connections, oldest first.
   *
   * @return a snapshot of the setups
   */
  public synchronized List<JsonNode> setups() {
    return messages.stream()
        .filter(m -> m.kind() == MessageKind.SETUP)
        .map(RecordedMessage::setup)
        .toList();
  }

  /**
   * Returns all audio received (realtime audio and audio media chunks) concatenated.
   *
   * @return a new array with the audio bytes
   */
  public synchronized byte[] audioBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    messages.forEach(m -> out.writeBytes(m.audioBytes()));
    return out.toByteArray();
  }

  /**
   * Returns the number of recorded messages.
   *
   * @return the message count
   */
  public synchronized int size() {
    return messages.size();
  }

  /** Forgets every recorded message (the server's blocking queue is cleared too). */
  public synchronized void clear() {
    messages.clear();
    pending.clear();
  }

  @Override
  public synchronized String toString() {
    return "Recorder" + Arrays.toString(messages.stream().map(RecordedMessage::kind).toArray());
  }
}
