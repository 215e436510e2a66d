// The relay page: microphone audio over a WebSocket to this app, which holds the Live session
// (API key and tools stay on the server) and sends back the model's audio and the events.
import { Player, startMicrophone } from './audio.js';
import * as ui from './voice-ui.js';

let socket = null;
let player = null;
let stopMicrophone = null;
let hangingUp = false;

async function start() {
  hangingUp = false;
  ui.setState('connecting');
  player = player || new Player();
  await player.context.resume();
  ui.watchPlayback(player);
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  socket = new WebSocket(scheme + location.host + '/api/live/relay');
  socket.binaryType = 'arraybuffer';
  socket.onmessage = (e) => (typeof e.data === 'string' ? onEvent(JSON.parse(e.data)) : player.enqueue(e.data));
  socket.onclose = () => {
    if (!hangingUp && !['failed', 'closed'].includes(document.getElementById('state').dataset.state)) {
      ui.setState('failed', 'The connection to the server closed.');
      ui.showError('The connection to the server was lost. Start the call again.');
    }
    stopAudio();
  };
  try {
    stopMicrophone = await startMicrophone((frame) => {
      if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(frame);
      }
    });
  } catch (e) {
    ui.setState('failed', 'No microphone');
    ui.showError('The microphone is not available: ' + e.message + '. You can still type below.');
  }
}

function onEvent(m) {
  switch (m.type) {
    case 'state':
      ui.setState(m.state, m.detail);
      if (m.state === 'failed') {
        ui.showError('The call failed: ' + (m.detail || 'unknown reason'));
      }
      break;
    case 'transcript':
      ui.addTranscript(m.role, m.text);
      break;
    case 'interrupted':
      player.clear();
      ui.showInterrupted(player);
      ui.endTurn();
      break;
    case 'turnComplete':
      ui.endTurn();
      break;
    case 'tool':
      ui.addTool(m.phase === 'call' ? '→ ' + m.name + ' ' + m.args : '← ' + m.name + ' ' + m.result);
      break;
    case 'error':
      ui.showError(m.message);
      break;
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
  stopAudio();
  if (socket) {
    socket.close();
  }
  if (player) {
    player.clear();
  }
  ui.setState('closed');
}

document.getElementById('start').onclick = start;
document.getElementById('stop').onclick = hangUp;
ui.onTyped((text) => socket && socket.send(JSON.stringify({ type: 'text', text })));
ui.setState('idle');
