// review.js - /flashcards/review (?deck=): the review session.
//
// The queue (GET /flashcards/queue) comes in batches; each card shows its
// question, then on Space (or "Show answer") its answer and the four
// ratings with the time each would wait (the queue's previews).  Keys 1-4
// rate, U undoes the last review.  A review that cannot reach the server
// is kept in localStorage with the time it was made (reviewed_at) and
// sent, in order, as soon as the connection is back: a phone on a train
// keeps reviewing the batch it has.
import { api, ApiError, qs } from '../api.js';
import { h, clear, load, empty, button, toast, trustedHtml, pageHeader } from '../ui.js';

const FC = '/flashcards';
const PENDING = 'ludus.flashcards.pending';
const RATINGS = [[1, 'Again'], [2, 'Hard'], [3, 'Good'], [4, 'Easy']];
// A review that takes longer than this counts as made offline: a weak
// connection must not stop the session (nor hold a sync for ever).
const PATIENCE_MS = 8000;

// 90 -> "2 min", 7200 -> "2 h", 86400 * 45 -> "1.5 mo"
export function interval(sec) {
  const m = sec / 60, hr = m / 60, d = hr / 24;
  if (m < 1) return '< 1 min';
  if (hr < 1) return `${Math.round(m)} min`;
  if (d < 1) return `${Math.round(hr)} h`;
  if (d < 30) return `${Math.round(d)} d`;
  if (d < 365) return `${Math.round((d / 30) * 10) / 10} mo`;
  return `${Math.round((d / 365) * 10) / 10} y`;
}

function pending() {
  try { return JSON.parse(localStorage.getItem(PENDING) || '[]'); } catch { return []; }
}
function savePending(list) {
  localStorage.setItem(PENDING, JSON.stringify(list));
}

// Sends the reviews made offline, oldest first; stops at the first that
// cannot get through.  How many are left.
let syncing = null;
export function syncPending() {
  if (syncing) return syncing;
  const run = async () => {
    let list = pending();
    while (list.length) {
      const r = list[0];
      try {
        await api.post(`${FC}/cards/${r.card}/review`,
          { rating: r.rating, reviewed_at: r.reviewed_at, duration_ms: r.duration_ms },
          { signal: AbortSignal.timeout(PATIENCE_MS) });
      } catch (e) {
        if (e instanceof ApiError && (e.network || e.transient)) break;
        toast(`A review made offline was refused: ${e.message}`, 'error');
      }
      list = pending().slice(1);
      savePending(list);
    }
    return list.length;
  };
  // (cleared after the assignment, even when run() ends at once)
  syncing = run().finally(() => { syncing = null; });
  return syncing;
}

export default async function review(ctx) {
  const deck = ctx.query.get('deck') || '';
  ctx.title('Review');
  const status = h('p', { class: 'fc-status', 'aria-live': 'polite', 'data-testid': 'review-status' });
  const offline = h('p', { class: 'fc-offline', role: 'status', hidden: true, 'data-testid': 'offline-note' });
  const stage = h('div', { class: 'fc-stage' });
  clear(ctx.main, h('p', { class: 'crumbs' }, h('a', { href: '/flashcards' }, 'Flashcards'), ' › '),
    pageHeader('Review', button('Undo', () => undo(), 'btn btn-secondary btn-sm', { 'aria-keyshortcuts': 'U', 'data-testid': 'undo' })),
    status, offline, stage);

  let cards = [], card = null, shownAt = 0, revealed = false, counts = null, today = null, done = 0;

  const showOffline = () => {
    const n = pending().length;
    offline.hidden = n === 0;
    offline.textContent = n ? `${n} review${n === 1 ? '' : 's'} made offline, to be sent when the connection is back.` : '';
  };
  const showStatus = () => {
    if (!counts) return;
    status.replaceChildren(
      h('span', { class: 'fc-count fc-new' }, `${counts.new} new`), ' · ',
      h('span', { class: 'fc-count fc-learning' }, `${counts.learning} learning`), ' · ',
      h('span', { class: 'fc-count fc-review' }, `${counts.review} to review`), ' · ',
      h('span', { class: 'muted' }, `${(today?.reviews || 0) + done} done today`));
  };

  async function fetchQueue() {
    await syncPending();
    showOffline();
    const q = await api.get(`${FC}/queue${qs({ deck, limit: 50 })}`);
    counts = q.counts;
    today = q.today;
    done = 0;
    cards = q.cards;
  }

  function next() {
    card = cards.shift() || null;
    revealed = false;
    showStatus();
    if (!card) {
      clear(stage, empty(pending().length
        ? 'That is all for now. Your offline reviews will be sent when you are back online.'
        : 'Nothing more to review now. Come back later, or add new cards.',
      h('a', { class: 'btn btn-secondary', href: '/flashcards' }, 'Back to the decks')));
      return;
    }
    shownAt = performance.now();
    const answer = h('div', { class: 'fc-answer', hidden: true });
    const show = button('Show answer', reveal, 'btn btn-lg', { 'aria-keyshortcuts': 'Space', 'data-testid': 'show-answer' });
    const rates = h('div', { class: 'fc-ratings', hidden: true, role: 'group', 'aria-label': 'How well did you remember?' },
      RATINGS.map(([g, name]) => {
        const p = card.previews?.[g - 1];
        return h('button', { type: 'button', class: `btn fc-rate fc-rate-${g}`, 'data-rating': g,
          'aria-keyshortcuts': String(g), onclick: () => rate(g) },
        h('span', { class: 'fc-rate-name' }, name),
        h('span', { class: 'fc-rate-ivl small' }, p ? interval(p.interval_seconds) : ''));
      }));
    trustedHtml(answer, card.answer_html);
    clear(stage, h('article', { class: 'card fc-card', 'data-testid': 'flashcard', 'data-card': card.id },
      h('p', { class: 'small muted' }, card.deck_title, ' · ', card.queue),
      trustedHtml(h('div', { class: 'fc-question lesson-body' }), card.question_html),
      answer, h('div', { class: 'fc-actions' }, show, rates)));
    show.focus();
    play(stage.querySelector('.fc-question'));
  }

  // A side's first sound plays when it is shown, as in Anki (a browser may
  // refuse until the learner has pressed a key or clicked); r plays the
  // side in view again.
  function play(el) {
    for (const m of stage.querySelectorAll('audio, video')) m.pause();
    const first = el?.querySelector('audio, video');
    if (!first) return;
    first.currentTime = 0;
    first.play().catch(() => {});
  }

  function reveal() {
    if (!card || revealed) return;
    revealed = true;
    const a = stage.querySelector('.fc-answer');
    a.hidden = false;
    const q = stage.querySelector('.fc-question');
    if (card.kind === 'cloze') q.hidden = true;
    stage.querySelector('[data-testid=show-answer]').hidden = true;
    const r = stage.querySelector('.fc-ratings');
    r.hidden = false;
    r.querySelector('.fc-rate-3').focus();
    play(a);
  }

  async function rate(g) {
    if (!card || !revealed) return;
    const c = card;
    const body = { rating: g, duration_ms: Math.min(3600000, Math.round(performance.now() - shownAt)) };
    card = null;
    for (const b of stage.querySelectorAll('.fc-rate')) b.disabled = true;
    try {
      if (pending().length) throw new ApiError(0, null); // keep the order
      await api.post(`${FC}/cards/${c.id}/review`, body, { signal: AbortSignal.timeout(PATIENCE_MS) });
    } catch (e) {
      if (!(e instanceof ApiError && (e.network || e.transient))) {
        toast(e.message, 'error');
      } else {
        savePending([...pending(), { card: c.id, rating: g, reviewed_at: new Date().toISOString(), ...body }]);
        showOffline();
      }
    }
    done++;
    const key = c.queue === 'new' ? 'new' : c.queue === 'review' ? 'review' : 'learning';
    if (counts[key] > 0) counts[key]--;
    if (cards.length) next();
    else {
      try { await fetchQueue(); } catch { cards = []; }
      next();
    }
  }

  async function undo() {
    if (pending().length) {
      const list = pending();
      list.pop();
      savePending(list);
      showOffline();
      toast('The last offline review is taken back.');
      return;
    }
    try {
      await api.post(`${FC}/undo`);
      toast('Last review undone.');
      await fetchQueue();
      next();
    } catch (e) {
      toast(e.message, 'error');
    }
  }

  const onKey = (e) => {
    if (e.target.closest?.('input, textarea, select') || e.ctrlKey || e.metaKey || e.altKey) return;
    if ((e.key === ' ' || e.key === 'Enter') && !revealed && card) { e.preventDefault(); reveal(); }
    else if (revealed && ['1', '2', '3', '4'].includes(e.key)) { e.preventDefault(); rate(Number(e.key)); }
    else if (e.key === 'u' || e.key === 'U') { e.preventDefault(); undo(); }
    else if ((e.key === 'r' || e.key === 'R') && card) {
      e.preventDefault();
      play(stage.querySelector(revealed ? '.fc-answer' : '.fc-question'));
    }
  };
  const onOnline = async () => {
    if (!pending().length) return;
    await syncPending();
    showOffline();
  };
  // The browser's "online" event is a hint; a timer tries again too.
  const timer = setInterval(onOnline, 3000);
  document.addEventListener('keydown', onKey);
  window.addEventListener('online', onOnline);
  ctx.onLeave(() => {
    clearInterval(timer);
    document.removeEventListener('keydown', onKey);
    window.removeEventListener('online', onOnline);
  });

  await load(stage, fetchQueue, () => { setTimeout(next); return h('div', {}); });
  showOffline();
}
