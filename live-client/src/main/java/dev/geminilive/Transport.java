package dev.geminilive;

/**
 * Which connector carries a session's frames. All three speak the same protocol and pass the same
 * contract tests; they differ in the threads they use and in what can be configured. Set with
 * {@link LiveSessionBuilder#transport(Transport)}.
 *
 * <p>Threads per open connection: {@link #OKHTTP} reads each socket on a thread of its own (one per
 * session, plus OkHttp's writer and ping tasks while it sends), {@link #JDK} none (every socket of
 * the process shares one selector thread and a few workers). For a process with many sessions at
 * once (a contact centre, a telephony gateway) the JDK transport is the one that scales; the
 * trade-off is in the architecture guide, {@code docs/architecture.md}, "Transports".
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
   * The JDK's non-blocking {@code java.net.http.WebSocket}, owned by the library like {@link
   * #OKHTTP} and with the same contract: every close code seen, writes in order (queued per socket,
   * at most 16 MiB, as OkHttp's), the connect timeout, a ping every {@code pingInterval}, frames in
   * arrival order (the parts the JDK delivers put back together).
   *
   * <p>What it gives: no thread per connection. All connections of the process share one {@code
   * HttpClient}: its selector thread, and as its executor the workers of {@link
   * LiveScheduler#system()} ({@code gemini-live-worker-<n>}), which run the handshakes and hand
   * each frame to its session; with the system scheduler a frame's session turn then runs on the
   * same worker, so a frame crosses one thread hop from the selector to the listener. An idle
   * session holds no thread of its own, and a thousand sessions use the same few threads.
   *
   * <p>What it lacks: the client cannot be chosen. Of an OkHttp client given to {@link
   * LiveSessionBuilder#httpClient} only its trust manager is used (TLS trusts what it trusts;
   * without one, the JVM's default trust store); its interceptors, event listener, socket factory,
   * certificate pinning, proxy and timeouts are not. Proxies are the JVM's default {@code
   * ProxySelector}. It negotiates no permessage-deflate compression. It holds more heap per open
   * connection (about 60 KiB in the benchmark, the JDK's buffers per WebSocket, against about 18
   * KiB on OkHttp). A slow DNS lookup occupies one of the shared workers while it lasts (the pool
   * adds one when tasks have waited 20 ms for it). No new dependency: {@code java.net.http} is part
   * of the JDK.
   */
  JDK,
  /**
   * The SDK's own {@code client.async.live.connect} session, with the library's workarounds for its
   * gaps (ordering, early messages, unseen closes). For applications that want the official session
   * object underneath. Experimental: it follows the SDK's experimental live module.
   */
  @Experimental
  SDK
}
