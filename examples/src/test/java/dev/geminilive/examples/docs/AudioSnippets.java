package dev.geminilive.examples.docs;

import dev.geminilive.AudioChunk;
import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.audio.AudioConversation;
import dev.geminilive.audio.AudioSink;
import dev.geminilive.audio.AudioSource;
import dev.geminilive.audio.DuplexPolicy;
import dev.geminilive.audio.PcmChunk;
import dev.geminilive.audio.PcmFormat;
import dev.geminilive.audio.PlaybackQueue;
import dev.geminilive.audio.Resampler;
import dev.geminilive.audio.WavFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/** Compiled sources of docs/audio.md. */
final class AudioSnippets {
  private AudioSnippets() {}

  static int formats() {
    // snippet:audio-formats
    PcmFormat toService = PcmFormat.INPUT_16K; // what sendAudio takes: audio/pcm;rate=16000
    PcmFormat fromService = PcmFormat.OUTPUT_24K; // what onAudio delivers
    PcmFormat phoneLine = PcmFormat.TELEPHONY_8K; // G.711 telephony, once decoded
    int bytesPer20Ms = toService.bytesFor(Duration.ofMillis(20)); // 640: 320 samples of 2 bytes
    // end:audio-formats
    return bytesPer20Ms + fromService.channels() + phoneLine.channels();
  }

  static void resample(ResilientLiveSession session, List<byte[]> capturedAt48k) {
    // snippet:audio-resample
    Resampler toService = Resampler.create(48_000, 16_000); // one per stream: it keeps history
    for (byte[] chunk : capturedAt48k) {
      session.sendAudio(toService.process(chunk)); // PCM16LE mono in and out
    }
    session.sendAudio(toService.flushBytes()); // the end of the stream: the filter's tail
    session.endAudioStream();
    // end:audio-resample
  }

  static void conversation(LiveListener ui, CountDownLatch hangUp) throws InterruptedException {
    // snippet:audio-conversation
    try (AudioConversation conversation =
            AudioConversation.builder()
                .source(AudioSource.microphone(PcmFormat.INPUT_16K))
                .sink(AudioSink.speaker(PcmFormat.OUTPUT_24K))
                .build();
        ResilientLiveSession session =
            ResilientLiveSession.builder()
                .apiKey(System.getenv("GEMINI_API_KEY"))
                .persona("You are Juniper, a friendly voice assistant.")
                .listener(conversation.listener(ui)) // plays, clears on barge-in, then calls ui
                .connect()) {
      conversation.start(session); // capture thread -> sendAudio; model audio -> playback thread
      hangUp.await();
    } // closes the session, then the conversation with its microphone and speaker
    // end:audio-conversation
  }

  static void files(LiveListener ui) throws InterruptedException {
    // snippet:audio-files
    PcmChunk question = WavFile.read(Path.of("question.wav")); // any rate, 16-bit PCM
    AudioConversation conversation =
        AudioConversation.builder()
            .source(AudioSource.of(question)) // or AudioSource.wavFile(path, INPUT_16K)
            .sink(AudioSink.wavFile(Path.of("reply.wav"), PcmFormat.mono(16_000)))
            .build();
    // end:audio-files
    conversation.close();
  }

  static AudioConversation halfDuplex() {
    // snippet:audio-duplex
    return AudioConversation.builder()
        .source(AudioSource.microphone(PcmFormat.INPUT_16K))
        .sink(AudioSink.speaker(PcmFormat.OUTPUT_24K))
        .duplex(DuplexPolicy.half(Duration.ofMillis(300))) // open speakers, no echo cancellation
        .build();
    // end:audio-duplex
  }

  static void playbackQueue() {
    // snippet:audio-playback
    try (AudioSink speaker = AudioSink.speaker(PcmFormat.OUTPUT_24K);
        PlaybackQueue playback = PlaybackQueue.builder(speaker).build()) {
      playback.start();
      LiveListener player =
          new LiveListener() {
            @Override
            public void onAudio(ResilientLiveSession s, AudioChunk chunk) {
              playback.enqueue(chunk.pcm()); // converts to the speaker's format; never blocks
            }

            @Override
            public void onInterrupted(ResilientLiveSession s) {
              playback.clear(); // at most one more 20 ms frame is heard
            }

            @Override
            public void onTurnComplete(ResilientLiveSession s, @Nullable String reason) {
              playback.endOfTurn(); // play a tail shorter than the pre-roll now
            }
          };
      // ... .listener(player).connect()
    }
    // end:audio-playback
  }
}
