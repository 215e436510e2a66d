package dev.geminilive;

/**
 * Which connector carries a session's frames. Both speak the same protocol and pass the same
 * contract tests.
 *
 * @since 0.1
 */
public enum Transport {
  /**
   * The default: an OkHttp WebSocket owned by the library, with the SDK's types and JSON. Sees
   * every close code, writes in order, applies backpressure.
   */
  OKHTTP,
  /**
   * The SDK's own {@code client.async.live.connect} session, with the library's workarounds for its
   * gaps (ordering, early messages, unseen closes). For applications that want the official session
   * object underneath. Experimental: it follows the SDK's experimental live module.
   */
  @Experimental
  SDK
}
