// Microphone capture for the Live API: mono PCM16 little-endian at 16 kHz, in 20 ms frames.
// Runs in the AudioWorklet scope, where `sampleRate` is the context's rate (often 48 kHz).
const TARGET_RATE = 16000;
const FRAME_SAMPLES = 320; // 20 ms at 16 kHz

class CaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.step = sampleRate / TARGET_RATE; // input samples per output sample
    this.position = 0; // fractional read position into the pending input
    this.pending = new Float32Array(0);
    this.frame = new Int16Array(FRAME_SAMPLES);
    this.filled = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) {
      return true;
    }
    const input = new Float32Array(this.pending.length + channel.length);
    input.set(this.pending);
    input.set(channel, this.pending.length);
    // Averages the input samples that fall on each output sample (a box filter against aliasing).
    while (this.position + this.step <= input.length) {
      const start = Math.floor(this.position);
      const end = Math.floor(this.position + this.step);
      let sum = 0;
      for (let i = start; i < end; i++) {
        sum += input[i];
      }
      const s = Math.max(-1, Math.min(1, sum / Math.max(1, end - start)));
      this.frame[this.filled++] = s < 0 ? s * 0x8000 : s * 0x7fff;
      if (this.filled === FRAME_SAMPLES) {
        this.port.postMessage(this.frame.buffer.slice(0));
        this.filled = 0;
      }
      this.position += this.step;
    }
    const consumed = Math.floor(this.position);
    this.pending = input.slice(consumed);
    this.position -= consumed;
    return true;
  }
}

registerProcessor('live-capture', CaptureProcessor);
