package dev.geminilive.internal;

import org.jspecify.annotations.Nullable;

/**
 * A connection for tests of the send path: a subclass says what {@link #send} does (and may count
 * its queue); closing and cancelling do nothing, and it has no service session id. Thread-safety is
 * the subclass's.
 */
abstract class StubConnection implements Connection {
  @Override
  public long queueSize() {
    return 0;
  }

  @Override
  public void close(int code, String reason) {}

  @Override
  public void cancel() {}

  @Override
  public @Nullable String sessionId() {
    return null;
  }

  @Override
  public int ordinal() {
    return 1;
  }
}
