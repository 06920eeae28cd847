// practice.js - the practice area: /practice lists the quizzes, practice
// exams and exam simulations (filter by exam and kind, keyset paging) with
// my best result; /assessments/:id describes one in plain words, lists my
// attempts at it and starts (or continues) an attempt.
//
// It also exports a few helpers the attempt and history pages share:
// kind names, the exam list (cached) and a domain-name lookup.
import { api, ApiError, qs, exams } from '../api.js';
import {
  h, clear, field, load, empty, errorBox, badge, fmt, pageHeader, table,
  moreButton, confirmDialog, loading,
} from '../ui.js';
import { can } from '../app.js';

export const KIND = {
  quiz: 'Quiz',
  practice_exam: 'Practice exam',
  exam_simulation: 'Exam simulation',
};
const KIND_PLURAL = { quiz: 'Quizzes', practice_exam: 'Practice exams', exam_simulation: 'Exam simulations' };
const KIND_BADGE = { quiz: 'accent', practice_exam: 'warn', exam_simulation: 'bad' };

export function kindBadge(kind) {
  return badge(KIND[kind] || kind, KIND_BADGE[kind] || '');
}

// Every exam track with its domains; fetched once per page load.

// "1.0" -> "1.0 Networking Concepts" for the exam with that code.
export async function domainNamer(examCode) {
  let list = [];
  try { list = await exams(); } catch { /* codes alone will do */ }
  const exam = list.find((e) => e.code === examCode);
  const names = new Map((exam?.domains || []).map((d) => [d.code, d.name]));
  return { exam, name: (code) => (names.has(code) ? `${code} ${names.get(code)}` : `Domain ${code}`) };
}

export function examSelect(list, value, { label = 'Exam', any = 'All exams' } = {}) {
  return field({
    label, name: 'exam', type: 'select', value: value || '',
    options: [['', any], ...list.map((e) => [e.code, `${e.name} (${e.exam_number})`])],
  });
}

export const attemptStatus = {
  in_progress: ['In progress', 'accent'],
  submitted: ['Submitted', ''],
  expired: ['Time ran out', 'warn'],
};

export function statusBadge(s) {
  const [text, kind] = attemptStatus[s] || [s, ''];
  return badge(text, kind);
}

export function passBadge(passed) {
  if (passed === null || passed === undefined) return '–';
  return passed ? badge('Passed', 'ok') : badge('Not passed', 'bad');
}

function limitText(sec) {
  return sec ? fmt.minutes(sec) : 'No time limit';
}

// The time left of an attempt in progress (seconds_left, null when untimed).
export function timeLeftText(sec) {
  if (sec === null || sec === undefined) return '';
  return sec > 0 ? `${fmt.clock(sec)} left` : 'time is up';
}

/* ---- /practice ------------------------------------------------------- */

function assessmentCard(a) {
  const best = a.my_best_percent;
  const mine = a.my_attempts
    ? h('p', { class: 'pr-mine' },
      best !== null && best !== undefined
        ? [h('span', { class: 'pr-best' }, `Best ${fmt.pct(best)}`), best >= a.passing_percent ? badge('Passed', 'ok') : null]
        : null,
      h('span', { class: 'muted' }, `${a.my_attempts} attempt${a.my_attempts === 1 ? '' : 's'}`))
    : h('p', { class: 'pr-mine muted' }, 'Not tried yet');
  return h('li', { class: 'card pr-card' },
    h('div', { class: 'row between pr-card-top' }, kindBadge(a.kind),
      a.status && a.status !== 'published' ? badge(a.status === 'draft' ? 'Draft (preview)' : a.status, 'warn') : null),
    h('h2', { class: 'pr-card-title' }, h('a', { href: `/assessments/${a.id}` }, a.title)),
    a.description ? h('p', { class: 'muted pr-desc' }, a.description) : null,
    h('ul', { class: 'pr-facts', 'aria-label': 'Details' },
      h('li', {}, `${a.question_count} question${a.question_count === 1 ? '' : 's'}`),
      h('li', {}, limitText(a.time_limit_seconds)),
      h('li', {}, `Pass at ${fmt.pct(a.passing_percent, a.passing_percent % 1 ? 1 : 0)}`),
      a.max_attempts ? h('li', {}, `${a.max_attempts} attempt${a.max_attempts === 1 ? '' : 's'} allowed`) : null),
    mine);
}

async function inProgressBanner() {
  try {
    const mine = await api.get('/me/attempts?limit=50');
    const open = (mine.items || []).filter((a) => a.status === 'in_progress');
    if (!open.length) return null;
    return h('section', { class: 'card pr-resume', 'aria-labelledby': 'pr-resume-h' },
      h('h2', { id: 'pr-resume-h' }, open.length === 1 ? 'You have an attempt in progress' : 'Attempts in progress'),
      h('ul', { class: 'pr-resume-list' }, open.map((a) => h('li', { class: 'row between' },
        h('span', {}, a.title, ' ', h('span', { class: 'muted small' }, `started ${fmt.ago(a.started_at)}`),
          a.seconds_left !== null && a.seconds_left !== undefined ? [' ', h('span', { class: 'small pr-time-left' }, timeLeftText(a.seconds_left))] : null),
        h('a', { class: 'btn btn-sm', href: `/attempts/${a.id}` }, 'Continue')))));
  } catch {
    return null;
  }
}

async function listPage(ctx) {
  ctx.title('Practice');
  const exam = ctx.query.get('exam') || '';
  const kind = ctx.query.get('kind') || '';
  let examList = [];
  try { examList = await exams(); } catch { /* the filter can do without */ }
  if (!ctx.current()) return;

  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter assessments' },
    examSelect(examList, exam),
    field({ label: 'Kind', name: 'kind', type: 'select', value: kind,
      options: [['', 'All kinds'], ...Object.entries(KIND_PLURAL)] }));
  form.addEventListener('change', () => {
    const v = { exam: form.elements.exam.value, kind: form.elements.kind.value };
    ctx.navigate('/practice' + qs(v), { replace: true });
  });
  form.addEventListener('submit', (e) => e.preventDefault());

  const results = h('div', { class: 'pr-results' });
  const banner = h('div');
  clear(ctx.main,
    pageHeader('Practice', can('question.manage', ctx.user) ? h('a', { class: 'btn btn-secondary', href: '/teach/assessments' }, 'Manage assessments') : null),
    h('p', { class: 'lead pr-lead' }, 'Quizzes check one domain with an explanation after each answer; practice exams and simulations are timed, like the real thing.'),
    banner, form, results);
  inProgressBanner().then((b) => { if (b && ctx.current()) banner.replaceWith(b); });

  const params = { exam, kind, limit: 24 };
  const count = h('p', { class: 'sr-only', role: 'status' });
  await load(results, () => api.get('/assessments' + qs(params)), (page) => {
    if (!page.items.length) {
      return empty(exam || kind ? 'Nothing matches these filters.' : 'There are no assessments yet.',
        exam || kind ? h('a', { class: 'btn btn-secondary', href: '/practice' }, 'Clear filters') : null);
    }
    const list = h('ul', { class: 'grid grid-3 pr-cards' }, page.items.map(assessmentCard));
    let shown = page.items.length;
    count.textContent = `${shown} assessments shown`;
    const more = (next) => api.get('/assessments' + qs({ ...params, after: next })).then((p) => {
      list.append(...p.items.map(assessmentCard));
      shown += p.items.length;
      count.textContent = `${shown} assessments shown`;
      const b = moreButton(p.next, more);
      if (b) list.after(b);
    });
    return [count, list, moreButton(page.next, more)];
  });
}

/* ---- /assessments/:id ---------------------------------------------- */

function availability(a) {
  const now = Date.now();
  const from = a.available_from ? new Date(a.available_from).getTime() : null;
  const until = a.available_until ? new Date(a.available_until).getTime() : null;
  if (from && from > now) return `Opens ${fmt.datetime(a.available_from)}${until ? `, closes ${fmt.datetime(a.available_until)}` : ''}`;
  if (until && until <= now) return `Closed on ${fmt.datetime(a.available_until)}`;
  if (until) return `Open until ${fmt.datetime(a.available_until)}`;
  if (from) return `Open since ${fmt.datetime(a.available_from)}`;
  return 'Always open';
}

function attemptsText(a) {
  const m = a.my_attempts || {};
  const used = m.used || 0;
  if (!a.max_attempts) return `Unlimited; you have made ${used}`;
  return `${a.max_attempts} allowed; you have used ${used}, ${Math.max(0, m.left ?? (a.max_attempts - used))} left`;
}

function settingsList(a, exam) {
  const pass = `${fmt.pct(a.passing_percent, a.passing_percent % 1 ? 1 : 0)} of the points`;
  const scaled = exam && exam.scale_max && (a.kind === 'practice_exam' || a.kind === 'exam_simulation')
    ? ` (an estimated ${exam.passing_score} on the ${exam.scale_min}–${exam.scale_max} scale)` : '';
  const rows = [
    ['Questions', `${a.question_count}${a.selection === 'rules' ? ', drawn from the question bank for each attempt' : ''}${a.shuffle_questions ? ', in random order' : ''}`],
    ['Time limit', a.time_limit_seconds ? `${fmt.minutes(a.time_limit_seconds)}; the clock keeps running if you leave the page` : 'None: take your time'],
    ['Pass mark', pass + scaled],
    ['Attempts', attemptsText(a)],
    ['Availability', availability(a)],
    ['Feedback', a.feedback === 'immediate'
      ? 'After each answer: you check each answer and see the explanation at once; a checked answer is final'
      : 'At the end: your score, the right answers and explanations once you submit'],
    ['Scoring', a.partial_credit
      ? 'Partial credit for multiple-select, matching and ordering questions'
      : 'All or nothing for each question, as on the exam'],
  ];
  return h('dl', { class: 'pr-settings' }, rows.map(([k, v]) => h('div', { class: 'pr-setting' }, h('dt', {}, k), h('dd', {}, v))));
}

function attemptsTable(items) {
  const wrap = table([
    { label: '#', cell: (r) => String(r.number), class: 'num' },
    { label: 'Started', cell: (r) => fmt.datetime(r.started_at) },
    { label: 'Status', cell: (r) => statusBadge(r.status) },
    { label: 'Score', cell: (r) => (r.percentage === null ? '–' : fmt.pct(r.percentage, 1)), class: 'num' },
    { label: 'Result', cell: (r) => passBadge(r.passed) },
    { label: 'Time', cell: (r) => (r.time_taken_seconds === null ? '–' : fmt.clock(r.time_taken_seconds)), class: 'num' },
    { label: 'Details', cell: (r) => h('a', { href: `/attempts/${r.id}` }, r.status === 'in_progress'
      ? `Continue attempt ${r.number}${r.seconds_left !== null && r.seconds_left !== undefined ? ` (${timeLeftText(r.seconds_left)})` : ''}`
      : `Review attempt ${r.number}`) },
  ], items, { caption: 'My attempts' });
  wrap.classList.add('pr-table');
  return wrap;
}

const START_ERRORS = {
  'no-attempts-left': 'You have used every attempt this assessment allows.',
  'not-open': 'This assessment is not open right now.',
  'no-questions': 'This assessment has no questions to ask yet. Try again later or tell your instructor.',
};

export function startErrorText(err, a) {
  if (err instanceof ApiError) {
    if (err.code === 'not-open' && a) {
      const when = availability(a);
      return when.startsWith('Opens') ? `Not available yet. ${when}.` : `This assessment is closed. ${when}.`;
    }
    if (START_ERRORS[err.code]) return START_ERRORS[err.code];
    if (err.status === 403) return 'You may not take this assessment.';
  }
  return err.message || String(err);
}

// Starts an attempt (or carries on with the one in progress) and opens it.
export async function startAttempt(ctx, a, alertBox, btn) {
  const m = a.my_attempts || {};
  if (!m.in_progress && a.time_limit_seconds) {
    const ok = await confirmDialog(
      `This ${(KIND[a.kind] || 'assessment').toLowerCase()} is timed: you have ${fmt.minutes(a.time_limit_seconds)}. The clock starts now and keeps running if you leave. Start?`,
      { ok: 'Start now', cancel: 'Not yet' });
    if (!ok) return;
  }
  if (btn) { btn.disabled = true; btn.setAttribute('aria-busy', 'true'); }
  if (alertBox) { alertBox.hidden = true; alertBox.replaceChildren(); }
  try {
    const res = await api.post(`/assessments/${a.id}/attempts`, {});
    ctx.navigate(`/attempts/${res.id}`);
  } catch (err) {
    if (btn) { btn.disabled = false; btn.removeAttribute('aria-busy'); }
    if (alertBox) {
      clear(alertBox, h('p', {}, startErrorText(err, a)));
      alertBox.hidden = false;
      alertBox.focus();
    }
  }
}

function startLabel(a) {
  if (a.my_attempts?.in_progress) return 'Continue attempt';
  if ((a.my_attempts?.used || 0) > 0) return 'Start a new attempt';
  return `Start ${(KIND[a.kind] || 'assessment').toLowerCase()}`;
}

async function detailPage(ctx) {
  const id = ctx.params.id;
  const a = await api.get(`/assessments/${id}`);
  if (!ctx.current()) return;
  const { exam } = await domainNamer(a.exam);
  if (!ctx.current()) return;
  ctx.title(a.title);

  const alertBox = h('div', { class: 'form-alert pr-alert', role: 'alert', tabindex: '-1', hidden: true });
  const m = a.my_attempts || {};
  let blocked = null;
  if (!m.in_progress) {
    if (!a.open_now) blocked = availability(a).startsWith('Opens') ? `Not available yet. ${availability(a)}.` : 'This assessment is closed.';
    else if (m.left === 0) blocked = 'You have used every attempt this assessment allows.';
  }
  const startBtn = h('button', { type: 'button', class: 'btn btn-lg', id: 'start-attempt', disabled: !!blocked },
    startLabel(a));
  startBtn.addEventListener('click', () => startAttempt(ctx, a, alertBox, startBtn));

  const mine = h('section', { class: 'section', 'aria-labelledby': 'pr-mine-h' },
    h('h2', { id: 'pr-mine-h' }, 'My attempts'), h('div'));
  const examName = exam ? `${exam.name} (${exam.exam_number})` : null;
  clear(ctx.main,
    h('p', { class: 'crumbs' }, h('a', { href: '/practice' }, '← Practice')),
    pageHeader(a.title, a.can_edit ? h('a', { class: 'btn btn-secondary', href: `/teach/assessments/${a.id}` }, 'Edit') : null),
    h('div', { class: 'row pr-tags' }, kindBadge(a.kind), examName ? badge(examName) : null,
      a.status !== 'published' ? badge(a.status === 'draft' ? 'Draft: only you can see it' : a.status, 'warn') : null),
    h('div', { class: 'pr-detail' },
      h('div', { class: 'stack' },
        a.description ? h('p', { class: 'lead' }, a.description) : null,
        h('section', { class: 'card', 'aria-labelledby': 'pr-set-h' }, h('h2', { id: 'pr-set-h' }, 'How it works'), settingsList(a, exam))),
      h('aside', { class: 'card pr-start', 'aria-label': 'Start' },
        m.best_percent !== null && m.best_percent !== undefined
          ? h('div', { class: 'stat' }, h('span', { class: 'value' }, fmt.pct(m.best_percent, 1)), h('span', { class: 'label' }, 'My best score'))
          : h('p', { class: 'muted' }, m.in_progress ? 'You have an attempt in progress.' : 'You have not taken this yet.'),
        startBtn,
        m.in_progress && m.seconds_left !== null && m.seconds_left !== undefined
          ? h('p', { class: 'pr-time-left', id: 'time-left', role: 'status' }, m.seconds_left > 0
            ? `Time left: ${fmt.clock(m.seconds_left)}. The clock keeps running.`
            : 'The time is up: open the attempt to see your results.') : null,
        blocked ? h('p', { class: 'hint pr-blocked' }, blocked) : null,
        alertBox)),
    mine);

  const box = mine.lastElementChild;
  const first = await api.get('/me/attempts' + qs({ assessment: id, limit: 20 })).catch((e) => e);
  if (!ctx.current()) return;
  if (first instanceof Error) { clear(box, errorBox(first)); return; }
  if (!first.items.length) { clear(box, empty('Your attempts will be listed here.')); return; }
  const items = [...first.items];
  const render = (next) => {
    clear(box, attemptsTable(items), moreButton(next, async (n) => {
      const p = await api.get('/me/attempts' + qs({ assessment: id, limit: 20, after: n }));
      items.push(...p.items);
      render(p.next);
    }));
  };
  render(first.next);
}

export default async function page(ctx) {
  if (ctx.params.id) return detailPage(ctx);
  clear(ctx.main, loading());
  return listPage(ctx);
}
