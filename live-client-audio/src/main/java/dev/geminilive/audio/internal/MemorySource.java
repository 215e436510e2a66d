package dev.geminilive.audio.internal;

import dev.geminilive.audio.AudioChunker;
import dev.geminilive.audio.AudioSource;
import dev.geminilive.audio.PcmChunk;
import dev.geminilive.audio.PcmFormat;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;

/** Reads audio held in memory in fixed chunks; see {@link AudioSource#of}. */
public final class MemorySource implements AudioSource {
  private final PcmFormat format;
  private final ArrayDeque<PcmChunk> chunks = new ArrayDeque<>(); // guarded by this

  /** Splits {@code audio} into chunks of {@code chunkDuration} (the last may be shorter). */
  public MemorySource(PcmChunk audio, Duration chunkDuration) {
    Objects.requireNonNull(audio, "audio");
    this.format = audio.format();
    AudioChunker chunker = new AudioChunker(format, chunkDuration);
    chunks.addAll(chunker.push(audio.data()));
    chunker.flush().ifPresent(chunks::add);
  }

  @Override
  public PcmFormat format() {
    return format;
  }

  @Override
  public synchronized Optional<PcmChunk> read() {
    return Optional.ofNullable(chunks.poll());
  }

  @Override
  public synchronized void close() {
    chunks.clear();
  }
}
