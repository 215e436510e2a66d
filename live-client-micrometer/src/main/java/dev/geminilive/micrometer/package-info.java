/**
 * Micrometer meters for Gemini Live sessions: {@link dev.geminilive.micrometer.GeminiLiveMetrics},
 * a {@code MeterBinder} and a {@code LiveObserver.Factory}. The Spring Boot starter registers it by
 * itself when this module and a {@code MeterRegistry} bean are present.
 *
 * <h2>Versions</h2>
 *
 * Built against {@code micrometer-core} 1.15.5, the line Spring Boot 3.5 manages; works with 1.15.5
 * and later 1.x releases (tested on 1.17.2 too). Keep every Micrometer artifact at one version
 * ({@code micrometer-core}, {@code -commons}, {@code -observation}), through Spring Boot's BOM or
 * {@code micrometer-bom}.
 */
@NullMarked
package dev.geminilive.micrometer;

import org.jspecify.annotations.NullMarked;
