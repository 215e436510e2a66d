package dev.geminilive.benchmarks;

/**
 * How long a run takes: the short form is a quick check (about two minutes), the full form the
 * report.
 */
enum Form {
  /** About two minutes: fewer trials, shorter steps, fewer sizes. */
  SHORT,
  /** The report's form. */
  FULL;

  boolean full() {
    return this == FULL;
  }

  /** {@code full} in the full form, else {@code quick}. */
  int pick(int quick, int full) {
    return this == FULL ? full : quick;
  }
}
