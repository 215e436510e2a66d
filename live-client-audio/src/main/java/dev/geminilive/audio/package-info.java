/**
 * Audio helpers for Live sessions: PCM formats and conversions, band-limited streaming resampling,
 * G.711 mu-law / A-law, fixed-size chunking, microphone / speaker / WAV / in-memory sources and
 * sinks, and a {@link dev.geminilive.audio.PlaybackQueue} that stops stale model audio within one
 * frame.
 *
 * <p>The service takes {@link dev.geminilive.audio.PcmFormat#INPUT_16K} and answers in {@link
 * dev.geminilive.audio.PcmFormat#OUTPUT_24K}; everything here converts between those and what
 * devices, files and telephony give. The module needs nothing beyond the JDK ({@code
 * javax.sound.sampled}).
 *
 * <p>Threading, in short: value types are immutable and thread-safe; stream processors ({@link
 * dev.geminilive.audio.Resampler}, {@link dev.geminilive.audio.AudioChunker}) are one instance per
 * stream and not thread-safe; {@link dev.geminilive.audio.PlaybackQueue} is thread-safe and owns
 * one playback thread.
 */
@NullMarked
package dev.geminilive.audio;

import org.jspecify.annotations.NullMarked;
