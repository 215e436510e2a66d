package dev.geminilive.examples.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The WAV file Chromium's fake microphone plays once: silence, a first utterance, a short pause, a
 * second utterance that talks over the agent's answer, then silence.
 *
 * <p>The utterances are synthetic voiced sound (a gliding pitch with harmonics and a syllable
 * rhythm) rather than a pure tone, so that Chromium's noise suppression lets them through and the
 * fake server's activity detection hears speech.
 */
final class FakeMicrophone {
  static final int RATE = 48_000;

  /** When the first utterance starts, in seconds from the start of capture. */
  static final double FIRST_AT = 3.0;

  /** When the second (interrupting) utterance starts. */
  static final double SECOND_AT = 5.0;

  static final double UTTERANCE = 0.8;
  static final double TOTAL = 30.0;

  private FakeMicrophone() {}

  static Path write(Path dir) {
    int n = (int) (TOTAL * RATE);
    short[] pcm = new short[n];
    voice(pcm, FIRST_AT);
    voice(pcm, SECOND_AT);
    ByteBuffer wav = ByteBuffer.allocate(44 + n * 2).order(ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes()).putInt(36 + n * 2).put("WAVE".getBytes());
    wav.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1);
    wav.putInt(RATE).putInt(RATE * 2).putShort((short) 2).putShort((short) 16);
    wav.put("data".getBytes()).putInt(n * 2);
    for (short s : pcm) {
      wav.putShort(s);
    }
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("microphone.wav");
      Files.write(file, wav.array());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void voice(short[] pcm, double at) {
    int start = (int) (at * RATE);
    int length = (int) (UTTERANCE * RATE);
    double phase = 0;
    for (int i = 0; i < length && start + i < pcm.length; i++) {
      double t = (double) i / RATE;
      double pitch = 120 + 40 * Math.sin(2 * Math.PI * 1.3 * t);
      phase += 2 * Math.PI * pitch / RATE;
      double syllables = 0.6 + 0.4 * Math.abs(Math.sin(2 * Math.PI * 2.5 * t));
      double edge = Math.min(1, Math.min(t, UTTERANCE - t) / 0.03);
      double s = 0;
      for (int h = 1; h <= 8; h++) {
        s += Math.sin(h * phase) / h;
      }
      pcm[start + i] = (short) (0.45 * 32767 * syllables * edge * s / 2.0);
    }
  }
}
