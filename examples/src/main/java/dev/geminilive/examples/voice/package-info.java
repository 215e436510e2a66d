/**
 * The voice-console example: talk to an agent from a terminal with microphone and speaker (or WAV
 * files) through {@link dev.geminilive.audio.AudioConversation}, offline against the testkit's fake
 * server or online against the Gemini Live API.
 */
@NullMarked
package dev.geminilive.examples.voice;

import org.jspecify.annotations.NullMarked;
