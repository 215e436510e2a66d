package dev.geminilive.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** Section 6 of the report and its charts. */
final class AudioReport {
  private AudioReport() {}

  static final String SPEED_CHART = "audio-speed.svg";
  static final String QUALITY_CHART = "audio-quality.svg";

  /** The charts, file name → SVG. */
  static List<String[]> charts(AudioBench.Result r) {
    List<String> categories = new ArrayList<>();
    List<String> series =
        List.of(
            "library (20 ms chunks)",
            "SoX rate -h, no dither, net of start-up and input read",
            "SoX as written in the issue (rate -h, dither), whole process",
            "JDK AudioSystem (linear interpolation)");
    double[][] v = new double[4][r.conversions().size()];
    for (int i = 0; i < r.conversions().size(); i++) {
      AudioBench.Conversion c = r.conversions().get(i);
      categories.add(c.name());
      v[0][i] = c.library().realTime(1);
      v[1][i] = c.sox() == null ? Double.NaN : c.sox().netRealTime();
      v[2][i] = c.sox() == null ? Double.NaN : c.sox().realTime(c.sox().asWritten(), false);
      v[3][i] = c.jdk().realTime(1);
    }
    String speed =
        Svg.bars(
            "Resampling speed, × real time per core (CPU time; higher is faster)",
            "× real time per core (log scale)",
            categories,
            series,
            v,
            true,
            1_000,
            "goal 1,000×");
    List<String> qSeries =
        List.of(
            "library: rejection, float",
            "SoX rate -h: rejection, float",
            "library: SINAD, PCM16",
            "SoX rate -h: SINAD, PCM16",
            "JDK AudioSystem: rejection, PCM16",
            "JDK AudioSystem: SINAD, PCM16");
    double[][] q = new double[6][r.quality().size()];
    List<String> qCategories = new ArrayList<>();
    for (int i = 0; i < r.quality().size(); i++) {
      AudioBench.Quality x = r.quality().get(i);
      qCategories.add(x.name());
      q[0][i] = x.libraryFloatReject();
      q[1][i] = x.soxFloatReject();
      q[2][i] = x.librarySinad();
      q[3][i] = x.soxSinad();
      q[4][i] = Math.max(0.5, x.jdkReject());
      q[5][i] = x.jdkSinad();
    }
    String quality =
        Svg.bars(
            "Resampling quality, dB (higher is better): alias/image rejection of the filter and"
                + " SINAD with 16-bit I/O",
            "dB",
            qCategories,
            qSeries,
            q,
            false,
            90,
            "goal 90 dB");
    return List.of(new String[] {SPEED_CHART, speed}, new String[] {QUALITY_CHART, quality});
  }

  static String section(AudioBench.Result r, String chartDir) {
    StringBuilder sb = new StringBuilder();
    sb.append("## 6. Audio: the resampler beside SoX and the JDK, and a phone call's cost\n\n");
    sb.append(
        "Speed is CPU time of the measuring thread (the machine is shared, so time spent waiting"
            + " for a core is not counted against anyone): a warm-up, then repetitions of one"
            + " operation, the median with the fastest and slowest repetition. One library"
            + " operation is one second of audio in fifty 20 ms chunks through one streaming"
            + " `Resampler` (PCM16 `short[]` in and out); one JDK operation is"
            + " `AudioSystem.getAudioInputStream(targetFormat, stream)` over one second, read to"
            + " the end. × real time per core = 1 s ÷ CPU time per second of audio.\n\n");
    if (r.sox() == null) {
      sb.append(
          "**SoX was not found** (`apt-get install -y sox`), so its rows are left out of this"
              + " run.\n\n");
    } else {
      sb.append(
          Stats.fmt(
              "SoX (%s) converts a %d s WAV file (a 1 kHz tone with a little noise) on a tmpfs"
                  + " (`%s`), timed by the user + system CPU time of its process (bash's `time`),"
                  + " median of several runs. How file I/O is counted: *whole process* is"
                  + " everything (start-up, reading and parsing the WAV, resampling, dithering when"
                  + " on, writing); *net* subtracts a run of `sox -D in.wav -n` on the same file"
                  + " right after it (start-up plus reading and decoding the input, no output),"
                  + " the median of the per-trial differences, which leaves the"
                  + " writing of the output in SoX's figure, a third to twice the input's size"
                  + " (`sox -D in.wav copy.wav`, read and write of the input's size, is shown for"
                  + " scale). The library's figure has no file I/O at all but includes its"
                  + " conversion of PCM16 to float and back. SoX adds dither by default when it"
                  + " writes 16 bits (`-D` turns it off); `rate -h` is 95 %% bandwidth and 125 dB"
                  + " rejection; `rate -m -b 90` (100 dB, 90 %%) is the setting nearest to the"
                  + " library's filter (90 %% bandwidth, %.0f dB, equiripple for these ratios)."
                  + " *library ÷ SoX -h net*, the figure the goal is judged on, comes from"
                  + " alternating trials (one library repetition, then SoX, then its read-only"
                  + " run, then the next trial), so that a change in the machine's load or clock"
                  + " falls on both: the median of the per-trial ratios, with the lowest and"
                  + " highest. Each side keeps its own chunking: the library 20 ms chunks, as a"
                  + " live call feeds it, SoX its default buffer.\n\n",
              r.sox(),
              r.soxSeconds(),
              r.soxDir(),
              dev.geminilive.audio.Resampler.STOPBAND_ATTENUATION_DB));
    }
    if (r.sox() != null && r.soxSeconds() < 600) {
      sb.append(
          Stats.fmt(
              "In this short form SoX converts only %d s, a net CPU time of 10–30 ms that bash"
                  + " reads to the millisecond: its ratios here are good to about ±10 %%; the full"
                  + " form converts 600 s.\n\n",
              r.soxSeconds()));
    }
    sb.append("![Resampling speed](").append(chartDir).append('/').append(SPEED_CHART);
    sb.append(")\n\n");
    sb.append(
        "| conversion | library µs per s of audio | library × real time per core | SoX -h net"
            + " × | SoX -h as written, whole process × (wall) | SoX -m -b 90 net × | SoX copy of"
            + " the input (CPU s) | JDK µs per s | JDK × | library ÷ SoX -h net, alternating"
            + " trials (range) | library ÷ JDK |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (AudioBench.Conversion c : r.conversions()) {
      AudioBench.SoxSpeed s = c.sox();
      sb.append(
          Stats.fmt(
              "| %s | %s (%s–%s) | **%s×** | %s | %s (%s) | %s | %s | %s | %s× | %s | %s |\n",
              c.name(),
              Stats.num(c.library().median()),
              Stats.num(c.library().min()),
              Stats.num(c.library().max()),
              Stats.num(c.library().realTime(1)),
              s == null ? "n/a" : Stats.num(s.netRealTime()) + "×",
              s == null ? "n/a" : Stats.num(s.realTime(s.asWritten(), false)) + "×",
              s == null ? "n/a" : Stats.num(s.seconds() / s.asWritten().wall()) + "×",
              s == null ? "n/a" : Stats.num(s.realTime(s.matched(), true)) + "×",
              s == null ? "n/a" : Stats.fmt("%.3f", s.copy().cpu()),
              Stats.num(c.jdk().median()),
              Stats.num(c.jdk().realTime(1)),
              c.versusSox() == null
                  ? "n/a"
                  : Stats.fmt(
                      "**%.2f×** (%.2f–%.2f)",
                      c.versusSox().median(), c.versusSox().min(), c.versusSox().max()),
              Stats.ratio(c.library().realTime(1), c.jdk().realTime(1))));
    }
    sb.append("\n![Resampling quality](").append(chartDir).append('/').append(QUALITY_CHART);
    sb.append(")\n\n");
    sb.append(
        "Quality, same run. *SINAD*: a 997 Hz tone, signal to noise and distortion after a"
            + " least-squares sine fit over the middle 80 % of 2 s. *Rejection*: for"
            + " down-sampling, tones between the output's Nyquist frequency and the input's (5"
            + " of them), everything left in the output relative to the tone (all of it is"
            + " alias); for up-sampling (8k→16k), tones from 0.5 to 0.9 of the input's Nyquist,"
            + " everything but the tone (images); the worst tone counts. PCM16 figures use a −1"
            + " dBFS tone with 16-bit input and output, so rounding alone limits SINAD to about"
            + " 95–100 dB; float figures (−6 dBFS, 32-bit float in and out, SoX with `-e"
            + " floating-point`) show the filters themselves. SoX runs with `-D` here.\n\n");
    sb.append(
        "| conversion | SINAD PCM16: library / SoX -h / SoX -m -b 90 / JDK | rejection PCM16:"
            + " library / SoX -h / SoX -m -b 90 / JDK | SINAD float: library / SoX -h |"
            + " rejection float: library / SoX -h |\n");
    sb.append("|---|---|---|---|---|\n");
    for (AudioBench.Quality q : r.quality()) {
      sb.append(
          Stats.fmt(
              "| %s | %s / %s / %s / %s | %s / %s / %s / %s | %s / %s | %s / %s |\n",
              q.name(),
              db(q.librarySinad()),
              db(q.soxSinad()),
              db(q.soxMatchedSinad()),
              db(q.jdkSinad()),
              db(q.libraryReject()),
              db(q.soxReject()),
              db(q.soxMatchedReject()),
              db(q.jdkReject()),
              db(q.libraryFloatSinad()),
              db(q.soxFloatSinad()),
              db(q.libraryFloatReject()),
              db(q.soxFloatReject())));
    }
    AudioBench.Telephony t = r.telephony();
    sb.append("\n### A phone call's audio path: cores per 1,000 calls\n\n");
    sb.append(
        "One second of a call as the phone-bridge example runs it: 50 inbound 20 ms G.711"
            + " mu-law frames decoded and resampled 8k→16k for the service, 25 outbound 40 ms"
            + " chunks of the model's 24 kHz audio resampled 24k→8k and encoded, one resampler"
            + " per direction (byte conversions included). Cores per 1,000 calls = 1,000 × CPU"
            + " seconds per second of call.\n\n");
    sb.append("| stage | CPU µs per second of call | cores per 1,000 calls |\n|---|---|---|\n");
    row(sb, "**whole path** (both directions)", t.call());
    row(sb, "mu-law decode, 8 kHz in", t.decode());
    row(sb, "resample 8k→16k (to the service)", t.up());
    row(sb, "resample 24k→8k (to the caller)", t.down());
    row(sb, "mu-law encode, 8 kHz out", t.encode());
    sb.append(
        Stats.fmt(
            "\nAllocated per second of call: %s bytes (the arrays each call returns: the API"
                + " gives new arrays). Heap held per call (its two resamplers after the first"
                + " chunk, measured over 1,000): %.1f KiB. One 48k→16k `process()` of a 20 ms"
                + " chunk allocates %s bytes (its 320-sample result is 656 of them); one 48k→16k"
                + " resampler holds %.1f KiB.\n\n",
            Stats.num(t.allocatedBytesPerCallSecond()),
            t.heapKiBPerCall(),
            Stats.num(r.allocatedBytesPerChunk()),
            r.heapKiBPerResampler()));
    sb.append("| mu-law, 1 s at 8 kHz | library µs | library × | JDK µs | JDK × |\n");
    sb.append("|---|---|---|---|---|\n");
    sb.append(
        Stats.fmt(
            "| encode | %s | %s× | %s | %s× |\n| decode | %s | %s× | %s | %s× |\n\n",
            Stats.num(r.muLawEncode().median()),
            Stats.num(r.muLawEncode().realTime(1)),
            Stats.num(r.jdkMuLawEncode().median()),
            Stats.num(r.jdkMuLawEncode().realTime(1)),
            Stats.num(r.muLawDecode().median()),
            Stats.num(r.muLawDecode().realTime(1)),
            Stats.num(r.jdkMuLawDecode().median()),
            Stats.num(r.jdkMuLawDecode().realTime(1))));
    return sb.toString();
  }

  private static void row(StringBuilder sb, String what, CpuTimer.Speed s) {
    sb.append(
        Stats.fmt(
            "| %s | %s (%s–%s) | %.3f |\n",
            what,
            Stats.num(s.median()),
            Stats.num(s.min()),
            Stats.num(s.max()),
            s.median() * 1_000 / 1e6));
  }

  static String db(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return Double.isInfinite(v) ? "∞ (nothing left after rounding)" : Stats.fmt("%.1f", v);
  }

  static String headline(AudioBench.Result r) {
    StringBuilder sb = new StringBuilder("Audio: resampling ");
    List<String> parts = new ArrayList<>();
    for (AudioBench.Conversion c : r.conversions()) {
      AudioBench.SoxSpeed s = c.sox();
      parts.add(
          Stats.fmt(
              "%s %s×%s",
              c.name(),
              Stats.num(c.library().realTime(1)),
              s == null ? "" : " (SoX -h " + Stats.num(s.netRealTime()) + "×)"));
    }
    sb.append(String.join(", ", parts)).append(" real time per core; ");
    double worstSinad = Double.MAX_VALUE;
    double worstReject = Double.MAX_VALUE;
    for (AudioBench.Quality q : r.quality()) {
      worstSinad = Math.min(worstSinad, q.librarySinad());
      worstReject = Math.min(worstReject, q.libraryReject());
    }
    sb.append(
        Stats.fmt(
            "worst PCM16 SINAD %.1f dB and alias/image rejection %.1f dB; a phone call's audio"
                + " path costs %.3f cores per 1,000 calls.",
            worstSinad, worstReject, r.telephony().call().median() * 1_000 / 1e6));
    return sb.toString();
  }
}
