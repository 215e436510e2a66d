/**
 * Ephemeral tokens: short-lived credentials a server mints so that browsers and other untrusted
 * clients can open exactly the Live session the server designed, without the long-lived API key.
 */
@NullMarked
package dev.geminilive.tokens;

import org.jspecify.annotations.NullMarked;
