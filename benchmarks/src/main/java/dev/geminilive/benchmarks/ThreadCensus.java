package dev.geminilive.benchmarks;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The threads a scale step added, counted at a quiet point the way {@code integration-tests}'
 * {@code ThreadsPerSessionTest} counts them: each thread a session owns, recognised by its name,
 * plus the threads of shared pools, whose count is divided by the sessions.
 *
 * <p>Threads are told apart by identity, not by the JVM's live count: pool threads started by an
 * earlier step that end during this one would otherwise cancel threads this step started (the count
 * right after connecting gave the library 0.64 threads per session, fewer than its one socket
 * reader each).
 *
 * <p>A session's own threads: the library's socket reader ({@code <session>-socket-<n>}) and raw
 * OkHttp's, which keeps the name OkHttp gives a call's thread ({@code OkHttp http://...}) for the
 * life of the WebSocket. Every other thread the step added (the library's scheduler workers and
 * timer, OkHttp's task runner, java.net.http's selector and executor) belongs to a shared pool.
 *
 * @param owned threads owned by one session each
 * @param shared threads of shared pools
 * @param sessions the sessions of the step
 */
record ThreadCensus(int owned, int shared, int sessions) {
  private static final Pattern OWNED = Pattern.compile(".*-socket-\\d+|OkHttp \\w+://.*");

  /** The threads alive now, by identity. */
  static Set<Thread> snapshot() {
    Set<Thread> live = Collections.newSetFromMap(new IdentityHashMap<>());
    live.addAll(Thread.getAllStackTraces().keySet());
    return live;
  }

  /** Counts the live threads that are not in {@code before}. */
  static ThreadCensus since(Set<Thread> before, int sessions) {
    int owned = 0;
    int shared = 0;
    for (Thread t : snapshot()) {
      if (!t.isAlive() || before.contains(t)) {
        continue;
      }
      if (OWNED.matcher(t.getName()).matches()) {
        owned++;
      } else {
        shared++;
      }
    }
    return new ThreadCensus(owned, shared, sessions);
  }

  /** Threads per session: the sessions' own plus their share of the pools. */
  double perSession() {
    return (owned + shared) / (double) Math.max(1, sessions);
  }

  @Override
  public String toString() {
    return Stats.fmt(
        "%.2f (%d own + %d shared, %d sessions)", perSession(), owned, shared, sessions);
  }
}
