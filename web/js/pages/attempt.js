// attempt.js - /attempts/:id: taking an assessment and its results.
//
// In progress: one question at a time with a navigator, flags, a review
// screen and submit; the question is in the address (?q=3, ?q=review), so
// Back and a reload keep the place, and leaving asks first.  Every change
// is autosaved through a per-question queue (debounced, latest value wins,
// kept in localStorage so a reload sends them again).  A 503 or 429 is
// retried per question with backoff; no network at all stops every save
// until the 'online' event or one shared backoff timer (capped, with
// jitter) lets one save probe the connection, so an offline browser is
// not flooded with requests.  The
// timer follows the server's deadline, corrected by the offset between the
// server's clock (the Date header) and ours.  With immediate feedback an
// answer is checked (and final) when the learner asks for it.
//
// Finished: score, pass/fail, scaled score, time, a per-domain chart, XP
// and achievements this attempt earned, and the full review.
import { api, ApiError } from '../api.js';
import {
  h, clear, field, badge, fmt, pageHeader, barChart, confirmDialog, toast,
  loading, nextId, button,
} from '../ui.js';
import { kindBadge, domainNamer, startAttempt, statusBadge } from './practice.js';

const DEBOUNCE_MS = 600;
const RETRY_MAX_MS = 8000; // a 503 or 429, per question
const NET_BASE_MS = 1000, NET_MAX_MS = 30000; // no network, for all saves

// Exponential backoff with jitter: somewhere in the upper half of
// min(max, base * 2^n), so clients that failed together do not retry
// together.
function backoff(n, base, max) {
  const cap = Math.min(max, base * 2 ** Math.min(n, 30));
  return cap / 2 + Math.random() * (cap / 2);
}
const WARN_AT = [[300, '5 minutes left.'], [60, '1 minute left.']];

/* ---- the server's clock --------------------------------------------- */

// Bounds on (server time - local time) from Date headers: the header is the
// server's time (floored to the second) somewhere between send and receive.
function makeClock() {
  let lo = -Infinity, hi = Infinity, offset = 0;
  return {
    sample(headers, sentAt, gotAt) {
      const d = Date.parse(headers?.get?.('Date') || '');
      if (!Number.isFinite(d)) return;
      const l = d - gotAt, u = d + 1000 - sentAt;
      if (Math.max(lo, l) > Math.min(hi, u)) { lo = l; hi = u; } // the local clock moved: start over
      else { lo = Math.max(lo, l); hi = Math.min(hi, u); }
      offset = (lo + hi) / 2;
    },
    now() { return Date.now() + offset; },
  };
}

async function timedRequest(clock, method, path, body) {
  const sentAt = Date.now();
  const res = await api.request(method, path, body === undefined ? {} : { body });
  clock.sample(res.headers, sentAt, Date.now());
  return res;
}

/* ---- small helpers ------------------------------------------------------ */

const isRevealed = (q) => q.correct !== undefined;
const optionsOf = (q) => q.options || [];

function answerGiven(a) {
  return a !== null && a !== undefined;
}

function creditBadge(q) {
  if (!answerGiven(q.answer)) return badge('Not answered', '');
  const c = Number(q.credit) || 0;
  if (q.correct || c >= 1) return badge('Correct', 'ok');
  if (c > 0) return badge(`Partly right (${Math.round(c * 100)}%)`, 'warn');
  return badge('Incorrect', 'bad');
}

function optionTag(type, label) {
  return type === 'true_false' ? null : h('span', { class: 'at-key', 'aria-hidden': 'true' }, label);
}

/* ---- review of one question (results, and immediate feedback) ------------ */

function reviewOptions(q) {
  const mine = q.type === 'multiple_select' ? (q.answer?.choices || []) : [q.answer?.choice];
  return h('ul', { class: 'at-review-options' }, optionsOf(q).map((o) => {
    const selected = o.selected ?? mine.includes(o.label);
    const marks = [];
    if (selected) marks.push(badge('Your answer', o.correct ? 'ok' : 'bad'));
    if (o.correct) marks.push(badge('Correct answer', 'ok'));
    return h('li', { class: ['at-review-option', o.correct && 'is-correct', selected && !o.correct && 'is-wrong'] },
      h('div', { class: 'at-review-line' }, optionTag(q.type, o.label), h('span', { class: 'at-text' }, o.text), h('span', { class: 'at-marks' }, marks)),
      o.explanation ? h('p', { class: 'at-expl small' }, o.explanation) : null);
  }));
}

function reviewFill(q) {
  const accepted = [...(q.accepted || []), ...(q.numeric || []).map((n) => (n.tolerance ? `${n.value} ± ${n.tolerance}` : String(n.value)))];
  return h('dl', { class: 'at-review-fill' },
    h('div', {}, h('dt', {}, 'Your answer'), h('dd', {}, answerGiven(q.answer) ? h('code', {}, q.answer.text) : h('span', { class: 'muted' }, 'No answer'))),
    h('div', {}, h('dt', {}, accepted.length > 1 ? 'Accepted answers' : 'Accepted answer'), h('dd', {}, accepted.map((t, i) => [i ? ', ' : '', h('code', {}, t)]))));
}

function reviewMatching(q) {
  const right = new Map((q.rights || []).map((r) => [r.label, r.text]));
  const mine = q.answer?.pairs || {};
  const sol = q.solution?.pairs || {};
  return h('div', { class: 'table-wrap pr-table' }, h('table', { class: 'at-review-table' },
    h('caption', { class: 'sr-only' }, 'Your matches and the correct ones'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Item'), h('th', { scope: 'col' }, 'Your match'), h('th', { scope: 'col' }, 'Correct match'))),
    h('tbody', {}, (q.lefts || []).map((l) => {
      const ok = mine[l.label] && mine[l.label] === sol[l.label];
      return h('tr', {},
        h('th', { scope: 'row' }, l.text, l.explanation ? h('p', { class: 'at-expl small' }, l.explanation) : null),
        h('td', { class: mine[l.label] ? (ok ? 'at-ok' : 'at-bad') : 'muted' },
          mine[l.label] ? [ok ? '✓ ' : '✗ ', right.get(mine[l.label]) || mine[l.label]] : 'No answer'),
        h('td', {}, right.get(sol[l.label]) || '–'));
    }))));
}

function reviewOrdering(q) {
  const text = new Map((q.items || []).map((i) => [i.label, i.text]));
  const mine = q.answer?.order || [];
  const sol = q.solution?.order || [];
  return h('div', { class: 'grid grid-2 at-review-order' },
    h('div', {}, h('h4', {}, 'Your order'), mine.length
      ? h('ol', {}, mine.map((l, i) => h('li', { class: l === sol[i] ? 'at-ok' : 'at-bad' }, text.get(l) || l, h('span', { class: 'sr-only' }, l === sol[i] ? ' (right place)' : ' (wrong place)'))))
      : h('p', { class: 'muted' }, 'No answer')),
    h('div', {}, h('h4', {}, 'Correct order'), h('ol', {}, sol.map((l) => h('li', {}, text.get(l) || l)))));
}

function reviewBody(q) {
  let body;
  if (q.type === 'fill_blank') body = reviewFill(q);
  else if (q.type === 'matching') body = reviewMatching(q);
  else if (q.type === 'ordering') body = reviewOrdering(q);
  else body = reviewOptions(q);
  return [body, q.explanation ? h('div', { class: 'at-explanation' }, h('h4', {}, 'Explanation'), h('p', {}, q.explanation)) : null];
}

/* ---- a preview ------------------------------------------------------------- */

// An author (or an admin) trying an assessment out: say so, and lead back
// to the builder.
function previewBanner(doc, finished) {
  if (!doc.preview) return null;
  return h('section', { class: 'card at-preview', 'aria-labelledby': 'at-preview-h', 'data-testid': 'preview-banner' },
    h('div', {},
      h('h2', { id: 'at-preview-h' }, finished ? 'This was a preview' : 'Preview'),
      h('p', { class: 'small' }, finished
        ? 'You tried your own assessment: this attempt counts in no results, statistics or leaderboards.'
        : 'You are trying your own assessment as a learner would. This attempt counts in no results, statistics or leaderboards.')),
    h('a', { href: `/teach/assessments/${doc.assessment.id}`, class: finished ? 'btn' : 'btn btn-secondary', 'data-testid': 'back-to-builder' },
      finished ? 'Back to the assessment builder' : 'Back to the builder'));
}

/* ---- results -------------------------------------------------------------- */

// XP and achievements of this attempt: the ledger rows written by the
// transaction that finished it (they share its timestamp).
async function earnedBy(doc) {
  const at = Date.parse(doc.finished_at || '');
  if (!Number.isFinite(at)) return null;
  const rows = [];
  let after = null;
  for (let page = 0; page < 4; page++) {
    const p = await api.get('/me/xp?limit=100' + (after ? `&after=${encodeURIComponent(after)}` : ''));
    const items = p.items || [];
    rows.push(...items.filter((x) => Date.parse(x.occurred_at) === at));
    const last = items[items.length - 1];
    if (!p.next || !last || Date.parse(last.occurred_at) < at) break;
    after = p.next;
  }
  return {
    xp: rows.reduce((s, x) => s + (Number(x.amount) || 0), 0),
    achievements: rows.filter((x) => x.source === 'achievement'),
  };
}

function earnedCard(earned) {
  if (!earned || (!earned.xp && !earned.achievements.length)) return null;
  return h('section', { class: 'card at-earned', 'aria-labelledby': 'at-earned-h' },
    h('h2', { id: 'at-earned-h' }, 'Rewards'),
    earned.xp ? h('p', { class: 'at-xp' }, h('strong', {}, `+${fmt.num(earned.xp)} XP`), ' earned with this attempt') : null,
    earned.achievements.length ? h('ul', { class: 'at-ach-list' }, earned.achievements.map((a) =>
      h('li', { class: 'at-ach' }, h('span', { class: 'at-ach-icon', 'aria-hidden': 'true' }, '🏆'),
        h('span', {}, h('span', { class: 'at-ach-kicker' }, 'New achievement'), h('strong', {}, a.reason),
          h('span', { class: 'muted small' }, ` +${a.amount} XP`))))) : null,
    earned.achievements.length ? h('a', { href: '/achievements', class: 'btn btn-secondary btn-sm' }, 'See my achievements') : null);
}

function summary(doc) {
  const r = doc.result || {};
  const stats = [
    ['Score', `${fmt.num(Math.round(r.score * 100) / 100)} / ${fmt.num(r.max_score)}`, `${r.correct} of ${doc.question_count} fully correct`],
    ['Percentage', fmt.pct(r.percentage, 1), `Pass mark ${fmt.pct(doc.passing_percent, doc.passing_percent % 1 ? 1 : 0)}`],
  ];
  if (r.scaled_score !== null && r.scaled_score !== undefined && r.scale) {
    stats.push(['Scaled score', `${r.scaled_score}`, `of ${r.scale.min}–${r.scale.max}; ${r.scale.passing} passes (estimate)`]);
  }
  stats.push(['Time taken', fmt.clock(r.time_taken_seconds || 0), doc.status === 'expired' ? 'the time ran out' : '']);
  return h('div', { class: 'grid grid-4 at-stats' }, stats.map(([label, value, note]) =>
    h('div', { class: 'card stat' }, h('span', { class: 'label' }, label), h('span', { class: 'value' }, value),
      note ? h('span', { class: 'muted small' }, note) : null)));
}

async function domainChart(doc) {
  const domains = doc.result?.domains || {};
  const codes = Object.keys(domains).sort();
  if (!codes.length) return null;
  const { name } = await domainNamer(doc.assessment?.exam);
  const pass = doc.passing_percent;
  return h('section', { class: 'card', 'aria-labelledby': 'at-dom-h' },
    h('h2', { id: 'at-dom-h' }, 'By domain'),
    h('p', { class: 'muted small' }, `The line marks the pass mark (${fmt.pct(pass, pass % 1 ? 1 : 0)}).`),
    barChart(codes.map((c) => {
      const d = domains[c];
      return {
        label: `${name(c)} (${d.correct}/${d.questions})`,
        value: d.percent,
        kind: d.percent >= pass ? 'ok' : d.percent >= pass - 15 ? 'warn' : 'bad',
        text: fmt.pct(d.percent, 0),
      };
    }), { label: 'Score by domain', mark: pass }));
}

// A wrong answer offers a flashcard of its question (in my deck of
// mistakes), unless my settings turned that off; once made, the button
// says so.
let cardMode = null;
function cardButton(q) {
  if (!cardMode) {
    cardMode = api.get('/me/flashcard-settings').then((s) => s.cards_from_mistakes, () => 'offer');
  }
  const b = button('Make a flashcard', async () => {
    b.disabled = true;
    try {
      const r = await api.request('POST', '/flashcards/from-question', { body: { question_id: q.question_id } });
      b.textContent = r.status === 201 ? 'Flashcard made ✓' : 'Already a flashcard ✓';
    } catch (e) {
      b.disabled = false;
      toast(e.message, 'error');
    }
  }, 'btn btn-secondary btn-sm', { 'data-testid': 'make-card' });
  const row = h('div', { class: 'row', hidden: true }, b);
  cardMode.then((mode) => { row.hidden = mode === 'off'; });
  return row;
}

function reviewList(doc) {
  const qs = doc.questions || [];
  const list = h('ol', { class: 'at-review-list' });
  const filters = [
    ['all', 'All', () => true],
    ['wrong', 'Not fully right', (q) => !(q.correct || Number(q.credit) >= 1)],
    ['flagged', 'Flagged', (q) => q.flagged],
  ];
  const status = h('p', { class: 'muted small', role: 'status' });
  const show = (key) => {
    const [, , test] = filters.find((f) => f[0] === key);
    const shown = qs.filter(test);
    for (const b of bar.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.filter === key));
    status.textContent = `${shown.length} of ${qs.length} questions shown`;
    clear(list, shown.length ? shown.map((q) => h('li', { class: 'card at-review-q', id: `review-${q.position}` },
      h('div', { class: 'row between at-review-head' },
        h('h3', {}, `Question ${q.position}`),
        h('div', { class: 'row' }, q.flagged ? badge('Flagged', 'warn') : null, creditBadge(q),
          h('span', { class: 'muted small' }, `${Math.round((Number(q.credit) || 0) * q.points * 100) / 100} / ${q.points} pt`))),
      h('p', { class: 'at-stem' }, q.stem),
      reviewBody(q),
      !(q.correct || Number(q.credit) >= 1) && answerGiven(q.answer) ? cardButton(q) : null)) : h('li', { class: 'state state-empty' }, 'No questions here.'));
  };
  const bar = h('div', { class: 'row at-review-filters', role: 'group', 'aria-label': 'Show' },
    filters.map(([key, text]) => h('button', { type: 'button', class: 'btn btn-secondary btn-sm', 'data-filter': key, 'aria-pressed': 'false', onclick: () => show(key) }, text)));
  show('all');
  return h('section', { class: 'section', 'aria-labelledby': 'at-rev-h' },
    h('h2', { id: 'at-rev-h' }, 'Review'), bar, status, list);
}

async function retakeButton(ctx, doc) {
  const alertBox = h('div', { class: 'form-alert', role: 'alert', tabindex: '-1', hidden: true });
  try {
    const a = await api.get(`/assessments/${doc.assessment.id}`);
    const m = a.my_attempts || {};
    if (!m.in_progress && (!a.open_now || m.left === 0)) return null;
    const b = h('button', { type: 'button', class: 'btn', id: 'retake' }, m.in_progress ? 'Continue the attempt in progress' : 'Retake');
    b.addEventListener('click', () => startAttempt(ctx, a, alertBox, b));
    return [b, alertBox];
  } catch {
    return null;
  }
}

async function renderResults(ctx, doc, { fresh = false } = {}) {
  const r = doc.result || {};
  ctx.title(`Results: ${doc.assessment.title}`);
  const passed = r.passed;
  const head = h('section', { class: ['card at-verdict', passed ? 'is-pass' : 'is-fail'], 'aria-labelledby': 'at-verdict-h' },
    h('div', { class: 'row between' },
      h('div', {},
        h('h2', { id: 'at-verdict-h' }, passed ? 'Passed' : 'Not passed yet'),
        h('p', { class: 'muted' }, passed
          ? `You scored ${fmt.pct(r.percentage, 1)}, above the pass mark of ${fmt.pct(doc.passing_percent, 1)}.`
          : `You scored ${fmt.pct(r.percentage, 1)}; the pass mark is ${fmt.pct(doc.passing_percent, 1)}. The review below shows what to work on.`),
        doc.status === 'expired' ? h('p', { class: 'at-note' }, 'The time ran out: the answers saved in time were scored.') : null),
      h('span', { class: 'at-big-badge' }, passed ? badge('Passed', 'ok') : badge('Not passed', 'bad'))));

  const actions = h('div', { class: 'row at-result-actions' },
    h('a', { href: '/practice', class: 'btn btn-secondary' }, 'Back to practice'),
    h('a', { href: '/history', class: 'btn btn-secondary' }, 'History'));
  const rewards = h('div');
  const chart = h('div');
  clear(ctx.main,
    h('p', { class: 'crumbs' }, h('a', { href: `/assessments/${doc.assessment.id}` }, `← ${doc.assessment.title}`)),
    pageHeader('Results', statusBadge(doc.status)),
    h('p', { class: 'row at-sub' }, kindBadge(doc.assessment.kind), h('span', {}, `${doc.assessment.title}, attempt ${doc.number}`),
      h('span', { class: 'muted' }, fmt.datetime(doc.finished_at))),
    previewBanner(doc, true), head, summary(doc), rewards, chart, actions, reviewList(doc));

  const [chartNode, earned, retake] = await Promise.all([
    domainChart(doc).catch(() => null),
    earnedBy(doc).catch(() => null),
    retakeButton(ctx, doc),
  ]);
  if (!ctx.current()) return;
  if (chartNode) chart.replaceWith(chartNode);
  const card = earnedCard(earned);
  if (card) rewards.replaceWith(card);
  if (retake) actions.prepend(...retake);
  if (fresh && earned) {
    for (const a of earned.achievements) toast(`Achievement unlocked: ${a.reason}`, 'success', 6000);
  }
}

/* ---- taking the assessment ---------------------------------------------- */

function storageKey(id) { return `ludus.attempt.${id}`; }

function readStore(id) {
  try { return JSON.parse(localStorage.getItem(storageKey(id)) || 'null') || {}; } catch { return {}; }
}

function takeExam(ctx, doc, clock) {
  const id = doc.id;
  const immediate = doc.feedback === 'immediate';
  const questions = doc.questions || [];
  const byId = new Map(questions.map((q) => [q.question_id, q]));
  const local = new Map(questions.map((q) => [q.question_id, { answer: q.answer ?? null, flagged: !!q.flagged }]));
  const drafts = new Map(); // immediate mode: answers not checked yet
  const pending = new Map(); // qid -> {answer?, flagged?, seconds}
  const inflight = new Map(); // qid -> the body being sent
  const debouncers = new Map();
  const retries = new Map(); // qid -> {n, timer}
  // No network: every save waits for net.timer or 'online'; then one save
  // (net.probe) goes first and the rest follow once it got through.
  const net = { n: 0, timer: null, probe: null };
  const carry = new Map(); // qid -> fractions of a second not sent yet
  let idx = 0;
  let mode = 'question'; // or 'review'
  let alive = true;
  let finishing = false;
  let offline = !navigator.onLine;
  let lastError = null;
  let savedAt = null;
  let shownAt = performance.now();
  let warned = new Set();

  // Restore what a previous visit could not send, and where it was.
  const stored = readStore(id);
  for (const [qid, p] of Object.entries(stored.pending || {})) {
    if (!byId.has(qid)) continue;
    pending.set(qid, p);
    const l = local.get(qid);
    if ('answer' in p) l.answer = p.answer;
    if ('flagged' in p) l.flagged = p.flagged;
  }
  for (const [qid, a] of Object.entries(stored.drafts || {})) if (byId.has(qid) && !isRevealed(byId.get(qid))) drafts.set(qid, a);
  const asked = place(ctx.query.get('q'));
  if (asked !== null) idx = asked === 'review' ? idx : asked;
  else if (Number.isInteger(stored.pos) && stored.pos >= 0 && stored.pos < questions.length) idx = stored.pos;
  else {
    const firstOpen = questions.findIndex((q) => !answerGiven(local.get(q.question_id).answer));
    idx = firstOpen >= 0 ? firstOpen : 0;
  }

  function persist() {
    if (!alive) return; // a newer visit of the page owns the store now
    const out = {};
    for (const [qid, b] of inflight) out[qid] = { ...b };
    for (const [qid, p] of pending) {
      const o = out[qid] || { seconds: 0 };
      out[qid] = { ...o, ...p, seconds: (o.seconds || 0) + (p.seconds || 0) };
    }
    const data = { pending: out, pos: idx, drafts: Object.fromEntries(drafts) };
    try { localStorage.setItem(storageKey(id), JSON.stringify(data)); } catch { /* full or private mode */ }
  }

  // After the page was left: drop what was just sent from the store,
  // unless a newer visit changed it since.
  function forgetSent(qid, sent) {
    try {
      const now = readStore(id);
      if (now.pending && JSON.stringify(now.pending[qid]) === JSON.stringify(sent)) {
        delete now.pending[qid];
        localStorage.setItem(storageKey(id), JSON.stringify(now));
      }
    } catch { /* nothing to do */ }
  }

  /* -- time on the current question -- */
  function takeSeconds(qid) {
    const q = questions[idx];
    if (!q || q.question_id !== qid || mode !== 'question' || document.hidden) return 0;
    const now = performance.now();
    const total = (now - shownAt) / 1000 + (carry.get(qid) || 0);
    shownAt = now;
    const whole = Math.floor(total);
    carry.set(qid, total - whole);
    return whole;
  }

  /* -- the save queue -- */
  function enqueue(qid, patch, delay = DEBOUNCE_MS) {
    if (finishing) return;
    const p = pending.get(qid) || { seconds: 0 };
    Object.assign(p, patch);
    p.seconds = (p.seconds || 0) + takeSeconds(qid);
    pending.set(qid, p);
    persist();
    clearTimeout(debouncers.get(qid));
    debouncers.set(qid, setTimeout(() => send(qid), delay));
    renderStatus();
  }

  async function send(qid) {
    debouncers.delete(qid);
    if (finishing && !flushing) return;
    if (inflight.has(qid) || retries.get(qid)?.timer) return; // it runs again when that ends
    if (net.timer || (net.probe && net.probe !== qid)) return; // waits for the network
    const p = pending.get(qid);
    if (!p) return;
    const body = {};
    if ('answer' in p) body.answer = p.answer;
    if ('flagged' in p) body.flagged = p.flagged;
    if (p.seconds > 0) body.time_spent_seconds = Math.min(3600, p.seconds);
    pending.delete(qid);
    if (!Object.keys(body).length) { persist(); renderStatus(); return; }
    inflight.set(qid, p);
    renderStatus();
    let reached = false;
    try {
      const res = await timedRequest(clock, 'PUT', `/attempts/${id}/answers/${qid}`, body);
      reached = true;
      retries.delete(qid);
      if (!alive) forgetSent(qid, p);
      offline = false;
      lastError = null;
      savedAt = new Date();
      onSaved(qid, res.data);
    } catch (err) {
      if (err instanceof ApiError && err.transient) {
        // Put it back under anything newer, and try again later.
        const newer = pending.get(qid);
        const merged = { ...p, ...(newer || {}), seconds: (p.seconds || 0) + (newer?.seconds || 0) };
        pending.set(qid, merged);
        lastError = err;
        if (err.network) { offline = true; networkDown(); } else { reached = true; scheduleRetry(qid, err); }
      } else if (err instanceof ApiError && (err.code === 'time-up' || err.code === 'attempt-finished')) {
        inflight.delete(qid);
        persist();
        over(err.code === 'time-up' ? 'The time is up.' : 'This attempt has ended.');
        return;
      } else if (err instanceof ApiError && err.code === 'answer-final') {
        toast(`Question ${byId.get(qid).position}: ${err.message}`, 'error');
        refreshQuestion(qid);
      } else {
        lastError = err;
        toast(`Question ${byId.get(qid).position} was not saved: ${err.message}`, 'error', 6000);
        refreshQuestion(qid);
      }
    } finally {
      if (inflight.get(qid) === p) inflight.delete(qid);
      if (net.probe === qid) net.probe = null;
      persist();
      renderStatus();
    }
    if (reached && net.n) { networkBack(); return; } // the probe got through: send the rest
    if (pending.has(qid) && !retries.get(qid)?.timer && !debouncers.has(qid)) send(qid);
  }

  // A 503 or 429: this question tries again after its own backoff.
  function scheduleRetry(qid, err) {
    const r = retries.get(qid) || { n: 0, timer: null };
    const wait = Math.max((err.retryAfter || 0) * 1000, backoff(r.n, 500, RETRY_MAX_MS));
    r.n += 1;
    if (!alive) return; // kept in localStorage for the next visit
    clearTimeout(r.timer);
    r.timer = setTimeout(() => { r.timer = null; if (alive) send(qid); }, wait);
    retries.set(qid, r);
  }

  // No network: one timer for every save.  Saves that fail together (or
  // while it runs) only wait; when it fires, one save probes the network.
  function networkDown() {
    if (!alive || net.timer) return;
    const wait = backoff(net.n, NET_BASE_MS, NET_MAX_MS);
    net.n += 1;
    net.timer = setTimeout(() => {
      net.timer = null;
      if (!alive) return;
      const qid = [...pending.keys()].find((k) => !inflight.has(k));
      if (qid === undefined) { net.n = 0; return; }
      net.probe = qid;
      const d = debouncers.get(qid);
      if (d) { clearTimeout(d); debouncers.delete(qid); }
      send(qid);
    }, wait);
  }

  // The probe got an answer: the rest go now, but a question waiting out
  // a 503 or 429 keeps its own timer.
  function networkBack() {
    clearTimeout(net.timer);
    net.timer = null;
    net.probe = null;
    net.n = 0;
    if (!alive) return;
    for (const qid of [...pending.keys()]) if (!debouncers.has(qid)) send(qid);
  }

  // Sends everything now (back online, submit, time up).
  function sendAllNow() {
    clearTimeout(net.timer);
    net.timer = null;
    net.probe = null;
    for (const [qid, t] of debouncers) { clearTimeout(t); debouncers.delete(qid); }
    for (const [, r] of retries) { clearTimeout(r.timer); r.timer = null; }
    for (const qid of [...pending.keys()]) send(qid);
  }

  // Sends everything; true once nothing is left, false when it cannot.
  let flushing = false;
  async function flushAll(timeoutMs = 20000) {
    flushing = true;
    lastError = null;
    const start = Date.now();
    sendAllNow();
    try {
      while (pending.size || inflight.size) {
        if (Date.now() - start > timeoutMs) return false;
        if (!inflight.size && lastError && lastError.transient) return false;
        await new Promise((r) => setTimeout(r, 100));
      }
      return true;
    } finally {
      flushing = false;
    }
  }

  function onSaved(qid, item) {
    const q = byId.get(qid);
    if (!q || !item) return;
    const keepAnswer = pending.has(qid) && 'answer' in pending.get(qid);
    const keepFlag = pending.has(qid) && 'flagged' in pending.get(qid);
    Object.assign(q, item);
    const l = local.get(qid);
    if (!keepAnswer) l.answer = item.answer ?? null;
    if (!keepFlag) l.flagged = !!item.flagged;
    if (isRevealed(item)) {
      drafts.delete(qid);
      persist();
      if (alive && mode === 'question' && questions[idx]?.question_id === qid) renderQuestion();
    }
    renderNav();
  }

  async function refreshQuestion(qid) {
    try {
      const res = await timedRequest(clock, 'GET', `/attempts/${id}`);
      if (res.data.status !== 'in_progress') { over('This attempt has ended.'); return; }
      const fresh = (res.data.questions || []).find((x) => x.question_id === qid);
      if (fresh) {
        Object.assign(byId.get(qid), fresh);
        local.set(qid, { answer: fresh.answer ?? null, flagged: !!fresh.flagged });
        drafts.delete(qid);
        if (alive && mode === 'question' && questions[idx]?.question_id === qid) renderQuestion();
        renderNav();
      }
    } catch { /* the next save will tell */ }
  }

  /* -- changes from the inputs -- */
  function setAnswer(qid, answer) {
    if (immediate) {
      if (answerGiven(answer)) drafts.set(qid, answer); else drafts.delete(qid);
      persist();
      updateCheckButton();
      renderNav();
      return;
    }
    local.get(qid).answer = answer;
    enqueue(qid, { answer }, DEBOUNCE_MS);
    if (clearBtn) clearBtn.hidden = !answerGiven(answer);
    renderNav();
  }

  function checkAnswer(qid) {
    const a = drafts.get(qid);
    if (!answerGiven(a)) return;
    local.get(qid).answer = a;
    enqueue(qid, { answer: a }, 0);
    renderQuestion();
    renderNav();
  }

  function toggleFlag() {
    const q = questions[idx];
    const l = local.get(q.question_id);
    l.flagged = !l.flagged;
    enqueue(q.question_id, { flagged: l.flagged }, 0);
    flagBtn.setAttribute('aria-pressed', String(l.flagged));
    flagBtn.textContent = l.flagged ? '⚑ Flagged for review' : '⚐ Flag for review';
    renderNav();
  }

  /* -- the page -- */
  const title = doc.assessment.title;
  ctx.title(title);
  const timerEl = h('span', { class: 'at-timer', role: 'timer', id: 'attempt-timer' });
  const timerWarn = h('span', { class: 'sr-only', 'aria-live': 'polite' });
  const statusEl = h('span', { class: 'at-save', role: 'status', 'aria-live': 'polite', id: 'save-status' });
  const counter = h('span', { class: 'at-count' });
  const bar = h('div', { class: 'at-bar', 'aria-label': 'Attempt status', role: 'region' },
    counter, statusEl,
    doc.deadline_at ? h('span', { class: 'at-timer-box' }, h('span', { class: 'at-timer-label' }, 'Time left'), timerEl, timerWarn) : null);
  const qBox = h('section', { class: 'at-question', 'aria-labelledby': 'at-qh' });
  const navList = h('ol', { class: 'at-nav-list' });
  const navSummary = h('p', { class: 'at-nav-summary muted small' });
  const nav = h('nav', { class: 'at-nav card', 'aria-label': 'Questions' },
    h('h2', { class: 'at-nav-h' }, 'Questions'), navSummary, navList,
    h('ul', { class: 'at-legend small muted', 'aria-hidden': 'true' },
      h('li', {}, h('span', { class: 'at-dot is-answered' }), 'Answered'),
      h('li', {}, h('span', { class: 'at-dot is-flagged' }), 'Flagged'),
      h('li', {}, h('span', { class: 'at-dot' }), 'Not answered')),
    h('button', { type: 'button', class: 'btn btn-secondary btn-block', onclick: () => showReview() }, 'Review and submit'));
  const flagBtn = h('button', { type: 'button', class: 'btn btn-ghost btn-sm at-flag', 'aria-pressed': 'false', onclick: toggleFlag });
  let checkBtn = null;
  let clearBtn = null;
  const layout = h('div', { class: 'at-layout' }, qBox, nav);

  clear(ctx.main,
    pageHeader(title),
    h('p', { class: 'row at-sub' }, kindBadge(doc.assessment.kind),
      h('span', { class: 'muted' }, `${doc.question_count} questions · pass at ${fmt.pct(doc.passing_percent, doc.passing_percent % 1 ? 1 : 0)}`),
      immediate ? badge('Answers checked one by one', 'accent') : null,
      doc.preview ? badge('Preview', 'warn') : null),
    previewBanner(doc, false), bar, layout);

  function placeBar() {
    const top = document.getElementById('topbar');
    bar.style.top = (top ? top.offsetHeight : 0) + 'px';
  }
  placeBar();

  function renderStatus() {
    if (!alive) return;
    let text, cls;
    if (finishing) { text = 'Submitting…'; cls = 'is-saving'; }
    else if ((offline || !navigator.onLine) && (pending.size || inflight.size)) { text = 'Offline - your answers will be sent when the connection is back'; cls = 'is-offline'; }
    else if (!navigator.onLine) { text = 'Offline - your answers will be kept and sent when the connection is back'; cls = 'is-offline'; }
    else if (lastError && lastError.transient && pending.size) { text = 'The server is busy - retrying…'; cls = 'is-offline'; }
    else if (pending.size || inflight.size) { text = 'Saving…'; cls = 'is-saving'; }
    else if (savedAt) { text = 'All answers saved'; cls = 'is-saved'; }
    else { text = 'Answers save automatically'; cls = ''; }
    if (statusEl.textContent !== text) statusEl.textContent = text;
    statusEl.className = ['at-save', cls].filter(Boolean).join(' ');
  }

  function qState(q) {
    const l = local.get(q.question_id);
    return { answered: answerGiven(l.answer), flagged: l.flagged, draft: drafts.has(q.question_id) && !answerGiven(l.answer) };
  }

  function renderNav() {
    if (!alive) return;
    const buttons = questions.map((q, i) => {
      const s = qState(q);
      const current = mode === 'question' && i === idx;
      const words = [s.answered ? 'answered' : s.draft ? 'not checked yet' : 'not answered', s.flagged ? 'flagged' : null].filter(Boolean).join(', ');
      const b = h('button', {
        type: 'button', class: ['at-nav-btn', s.answered && 'is-answered', s.flagged && 'is-flagged', s.draft && 'is-draft', current && 'is-current'],
        'aria-label': `Question ${i + 1}, ${words}`, 'aria-current': current ? 'step' : null,
        tabindex: i === idx ? '0' : '-1', 'data-index': String(i),
        onclick: () => goTo(i),
      }, String(i + 1));
      return h('li', {}, b);
    });
    const hadFocus = navList.contains(document.activeElement) ? Number(document.activeElement.dataset.index) : null;
    clear(navList, buttons);
    if (hadFocus !== null) navList.querySelector(`[data-index="${hadFocus}"]`)?.focus();
    const answered = questions.filter((q) => qState(q).answered).length;
    const flagged = questions.filter((q) => qState(q).flagged).length;
    navSummary.textContent = `${answered} of ${questions.length} answered${flagged ? `, ${flagged} flagged` : ''}`;
    counter.textContent = mode === 'question' ? `Question ${idx + 1} of ${questions.length}` : 'Review';
  }

  // Arrow keys move between the navigator's buttons (one tab stop).
  navList.addEventListener('keydown', (e) => {
    const b = e.target.closest('.at-nav-btn');
    if (!b) return;
    const i = Number(b.dataset.index);
    let j = null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') j = Math.min(questions.length - 1, i + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') j = Math.max(0, i - 1);
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = questions.length - 1;
    if (j === null) return;
    e.preventDefault();
    for (const x of navList.querySelectorAll('.at-nav-btn')) x.tabIndex = -1;
    const t = navList.querySelector(`[data-index="${j}"]`);
    t.tabIndex = 0;
    t.focus();
  });

  // The time spent on the question goes with its next save; after a
  // longer look without a change, in a save of its own.
  function leaveQuestion() {
    const q = questions[idx];
    if (!q || mode !== 'question' || finishing) return;
    const qid = q.question_id;
    const secs = takeSeconds(qid);
    if (secs <= 0) return;
    const p = pending.get(qid);
    if (p) { p.seconds = (p.seconds || 0) + secs; persist(); return; }
    if (secs < 2) { carry.set(qid, (carry.get(qid) || 0) + secs); return; }
    pending.set(qid, { seconds: secs });
    persist();
    clearTimeout(debouncers.get(qid));
    debouncers.set(qid, setTimeout(() => send(qid), DEBOUNCE_MS));
    renderStatus();
  }

  // ?q=3 -> 2, ?q=review -> 'review', anything else -> null.
  function place(v) {
    if (v === 'review') return 'review';
    const n = Number(v);
    return Number.isInteger(n) && n >= 1 && n <= questions.length ? n - 1 : null;
  }
  function here() { return `/attempts/${id}?q=${mode === 'review' ? 'review' : idx + 1}`; }
  // The address follows the question: a new history entry per move, so
  // Back goes to the question before.
  function mark(push) {
    const url = here();
    if (location.pathname + location.search === url) return;
    if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
  }

  function goTo(i, { focus = true, push = true } = {}) {
    leaveQuestion();
    idx = Math.max(0, Math.min(questions.length - 1, i));
    mode = 'question';
    shownAt = performance.now();
    mark(push);
    persist();
    renderQuestion();
    renderNav();
    if (focus) qBox.querySelector('h2')?.focus();
  }

  /* -- inputs per type -- */
  function choiceInputs(q, disabled) {
    const qid = q.question_id;
    const multi = q.type === 'multiple_select';
    const cur = immediate ? (drafts.get(qid) ?? local.get(qid).answer) : local.get(qid).answer;
    const chosen = multi ? (cur?.choices || []) : [cur?.choice];
    const name = `q-${q.position}`;
    const hint = multi ? h('p', { class: 'hint', id: `${name}-hint` }, q.choose ? `Choose ${q.choose}.` : 'Choose every answer that applies.') : null;
    const warn = h('p', { class: 'at-warn small', role: 'status' });
    const set = () => {
      const boxes = [...fs.querySelectorAll('input')];
      if (multi) {
        const picked = boxes.filter((b) => b.checked).map((b) => b.value);
        warn.textContent = q.choose && picked.length > q.choose ? `You have chosen ${picked.length}; the question asks for ${q.choose}.` : '';
        setAnswer(qid, picked.length ? { choices: picked } : null);
      } else {
        const b = boxes.find((x) => x.checked);
        setAnswer(qid, b ? { choice: b.value } : null);
      }
    };
    const fs = h('fieldset', { class: 'at-fieldset', 'aria-describedby': hint ? hint.id : null },
      h('legend', { class: 'at-stem' }, q.stem),
      hint,
      h('div', { class: 'at-options' }, optionsOf(q).map((o) => {
        const inputId = nextId('opt');
        return h('div', { class: 'at-option' },
          h('input', { type: multi ? 'checkbox' : 'radio', name, id: inputId, value: o.label, checked: chosen.includes(o.label), disabled, onchange: set }),
          h('label', { for: inputId }, optionTag(q.type, o.label), h('span', { class: 'at-text' }, o.text)));
      })),
      warn);
    return fs;
  }

  function fillInput(q, disabled) {
    const qid = q.question_id;
    const cur = immediate ? (drafts.get(qid) ?? local.get(qid).answer) : local.get(qid).answer;
    const f = field({ label: 'Your answer', name: `q-${q.position}`, value: cur?.text || '', maxlength: 500, attrs: { autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', disabled } });
    const input = f.querySelector('input');
    input.addEventListener('input', () => {
      const t = input.value;
      setAnswer(qid, t.trim() ? { text: t } : null);
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); if (immediate) checkAnswer(qid); }
    });
    return h('fieldset', { class: 'at-fieldset' }, h('legend', { class: 'at-stem' }, q.stem), f);
  }

  function matchingInputs(q, disabled) {
    const qid = q.question_id;
    const cur = immediate ? (drafts.get(qid) ?? local.get(qid).answer) : local.get(qid).answer;
    const pairs = { ...(cur?.pairs || {}) };
    const rights = q.rights || [];
    const note = h('p', { class: 'sr-only', 'aria-live': 'polite' });
    const hint = h('p', { class: 'hint', id: `m-${q.position}-hint` }, 'Choose the match for each item. Each answer can be used once; picking one that is in use moves it here.');
    const selects = [];
    const fs = h('fieldset', { class: 'at-fieldset', 'aria-describedby': hint.id },
      h('legend', { class: 'at-stem' }, q.stem), hint,
      h('div', { class: 'at-matching' }, (q.lefts || []).map((l) => {
        const f = field({
          label: l.text, name: `m-${q.position}-${l.label}`, type: 'select', value: pairs[l.label] || '',
          options: [['', 'Choose…'], ...rights.map((r) => [r.label, r.text])], attrs: { disabled, 'data-left': l.label },
        });
        const sel = f.querySelector('select');
        selects.push(sel);
        sel.addEventListener('change', () => {
          const v = sel.value;
          if (v) {
            for (const [k, r] of Object.entries(pairs)) {
              if (r === v && k !== l.label) {
                delete pairs[k];
                const other = selects.find((s) => s.dataset.left === k);
                if (other) other.value = '';
                const lt = (q.lefts || []).find((x) => x.label === k)?.text;
                note.textContent = `That answer was moved here from “${lt}”.`;
              }
            }
            pairs[l.label] = v;
          } else delete pairs[l.label];
          setAnswer(qid, Object.keys(pairs).length ? { pairs: { ...pairs } } : null);
        });
        return f;
      })), note);
    return fs;
  }

  function orderingInputs(q, disabled) {
    const qid = q.question_id;
    const items = q.items || [];
    const text = new Map(items.map((i) => [i.label, i.text]));
    const cur = immediate ? (drafts.get(qid) ?? local.get(qid).answer) : local.get(qid).answer;
    let order = cur?.order?.length === items.length ? [...cur.order] : items.map((i) => i.label);
    const note = h('p', { class: 'sr-only', 'aria-live': 'polite' });
    const given = () => answerGiven(immediate ? (drafts.get(qid) ?? local.get(qid).answer) : local.get(qid).answer);
    const hint = h('p', { class: 'hint', id: `o-${q.position}-hint` });
    // The order shown may be the one the learner wants: they say so here.
    const keep = h('button', { type: 'button', class: 'btn btn-secondary btn-sm', id: 'keep-order', disabled,
      onclick: () => {
        setAnswer(qid, { order: [...order] });
        note.textContent = 'Answered with the order shown.';
        showHint();
        list.querySelector('button:not([disabled])')?.focus();
      } }, 'Keep this order');
    const showHint = () => {
      const done = given();
      hint.textContent = done
        ? 'Use Move up and Move down to change the order.'
        : 'Use Move up and Move down to put the items in order, or keep the order shown. Your answer is saved once you move an item or keep the order.';
      keep.hidden = done;
    };
    showHint();
    const list = h('ol', { class: 'at-order' });
    const move = (label, dir) => {
      const i = order.indexOf(label), j = i + dir;
      if (j < 0 || j >= order.length) return;
      [order[i], order[j]] = [order[j], order[i]];
      setAnswer(qid, { order: [...order] });
      note.textContent = `“${text.get(label)}” moved to position ${j + 1} of ${order.length}.`;
      showHint();
      draw();
      const again = list.querySelector(`[data-move="${label}:${dir}"]`);
      (again && !again.disabled ? again : list.querySelector(`[data-move="${label}:${-dir}"]`))?.focus();
    };
    const draw = () => clear(list, order.map((label, i) => h('li', { class: 'at-order-item' },
      h('span', { class: 'at-order-pos', 'aria-hidden': 'true' }, String(i + 1)),
      h('span', { class: 'at-text' }, text.get(label)),
      h('span', { class: 'at-order-btns' },
        h('button', { type: 'button', class: 'btn btn-secondary btn-sm', 'data-move': `${label}:-1`, disabled: disabled || i === 0, 'aria-label': `Move “${text.get(label)}” up`, onclick: () => move(label, -1) }, '↑', h('span', { class: 'at-btn-word' }, ' Move up')),
        h('button', { type: 'button', class: 'btn btn-secondary btn-sm', 'data-move': `${label}:1`, disabled: disabled || i === order.length - 1, 'aria-label': `Move “${text.get(label)}” down`, onclick: () => move(label, 1) }, '↓', h('span', { class: 'at-btn-word' }, ' Move down'))))));
    draw();
    return h('fieldset', { class: 'at-fieldset', 'aria-describedby': hint.id }, h('legend', { class: 'at-stem' }, q.stem), hint, list,
      h('div', { class: 'row at-order-keep' }, keep), note);
  }

  function updateCheckButton() {
    if (!checkBtn) return;
    const q = questions[idx];
    checkBtn.disabled = !answerGiven(drafts.get(q.question_id));
  }

  function renderQuestion() {
    if (!alive) return;
    const q = questions[idx];
    const qid = q.question_id;
    const l = local.get(qid);
    const revealed = immediate && isRevealed(q);
    const waiting = immediate && !revealed && answerGiven(l.answer); // sent, not checked back yet
    const disabled = finishing || revealed || waiting;
    let inputs;
    if (revealed) {
      inputs = h('div', { class: 'at-feedback' },
        h('p', { class: 'at-stem' }, q.stem),
        h('div', { class: 'at-feedback-head', role: 'status' }, creditBadge(q)),
        reviewBody(q));
    } else if (q.type === 'fill_blank') inputs = fillInput(q, disabled);
    else if (q.type === 'matching') inputs = matchingInputs(q, disabled);
    else if (q.type === 'ordering') inputs = orderingInputs(q, disabled);
    else inputs = choiceInputs(q, disabled);

    flagBtn.setAttribute('aria-pressed', String(l.flagged));
    flagBtn.textContent = l.flagged ? '⚑ Flagged for review' : '⚐ Flag for review';
    flagBtn.disabled = finishing;
    checkBtn = null;
    if (immediate && !revealed) {
      checkBtn = h('button', { type: 'button', class: 'btn', id: 'check-answer', disabled: waiting || !answerGiven(drafts.get(qid)), onclick: () => checkAnswer(qid) },
        waiting ? 'Checking…' : 'Check answer');
    }
    const last = idx === questions.length - 1;
    clearBtn = !immediate && !finishing
      ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', id: 'clear-answer', hidden: !answerGiven(l.answer), onclick: () => { setAnswer(qid, null); renderQuestion(); qBox.querySelector('input, select')?.focus(); } }, 'Clear answer') : null;
    clear(qBox,
      h('div', { class: 'row between at-q-head' },
        h('h2', { id: 'at-qh', tabindex: '-1' }, `Question ${idx + 1} of ${questions.length}`),
        h('div', { class: 'row' }, q.points !== 1 ? h('span', { class: 'muted small' }, `${q.points} points`) : null, flagBtn)),
      h('div', { class: 'card at-q-card' }, inputs,
        h('div', { class: 'row at-q-tools' }, checkBtn, clearBtn,
          waiting ? h('p', { class: 'muted small' }, navigator.onLine ? 'Checking your answer…' : 'Your answer will be checked when the connection is back.') : null,
          immediate && !revealed && !waiting ? h('p', { class: 'muted small' }, 'A checked answer is final.') : null)),
      h('div', { class: 'row between at-q-nav' },
        h('button', { type: 'button', class: 'btn btn-secondary', disabled: idx === 0, onclick: () => goTo(idx - 1) }, '← Previous'),
        last
          ? h('button', { type: 'button', class: 'btn', onclick: () => showReview() }, 'Review answers →')
          : h('button', { type: 'button', class: 'btn', onclick: () => goTo(idx + 1) }, 'Next →')));
  }

  /* -- review and submit -- */
  function jumpList(list, empty) {
    if (!list.length) return h('p', { class: 'muted' }, empty);
    return h('ul', { class: 'at-jump' }, list.map((q) => h('li', {},
      h('button', { type: 'button', class: 'btn btn-secondary btn-sm', onclick: () => goTo(questions.indexOf(q)) },
        `Question ${q.position}`),
      h('span', { class: 'at-jump-stem' }, q.stem.length > 110 ? q.stem.slice(0, 107) + '…' : q.stem))));
  }

  const submitMsg = h('div', { class: 'form-alert', role: 'alert', tabindex: '-1', hidden: true });

  function showReview({ push = true } = {}) {
    leaveQuestion();
    mode = 'review';
    mark(push);
    persist();
    const unanswered = questions.filter((q) => !qState(q).answered && !qState(q).draft);
    const unchecked = questions.filter((q) => qState(q).draft);
    const flagged = questions.filter((q) => qState(q).flagged);
    const answered = questions.length - unanswered.length - unchecked.length;
    const submitBtn = h('button', { type: 'button', class: 'btn btn-lg', id: 'submit-attempt', onclick: () => submit(submitBtn) }, 'Submit answers');
    submitMsg.hidden = true;
    clear(qBox,
      h('h2', { id: 'at-qh', tabindex: '-1' }, 'Review before you submit'),
      h('div', { class: 'at-review-stats' },
        h('div', { class: 'card stat' }, h('span', { class: 'value' }, `${answered}/${questions.length}`), h('span', { class: 'label' }, 'Answered')),
        h('div', { class: 'card stat' }, h('span', { class: 'value' }, String(unanswered.length)), h('span', { class: 'label' }, 'Not answered')),
        h('div', { class: 'card stat' }, h('span', { class: 'value' }, String(flagged.length)), h('span', { class: 'label' }, 'Flagged'))),
      submitMsg,
      h('div', { class: 'row between at-q-nav' },
        h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => goTo(idx) }, '← Back to the questions'),
        submitBtn),
      h('section', { class: 'card', 'aria-labelledby': 'at-fl-h' }, h('h3', { id: 'at-fl-h' }, `Flagged for review (${flagged.length})`), jumpList(flagged, 'No flagged questions.')),
      unchecked.length ? h('section', { class: 'card', 'aria-labelledby': 'at-uc-h' }, h('h3', { id: 'at-uc-h' }, `Answered but not checked (${unchecked.length})`),
        h('p', { class: 'muted small' }, 'These answers are sent and scored when you submit.'), jumpList(unchecked, '')) : null,
      h('section', { class: 'card', 'aria-labelledby': 'at-un-h' }, h('h3', { id: 'at-un-h' }, `Not answered (${unanswered.length})`), jumpList(unanswered, 'You answered every question.')));
    renderNav();
    qBox.querySelector('h2').focus();
  }

  function showSubmitMsg(text) {
    clear(submitMsg, h('p', {}, text));
    submitMsg.hidden = false;
    submitMsg.focus();
  }

  async function submit(btn) {
    if (!navigator.onLine) {
      showSubmitMsg('You are offline. Your answers are kept on this device; submit once the connection is back.');
      return;
    }
    const unanswered = questions.filter((q) => !qState(q).answered && !qState(q).draft).length;
    const msg = unanswered
      ? `Submit now? ${unanswered} question${unanswered === 1 ? ' is' : 's are'} not answered and will score 0. You cannot change your answers afterwards.`
      : 'Submit your answers? You cannot change them afterwards.';
    if (!await confirmDialog(msg, { ok: 'Submit', cancel: 'Keep working' })) return;
    if (!alive) return;
    btn.disabled = true;
    btn.setAttribute('aria-busy', 'true');
    // Unchecked answers (immediate feedback) go in with the rest.
    for (const [qid, a] of drafts) {
      local.get(qid).answer = a;
      enqueue(qid, { answer: a }, 0);
    }
    drafts.clear();
    const ok = await flushAll();
    if (!alive) return;
    if (!ok) {
      btn.disabled = false;
      btn.removeAttribute('aria-busy');
      showSubmitMsg(navigator.onLine
        ? 'Some answers could not be saved yet, so the attempt was not submitted. They are kept on this device; try again in a moment.'
        : 'You are offline. Your answers are kept on this device; submit once the connection is back.');
      renderStatus();
      return;
    }
    finishing = true;
    renderStatus();
    try {
      const res = await timedRequest(clock, 'POST', `/attempts/${id}/submit`, {});
      done(res.data, true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) { await showFinished(); return; }
      finishing = false;
      btn.disabled = false;
      btn.removeAttribute('aria-busy');
      showSubmitMsg(err.transient ? 'The attempt could not be submitted: the server cannot be reached. Your answers are saved; try again.' : err.message);
      renderStatus();
    }
  }

  // The attempt ended on the server (time up, or submitted elsewhere).
  async function over(reason) {
    if (finishing || !alive) return;
    finishing = true;
    stopTimer();
    renderStatus();
    toast(`${reason} Showing your results.`, 'info', 5000);
    await showFinished();
  }

  async function showFinished(tries = 0) {
    try {
      let res = await timedRequest(clock, 'GET', `/attempts/${id}`);
      if (res.data.status === 'in_progress') {
        // Our clock ran a little ahead: finish it now.
        res = await timedRequest(clock, 'POST', `/attempts/${id}/submit`, {}).catch((e) => {
          if (e instanceof ApiError && e.status === 409) return timedRequest(clock, 'GET', `/attempts/${id}`);
          throw e;
        });
      }
      done(res.data, true);
    } catch (err) {
      if (!alive) return;
      const wait = Math.min(10000, 1000 * 2 ** tries);
      statusEl.textContent = err instanceof ApiError && err.transient
        ? 'The time is up. Your results will appear when the connection is back.'
        : `Could not load the results: ${err.message}`;
      setTimeout(() => { if (alive) showFinished(tries + 1); }, wait);
    }
  }

  function done(finished, fresh) {
    cleanup();
    if (ctx.current()) history.replaceState(null, '', `/attempts/${id}`);
    try { localStorage.removeItem(storageKey(id)); } catch { /* ignore */ }
    ctx.refreshUnread?.();
    if (!ctx.current()) return;
    if (finished.status === 'in_progress') { toast('The attempt is still open.', 'error'); return; }
    renderResults(ctx, finished, { fresh });
    window.scrollTo(0, 0);
    ctx.main.focus({ preventScroll: true });
  }

  async function timeUp() {
    if (finishing) return;
    finishing = true;
    stopTimer();
    timerWarn.textContent = 'Time is up.';
    clear(qBox, h('div', { class: 'state', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Time is up. Submitting your answers…'));
    // Whatever is queued may still make it if the server's clock agrees.
    flushing = true;
    sendAllNow();
    const start = Date.now();
    while ((pending.size || inflight.size) && Date.now() - start < 3000) await new Promise((r) => setTimeout(r, 100));
    flushing = false;
    await showFinished();
  }

  /* -- the timer -- */
  let tick = null;
  const deadline = doc.deadline_at ? Date.parse(doc.deadline_at) : null;
  function drawTimer() {
    if (!deadline) return;
    const left = Math.max(0, Math.ceil((deadline - clock.now()) / 1000));
    const text = fmt.clock(left);
    if (timerEl.textContent !== text) timerEl.textContent = text;
    timerEl.parentElement.classList.toggle('is-warn', left <= 300 && left > 60);
    timerEl.parentElement.classList.toggle('is-bad', left <= 60);
    for (const [at, words] of WARN_AT) {
      if (left <= at && !warned.has(at)) {
        warned.add(at);
        if (left > at - 30) { timerWarn.textContent = words; toast(words, 'info', 5000); }
      }
    }
    if (left <= 0) timeUp();
  }
  function stopTimer() { clearInterval(tick); tick = null; }
  if (deadline) {
    // Warnings already past when the page opens stay quiet.
    const left = (deadline - clock.now()) / 1000;
    for (const [at] of WARN_AT) if (left < at - 30) warned.add(at);
    drawTimer();
    tick = setInterval(drawTimer, 250);
  }

  /* -- the browser around it -- */
  const onOnline = () => { offline = false; lastError = null; net.n = 0; renderStatus(); sendAllNow(); };
  const onOffline = () => { offline = true; renderStatus(); };
  const onVisible = () => {
    if (document.hidden) { const q = questions[idx]; if (q) { carry.set(q.question_id, (carry.get(q.question_id) || 0) + (performance.now() - shownAt) / 1000); } }
    shownAt = performance.now();
    if (!document.hidden && !finishing) resync();
  };
  // A reload or a closed tab while the attempt is open asks first (the
  // browser's own words); a reload then comes back to the same question.
  const onUnload = (e) => {
    if (finishing) return;
    persist();
    e.preventDefault();
    e.returnValue = '';
  };
  async function resync() {
    try {
      const res = await timedRequest(clock, 'GET', `/attempts/${id}`);
      if (res.data.status !== 'in_progress') over('This attempt has ended.');
    } catch { /* offline: the status line says so */ }
  }
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  window.addEventListener('resize', placeBar);
  window.addEventListener('beforeunload', onUnload);
  document.addEventListener('visibilitychange', onVisible);

  let cleaned = false;
  function cleanup() {
    if (cleaned) return;
    cleaned = true;
    ctx.hold(null);
    alive = false;
    stopTimer();
    clearTimeout(net.timer);
    net.timer = null;
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('resize', placeBar);
    window.removeEventListener('beforeunload', onUnload);
    document.removeEventListener('visibilitychange', onVisible);
  }
  ctx.onLeave(() => {
    if (cleaned) return;
    leaveQuestion();
    persist();
    // Send what is queued now; anything that fails stays in localStorage.
    flushing = true;
    for (const [qid, t] of debouncers) { clearTimeout(t); debouncers.delete(qid); }
    for (const qid of [...pending.keys()]) if (!inflight.has(qid)) send(qid);
    cleanup();
  });

  // Links and Back to another page ask first; Back and Forward between
  // this attempt's questions move between them.
  let asking = null;
  ctx.hold({
    url: here,
    confirm() {
      if (finishing) return Promise.resolve(true);
      if (!asking) {
        const unsent = pending.size || inflight.size;
        const msg = `Leave this attempt? ${unsent ? 'Answers not sent yet are kept on this device and sent when you come back.' : 'Your answers are saved.'}${deadline ? ' The timer keeps running.' : ''} You can continue it later from Practice.`;
        asking = confirmDialog(msg, { ok: 'Leave', cancel: 'Stay' }).finally(() => { asking = null; });
      }
      return asking;
    },
    update() {
      if (finishing) return;
      const p = place(new URLSearchParams(location.search).get('q'));
      if (p === 'review') showReview({ push: false });
      else goTo(p ?? idx, { push: false });
    },
  });

  if (asked === 'review') showReview({ push: false });
  else {
    mark(false);
    renderQuestion();
    renderNav();
  }
  renderStatus();
  if (pending.size) sendAllNow();
}

export default async function page(ctx) {
  const clock = makeClock();
  const res = await timedRequest(clock, 'GET', `/attempts/${ctx.params.id}`);
  if (!ctx.current()) return;
  const doc = res.data;
  if (doc.status === 'in_progress') {
    takeExam(ctx, doc, clock);
  } else {
    if (ctx.query.has('q')) history.replaceState(null, '', `/attempts/${doc.id}`);
    try { localStorage.removeItem(storageKey(doc.id)); } catch { /* ignore */ }
    clear(ctx.main, loading('Loading your results…'));
    await renderResults(ctx, doc);
  }
}
