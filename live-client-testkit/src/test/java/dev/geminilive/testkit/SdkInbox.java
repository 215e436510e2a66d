package dev.geminilive.testkit;

import com.google.genai.AsyncSession;
import com.google.genai.Client;
import com.google.genai.types.LiveConnectConfig;
import com.google.genai.types.LiveServerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Collects what an SDK session receives; receive() is registered the only safe way. */
final class SdkInbox {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  final BlockingQueue<LiveServerMessage> messages = new LinkedBlockingQueue<>();

  /** Connects and registers receive() in a stage attached straight to the connect future. */
  static Connected connect(Client client, String model, LiveConnectConfig config) throws Exception {
    SdkInbox inbox = new SdkInbox();
    AsyncSession session =
        client
            .async
            .live
            .connect(model, config)
            .thenApply(
                s -> {
                  s.receive(inbox.messages::add);
                  return s;
                })
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return new Connected(session, inbox);
  }

  record Connected(AsyncSession session, SdkInbox inbox) {}

  LiveServerMessage take() throws InterruptedException {
    LiveServerMessage m = messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (m == null) {
      throw new AssertionError("No server message within " + TIMEOUT);
    }
    return m;
  }

  /** Returns every message up to and including the first that matches. */
  List<LiveServerMessage> until(Predicate<LiveServerMessage> last) throws InterruptedException {
    List<LiveServerMessage> out = new ArrayList<>();
    while (true) {
      LiveServerMessage m = take();
      out.add(m);
      if (last.test(m)) {
        return out;
      }
    }
  }

  List<LiveServerMessage> untilTurnComplete() throws InterruptedException {
    return until(SdkInbox::isTurnComplete);
  }

  /** Returns every message up to and including the next resumable handle update. */
  List<LiveServerMessage> untilHandle() throws InterruptedException {
    return until(m -> handle(m) != null);
  }

  /** True if nothing arrives within {@code wait}. */
  boolean staysEmpty(Duration wait) throws InterruptedException {
    return messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS) == null;
  }

  static boolean isTurnComplete(LiveServerMessage m) {
    return m.serverContent().flatMap(c -> c.turnComplete()).orElse(false);
  }

  static String handle(LiveServerMessage m) {
    return m.sessionResumptionUpdate()
        .filter(u -> u.resumable().orElse(false))
        .flatMap(u -> u.newHandle())
        .orElse(null);
  }
}
