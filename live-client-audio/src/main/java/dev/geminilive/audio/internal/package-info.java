/**
 * Implementation of the audio module: device lines, WAV files and in-memory sources. Not API:
 * anything here may change or disappear in any release; use the factories on {@link
 * dev.geminilive.audio.AudioSource} and {@link dev.geminilive.audio.AudioSink} instead.
 */
@NullMarked
package dev.geminilive.audio.internal;

import org.jspecify.annotations.NullMarked;
