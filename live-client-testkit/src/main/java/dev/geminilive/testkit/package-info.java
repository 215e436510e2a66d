/**
 * An offline stand-in for the Gemini Live API: {@link dev.geminilive.testkit.FakeLiveServer} (a
 * real WebSocket server on loopback with a scripted fake model), its {@link
 * dev.geminilive.testkit.Script} DSL, the {@link dev.geminilive.testkit.Recorder} of client
 * messages, {@link dev.geminilive.testkit.Faults} injection, the JUnit 5 {@link
 * dev.geminilive.testkit.FakeLiveServerExtension} and a WireMock {@link
 * dev.geminilive.testkit.FakeTokenEndpoint} for ephemeral tokens.
 */
@NullMarked
package dev.geminilive.testkit;

import org.jspecify.annotations.NullMarked;
