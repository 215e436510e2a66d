/**
 * OpenTelemetry spans for Gemini Live sessions: {@link
 * dev.geminilive.opentelemetry.GeminiLiveTracing}, a {@code LiveObserver.Factory}. The Spring Boot
 * starter registers it by itself when this module and an {@code OpenTelemetry} bean are present.
 *
 * <h2>Versions</h2>
 *
 * Depends on {@code opentelemetry-api} only, built against 1.49.0, the version Spring Boot 3.5
 * manages; works with 1.49.0 and later 1.x releases (OpenTelemetry keeps its stable API backward
 * compatible; tested on 1.68.0 too). The application brings the SDK, or the Java agent, it uses.
 */
@NullMarked
package dev.geminilive.opentelemetry;

import org.jspecify.annotations.NullMarked;
