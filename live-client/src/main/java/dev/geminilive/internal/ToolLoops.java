package dev.geminilive.internal;

import dev.geminilive.SessionSpec;

/** Chooses a session's tool loop. */
final class ToolLoops {
  private ToolLoops() {}

  static ToolLoop create(SessionSpec spec) {
    return new UnregisteredTools();
  }
}
