package dev.geminilive.benchmarks;

import dev.geminilive.audio.G711;
import dev.geminilive.audio.Resampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Section 6: the resampler's speed and quality beside SoX and the JDK's {@code AudioSystem}, and
 * the cost of a telephony call's audio path. Speeds are CPU time of the measuring thread (see
 * {@link CpuTimer}); SoX is timed by the CPU time of its process.
 */
final class AudioBench {
  /** The conversions the report covers: the service's and telephony's rates. */
  static final int[][] CONVERSIONS = {
    {48_000, 16_000}, {24_000, 16_000}, {24_000, 8_000}, {8_000, 16_000}
  };

  static final String SOX_HIGH = "rate -h";

  /** The SINAD tone. */
  static final double TONE_HZ = 997;

  static final List<String> SOX_HIGH_ARGS = List.of("-h");
  static final List<String> SOX_MATCHED_ARGS = List.of("-m", "-b", "90");

  /**
   * SoX timings of one conversion, seconds of CPU for the whole file; {@code noDither} and {@code
   * readOnly} are the medians of the paired trials, {@code netCpu} the median of their per-trial
   * differences.
   */
  record SoxSpeed(
      int seconds,
      Sox.Timing asWritten,
      Sox.Timing noDither,
      Sox.Timing matched,
      Sox.Timing readOnly,
      Sox.Timing copy,
      double netCpu) {
    /** × real time per core of a timing, optionally net of start-up and the input's read. */
    double realTime(Sox.Timing t, boolean net) {
      double cpu = net ? Math.max(1e-6, t.cpu() - readOnly.cpu()) : t.cpu();
      return seconds / cpu;
    }

    /** × real time per core of {@code rate -h} without dither, net of start-up and input read. */
    double netRealTime() {
      return seconds / Math.max(1e-6, netCpu);
    }
  }

  record Conversion(
      int from,
      int to,
      CpuTimer.Speed library,
      CpuTimer.Speed jdk,
      SoxSpeed sox,
      Sox.Versus versusSox) {
    String name() {
      return from / 1000 + "k→" + to / 1000 + "k";
    }
  }

  /** dB figures of one conversion; NaN where a path cannot do it. */
  record Quality(
      String name,
      double librarySinad,
      double soxSinad,
      double soxMatchedSinad,
      double jdkSinad,
      double libraryReject,
      double soxReject,
      double soxMatchedReject,
      double jdkReject,
      double libraryFloatSinad,
      double soxFloatSinad,
      double libraryFloatReject,
      double soxFloatReject) {}

  record Telephony(
      CpuTimer.Speed call,
      CpuTimer.Speed decode,
      CpuTimer.Speed up,
      CpuTimer.Speed down,
      CpuTimer.Speed encode,
      double allocatedBytesPerCallSecond,
      double heapKiBPerCall) {}

  record Result(
      List<Conversion> conversions,
      List<Quality> quality,
      Telephony telephony,
      CpuTimer.Speed muLawEncode,
      CpuTimer.Speed muLawDecode,
      CpuTimer.Speed jdkMuLawEncode,
      CpuTimer.Speed jdkMuLawDecode,
      double allocatedBytesPerChunk,
      double heapKiBPerResampler,
      String sox,
      String soxDir,
      int soxSeconds) {}

  private final Form form;
  private final Progress progress;
  private final CpuTimer timer;
  private long sink;

  AudioBench(Form form, Progress progress) {
    this.form = form;
    this.progress = progress;
    this.timer = CpuTimer.of(form);
  }

  Result run() throws Exception {
    Sox sox = Sox.find();
    if (sox == null) {
      progress.note(
          "SoX not found (install it with `apt-get install -y sox`): the SoX rows are left out");
    }
    int soxSeconds = form.pick(60, 600);
    List<Conversion> conversions = new ArrayList<>();
    int step = 0;
    int steps = CONVERSIONS.length * 2 + 2;
    for (int[] c : CONVERSIONS) {
      progress.step("speed " + c[0] / 1000 + "k→" + c[1] / 1000 + "k", ++step, steps);
      conversions.add(convert(c[0], c[1], sox, soxSeconds));
    }
    List<Quality> quality = new ArrayList<>();
    for (int[] c : CONVERSIONS) {
      progress.step("quality " + c[0] / 1000 + "k→" + c[1] / 1000 + "k", ++step, steps);
      quality.add(quality(c[0], c[1], sox));
    }
    progress.step("telephony call path", ++step, steps);
    Telephony telephony = new TelephonyBench(timer).run();
    progress.step("mu-law, allocation, heap", ++step, steps);
    short[][] voice = AudioQuality.chunks(AudioQuality.tone(8_000, 1_000, 0.5, 8_000), 160);
    byte[][] ulaw = new byte[voice.length][];
    for (int i = 0; i < voice.length; i++) {
      ulaw[i] = G711.encodeMuLaw(voice[i]);
    }
    byte[] pcm8k = AudioQuality.le(AudioQuality.tone(8_000, 1_000, 0.5, 8_000));
    byte[] ulawAll = AudioQuality.concat(ulaw);
    CpuTimer.Speed enc =
        timer.time(
            () -> {
              for (short[] v : voice) {
                sink += G711.encodeMuLaw(v).length;
              }
            });
    CpuTimer.Speed dec =
        timer.time(
            () -> {
              for (byte[] u : ulaw) {
                sink += G711.decodeMuLaw(u).length;
              }
            });
    CpuTimer.Speed jdkEnc =
        timer.time(() -> sink += jdk(pcm8k, AudioQuality.pcm(8_000), AudioQuality.ulaw()));
    CpuTimer.Speed jdkDec =
        timer.time(() -> sink += jdk(ulawAll, AudioQuality.ulaw(), AudioQuality.pcm(8_000)));
    return new Result(
        conversions,
        quality,
        telephony,
        enc,
        dec,
        jdkEnc,
        jdkDec,
        allocatedPerChunk(),
        heapPerResampler(),
        sox == null ? null : sox.version(),
        sox == null ? null : sox.dir().getParent().toString(),
        soxSeconds);
  }

  private Conversion convert(int from, int to, Sox sox, int soxSeconds) throws Exception {
    short[][] chunks = AudioQuality.chunks(AudioQuality.tone(from, 1_000, 0.5, from), from / 50);
    Resampler r = Resampler.create(from, to);
    Runnable oneSecond =
        () -> {
          for (short[] c : chunks) {
            sink += r.process(c).length;
          }
        };
    CpuTimer.Speed lib = timer.time(oneSecond);
    byte[] pcm = AudioQuality.le(AudioQuality.tone(from, 1_000, 0.5, from));
    CpuTimer.Speed jdk =
        timer.time(() -> sink += jdk(pcm, AudioQuality.pcm(from), AudioQuality.pcm(to)));
    SoxSpeed soxSpeed = null;
    Sox.Versus versus = null;
    if (sox != null) {
      Path in = sox.wav(from, soxSeconds);
      Path out = sox.dir().resolve("out.wav");
      String rate = String.valueOf(to);
      int reps = form.pick(3, 5);
      String i = in.toString();
      String o = out.toString();
      // The comparison the goal rests on: library and SoX alternate, trial by trial.
      Sox.Alternation alt =
          sox.alternate(
              form.pick(7, 15),
              () -> timer.once(oneSecond),
              List.of("-D", i, "-r", rate, o, "rate", "-h"),
              List.of("-D", i, "-n"));
      versus = alt.versus(soxSeconds);
      soxSpeed =
          new SoxSpeed(
              soxSeconds,
              sox.time(List.of(i, "-r", rate, o, "rate", "-h"), reps),
              new Sox.Timing(Stats.median(alt.convert()), Double.NaN),
              sox.time(List.of("-D", i, "-r", rate, o, "rate", "-m", "-b", "90"), reps),
              new Sox.Timing(Stats.median(alt.readOnly()), Double.NaN),
              sox.time(List.of("-D", i, o), reps),
              Stats.median(alt.net()));
      Files.deleteIfExists(out);
    }
    return new Conversion(from, to, lib, jdk, soxSpeed, versus);
  }

  private static int jdk(
      byte[] data, javax.sound.sampled.AudioFormat from, javax.sound.sampled.AudioFormat to) {
    try {
      return AudioQuality.jdkConvert(data, from, to).length;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Tones for the rejection measure: above the output's Nyquist when down-sampling (whatever comes
   * out is an alias), near the top of the band when up-sampling (whatever is not the tone is an
   * image).
   */
  static double[] rejectionTones(int from, int to) {
    double lower = Math.min(from, to) / 2.0;
    if (to < from) {
      double top = from / 2.0;
      return new double[] {
        lower * 1.02,
        lower * 1.1,
        lower + (top - lower) * 0.3,
        lower + (top - lower) * 0.6,
        top * 0.97
      };
    }
    return new double[] {lower * 0.5, lower * 0.7, lower * 0.85, lower * 0.9};
  }

  private Quality quality(int from, int to, Sox sox) throws Exception {
    String name = from / 1000 + "k→" + to / 1000 + "k";
    int n = 2 * from;
    // 997 Hz: a tone whose period shares no factor with the rates, so rounding errors spread like
    // noise instead of repeating into harmonics.
    double hz = TONE_HZ;
    short[] tone = AudioQuality.tone(from, hz, 0.891, n); // -1 dBFS
    double libSinad = AudioQuality.sinad(AudioQuality.libraryResample(tone, from, to), to, hz);
    double jdkSinad = AudioQuality.sinad(AudioQuality.jdkResample(tone, from, to), to, hz);
    double soxSinad = Double.NaN;
    double soxMatchedSinad = Double.NaN;
    if (sox != null) {
      soxSinad = AudioQuality.sinad(sox.resample(tone, from, to, SOX_HIGH_ARGS), to, hz);
      soxMatchedSinad = AudioQuality.sinad(sox.resample(tone, from, to, SOX_MATCHED_ARGS), to, hz);
    }
    float[] toneF = AudioQuality.toneFloat(from, hz, 0.5, n);
    double libFloatSinad =
        AudioQuality.sinad(AudioQuality.libraryResample(toneF, from, to), to, hz);
    double soxFloatSinad =
        sox == null
            ? Double.NaN
            : AudioQuality.sinad(sox.resample(toneF, from, to, SOX_HIGH_ARGS), to, hz);
    double libReject = Double.NEGATIVE_INFINITY;
    double jdkReject = Double.NEGATIVE_INFINITY;
    double soxReject = Double.NEGATIVE_INFINITY;
    double soxMatchedReject = Double.NEGATIVE_INFINITY;
    double libFloatReject = Double.NEGATIVE_INFINITY;
    double soxFloatReject = Double.NEGATIVE_INFINITY;
    for (double f : rejectionTones(from, to)) {
      short[] t = AudioQuality.tone(from, f, 0.891, n);
      float[] tf = AudioQuality.toneFloat(from, f, 0.5, n);
      libReject =
          Math.max(libReject, unwanted(AudioQuality.libraryResample(t, from, to), from, to, f));
      jdkReject = Math.max(jdkReject, unwanted(AudioQuality.jdkResample(t, from, to), from, to, f));
      libFloatReject =
          Math.max(
              libFloatReject, unwanted(AudioQuality.libraryResample(tf, from, to), from, to, f));
      if (sox != null) {
        soxReject =
            Math.max(soxReject, unwanted(sox.resample(t, from, to, SOX_HIGH_ARGS), from, to, f));
        soxMatchedReject =
            Math.max(
                soxMatchedReject,
                unwanted(sox.resample(t, from, to, SOX_MATCHED_ARGS), from, to, f));
        soxFloatReject =
            Math.max(
                soxFloatReject, unwanted(sox.resample(tf, from, to, SOX_HIGH_ARGS), from, to, f));
      }
    }
    return new Quality(
        name,
        libSinad,
        soxSinad,
        soxMatchedSinad,
        jdkSinad,
        -libReject,
        sox == null ? Double.NaN : -soxReject,
        sox == null ? Double.NaN : -soxMatchedReject,
        -jdkReject,
        libFloatSinad,
        soxFloatSinad,
        -libFloatReject,
        sox == null ? Double.NaN : -soxFloatReject);
  }

  /**
   * dB of what should not be there, relative to the tone: all of it (alias), or all but the tone.
   */
  private static double unwanted(short[] out, int from, int to, double f) {
    if (to < from) {
      return AudioQuality.leakage(out, 0.891);
    }
    return -AudioQuality.sinad(out, to, f);
  }

  private static double unwanted(float[] out, int from, int to, double f) {
    if (to < from) {
      return AudioQuality.leakage(out, 0.5);
    }
    return -AudioQuality.sinad(out, to, f);
  }

  /** Bytes allocated by one process() of a 20 ms 48 kHz chunk (the output array included). */
  private double allocatedPerChunk() {
    short[] chunk = AudioQuality.tone(48_000, 1_000, 0.5, 960);
    Resampler r = Resampler.create(48_000, 16_000);
    for (int i = 0; i < 10_000; i++) {
      sink += r.process(chunk).length;
    }
    long a0 = CpuTimer.allocatedBytes();
    for (int i = 0; i < 1_000; i++) {
      sink += r.process(chunk).length;
    }
    return (CpuTimer.allocatedBytes() - a0) / 1_000.0;
  }

  /** Heap held by one 48 kHz → 16 kHz resampler after its first 20 ms chunk. */
  private double heapPerResampler() throws InterruptedException {
    short[] chunk = AudioQuality.tone(48_000, 1_000, 0.5, 960);
    JvmReadings.gc();
    long h0 = JvmReadings.usedHeap();
    Resampler[] all = new Resampler[1_000];
    for (int i = 0; i < all.length; i++) {
      all[i] = Resampler.create(48_000, 16_000);
      sink += all[i].process(chunk).length;
    }
    JvmReadings.gc();
    double kib = (JvmReadings.usedHeap() - h0) / 1024.0 / all.length;
    sink += all.length;
    return kib;
  }
}
