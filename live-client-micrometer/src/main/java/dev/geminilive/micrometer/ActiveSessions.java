package dev.geminilive.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@value GeminiLiveMetrics#SESSIONS_ACTIVE} gauges: open sessions by their full tag set and
 * stage, registered when a tag set is first seen or when the metrics are bound, whichever is later.
 * Thread-safe.
 */
final class ActiveSessions {
  static final String[] STATES = {"connecting", "active", "resuming"};

  /** Open sessions by their full tag set; index into {@link #STATES}. */
  private final Map<Tags, AtomicInteger[]> active = new ConcurrentHashMap<>();

  /** The registry bound now, or null; read when a tag set is first seen. */
  private final Supplier<@Nullable MeterRegistry> registry;

  ActiveSessions(Supplier<@Nullable MeterRegistry> registry) {
    this.registry = registry;
  }

  /**
   * The counts of {@code sessionTags}, one per state; their gauges are registered at once if the
   * metrics are bound.
   */
  AtomicInteger[] countsFor(Tags sessionTags) {
    return active.computeIfAbsent(
        sessionTags,
        t -> {
          AtomicInteger[] counts = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
          MeterRegistry r = registry.get();
          if (r != null) {
            registerGauges(r, t, counts);
          }
          return counts;
        });
  }

  /** Registers the gauges of every tag set seen so far in {@code registry}. */
  void bindTo(MeterRegistry registry) {
    for (Map.Entry<Tags, AtomicInteger[]> e : active.entrySet()) {
      registerGauges(registry, e.getKey(), e.getValue());
    }
  }

  private static void registerGauges(MeterRegistry r, Tags t, AtomicInteger[] counts) {
    for (int i = 0; i < STATES.length; i++) {
      Gauge.builder(GeminiLiveMetrics.SESSIONS_ACTIVE, counts[i], AtomicInteger::get)
          .tags(t.and("state", STATES[i]))
          .description("Open Gemini Live sessions by stage")
          .baseUnit("sessions")
          .register(r);
    }
  }
}
