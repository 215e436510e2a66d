// Audio for the voice pages: the microphone as 16 kHz PCM16 frames, and the model's 24 kHz PCM16
// played through a queue that empties at once on a barge-in.

export const INPUT_RATE = 16000;
export const OUTPUT_RATE = 24000;

/**
 * Starts the microphone; calls onFrame(ArrayBuffer) with 20 ms of PCM16 at 16 kHz.
 * Returns a function that stops it.
 */
export async function startMicrophone(onFrame) {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  });
  const context = new AudioContext();
  await context.audioWorklet.addModule('/js/capture-worklet.js');
  const source = context.createMediaStreamSource(stream);
  const capture = new AudioWorkletNode(context, 'live-capture');
  capture.port.onmessage = (e) => onFrame(e.data);
  source.connect(capture);
  // The worklet must be pulled to run; a muted gain keeps the microphone out of the speakers.
  const mute = context.createGain();
  mute.gain.value = 0;
  capture.connect(mute).connect(context.destination);
  return () => {
    stream.getTracks().forEach((t) => t.stop());
    context.close();
  };
}

/** Plays PCM16 chunks back to back; clear() drops everything queued or playing. */
export class Player {
  constructor() {
    this.context = new AudioContext({ sampleRate: OUTPUT_RATE });
    this.nextTime = 0;
    this.sources = new Set();
    this.stats = { chunks: 0, playedMs: 0, cleared: 0, droppedMs: 0, lastClearedMs: 0 };
  }

  /** Queues one chunk of PCM16 little-endian mono at 24 kHz (an ArrayBuffer). */
  enqueue(pcm) {
    const samples = new Int16Array(pcm);
    if (samples.length === 0) {
      return;
    }
    const buffer = this.context.createBuffer(1, samples.length, OUTPUT_RATE);
    const out = buffer.getChannelData(0);
    for (let i = 0; i < samples.length; i++) {
      out[i] = samples[i] / 0x8000;
    }
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.context.destination);
    const now = this.context.currentTime;
    const start = Math.max(now + 0.02, this.nextTime);
    source.start(start);
    this.nextTime = start + buffer.duration;
    this.sources.add(source);
    source.onended = () => this.sources.delete(source);
    this.stats.chunks++;
    this.stats.playedMs += Math.round(buffer.duration * 1000);
  }

  /** Milliseconds of audio queued and not played yet. */
  queuedMs() {
    return Math.max(0, Math.round((this.nextTime - this.context.currentTime) * 1000));
  }

  /** Stops playback now and drops the queue (the user barged in). */
  clear() {
    const queued = this.queuedMs();
    this.stats.cleared++;
    this.stats.droppedMs += queued;
    if (queued > 0) {
      this.stats.lastClearedMs = queued; // what the last clear that cut something dropped
    }
    for (const s of this.sources) {
      try {
        s.stop();
      } catch (e) {
        // already stopped
      }
    }
    this.sources.clear();
    this.nextTime = this.context.currentTime;
  }

  close() {
    this.clear();
    this.context.close();
  }
}
