// The parts of the voice pages both ways share: state, transcript, tool calls, errors, playback.

const STATE_TEXT = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  failed: 'Failed',
  closed: 'Call ended',
};

/** What a test (or a curious user in the console) can read: every state the page showed. */
export const pageLog = (window.voicePage = window.voicePage || { states: [], player: null });

const $ = (id) => document.getElementById(id);

export function setState(state, detail) {
  const el = $('state');
  el.dataset.state = state;
  el.textContent = STATE_TEXT[state] || state;
  $('state-detail').textContent = detail || '';
  pageLog.states.push(state);
  $('start').disabled = state === 'connecting' || state === 'live' || state === 'reconnecting';
  $('stop').disabled = !($('start').disabled);
  $('send').disabled = state !== 'live';
  if (state === 'live' || state === 'connecting') {
    showError('');
  }
}

let lastRole = null;
let lastLine = null;

/** Appends a transcript fragment; fragments of one speaker's turn join into one line. */
export function addTranscript(role, text) {
  if (!text) {
    return;
  }
  if (role !== lastRole || !lastLine) {
    lastLine = document.createElement('p');
    lastLine.className = 'line ' + role;
    lastLine.dataset.role = role;
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = role === 'user' ? 'You' : 'Laura';
    lastLine.append(who, document.createElement('span'));
    $('transcript').append(lastLine);
    lastRole = role;
  }
  lastLine.lastChild.textContent += text;
  $('transcript').scrollTop = $('transcript').scrollHeight;
}

/** Ends the current transcript line (the turn is over). */
export function endTurn() {
  lastRole = null;
  lastLine = null;
}

export function addTool(text) {
  const li = document.createElement('li');
  li.textContent = text;
  $('tools').append(li);
}

export function showError(message) {
  const el = $('error');
  el.textContent = message;
  el.hidden = !message;
}

export function showInterrupted(player) {
  const el = $('interrupted');
  el.textContent =
    'Interrupted: dropped ' + player.stats.lastClearedMs + ' ms of queued speech (' + player.stats.cleared + '×)';
  el.hidden = false;
}

/** Shows the playback queue four times a second. */
export function watchPlayback(player) {
  if (pageLog.player === player.stats) {
    return; // already watched (a second call on the same page)
  }
  pageLog.player = player.stats;
  // Read live, not from the last display update: a test waits on it.
  Object.defineProperty(pageLog, 'queuedMs', { get: () => player.queuedMs(), configurable: true });
  setInterval(() => {
    $('playback').textContent =
      'Playback: ' + player.queuedMs() + ' ms queued · ' + player.stats.chunks + ' chunks received';
  }, 250);
}

/** Wires the text box: Enter or the button calls send(text). */
export function onTyped(send) {
  const submit = () => {
    const text = $('text').value.trim();
    if (text) {
      addTranscript('user', text);
      endTurn();
      send(text);
      $('text').value = '';
    }
  };
  $('send').onclick = submit;
  $('text').onkeydown = (e) => {
    if (e.key === 'Enter') {
      submit();
    }
  };
}
