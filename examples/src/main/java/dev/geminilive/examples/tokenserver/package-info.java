/**
 * The token-server example: a backend route {@code POST /api/live/token} on the JDK's HTTP server
 * that mints ephemeral tokens locked to a session designed on the server, for browsers that talk to
 * the Live API directly.
 */
@NullMarked
package dev.geminilive.examples.tokenserver;

import org.jspecify.annotations.NullMarked;
