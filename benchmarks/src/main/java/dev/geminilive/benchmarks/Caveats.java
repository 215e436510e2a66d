package dev.geminilive.benchmarks;

/** The caveats section, the same for every run. */
final class Caveats {
  private Caveats() {}

  static final String TEXT =
      """
      ## Caveats

      - Two cores for everything: in sections 1, 2, 4 and 5 the fake server (Netty I/O threads
        plus one thread that runs the protocol and records every message for all connections)
        shares the benchmark's JVM; in section 3 the load server is a second JVM on the same two
        cores. Other builds share the machine too (load averages at the top). Absolute numbers
        are pessimistic; compare paths within this run, not with other machines.
      - Server-side arrival is the moment a measuring thread takes the message from the fake
        server's recorder queue (`FakeLiveServer.takeClientMessage`): it includes the server's
        JSON parse and one queue hand-off, the same for every path. The recorder has no
        timestamps of its own.
      - Server write times are not exposed either, so receive latency is measured with frames
        stamped by the benchmark and injected through `FakeConnection.sendRaw` (which hops to the
        server's model thread, then to Netty): also the same for every path.
      - Nagle's algorithm: OkHttp (and so the SDK and the library with the default client)
        leaves TCP_NODELAY off. A 20 ms audio chunk then often waits for the acknowledgement of
        the previous one, which Linux delays up to 40 ms: uplink p50 sits near 20 ms for every
        path that uses a default socket. The `TCP_NODELAY` rows pass an OkHttpClient whose
        SocketFactory sets it, to show the difference.
      - Medians of few trials (3 for the send/receive paths' tables, 5 moves for reconnects);
        the min–max ranges show how noisy a shared 2-core VM is. Rerun before drawing
        conclusions from differences under ~20 %. The send burst's ratio comes from 30 paired
        rounds instead, with the 95 % interval of its median: under a load average near 20 on
        these two cores that interval was still ±15–40 % wide, the CPU ratio's ±10–25 %.
      - The SDK's per-send thread (CompletableFuture.runAsync with commonPool parallelism 1 on
        2 cores) is the JDK's documented behaviour, measured as is; on machines with more cores
        the SDK's numbers change (SDK-GAPS Q7).
      - Section 6 runs first, in the benchmark JVM, timed by thread CPU time (not JMH: on a
        shared machine the wall clock mostly measures the neighbours). SoX is a native program
        timed by its process's CPU time, with its file handling inside (see section 6).
      - Section 3's clients use plain WebSockets unless `-Dbench.tls=true`; TLS costs every
        client the same and would lower every ceiling on two cores.
      """;
}
