package dev.geminilive.benchmarks;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The threads of a scale step's sessions, counted at a quiet point the way {@code
 * integration-tests}' {@code ThreadsPerSessionTest} counts them: each thread a session owns,
 * recognised by its name, plus the threads of shared pools, whose count is divided by the sessions.
 *
 * <p>A session's own threads: the library's socket reader ({@code <session>-socket-<n>}) and raw
 * OkHttp's, which keeps the name OkHttp gives a call's thread ({@code OkHttp http://...}) for the
 * life of the WebSocket. They are counted by name whatever their age: OkHttp's dispatcher keeps
 * idle threads for a minute, so a step's readers are partly the previous step's threads, renamed.
 *
 * <p>Shared pools' threads: every other live thread that was not alive when the step began (the
 * library's scheduler workers and timer, OkHttp's task runner, java.net.http's selector and
 * executor), told apart by identity, so that an earlier step's idle threads, which linger for a
 * minute, are not counted. The JVM's live count, after less before, gave the library 0.64 threads
 * per session: pool threads of an earlier step that end cancel this step's new ones, and reused
 * readers are not new at all.
 *
 * @param owned threads owned by one session each
 * @param shared threads of shared pools
 * @param sessions the sessions of the step
 * @param pools the shared threads by pool (a thread's name without its trailing number), for the
 *     progress output
 */
record ThreadCensus(int owned, int shared, int sessions, Map<String, Integer> pools) {
  private static final Pattern OWNED = Pattern.compile(".*-socket-\\d+|OkHttp \\w+://.*");
  private static final Pattern TRAILING_NUMBER = Pattern.compile("[-\\s]?\\d+$");

  /** The threads alive now, by identity. */
  static Set<Thread> snapshot() {
    Set<Thread> live = Collections.newSetFromMap(new IdentityHashMap<>());
    live.addAll(Thread.getAllStackTraces().keySet());
    return live;
  }

  /**
   * Counts the sessions' own threads (by name) and the pools' threads not in {@code before} (the
   * threads alive when the step began).
   */
  static ThreadCensus since(Set<Thread> before, int sessions) {
    int owned = 0;
    int shared = 0;
    Map<String, Integer> pools = new TreeMap<>();
    for (Thread t : snapshot()) {
      if (!t.isAlive()) {
        continue;
      }
      if (OWNED.matcher(t.getName()).matches()) {
        owned++;
      } else if (!before.contains(t)) {
        shared++;
        pools.merge(TRAILING_NUMBER.matcher(t.getName()).replaceFirst(""), 1, Integer::sum);
      }
    }
    return new ThreadCensus(owned, shared, sessions, pools);
  }

  /** Threads per session: the sessions' own plus their share of the pools. */
  double perSession() {
    return (owned + shared) / (double) Math.max(1, sessions);
  }

  @Override
  public String toString() {
    return Stats.fmt(
        "%.2f (%d own + %d shared %s, %d sessions)", perSession(), owned, shared, pools, sessions);
  }
}
