package dev.geminilive.it;

import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.ModelProfile;
import dev.geminilive.testkit.FakeLiveServer;

/** Builders pointed at a fake server, with fast reconnects for tests. */
final class Fakes {
  private Fakes() {}

  /**
   * A builder on {@code gemini-3.1-flash-live-preview}, the default model these conversations were
   * written for (client content only as initial history, blocking tools); the 3.8 rules have tests
   * of their own.
   */
  static LiveSessionBuilder builder(FakeLiveServer server) {
    return server.sessionBuilder().model(ModelProfile.GEMINI_3_1_FLASH_LIVE);
  }
}
