package dev.geminilive.it;

import static dev.geminilive.it.AudioTestDevices.Segment.silence;
import static dev.geminilive.it.AudioTestDevices.Segment.tone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.geminilive.AudioChunk;
import dev.geminilive.LiveException;
import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.audio.AudioConversation;
import dev.geminilive.audio.AudioSink;
import dev.geminilive.audio.AudioSource;
import dev.geminilive.audio.DuplexPolicy;
import dev.geminilive.audio.MemoryAudioSink;
import dev.geminilive.audio.Pcm16;
import dev.geminilive.audio.PcmFormat;
import dev.geminilive.audio.PlaybackQueue;
import dev.geminilive.testkit.FakeLiveServer;
import dev.geminilive.testkit.FakeLiveServerExtension;
import dev.geminilive.testkit.MessageKind;
import dev.geminilive.testkit.RecordedMessage;
import dev.geminilive.testkit.RecordingLiveListener;
import dev.geminilive.testkit.RecordingLiveListener.EventType;
import dev.geminilive.testkit.UserTurn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WAV "user" talks to the fake model through {@link AudioConversation}: input resampled to 16 kHz
 * reaches the server, the model's answer reaches the sink, and an interruption silences the sink
 * within one playback frame.
 */
class AudioConversationEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final PcmFormat SPEAKER = PcmFormat.of(48_000, 2);

  @RegisterExtension FakeLiveServerExtension live = new FakeLiveServerExtension();
  @TempDir Path dir;

  @Test
  void userAudioReachesTheServerAt16kAndTheAnswerReachesTheSink() throws Exception {
    FakeLiveServer server = live.server();
    List<UserTurn> heard = new CopyOnWriteArrayList<>();
    server.script(
        s ->
            s.onAudio()
                .reply(
                    (turn, r) -> {
                      heard.add(turn);
                      r.say("hello there", Duration.ofMillis(1500));
                    }));
    Path wav = AudioTestDevices.wav(dir, 48_000, tone(1000), silence(1000));
    MemoryAudioSink sink = AudioSink.memory(SPEAKER);
    RecordingLiveListener events = new RecordingLiveListener();

    try (AudioConversation conv =
            AudioConversation.builder()
                .source(AudioSource.wavFile(wav, PcmFormat.mono(48_000)))
                .sink(sink)
                .build();
        ResilientLiveSession session =
            Fakes.builder(server).listener(conv.listener(events)).connect()) {
      conv.start(session);
      events.awaitTurnComplete();
      assertThat(conv.awaitPlaybackIdle(WAIT)).isTrue();

      long expected = SPEAKER.bytesFor(Duration.ofMillis(1500));
      assertThat(sink.totalBytes()).isBetween(expected - 2_000, expected);
      assertThat(events.outputTranscript()).contains("hello there");

      // The fake model's VAD ends the turn before the file's last chunks arrive: wait for them.
      Await.received(
          server.recorder(),
          "all the file's audio and the stream end",
          WAIT,
          () -> !server.recorder().ofKind(MessageKind.AUDIO_STREAM_END).isEmpty());
      List<RecordedMessage> audio = server.recorder().ofKind(MessageKind.REALTIME_AUDIO);
      assertThat(audio).hasSize(40);
      assertThat(audio)
          .allSatisfy(
              m -> {
                assertThat(m.audioBytes()).hasSize(1_600); // 50 ms at 16 kHz
                assertThat(m.json().at("/realtimeInput/audio/mimeType").asText())
                    .isEqualTo("audio/pcm;rate=16000");
              });
      short[] sent = Pcm16.toShorts(server.recorder().audioBytes());
      assertThat(sent).hasSize(32_000); // 2 s at 16 kHz
      assertThat(AudioTestDevices.toneAmplitude(sent, 800, 15_200, 16_000, 300))
          .isBetween(7_900.0, 8_100.0);
      assertThat(AudioTestDevices.toneAmplitude(sent, 16_800, 32_000, 16_000, 300)).isLessThan(10);
      assertThat(server.recorder().ofKind(MessageKind.AUDIO_STREAM_END)).hasSize(1);
      // The fake model's VAD: 1 s of tone, then its 500 ms of silence ended the turn.
      assertThat(heard).hasSize(1);
      assertThat(heard.get(0).audioDuration().toMillis()).isBetween(1_450L, 1_550L);
    }
  }

  @Test
  void scriptedInterruptionSilencesTheSpeakerWithinOneFrame() throws Exception {
    FakeLiveServer server = live.server();
    // 3 s of answer at 4x speed, then "interrupted": the speaker still has ~2 s queued.
    server.script(
        s ->
            s.speed(4)
                .onAudio()
                .reply(r -> r.say("a long answer", Duration.ofSeconds(3)).interrupt()));
    Path wav = AudioTestDevices.wav(dir, 48_000, tone(400), silence(800));
    AudioTestDevices.Speaker speaker = new AudioTestDevices.Speaker(SPEAKER, Duration.ofMillis(20));
    Interruption interruption = new Interruption(speaker);

    try (AudioConversation conv =
            AudioConversation.builder()
                .source(AudioSource.wavFile(wav, PcmFormat.mono(48_000)))
                .sink(speaker)
                .build();
        ResilientLiveSession session =
            Fakes.builder(server).listener(conv.listener(interruption)).connect()) {
      conv.start(session);
      interruption.events.await(EventType.INTERRUPTED);
      interruption.assertSilenceWithinOneFrame("scripted");
      // The whole 3 s had arrived, but only about what played in real time reached the speaker.
      assertThat(interruption.events.audioBytes().length)
          .isEqualTo(PcmFormat.OUTPUT_24K.bytesFor(Duration.ofSeconds(3)));
      assertThat(interruption.bytesAtClear).isLessThan(SPEAKER.bytesFor(Duration.ofMillis(1500)));
    }
  }

  @Test
  void theUserSpeakingIntoTheAnswerInterruptsItAndSilencesTheSpeakerWithinOneFrame()
      throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s ->
            s.realTime()
                .on(t -> t.kind() == UserTurn.Kind.AUDIO && t.history().isEmpty())
                .reply(r -> r.say("a long answer", Duration.ofSeconds(4)))
                .onAudio()
                .reply(r -> r.text("(no audio)")));
    // Speech 0-0.6 s; the fake's VAD ends the turn at 1.1 s and the answer starts; the user
    // speaks again at 2.0 s, into the answer.
    Path wav = AudioTestDevices.wav(dir, 48_000, tone(600), silence(1400), tone(400), silence(800));
    AudioTestDevices.Speaker speaker = new AudioTestDevices.Speaker(SPEAKER, Duration.ofMillis(20));
    Interruption interruption = new Interruption(speaker);

    try (AudioConversation conv =
            AudioConversation.builder()
                .source(AudioTestDevices.realTime(AudioSource.wavFile(wav, PcmFormat.mono(48_000))))
                .sink(speaker)
                .build();
        ResilientLiveSession session =
            Fakes.builder(server).listener(conv.listener(interruption)).connect()) {
      conv.start(session);
      interruption.events.await(EventType.INTERRUPTED, 1, WAIT);
      interruption.assertSilenceWithinOneFrame("barge-in");
      // About 0.9 s of the answer played before the user spoke (minus the jitter pre-roll).
      assertThat(interruption.bytesAtClear)
          .isBetween(
              (long) SPEAKER.bytesFor(Duration.ofMillis(300)),
              (long) SPEAKER.bytesFor(Duration.ofMillis(1500)));
      interruption.events.awaitTurnComplete(2, WAIT); // the second user turn got its (text) answer
      assertThat(conv.gatedAudio()).isZero();
    }
  }

  @Test
  void halfDuplexDropsTheUserSpeakingIntoTheAnswerSoItPlaysToTheEnd() throws Exception {
    FakeLiveServer server = live.server();
    server.script(
        s -> s.realTime().onAudio().reply(r -> r.say("a long answer", Duration.ofSeconds(2))));
    Path wav = AudioTestDevices.wav(dir, 48_000, tone(600), silence(1400), tone(400), silence(800));
    AudioTestDevices.Speaker speaker = new AudioTestDevices.Speaker(SPEAKER, Duration.ofMillis(20));
    RecordingLiveListener events = new RecordingLiveListener();

    try (AudioConversation conv =
            AudioConversation.builder()
                .source(AudioTestDevices.realTime(AudioSource.wavFile(wav, PcmFormat.mono(48_000))))
                .sink(speaker)
                .duplex(DuplexPolicy.half())
                .build();
        ResilientLiveSession session =
            Fakes.builder(server).listener(conv.listener(events)).connect()) {
      conv.start(session);
      events.awaitTurnComplete(1, WAIT);
      assertThat(conv.awaitPlaybackIdle(WAIT)).isTrue();
      assertThat(events.count(EventType.INTERRUPTED)).isZero();
      assertThat(conv.gatedAudio()).isGreaterThanOrEqualTo(Duration.ofMillis(800));
      long expected = SPEAKER.bytesFor(Duration.ofSeconds(2));
      assertThat(speaker.totalBytes()).isBetween(expected - 2_000, expected);
      // The second tone never reached the server: only the first 0.6 s of speech is loud.
      short[] sent = Pcm16.toShorts(server.recorder().audioBytes());
      int loud = 0;
      for (short v : sent) {
        loud += Math.abs(v) > 500 ? 1 : 0;
      }
      assertThat(loud).isLessThan(16_000 * 700 / 1000);
      Measurements.record("audio.halfDuplex.gatedMs", conv.gatedAudio().toMillis());
    }
  }

  /**
   * The application's listener: notes what the speaker had when it heard of the interruption and
   * passes the events the tests wait for on to a {@link RecordingLiveListener}.
   */
  private static final class Interruption implements LiveListener {
    final AudioTestDevices.Speaker speaker;
    final RecordingLiveListener events = new RecordingLiveListener();
    volatile long bytesAtClear = -1;
    volatile long clearedAtNanos;
    volatile long receivedBytesAtClear;

    @Override
    public void onInterrupted(ResilientLiveSession session) {
      // AudioConversation has cleared playback before forwarding the event here.
      bytesAtClear = speaker.totalBytes();
      clearedAtNanos = System.nanoTime();
      receivedBytesAtClear = events.audioBytes().length;
      events.onInterrupted(session);
    }

    @Override
    public void onAudio(ResilientLiveSession session, AudioChunk chunk) {
      events.onAudio(session, chunk);
    }

    @Override
    public void onTurnComplete(ResilientLiveSession session, @Nullable String reason) {
      events.onTurnComplete(session, reason);
    }

    @Override
    public void onFailure(ResilientLiveSession session, LiveException failure) {
      events.onFailure(session, failure);
    }

    Interruption(AudioTestDevices.Speaker speaker) {
      this.speaker = speaker;
    }

    void assertSilenceWithinOneFrame(String name) throws InterruptedException {
      long frameBytes = SPEAKER.bytesFor(PlaybackQueue.DEFAULT_FRAME_DURATION);
      assertThat(bytesAtClear).isPositive();
      // Proving absence takes a wait: nothing beyond one frame may arrive in the next 500 ms.
      assertThat(
              speaker.recorded().awaitBytes(bytesAtClear + frameBytes + 1, Duration.ofMillis(500)))
          .as("more than one frame reached the speaker after the interruption")
          .isFalse();
      long after = speaker.totalBytes() - bytesAtClear;
      long lastWriteAfterMicros = Math.max(0, (speaker.lastWriteNanos() - clearedAtNanos) / 1_000);
      Measurements.record("audio.interruption." + name + ".bytesAfterClear", after);
      Measurements.record(
          "audio.interruption." + name + ".playedMsAtClear",
          SPEAKER.durationOf(bytesAtClear).toMillis());
      Measurements.record(
          "audio.interruption." + name + ".receivedMsAtClear",
          PcmFormat.OUTPUT_24K.durationOf(receivedBytesAtClear).toMillis());
      Measurements.record(
          "audio.interruption." + name + ".lastWriteAfterClearMicros", lastWriteAfterMicros);
      assertThat(after).isLessThanOrEqualTo(frameBytes);
    }
  }
}
