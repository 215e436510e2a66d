package dev.geminilive.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * SoX ({@code sox}, the Debian package) as a baseline: its resampler timed on WAV files and its
 * output measured on raw files. Processes are timed by the user + system CPU time bash's {@code
 * time} reports for them, so the figure is comparable with the library's thread CPU time; files
 * live on a tmpfs ({@code /dev/shm}) where there is one, so "file I/O" is memory copies and the
 * parsing of the formats, not a disk.
 */
final class Sox {
  private final Path dir;
  private final String version;

  private Sox(Path dir, String version) {
    this.dir = dir;
    this.version = version;
  }

  /** SoX if it is installed, else null (the caller says so in the report). */
  static Sox find() {
    try {
      Process p = new ProcessBuilder("sox", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      Path shm = Path.of("/dev/shm");
      Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of("target");
      Path dir = Files.createTempDirectory(base, "sox-bench-");
      dir.toFile().deleteOnExit();
      return new Sox(dir, out.replace("sox:", "").trim());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  String version() {
    return version;
  }

  /** Where the files are (a tmpfs when {@code /dev/shm} exists). */
  Path dir() {
    return dir;
  }

  /** CPU time (user + system) and wall time of one command, in seconds. */
  record Timing(double cpu, double wall) {}

  /**
   * Writes {@code seconds} of a tone plus a little noise at {@code rate} Hz as a PCM16 WAV file.
   */
  Path wav(int rate, int seconds) throws IOException {
    Path file = dir.resolve("in-" + rate + "-" + seconds + "s.wav");
    if (Files.exists(file)) {
      return file;
    }
    int n = rate * seconds;
    ByteBuffer data = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
    data.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVE".getBytes());
    data.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1);
    data.putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16);
    data.put("data".getBytes()).putInt(2 * n);
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < n; i++) {
      double v = 0.5 * Math.sin(2 * Math.PI * 1_000 * i / rate) + 0.01 * random.nextGaussian();
      data.putShort((short) Math.round(v * 32767));
    }
    Files.write(file, data.array());
    return file;
  }

  /** Times {@code sox <args>} {@code repetitions} times; returns the median CPU and wall time. */
  Timing time(List<String> args, int repetitions) throws IOException, InterruptedException {
    List<Double> cpu = new ArrayList<>();
    List<Double> wall = new ArrayList<>();
    StringBuilder cmd = new StringBuilder("TIMEFORMAT='%3U %3S %3R'; { time sox");
    for (String a : args) {
      cmd.append(' ').append(quote(a));
    }
    cmd.append(" 2>/dev/null ; } 2>&1");
    for (int r = 0; r < repetitions; r++) {
      Process p = new ProcessBuilder("bash", "-c", cmd.toString()).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      String[] last = out.substring(out.lastIndexOf('\n') + 1).trim().split("\\s+");
      if (p.exitValue() != 0 || last.length != 3) {
        throw new IOException("sox " + args + " failed: " + out);
      }
      cpu.add(Double.parseDouble(last[0]) + Double.parseDouble(last[1]));
      wall.add(Double.parseDouble(last[2]));
    }
    return new Timing(Stats.median(cpu), Stats.median(wall));
  }

  /**
   * The library's speed over SoX's ({@code rate -h}, no dither, net) in trials that alternate the
   * two, so both see the same machine: the median of the per-trial ratios and its spread.
   */
  record Versus(double median, double min, double max, int trials) {}

  /**
   * Per trial: the library's CPU µs per second of audio, SoX's CPU seconds for the conversion of
   * the whole file, and for its read-only run.
   */
  record Alternation(List<Double> library, List<Double> convert, List<Double> readOnly) {
    /** SoX's conversion net of start-up and input read, per trial. */
    List<Double> net() {
      List<Double> net = new ArrayList<>();
      for (int t = 0; t < convert.size(); t++) {
        net.add(Math.max(1e-6, convert.get(t) - readOnly.get(t)));
      }
      return net;
    }

    /** Library ÷ SoX speed, both as CPU per second of audio, from the trials. */
    Versus versus(int fileSeconds) {
      List<Double> net = net();
      List<Double> ratios = new ArrayList<>();
      for (int t = 0; t < net.size(); t++) {
        ratios.add(net.get(t) / fileSeconds * 1e6 / library.get(t));
      }
      return new Versus(Stats.median(ratios), Stats.min(ratios), Stats.max(ratios), ratios.size());
    }
  }

  /**
   * Runs {@code trials} rounds of: one library repetition ({@code library} returns its CPU µs per
   * second of audio), {@code sox <convert>}, then {@code sox <readOnly>}.
   */
  Alternation alternate(
      int trials, DoubleSupplier library, List<String> convert, List<String> readOnly)
      throws IOException, InterruptedException {
    List<Double> lib = new ArrayList<>();
    List<Double> conv = new ArrayList<>();
    List<Double> read = new ArrayList<>();
    for (int t = 0; t < trials; t++) {
      lib.add(library.getAsDouble());
      conv.add(time(convert, 1).cpu());
      read.add(time(readOnly, 1).cpu());
    }
    return new Alternation(lib, conv, read);
  }

  /** Resamples PCM16 samples through raw files with {@code rate <quality...>}, dither off. */
  short[] resample(short[] in, int from, int to, List<String> quality)
      throws IOException, InterruptedException {
    Path src = dir.resolve("q-in.raw");
    Path dst = dir.resolve("q-out.raw");
    Files.write(src, AudioQuality.le(in));
    List<String> args = new ArrayList<>(List.of("-D"));
    args.addAll(raw(from, "signed-integer", 16));
    args.add(src.toString());
    args.addAll(raw(to, "signed-integer", 16));
    args.add(dst.toString());
    args.add("rate");
    args.addAll(quality);
    run(args);
    return AudioQuality.fromLe(Files.readAllBytes(dst));
  }

  /** Like {@link #resample(short[], int, int, List)} in 32-bit float, full scale ±1. */
  float[] resample(float[] in, int from, int to, List<String> quality)
      throws IOException, InterruptedException {
    Path src = dir.resolve("qf-in.raw");
    Path dst = dir.resolve("qf-out.raw");
    ByteBuffer b = ByteBuffer.allocate(4 * in.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : in) {
      b.putFloat(v);
    }
    Files.write(src, b.array());
    List<String> args = new ArrayList<>(List.of("-D"));
    args.addAll(raw(from, "floating-point", 32));
    args.add(src.toString());
    args.addAll(raw(to, "floating-point", 32));
    args.add(dst.toString());
    args.add("rate");
    args.addAll(quality);
    run(args);
    ByteBuffer out = ByteBuffer.wrap(Files.readAllBytes(dst)).order(ByteOrder.LITTLE_ENDIAN);
    float[] result = new float[out.remaining() / 4];
    for (int i = 0; i < result.length; i++) {
      result[i] = out.getFloat();
    }
    return result;
  }

  private static List<String> raw(int rate, String encoding, int bits) {
    return List.of(
        "-t",
        "raw",
        "-r",
        String.valueOf(rate),
        "-e",
        encoding,
        "-b",
        String.valueOf(bits),
        "-c",
        "1",
        "-L");
  }

  private static void run(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("sox"));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    if (p.waitFor() != 0) {
      throw new IOException("sox failed: " + command + ": " + out);
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
