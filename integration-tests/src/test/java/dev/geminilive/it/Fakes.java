package dev.geminilive.it;

import dev.geminilive.LiveSessionBuilder;
import dev.geminilive.testkit.FakeLiveServer;

/** Builders pointed at a fake server, with fast reconnects for tests. */
final class Fakes {
  private Fakes() {}

  static LiveSessionBuilder builder(FakeLiveServer server) {
    return server.sessionBuilder();
  }
}
