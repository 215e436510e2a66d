package dev.geminilive.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionState;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeTokenEndpoint;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.tokens.EphemeralTokenService;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A token supplier is documented as "may block": it runs off the session's control thread, so a
 * supplier stuck in a slow call does not hold up {@code close()}.
 */
class BlockingCredentialsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** How long the supplier blocks unless released: far longer than the test waits. */
  private static final Duration SUPPLIER_BLOCKS = Duration.ofSeconds(30);

  private FakeLiveServer server;
  private FakeTokenEndpoint tokens;
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    if (tokens != null) {
      tokens.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void closeDoesNotWaitForATokenSupplierThatBlocks() throws Exception {
    server = FakeLiveServer.builder().build();
    tokens = FakeTokenEndpoint.start(server);
    EphemeralTokenService minting =
        EphemeralTokenService.builder().apiKey(server.apiKey()).baseUrl(tokens.baseUrl()).build();
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch blocking = new CountDownLatch(1);
    Supplier<String> supplier =
        () -> {
          if (calls.incrementAndGet() > 1) {
            blocking.countDown();
            try {
              release.await(SUPPLIER_BLOCKS.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return minting.mint(server.sessionBuilder().build()).name();
        };
    RecordingLiveListener events = new RecordingLiveListener();
    ResilientLiveSession session =
        server.sessionBuilder().ephemeralTokens(supplier).listener(events).connect();
    session.sendText("hello");
    events.awaitTurnComplete();
    Waits.handle(events, session, WAIT);

    server.connections().get(0).drop();
    assertThat(blocking.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .as("the reconnect asks the supplier")
        .isTrue();
    session.close();

    assertThat(session.termination()).succeedsWithin(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(release.getCount()).as("the supplier is still blocked").isOne();
    events.await(EventType.CLOSED);
    assertThat(session.state()).isEqualTo(SessionState.CLOSED);
  }
}
