package dev.geminilive.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Duration;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;
import org.junit.jupiter.api.Test;

/** Runs where no sound device exists (CI, containers): opening one must fail clearly. */
class DeviceTest {

  private static boolean anyLine(Class<?> type) {
    for (int rate : new int[] {16_000, 24_000, 44_100, 48_000}) {
      for (int channels = 1; channels <= 2; channels++) {
        var info = new DataLine.Info(type, PcmFormat.of(rate, channels).toAudioFormat());
        if (AudioSystem.isLineSupported(info)) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void aMissingMicrophoneFailsNamingTheFormatAndTheMixersFound() {
    assumeFalse(anyLine(TargetDataLine.class), "this machine has a capture device");
    assertThatThrownBy(() -> AudioSource.microphone(PcmFormat.INPUT_16K, Duration.ofMillis(20)))
        .isInstanceOf(AudioDeviceException.class)
        .isInstanceOf(dev.geminilive.LiveException.class)
        .hasMessageContaining("microphone")
        .hasMessageContaining("PCM16LE 16000 Hz mono")
        .hasMessageContaining("48000 Hz")
        .hasMessageContaining("mixers found: ");
  }

  @Test
  void aMissingSpeakerFailsNamingTheFormatAndTheMixersFound() {
    assumeFalse(anyLine(SourceDataLine.class), "this machine has a playback device");
    assertThatThrownBy(() -> AudioSink.speaker(PcmFormat.OUTPUT_24K))
        .isInstanceOf(AudioDeviceException.class)
        .hasMessageContaining("speaker")
        .hasMessageContaining("PCM16LE 24000 Hz mono")
        .hasMessageContaining("mixers found: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("null"));
  }

  @Test
  void aBadChunkDurationIsReportedBeforeAnyDeviceIsTouched() {
    assertThatThrownBy(() -> AudioSource.microphone(PcmFormat.INPUT_16K, Duration.ofMillis(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chunkDuration");
  }
}
