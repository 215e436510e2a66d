package dev.geminilive.benchmarks;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Section 6: runs {@link AudioBenchmark} with JMH and measures quality beside it. */
final class AudioBench {
  static final int FORKS = 1;
  static final int WARMUPS = 2;
  static final int ITERATIONS = 5;

  record Result(Map<String, double[]> microsPerSecondOfAudio, List<AudioQuality.Row> quality) {}

  Result run() throws Exception {
    Options options =
        new OptionsBuilder()
            .include(AudioBenchmark.class.getName() + ".*")
            .forks(FORKS)
            .warmupIterations(WARMUPS)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(ITERATIONS)
            .measurementTime(TimeValue.seconds(1))
            .threads(1)
            .jvmArgs("-Xms512m", "-Xmx512m")
            .verbosity(VerboseMode.SILENT)
            .build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, double[]> scores = new LinkedHashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      scores.put(
          name,
          new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
    }
    return new Result(scores, AudioQuality.measure());
  }

  static String section(Result r) {
    StringBuilder sb = new StringBuilder();
    sb.append("## 6. Audio: resampling and mu-law, library vs the JDK's AudioSystem\n\n");
    sb.append(
        Stats.fmt(
            "JMH 1.37, %d fork, %d × 1 s warm-up, %d × 1 s measurement, one thread. One"
                + " operation converts one second of audio (library: 50 chunks of 20 ms through"
                + " one streaming Resampler / G711 call each; JDK: one"
                + " `AudioSystem.getAudioInputStream(targetFormat, stream)` over the whole second,"
                + " read to the end). × real time per core = 1 s ÷ time per operation.\n\n",
            FORKS, WARMUPS, ITERATIONS));
    sb.append(
        "| conversion | library µs per s of audio | library × real time | JDK µs per s of audio |"
            + " JDK × real time | library speed / JDK speed |\n");
    sb.append("|---|---|---|---|---|---|\n");
    String[][] pairs = {
      {"48k→16k resample", "libraryResample48kTo16k", "jdkResample48kTo16k"},
      {"24k→48k resample", "libraryResample24kTo48k", "jdkResample24kTo48k"},
      {"24k→8k resample", "libraryResample24kTo8k", "jdkResample24kTo8k"},
      {"mu-law encode (8 kHz)", "libraryMuLawEncode", "jdkMuLawEncode"},
      {"mu-law decode (8 kHz)", "libraryMuLawDecode", "jdkMuLawDecode"},
    };
    for (String[] p : pairs) {
      double[] lib = r.microsPerSecondOfAudio().get(p[1]);
      double[] jdk = r.microsPerSecondOfAudio().get(p[2]);
      sb.append(
          Stats.fmt(
              "| %s | %s | %s | %s | %s | %s |\n",
              p[0],
              lib == null ? "n/a" : Stats.fmt("%.1f ± %.1f", lib[0], lib[1]),
              lib == null ? "n/a" : Stats.num(1e6 / lib[0]) + "×",
              jdk == null ? "n/a" : Stats.fmt("%.1f ± %.1f", jdk[0], jdk[1]),
              jdk == null ? "n/a" : Stats.num(1e6 / jdk[0]) + "×",
              lib == null || jdk == null ? "n/a" : Stats.ratio(jdk[0], lib[0])));
    }
    sb.append("\nQuality, measured in the same run (tones of 2 s; edges excluded):\n\n");
    sb.append("| measure | library | JDK |\n|---|---|---|\n");
    for (AudioQuality.Row row : r.quality()) {
      sb.append("| ")
          .append(row.what())
          .append(" | ")
          .append(row.library())
          .append(" | ")
          .append(row.jdk().replace('|', '/'))
          .append(" |\n");
    }
    sb.append("\n");
    return sb.toString();
  }

  static String headline(Result r) {
    double[] lib = r.microsPerSecondOfAudio().get("libraryResample48kTo16k");
    double[] jdk = r.microsPerSecondOfAudio().get("jdkResample48kTo16k");
    double[] mu = r.microsPerSecondOfAudio().get("libraryMuLawEncode");
    return Stats.fmt(
        "Audio: 48k→16k resampling runs at %s× real time per core (JDK AudioSystem %s×); mu-law"
            + " encode %s× real time.",
        lib == null ? "n/a" : Stats.num(1e6 / lib[0]),
        jdk == null ? "n/a" : Stats.num(1e6 / jdk[0]),
        mu == null ? "n/a" : Stats.num(1e6 / mu[0]));
  }
}
