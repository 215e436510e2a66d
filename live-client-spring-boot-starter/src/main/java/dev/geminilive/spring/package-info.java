/**
 * Spring Boot support for Gemini Live: auto-configured session builders with discovered
 * {@code @LiveTool} beans, ephemeral tokens and their endpoint, a health indicator, graceful
 * shutdown, and Micrometer meters and OpenTelemetry spans when those modules are present. Add the
 * starter and set {@code gemini.live.*}; see {@link
 * dev.geminilive.spring.GeminiLiveAutoConfiguration}.
 */
@NullMarked
package dev.geminilive.spring;

import org.jspecify.annotations.NullMarked;
