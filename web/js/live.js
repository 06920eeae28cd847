// live.js - the tab's one stream of live updates (GET /api/v1/live, as
// Server-Sent Events): the member's notifications and direct messages, and
// the new replies of the forum thread the page shows.  The server takes
// few streams a member, so a tab keeps one, reopened only when it must
// follow another thread.
//
//   live.start() / live.stop()  signed in / out (app.js)
//   live.follow(threadId|null)  the thread the page shows, or none (the
//     router says none on every page; the thread page then names its own)
//   live.on(name, fn)           'notification' {id, kind, title}, 'message'
//     {id, conversation_id} (a direct message to the member, not to its
//     sender), 'reply' {id, n, parent_id}, 'resync' {reason} (events may
//     have been missed: read afresh), 'open' {thread} (a new stream is
//     listening); returns the unsubscribe function
//   live.status()               {state: off|connecting|open|waiting, thread}
//
// The browser reconnects by itself after a network error, with
// Last-Event-ID, and the server replays what was missed (without one, as
// when the stream ended before its first event, subscribers resync).  When the server
// refuses (a 4xx or 5xx: the stream is closed for good) the stream is
// opened anew after a pause that doubles up to a minute; a new stream
// has no Last-Event-ID, so its subscribers are told to resync.
//
// Following none keeps a stream that follows a thread: it carries the
// member's notifications all the same.  Every reopening costs: the server
// counts a stream left behind until it notices it is gone (tens of
// seconds), and past the member's limit their oldest stream ends, maybe
// another tab's, which then reconnects.
import { api } from './api.js';

const URL_BASE = '/api/v1/live';
const EVENTS = ['notification', 'message', 'reply', 'resync'];
const BACKOFF_MIN = 1000;
const BACKOFF_MAX = 60000;

const subscribers = new Map(); // name -> Set of functions
let enabled = false;
let wanted = null;      // the thread the page shows
let followed = false;   // a page has said what it follows
let source = null;      // the EventSource
let thread = null;      // the thread source follows
let state = 'off';
let failures = 0;
let timer = null;       // the reopening after a failure
let reopened = false;   // the next open is after a failure: resync
let scheduled = false;

function emit(name, data) {
  for (const fn of [...(subscribers.get(name) || [])]) {
    try { fn(data); } catch (e) { console.error(e); }
  }
}

function close() {
  if (source) source.close();
  source = null;
  thread = null;
  clearTimeout(timer);
  timer = null;
}

function open() {
  close();
  const es = new EventSource(URL_BASE + (wanted ? '?thread=' + encodeURIComponent(wanted) : ''));
  source = es;
  thread = wanted;
  state = 'connecting';
  let first = true;
  let hadId = false; // the browser has a Last-Event-ID to come back with
  es.addEventListener('open', () => {
    if (es !== source) return;
    state = 'open';
    failures = 0;
    if (first) {
      first = false;
      emit('open', { thread });
      if (reopened) { reopened = false; emit('resync', { reason: 'reopened' }); }
    } else if (!hadId) {
      // The browser came back (a dropped connection, a stream the server
      // ended) with no event id: nothing is replayed.
      emit('resync', { reason: 'reconnected' });
    }
  });
  es.addEventListener('error', () => {
    if (es !== source) return;
    if (es.readyState !== EventSource.CLOSED) { state = 'connecting'; return; }
    // Refused (429, 503, 404, 401...): try again later, with a new stream.
    source = null;
    state = 'waiting';
    reopened = true;
    const wait = Math.min(BACKOFF_MAX, BACKOFF_MIN * 2 ** failures++);
    timer = setTimeout(() => { timer = null; if (enabled) open(); }, wait * (0.8 + Math.random() * 0.4));
    // A session that ended: the app hears of it from the API and signs
    // out, which stops the stream.
    api.get('/me').catch(() => { /* api.js tells the app */ });
  });
  for (const name of EVENTS) {
    es.addEventListener(name, (e) => {
      if (es !== source) return;
      if (e.lastEventId) hadId = true;
      let data = null;
      try { data = JSON.parse(e.data); } catch { return; }
      emit(name, data);
    });
  }
}

// Opens, keeps or reopens the stream for what is wanted now.
function apply() {
  scheduled = false;
  if (!enabled || !followed) return;
  if (timer) return; // waiting after a failure: the reopening takes wanted
  if (source && (wanted === null || wanted === thread)) return;
  open();
}

// Calls made together (the router's none, then the thread page's thread)
// open one stream.
function schedule() {
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(apply);
}

export const live = {
  start() {
    if (enabled) return;
    enabled = true;
    failures = 0;
    reopened = false;
    schedule();
  },
  stop() {
    enabled = false;
    close();
    state = 'off';
  },
  follow(threadId) {
    wanted = threadId || null;
    followed = true;
    schedule();
  },
  on(name, fn) {
    if (!subscribers.has(name)) subscribers.set(name, new Set());
    subscribers.get(name).add(fn);
    return () => subscribers.get(name).delete(fn);
  },
  status() {
    return { state, thread };
  },
};

// Back online while waiting: no need to wait longer.
window.addEventListener('online', () => {
  if (enabled && timer) { clearTimeout(timer); timer = null; open(); }
});
