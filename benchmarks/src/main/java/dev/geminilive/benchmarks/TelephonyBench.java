package dev.geminilive.benchmarks;

import dev.geminilive.audio.G711;
import dev.geminilive.audio.Pcm16;
import dev.geminilive.audio.Resampler;

/**
 * Section 6's telephony figures: the CPU, allocation and heap of a phone call's audio path (8 kHz
 * μ-law in and out), whole and by step. One second of a call is 50 inbound 20 ms G.711 frames
 * decoded and up-sampled to 16 kHz for the service, and 25 outbound 40 ms chunks of the model's 24
 * kHz audio down-sampled to 8 kHz and encoded, one resampler per direction, as {@code
 * examples/.../phone/PhoneCall} does.
 *
 * <p>Not thread-safe: one run at a time, on the measuring thread.
 */
final class TelephonyBench {
  private final CpuTimer timer;
  private long sink;

  TelephonyBench(CpuTimer timer) {
    this.timer = timer;
  }

  /** Measures one second of a call (see the class comment); the figures for the report. */
  AudioBench.Telephony run() throws Exception {
    byte[][] inbound = new byte[50][];
    short[][] callerPcm = AudioQuality.chunks(AudioQuality.tone(8_000, 440, 0.3, 8_000), 160);
    for (int i = 0; i < 50; i++) {
      inbound[i] = G711.encodeMuLaw(callerPcm[i]);
    }
    byte[][] model = new byte[25][];
    short[][] modelPcm = AudioQuality.chunks(AudioQuality.tone(24_000, 300, 0.3, 24_000), 960);
    for (int i = 0; i < 25; i++) {
      model[i] = AudioQuality.le(modelPcm[i]);
    }
    Resampler toModel = Resampler.create(8_000, 16_000);
    Resampler toCaller = Resampler.create(24_000, 8_000);
    Runnable call =
        () -> {
          for (byte[] frame : inbound) {
            sink += Pcm16.toBytes(toModel.process(G711.decodeMuLaw(frame))).length;
          }
          for (byte[] chunk : model) {
            sink += G711.encodeMuLaw(toCaller.process(Pcm16.toShorts(chunk))).length;
          }
        };
    CpuTimer.Speed whole = timer.time(call);
    short[][] decoded = new short[50][];
    for (int i = 0; i < 50; i++) {
      decoded[i] = G711.decodeMuLaw(inbound[i]);
    }
    short[][] down = new short[25][];
    Resampler probe = Resampler.create(24_000, 8_000);
    for (int i = 0; i < 25; i++) {
      down[i] = probe.process(modelPcm[i]);
    }
    CpuTimer.Speed decode =
        timer.time(
            () -> {
              for (byte[] frame : inbound) {
                sink += G711.decodeMuLaw(frame).length;
              }
            });
    CpuTimer.Speed up =
        timer.time(
            () -> {
              for (short[] d : decoded) {
                sink += toModel.process(d).length;
              }
            });
    CpuTimer.Speed downSpeed =
        timer.time(
            () -> {
              for (short[] m : modelPcm) {
                sink += toCaller.process(m).length;
              }
            });
    CpuTimer.Speed encode =
        timer.time(
            () -> {
              for (short[] d : down) {
                sink += G711.encodeMuLaw(d).length;
              }
            });
    long a0 = CpuTimer.allocatedBytes();
    for (int i = 0; i < 100; i++) {
      call.run();
    }
    double allocated = (CpuTimer.allocatedBytes() - a0) / 100.0;
    JvmReadings.gc();
    long h0 = JvmReadings.usedHeap();
    Resampler[][] calls = new Resampler[1_000][];
    for (int i = 0; i < calls.length; i++) {
      Resampler u = Resampler.create(8_000, 16_000);
      Resampler d = Resampler.create(24_000, 8_000);
      sink += u.process(decoded[0]).length + d.process(modelPcm[0]).length;
      calls[i] = new Resampler[] {u, d};
    }
    JvmReadings.gc();
    double heap = (JvmReadings.usedHeap() - h0) / 1024.0 / calls.length;
    sink += calls.length;
    return new AudioBench.Telephony(whole, decode, up, downSpeed, encode, allocated, heap);
  }
}
