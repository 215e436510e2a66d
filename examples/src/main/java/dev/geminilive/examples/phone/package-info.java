/**
 * The phone-bridge example: a Twilio Media Streams WebSocket endpoint (Netty) that connects each
 * phone call to a {@link dev.geminilive.ResilientLiveSession}, converting 8 kHz mu-law to and from
 * the Live API's PCM and clearing the caller's audio on barge-in.
 */
@NullMarked
package dev.geminilive.examples.phone;

import org.jspecify.annotations.NullMarked;
