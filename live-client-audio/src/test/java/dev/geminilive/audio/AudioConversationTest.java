package dev.geminilive.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.geminilive.AudioChunk;
import dev.geminilive.LiveListener;
import dev.geminilive.ResilientLiveSession;
import dev.geminilive.SessionState;
import dev.geminilive.TurnComplete;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AudioConversationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final PcmFormat IN = PcmFormat.INPUT_16K;

  private final RecordingSession session = new RecordingSession();
  private final List<AudioConversation> conversations = new ArrayList<>();

  @AfterEach
  void closeConversations() {
    conversations.forEach(AudioConversation::close);
  }

  private AudioConversation conversation(AudioConversation.Builder builder) {
    AudioConversation c = builder.build();
    conversations.add(c);
    return c;
  }

  /** 50 ms of a loud 300 Hz tone at 16 kHz: one input chunk. */
  private static PcmChunk speech() {
    return PcmChunk.ofSamples(IN, Signals.sine(16_000, 300, 8_000, 800));
  }

  private static AudioChunk modelAudio(Duration d) {
    short[] samples = Signals.sine(24_000, 220, 6_000, (int) PcmFormat.OUTPUT_24K.framesFor(d));
    return new AudioChunk(Pcm16.toBytes(samples), 24_000);
  }

  @Test
  void sendsSourceAudioAs16kMonoChunksOf50msThenEndsTheStream() throws Exception {
    PcmFormat cd = PcmFormat.of(48_000, 2);
    short[] mono = Signals.sine(48_000, 300, 8_000, 48_000);
    short[] stereo = new short[mono.length * 2];
    for (int i = 0; i < mono.length; i++) {
      stereo[2 * i] = mono[i];
      stereo[2 * i + 1] = mono[i];
    }
    AudioConversation conv =
        conversation(
            AudioConversation.builder()
                .source(AudioSource.of(PcmChunk.ofSamples(cd, stereo), Duration.ofMillis(30)))
                .sink(AudioSink.memory(PcmFormat.OUTPUT_24K)));
    conv.start(session);

    assertThat(session.awaitEnds(1, WAIT)).isTrue();
    List<RecordingSession.Sent> sent = session.sent();
    assertThat(sent.get(sent.size() - 1).end()).isTrue();
    List<RecordingSession.Sent> audio = sent.subList(0, sent.size() - 1);
    assertThat(audio).allSatisfy(s -> assertThat(s.end()).isFalse());
    assertThat(audio).hasSize(20).allSatisfy(s -> assertThat(s.audio()).hasSize(1_600));
    assertThat(conv.sentAudioBytes()).isEqualTo(32_000);
    short[] received = Pcm16.toShorts(concat(audio));
    assertThat(Signals.amplitude(received, 1_000, 15_000, 16_000, 300)).isBetween(7_900.0, 8_100.0);
  }

  @Test
  void fullDuplexSendsInputWhileTheAgentSpeaks() throws Exception {
    HeldSink speaker = new HeldSink(PcmFormat.OUTPUT_24K);
    ScriptedSource mic = new ScriptedSource(IN);
    AudioConversation conv = conversation(AudioConversation.builder().source(mic).sink(speaker));
    LiveListener listener = conv.listener();
    conv.start(session);
    try {
      listener.onAudio(session, modelAudio(Duration.ofSeconds(1)));
      assertThat(conv.isAgentSpeaking()).isTrue();
      mic.push(speech());
      assertThat(mic.awaitReads(2, WAIT)).isTrue();
      assertThat(session.audioBytes()).isEqualTo(1_600);
      assertThat(conv.gatedAudio()).isZero();
    } finally {
      speaker.open();
    }
  }

  @Test
  void halfDuplexDropsInputWhileTheAgentSpeaksAndSendsAgainOncePlaybackIsIdle() throws Exception {
    HeldSink speaker = new HeldSink(PcmFormat.OUTPUT_24K);
    ScriptedSource mic = new ScriptedSource(IN);
    AudioConversation conv =
        conversation(
            AudioConversation.builder()
                .source(mic)
                .sink(speaker)
                .duplex(DuplexPolicy.half(Duration.ZERO)));
    LiveListener listener = conv.listener();
    conv.start(session);

    mic.push(speech());
    assertThat(mic.awaitReads(2, WAIT)).isTrue();
    assertThat(session.audioBytes()).isEqualTo(1_600);

    listener.onAudio(session, modelAudio(Duration.ofSeconds(1)));
    mic.push(speech());
    assertThat(mic.awaitReads(3, WAIT)).isTrue();
    assertThat(session.audioBytes()).isEqualTo(1_600);
    assertThat(conv.gatedAudio()).isEqualTo(Duration.ofMillis(50));
    assertThat(conv.isAgentSpeaking()).isTrue();

    speaker.open();
    assertThat(conv.awaitPlaybackIdle(WAIT)).isTrue();
    assertThat(conv.isAgentSpeaking()).isFalse();
    mic.push(speech());
    assertThat(mic.awaitReads(4, WAIT)).isTrue();
    assertThat(session.audioBytes()).isEqualTo(3_200);
    assertThat(session.endCount()).isZero();
  }

  @Test
  void halfDuplexKeepsDroppingForTheEchoTailAfterPlayback() throws Exception {
    ScriptedSource mic = new ScriptedSource(IN);
    AudioConversation conv =
        conversation(
            AudioConversation.builder()
                .source(mic)
                .sink(AudioSink.memory(PcmFormat.OUTPUT_24K))
                .duplex(DuplexPolicy.half(DuplexPolicy.MAX_ECHO_TAIL)));
    conv.start(session);
    conv.listener().onAudio(session, modelAudio(Duration.ofMillis(100)));
    assertThat(conv.awaitPlaybackIdle(WAIT)).isTrue();

    mic.push(speech());
    assertThat(mic.awaitReads(2, WAIT)).isTrue();
    assertThat(session.audioBytes()).isZero();
    assertThat(conv.gatedAudio()).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void muteSendsWhatIsCapturedThenEndsTheAudioStreamAndDropsInputUntilUnmute() throws Exception {
    ScriptedSource mic = new ScriptedSource(IN);
    AudioConversation conv =
        conversation(
            AudioConversation.builder().source(mic).sink(AudioSink.memory(PcmFormat.OUTPUT_24K)));
    conv.start(session);
    // 30 ms: less than one 50 ms chunk, so it waits in the chunker until mute flushes it.
    mic.push(PcmChunk.ofSamples(IN, Signals.sine(16_000, 300, 8_000, 480)));
    assertThat(mic.awaitReads(2, WAIT)).isTrue();
    assertThat(session.sent()).isEmpty();

    conv.mute();
    conv.mute();
    assertThat(conv.isMuted()).isTrue();
    assertThat(session.sent()).hasSize(2);
    assertThat(session.sent().get(0).audio()).hasSize(960);
    assertThat(session.sent().get(1).end()).isTrue();

    mic.push(speech());
    assertThat(mic.awaitReads(3, WAIT)).isTrue();
    assertThat(session.sent()).hasSize(2);

    conv.unmute();
    mic.push(speech());
    assertThat(mic.awaitReads(4, WAIT)).isTrue();
    assertThat(session.sent()).hasSize(3);
    assertThat(session.sent().get(2).audio()).hasSize(1_600);

    mic.end();
    assertThat(session.awaitEnds(2, WAIT)).isTrue();
  }

  @Test
  void interruptionClearsPlaybackSoAtMostTheFrameBeingWrittenFollows() throws Exception {
    HeldSink speaker = new HeldSink(PcmFormat.OUTPUT_24K);
    AudioConversation conv =
        conversation(AudioConversation.builder().source(new ScriptedSource(IN)).sink(speaker));
    LiveListener listener = conv.listener();
    conv.start(session);
    listener.onAudio(session, modelAudio(Duration.ofSeconds(2)));
    assertThat(speaker.awaitFirstWrite(WAIT)).isTrue();

    listener.onInterrupted(session);
    assertThat(speaker.discards()).isEqualTo(1);
    speaker.open();
    assertThat(conv.awaitPlaybackIdle(WAIT)).isTrue();
    int frameBytes = PcmFormat.OUTPUT_24K.bytesFor(PlaybackQueue.DEFAULT_FRAME_DURATION);
    assertThat(speaker.bytes()).isEqualTo(frameBytes);

    listener.onAudio(session, modelAudio(Duration.ofMillis(200)));
    listener.onTurnComplete(session, TurnComplete.NORMAL);
    assertThat(conv.awaitPlaybackIdle(WAIT)).isTrue();
    assertThat(speaker.bytes())
        .isEqualTo(frameBytes + PcmFormat.OUTPUT_24K.bytesFor(Duration.ofMillis(200)));
  }

  @Test
  void playsModelAudioConvertedToTheSinkFormat() throws Exception {
    MemoryAudioSink speaker = AudioSink.memory(PcmFormat.of(48_000, 2));
    AudioConversation conv =
        conversation(AudioConversation.builder().source(new ScriptedSource(IN)).sink(speaker));
    LiveListener listener = conv.listener();
    conv.start(session);
    listener.onAudio(session, modelAudio(Duration.ofMillis(500)));
    listener.onTurnComplete(session, TurnComplete.NORMAL);
    long expected = PcmFormat.of(48_000, 2).bytesFor(Duration.ofMillis(500));
    assertThat(speaker.awaitBytes(expected - 2_000, WAIT)).as("%s", speaker).isTrue();
    assertThat(conv.awaitPlaybackIdle(WAIT)).isTrue();
    assertThat(speaker.totalBytes()).as("%s", speaker).isBetween(expected - 2_000, expected);
  }

  @Test
  void stopEndsTheStreamSilencesPlaybackAndReleasesTheCaptureThread() throws Exception {
    ScriptedSource mic = new ScriptedSource(IN);
    HeldSink speaker = new HeldSink(PcmFormat.OUTPUT_24K);
    AudioConversation conv = conversation(AudioConversation.builder().source(mic).sink(speaker));
    LiveListener listener = conv.listener();
    conv.start(session);
    mic.push(speech());
    assertThat(mic.awaitReads(2, WAIT)).isTrue();
    listener.onAudio(session, modelAudio(Duration.ofSeconds(1)));
    Thread capture = mic.reader();
    assertThat(capture.getName()).isEqualTo("gemini-live-capture");

    conv.stop();
    assertThat(conv.state()).isEqualTo(AudioConversation.State.STOPPED);
    assertThat(session.endCount()).isEqualTo(1);
    assertThat(speaker.discards()).isEqualTo(1);
    mic.push(speech()); // the read in progress returns, like a microphone's next chunk
    capture.join(WAIT.toMillis());
    assertThat(capture.isAlive()).isFalse();
    assertThat(session.audioBytes()).isEqualTo(1_600);
    listener.onAudio(session, modelAudio(Duration.ofSeconds(1))); // dropped while stopped
    speaker.open();
    assertThat(mic.isClosed()).isFalse();

    RecordingSession next = new RecordingSession();
    conv.start(next);
    mic.push(speech());
    mic.end();
    assertThat(next.awaitEnds(1, WAIT)).isTrue();
    assertThat(next.audioBytes()).isEqualTo(1_600);
  }

  @Test
  void closeReleasesTheCaptureThreadAndClosesSourceAndSinkButNotTheSession() throws Exception {
    ScriptedSource mic = new ScriptedSource(IN);
    HeldSink speaker = new HeldSink(PcmFormat.OUTPUT_24K);
    speaker.open();
    AudioConversation conv = conversation(AudioConversation.builder().source(mic).sink(speaker));
    conv.start(session);
    assertThat(mic.awaitReads(1, WAIT)).isTrue();
    Thread capture = mic.reader();

    conv.close();
    assertThat(capture.isAlive()).isFalse();
    assertThat(mic.isClosed()).isTrue();
    assertThat(speaker.isClosed()).isTrue();
    assertThat(session.state()).isEqualTo(SessionState.ACTIVE);
    assertThat(conv.state()).isEqualTo(AudioConversation.State.CLOSED);
    conv.close();
    conv.mute();
    assertThatThrownBy(() -> conv.start(session))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void theSessionEndingStopsTheConversation() throws Exception {
    ScriptedSource mic = new ScriptedSource(IN);
    AudioConversation conv =
        conversation(
            AudioConversation.builder().source(mic).sink(AudioSink.memory(PcmFormat.OUTPUT_24K)));
    conv.start(session);
    session.state(SessionState.CLOSED);
    conv.listener().onClosed(session);
    assertThat(conv.state()).isEqualTo(AudioConversation.State.STOPPED);
    mic.push(speech());
    assertThat(mic.awaitReads(1, WAIT)).isTrue();
    mic.reader().join(WAIT.toMillis());
    assertThat(mic.reader().isAlive()).isFalse();
    assertThat(session.sent()).isEmpty();
  }

  @Test
  void theListenerForwardsEveryEventToTheApplicationListener() throws Exception {
    for (Method m : LiveListener.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Class<?> forwarding =
          AudioConversation.builder()
              .source(new ScriptedSource(IN))
              .sink(AudioSink.memory(PcmFormat.OUTPUT_24K))
              .build()
              .listener()
              .getClass();
      assertThat(forwarding.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass())
          .as("forwarding listener overrides %s", m)
          .isNotEqualTo(LiveListener.class);
    }
    List<String> seen = new ArrayList<>();
    AudioConversation conv =
        conversation(
            AudioConversation.builder()
                .source(new ScriptedSource(IN))
                .sink(AudioSink.memory(PcmFormat.OUTPUT_24K)));
    LiveListener listener =
        conv.listener(
            new LiveListener() {
              @Override
              public void onAudio(ResilientLiveSession s, AudioChunk chunk) {
                seen.add("audio " + chunk.pcm().length);
              }

              @Override
              public void onInterrupted(ResilientLiveSession s) {
                seen.add("interrupted");
              }

              @Override
              public void onText(ResilientLiveSession s, String text) {
                seen.add("text " + text);
              }
            });
    listener.onAudio(session, modelAudio(Duration.ofMillis(20)));
    listener.onText(session, "hi");
    listener.onInterrupted(session);
    assertThat(seen).containsExactly("audio 960", "text hi", "interrupted");
  }

  @Test
  void buildAndStartRejectMisuse() {
    assertThatThrownBy(() -> AudioConversation.builder().source(new ScriptedSource(IN)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a sink");
    assertThatThrownBy(() -> AudioConversation.builder().chunkDuration(Duration.ofMillis(5)))
        .isInstanceOf(IllegalArgumentException.class);
    AudioConversation conv =
        conversation(
            AudioConversation.builder()
                .source(new ScriptedSource(IN))
                .sink(AudioSink.memory(PcmFormat.OUTPUT_24K)));
    conv.start(session);
    assertThatThrownBy(() -> conv.start(session))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already running");
    RecordingSession ended = new RecordingSession();
    ended.state(SessionState.FAILED);
    conv.stop();
    assertThatThrownBy(() -> conv.start(ended))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("FAILED");
  }

  private static byte[] concat(List<RecordingSession.Sent> sent) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    sent.forEach(s -> out.writeBytes(s.audio()));
    return out.toByteArray();
  }
}
