/**
 * The web chat page: one self-contained HTML document (no external resources, nothing built at
 * run time) that looks and behaves like a phone messenger.
 */

import { escapeHtml } from '../report/html.js';

/** How long the page waits after the last message or keystroke before it sends the batch. */
export const BATCH_DELAY_MS = 1200;

export interface ChatPageOptions {
  /** The persona's name, shown in the header. */
  name: string;
  /** The backend that answers, shown under the name. */
  backend: string;
  /** The token the API asks for. */
  token: string;
  /** The nonce the Content-Security-Policy allows the page's script and style with. */
  nonce: string;
  batchDelayMs?: number;
}

/** JSON that is safe inside a <script> element. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** The initials of a name for the avatar: "Sam Rivera" → "SR". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return (
    letters
      .map((word) => [...(word ?? '')][0] ?? '')
      .join('')
      .toUpperCase() || '?'
  );
}

const STYLE = `
:root {
  color-scheme: light dark;
  --page: #dfe3ea;
  --phone: #ffffff;
  --bar: rgba(248, 248, 250, 0.92);
  --line: rgba(0, 0, 0, 0.08);
  --text: #111114;
  --muted: #8a8a90;
  --mine: #0a84ff;
  --mine-text: #ffffff;
  --theirs: #e9e9eb;
  --theirs-text: #111114;
  --field: #ffffff;
  --error: #d93025;
}
@media (prefers-color-scheme: dark) {
  :root {
    --page: #0b0b0d;
    --phone: #000000;
    --bar: rgba(22, 22, 24, 0.92);
    --line: rgba(255, 255, 255, 0.1);
    --text: #f2f2f7;
    --muted: #8e8e93;
    --theirs: #262629;
    --theirs-text: #f2f2f7;
    --field: #1c1c1e;
    --error: #ff6961;
  }
}
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body {
  background: var(--page);
  color: var(--text);
  font: 16px/1.35 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Color Emoji", sans-serif;
  display: flex;
  justify-content: center;
  align-items: center;
}
.phone {
  width: 100%;
  max-width: 440px;
  height: 100%;
  background: var(--phone);
  display: flex;
  flex-direction: column;
  overflow: hidden;
}
@media (min-width: 560px) and (min-height: 640px) {
  .phone {
    height: min(860px, calc(100% - 48px));
    border-radius: 36px;
    box-shadow: 0 24px 60px rgba(0, 0, 0, 0.18), 0 0 0 10px #1d1d1f;
  }
}
header {
  display: flex;
  flex-direction: column;
  align-items: center;
  gap: 4px;
  padding: 14px 16px 10px;
  background: var(--bar);
  border-bottom: 1px solid var(--line);
  backdrop-filter: blur(12px);
}
.avatar {
  width: 52px;
  height: 52px;
  border-radius: 50%;
  display: grid;
  place-items: center;
  font-weight: 600;
  font-size: 20px;
  color: #fff;
  background: linear-gradient(180deg, #a5abb8, #858b98);
}
.name { font-size: 15px; font-weight: 600; }
.status { font-size: 12px; color: var(--muted); min-height: 16px; }
main {
  flex: 1;
  overflow-y: auto;
  padding: 12px 14px 8px;
  display: flex;
  flex-direction: column;
  gap: 2px;
  scroll-behavior: smooth;
}
.day { align-self: center; font-size: 12px; color: var(--muted); margin: 4px 0 10px; }
.bubble {
  max-width: 75%;
  padding: 8px 13px;
  border-radius: 19px;
  white-space: pre-wrap;
  overflow-wrap: anywhere;
  animation: pop 160ms ease-out;
}
@keyframes pop { from { transform: scale(0.92); opacity: 0; } to { transform: none; opacity: 1; } }
.mine { align-self: flex-end; background: var(--mine); color: var(--mine-text); }
.theirs { align-self: flex-start; background: var(--theirs); color: var(--theirs-text); }
.mine + .theirs, .theirs + .mine, .typing + .mine { margin-top: 10px; }
.mine:has(+ .mine) { border-bottom-right-radius: 6px; }
.mine + .mine { border-top-right-radius: 6px; }
.theirs:has(+ .theirs) { border-bottom-left-radius: 6px; }
.theirs + .theirs { border-top-left-radius: 6px; }
.note { align-self: flex-end; font-size: 11px; color: var(--muted); margin: 2px 4px 4px; }
.note.error { color: var(--error); }
.typing {
  align-self: flex-start;
  background: var(--theirs);
  border-radius: 19px;
  padding: 12px 14px;
  display: flex;
  gap: 5px;
  margin-top: 10px;
}
.typing span {
  width: 8px;
  height: 8px;
  border-radius: 50%;
  background: var(--muted);
  animation: blink 1.2s infinite ease-in-out;
}
.typing span:nth-child(2) { animation-delay: 0.15s; }
.typing span:nth-child(3) { animation-delay: 0.3s; }
@keyframes blink { 0%, 60%, 100% { opacity: 0.3; transform: translateY(0); } 30% { opacity: 1; transform: translateY(-3px); } }
form {
  display: flex;
  align-items: center;
  gap: 8px;
  padding: 8px 12px 14px;
  background: var(--bar);
  border-top: 1px solid var(--line);
}
input {
  flex: 1;
  min-width: 0;
  font: inherit;
  color: var(--text);
  background: var(--field);
  border: 1px solid var(--line);
  border-radius: 20px;
  padding: 8px 14px;
  outline: none;
}
input:focus { border-color: var(--mine); }
button {
  width: 34px;
  height: 34px;
  flex: none;
  border: 0;
  border-radius: 50%;
  background: var(--mine);
  color: #fff;
  display: grid;
  place-items: center;
  cursor: pointer;
}
button:disabled { opacity: 0.35; cursor: default; }
@media (prefers-reduced-motion: reduce) {
  .bubble, .typing span { animation: none; }
  main { scroll-behavior: auto; }
}
`;

// Plain browser JavaScript (no build step): batches quick messages, shows the typing dots and
// lets the reply's bubbles arrive one after another.
const SCRIPT = `
(() => {
  const config = JSON.parse(document.getElementById('config').textContent);
  const thread = document.getElementById('thread');
  const form = document.getElementById('composer');
  const input = document.getElementById('text');
  const send = document.getElementById('send');
  const status = document.getElementById('status');
  const newId = () =>
    (crypto.randomUUID ? crypto.randomUUID() : Math.random().toString(36).slice(2) + Date.now().toString(36));
  const session = newId();
  const statusText = status.textContent;
  let pending = [];
  let timer;
  let busy = false;
  let typing;

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const scroll = () => { thread.scrollTop = thread.scrollHeight; };
  const add = (cls, text) => {
    const node = document.createElement('div');
    node.className = cls;
    node.textContent = text;
    thread.insertBefore(node, typing && typing.isConnected ? typing : null);
    scroll();
    return node;
  };
  const showTyping = (on) => {
    if (on && !(typing && typing.isConnected)) {
      typing = document.createElement('div');
      typing.className = 'typing';
      typing.setAttribute('aria-label', config.name + ' is typing');
      typing.innerHTML = '<span></span><span></span><span></span>';
      thread.appendChild(typing);
      status.textContent = 'typing…';
      scroll();
    } else if (!on && typing) {
      typing.remove();
      typing = undefined;
      status.textContent = statusText;
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    if (pending.length > 0 && !busy) timer = setTimeout(flush, config.batchDelayMs);
  };

  async function flush() {
    if (busy || pending.length === 0) return;
    const messages = pending;
    pending = [];
    busy = true;
    showTyping(true);
    try {
      const response = await fetch('api/messages', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-alterego-token': config.token,
          'x-alterego-session': session,
        },
        body: JSON.stringify({ messages }),
      });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(body.error || 'the server answered ' + response.status);
      const bubbles = Array.isArray(body.bubbles) ? body.bubbles : [];
      for (let i = 0; i < bubbles.length; i += 1) {
        if (i > 0) {
          showTyping(true);
          await sleep(Math.min(1600, 300 + 28 * String(bubbles[i]).length));
        }
        showTyping(false);
        add('bubble theirs', String(bubbles[i]));
      }
    } catch (error) {
      showTyping(false);
      add('note error', 'Not delivered: ' + error.message);
    } finally {
      showTyping(false);
      busy = false;
      schedule();
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text === '') return;
    input.value = '';
    send.disabled = true;
    add('bubble mine', text);
    pending.push(text);
    schedule();
  });
  input.addEventListener('input', () => {
    send.disabled = input.value.trim() === '';
    // Still typing: the batch waits for the next message.
    if (pending.length > 0) schedule();
  });
  input.focus();
})();
`;

/** The page for one web chat: the persona's name and the API token are written into it. */
export function renderChatPage(options: ChatPageOptions): string {
  const { name, backend, token, nonce } = options;
  const config = {
    name,
    token,
    batchDelayMs: options.batchDelayMs ?? BATCH_DELAY_MS,
  };
  const today = new Date().toLocaleDateString('en-US', { weekday: 'long' });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(name)} · alterego</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<div class="phone">
  <header>
    <div class="avatar" aria-hidden="true">${escapeHtml(initials(name))}</div>
    <div class="name" id="name">${escapeHtml(name)}</div>
    <div class="status" id="status">alter ego · ${escapeHtml(backend)}</div>
  </header>
  <main id="thread" aria-live="polite">
    <div class="day">Today · ${escapeHtml(today)}</div>
  </main>
  <form id="composer" autocomplete="off">
    <input id="text" type="text" placeholder="Text message" aria-label="Message" maxlength="2000">
    <button id="send" type="submit" aria-label="Send" disabled>
      <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path d="M8 13V3M3.5 7.5 8 3l4.5 4.5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>
    </button>
  </form>
</div>
<script type="application/json" id="config">${scriptJson(config)}</script>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}
