// The browser-direct page: an ephemeral token from this app's token endpoint, then the Live API
// straight from the browser with @google/genai (bundled by esbuild during the Maven build). A
// fresh token for every connection; after a goAway or a drop the page resumes with the handle.
import { GoogleGenAI, Modality } from '@google/genai';
import { Player, startMicrophone } from '../resources/static/js/audio.js';
import * as ui from '../resources/static/js/voice-ui.js';

const MAX_ATTEMPTS = 6;
const QUEUE_LIMIT_FRAMES = 100; // 2 s of microphone audio kept while reconnecting

let config = null;
let session = null; // the current connection's session
let generation = 0; // which connection events belong to; stale ones are ignored
let handle = null; // the newest resumable handle
let player = null;
let stopMicrophone = null;
let hangingUp = false;
let greeted = false;
let reconnecting = null; // the one reconnect loop running, if any
const queued = []; // microphone frames captured while no connection is live

class TokenRefused extends Error {
  constructor(status, body) {
    const wait = body && body.retryAfterSeconds ? ' Try again in ' + body.retryAfterSeconds + ' s.' : '';
    super('The token endpoint refused: HTTP ' + status + ' (' + ((body && body.error) || 'no reason given') + ').' + wait);
    this.status = status;
  }
}

async function fetchToken() {
  const r = await fetch('/api/live/token', { method: 'POST', credentials: 'same-origin' });
  let body = null;
  try {
    body = await r.json();
  } catch (e) {
    // not JSON
  }
  if (!r.ok) {
    throw new TokenRefused(r.status, body);
  }
  return body;
}

async function connect() {
  const token = await fetchToken(); // a fresh token for every connection
  const mine = ++generation;
  try {
    await open(token, mine);
  } catch (e) {
    if (mine === generation) {
      generation++; // late callbacks of the failed attempt are ignored
    }
    throw e;
  }
}

async function open(token, mine) {
  const ai = new GoogleGenAI({
    apiKey: token.accessToken,
    apiVersion: 'v1alpha',
    httpOptions: config.baseUrl ? { baseUrl: config.baseUrl } : undefined,
  });
  // Frames can arrive before connect() resolves (setupComplete does): hold them until then.
  let ready = false;
  const early = [];
  const opened = await ai.live.connect({
    model: token.model,
    config: {
      // The token locks the server's setup (instruction, voice, tools); these are what the page needs.
      responseModalities: [Modality.AUDIO],
      inputAudioTranscription: {},
      outputAudioTranscription: {},
      sessionResumption: handle ? { handle } : {},
    },
    callbacks: {
      onmessage: (m) => {
        if (mine !== generation) {
          return;
        }
        if (ready) {
          onMessage(m);
        } else {
          early.push(m);
        }
      },
      onerror: () => {},
      onclose: (e) => mine === generation && onDrop(e),
    },
  });
  if (mine !== generation) {
    opened.close(); // superseded while connecting
    return;
  }
  session = opened;
  ready = true;
  early.splice(0).forEach(onMessage);
}

function onMessage(m) {
  if (m.setupComplete) {
    ui.setState('live', handle ? 'resumed' : '');
    if (!greeted) {
      greeted = true;
      session.sendRealtimeInput({ text: config.greeting });
    }
    while (queued.length) {
      sendFrame(queued.shift());
    }
  }
  if (m.sessionResumptionUpdate && m.sessionResumptionUpdate.resumable && m.sessionResumptionUpdate.newHandle) {
    handle = m.sessionResumptionUpdate.newHandle;
  }
  const content = m.serverContent;
  if (content) {
    if (content.interrupted) {
      player.clear();
      ui.showInterrupted(player);
      ui.endTurn();
    }
    for (const part of (content.modelTurn && content.modelTurn.parts) || []) {
      if (part.inlineData && part.inlineData.mimeType && part.inlineData.mimeType.startsWith('audio/pcm')) {
        player.enqueue(base64ToBuffer(part.inlineData.data));
      }
    }
    if (content.inputTranscription) {
      ui.addTranscript('user', content.inputTranscription.text);
    }
    if (content.outputTranscription) {
      ui.addTranscript('model', content.outputTranscription.text);
    }
    if (content.turnComplete) {
      ui.endTurn();
    }
  }
  if (m.toolCall) {
    runTools(m.toolCall.functionCalls || []);
  }
  if (m.goAway) {
    move('moving to a new connection');
  }
}

/** Runs each call on the server, where the data is, and answers the model. */
async function runTools(calls) {
  const mine = generation;
  const responses = [];
  for (const call of calls) {
    ui.addTool('→ ' + call.name + ' ' + JSON.stringify(call.args || {}));
    const r = await fetch('/api/live/tools/' + encodeURIComponent(call.name), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(call.args || {}),
    });
    const response = r.ok ? await r.json() : { error: 'The tool could not run (HTTP ' + r.status + ').' };
    ui.addTool('← ' + call.name + ' ' + JSON.stringify(response));
    responses.push({ id: call.id, name: call.name, response });
  }
  if (mine === generation && session) {
    session.sendToolResponse({ functionResponses: responses });
  }
}

/** A goAway: close this connection and open the next one with the handle and a fresh token. */
async function move(why) {
  ui.setState('reconnecting', why);
  const old = session;
  generation++; // the old connection's close is expected: ignore it
  session = null;
  if (old) {
    old.close();
  }
  startReconnect(why);
}

function onDrop(e) {
  if (hangingUp) {
    return;
  }
  session = null;
  generation++;
  startReconnect('connection lost (' + (e && e.code) + ')');
}

/** Starts the reconnect loop unless one is running: one new connection at a time. */
function startReconnect(why) {
  if (!reconnecting) {
    ui.setState('reconnecting', why);
    reconnecting = reconnect(why).finally(() => (reconnecting = null));
  }
}

async function reconnect(why) {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS && !hangingUp; attempt++) {
    ui.setState('reconnecting', why + ' (attempt ' + attempt + ')');
    try {
      await connect();
      return;
    } catch (e) {
      if (e instanceof TokenRefused) {
        fail(e.message);
        return;
      }
      await new Promise((r) => setTimeout(r, Math.min(4000, 250 * 2 ** (attempt - 1))));
    }
  }
  if (!hangingUp) {
    fail('Could not reconnect to the Live API.');
  }
}

function fail(message) {
  ui.setState('failed');
  ui.showError(message);
  stopAudio();
}

function sendFrame(frame) {
  session.sendRealtimeInput({ audio: { data: bufferToBase64(frame), mimeType: 'audio/pcm;rate=16000' } });
}

function onFrame(frame) {
  const state = document.getElementById('state').dataset.state;
  if (session && state === 'live') {
    sendFrame(frame);
  } else if (state === 'reconnecting') {
    queued.push(frame);
    if (queued.length > QUEUE_LIMIT_FRAMES) {
      queued.shift();
    }
  }
}

async function start() {
  hangingUp = false;
  greeted = false;
  handle = null;
  ui.setState('connecting');
  player = player || new Player();
  await player.context.resume();
  ui.watchPlayback(player);
  try {
    config = config || (await (await fetch('/api/live/config')).json());
    await connect();
  } catch (e) {
    fail(e instanceof TokenRefused ? e.message : 'Could not connect: ' + e.message);
    return;
  }
  try {
    stopMicrophone = await startMicrophone(onFrame);
  } catch (e) {
    ui.showError('The microphone is not available: ' + e.message + '. You can still type below.');
  }
}

function stopAudio() {
  if (stopMicrophone) {
    stopMicrophone();
    stopMicrophone = null;
  }
}

function hangUp() {
  hangingUp = true;
  generation++;
  stopAudio();
  if (session) {
    session.close();
    session = null;
  }
  if (player) {
    player.clear();
  }
  ui.setState('closed');
}

function base64ToBuffer(b64) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) {
    bytes[i] = bin.charCodeAt(i);
  }
  return bytes.buffer;
}

function bufferToBase64(buffer) {
  const bytes = new Uint8Array(buffer);
  let bin = '';
  for (let i = 0; i < bytes.length; i++) {
    bin += String.fromCharCode(bytes[i]);
  }
  return btoa(bin);
}

document.getElementById('start').onclick = start;
document.getElementById('stop').onclick = hangUp;
ui.onTyped((text) => session && session.sendRealtimeInput({ text }));
ui.setState('idle');
