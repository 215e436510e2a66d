package dev.geminilive.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminilive.testkit.FakeConnection;
import dev.geminilive.testkit.UserTurn;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Base64;

/**
 * The voice activity of one fake connection: the server's own detection (speech starts at the first
 * loud sample, a turn ends after the setup's silence), or the client's {@code activityStart}/{@code
 * activityEnd} when the setup disabled it; the audio of each turn goes to the session as a user
 * turn. Owned by the server's model thread; not thread-safe.
 */
final class ActivityDetector {
  private final ConnectionEngine conn;
  private boolean explicitVadSignal;
  private boolean manual;
  private int silenceMillis = (int) FakeConnection.DEFAULT_SILENCE.toMillis();
  private boolean speaking;
  private boolean inActivity;
  private long silentSamples;
  private int turnRate = 16_000;
  private final ByteArrayOutputStream turnAudio = new ByteArrayOutputStream();

  ActivityDetector(ConnectionEngine conn) {
    this.conn = conn;
  }

  /** Takes the setup's activity detection options. */
  void configure(JsonNode setup) {
    explicitVadSignal = Json.bool(setup.path("explicitVadSignal"));
    JsonNode rtc = setup.path("realtimeInputConfig");
    JsonNode aad = rtc.path("automaticActivityDetection");
    manual = Json.bool(aad.path("disabled"));
    if (aad.path("silenceDurationMs").canConvertToInt()
        && aad.path("silenceDurationMs").asInt() > 0) {
      silenceMillis = aad.path("silenceDurationMs").asInt();
    }
  }

  /** Whether the setup disabled the server's detection (the client sends activity signals). */
  boolean manual() {
    return manual;
  }

  /** The client's {@code activityStart} (manual detection only). */
  void activityStart(SessionEngine s) {
    inActivity = true;
    turnAudio.reset();
    s.speechStarted(conn);
  }

  /** The client's {@code activityEnd} (manual detection only). */
  void activityEnd() {
    if (inActivity) {
      endAudioTurn();
    }
  }

  /** The client's {@code audioStreamEnd} (automatic detection only). */
  void audioStreamEnd() {
    if (speaking) {
      endAudioTurn();
    }
  }

  /** One audio blob of the client's realtime input. */
  void onAudio(JsonNode blob) {
    byte[] pcm = Base64.getDecoder().decode(blob.path("data").asText(""));
    int rate = Pcm.rateOf(blob.path("mimeType").asText(""));
    SessionEngine s = conn.requireSession();
    if (manual) {
      if (inActivity) {
        turnAudio.writeBytes(pcm);
        turnRate = rate;
      }
      return;
    }
    long silenceSamples = (long) silenceMillis * rate / 1000;
    for (int i = 0; i + 1 < pcm.length; i += 2) {
      boolean loud = Math.abs(Pcm.sample(pcm, i / 2)) > Pcm.SPEECH_THRESHOLD;
      if (!speaking) {
        if (!loud) {
          continue;
        }
        speaking = true;
        silentSamples = 0;
        turnAudio.reset();
        turnRate = rate;
        speechSignals(true);
        s.speechStarted(conn);
      }
      turnAudio.write(pcm[i]);
      turnAudio.write(pcm[i + 1]);
      silentSamples = loud ? 0 : silentSamples + 1;
      if (silentSamples >= silenceSamples) {
        endAudioTurn();
      }
    }
  }

  /**
   * The start or end of speech the server's own activity detection found: {@code voiceActivity}
   * where the model sends it, {@code voiceActivityDetectionSignal} where the setup asked for it.
   */
  private void speechSignals(boolean start) {
    if (conn.behaviour().voiceActivity()) {
      conn.send(ServerMessages.voiceActivity(start ? "ACTIVITY_START" : "ACTIVITY_END"));
    }
    if (explicitVadSignal) {
      conn.send(ServerMessages.vadSignal(start ? "VAD_SIGNAL_TYPE_SOS" : "VAD_SIGNAL_TYPE_EOS"));
    }
  }

  private void endAudioTurn() {
    if (speaking) {
      speechSignals(false);
    }
    speaking = false;
    inActivity = false;
    byte[] audio = turnAudio.toByteArray();
    turnAudio.reset();
    Duration d = Duration.ofNanos(audio.length / 2 * 1_000_000_000L / turnRate);
    conn.requireSession().userTurn(conn, UserTurn.Kind.AUDIO, "", audio, d);
  }
}
