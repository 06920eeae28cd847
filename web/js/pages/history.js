// history.js - /history: my attempts as a table (filter by exam and
// assessment, keyset paging) and my trend per domain at one exam: the
// average over my last 20 finished attempts, the latest result and the
// change from the older half to the newer.
import { api, qs, exams } from '../api.js';
import { h, clear, field, load, empty, fmt, pageHeader, table, moreButton, barChart } from '../ui.js';
import { examSelect, statusBadge, passBadge, kindBadge } from './practice.js';

function dateCell(at) {
  const time = new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return h('time', { datetime: at, class: 'hi-date' }, fmt.date(at), h('span', { class: 'muted small' }, time));
}

function attemptRows(items) {
  const wrap = table([
    { label: 'Assessment', cell: (r) => h('span', { class: 'hi-title' }, kindBadge(r.kind), ' ', h('a', { href: `/assessments/${r.assessment_id}` }, r.title)) },
    { label: 'Date', cell: (r) => dateCell(r.finished_at || r.started_at) },
    { label: 'Status', cell: (r) => statusBadge(r.status) },
    { label: 'Score', class: 'num', cell: (r) => (r.percentage === null ? '–' : [fmt.pct(r.percentage, 1), r.scaled_score !== null && r.scaled_score !== undefined ? h('span', { class: 'muted small hi-scaled' }, ` (${r.scaled_score})`) : null]) },
    { label: 'Passed', cell: (r) => passBadge(r.passed) },
    { label: 'Duration', class: 'num', cell: (r) => (r.time_taken_seconds === null ? '–' : fmt.clock(r.time_taken_seconds)) },
    { label: 'Details', cell: (r) => h('a', { href: `/attempts/${r.id}`, 'aria-label': `${r.status === 'in_progress' ? 'Continue' : 'Review'} ${r.title}, attempt ${r.number}` }, r.status === 'in_progress' ? 'Continue' : 'Review') },
  ], items, { caption: 'My attempts' });
  wrap.classList.add('pr-table');
  return wrap;
}

// A table whose scrolling box holds its screen-reader-only text too.
function relTable(...args) {
  const t = table(...args);
  t.classList.add('pr-table');
  return t;
}

function changeCell(c) {
  if (c === null || c === undefined) return h('span', { class: 'muted' }, '–');
  const v = Math.round(c * 10) / 10;
  if (v > 0) return h('span', { class: 'hi-up' }, h('span', { 'aria-hidden': 'true' }, '▲ '), `+${v} points`, h('span', { class: 'sr-only' }, ' (up)'));
  if (v < 0) return h('span', { class: 'hi-down' }, h('span', { 'aria-hidden': 'true' }, '▼ '), `${v} points`, h('span', { class: 'sr-only' }, ' (down)'));
  return h('span', { class: 'muted' }, '= no change');
}

function trendsView(t, examList) {
  const exam = examList.find((e) => e.code === t.exam);
  const domains = t.domains || [];
  if (!t.attempts || !domains.length) {
    return empty('Finish a quiz or a practice exam at this exam to see your trends by domain.',
      h('a', { class: 'btn btn-secondary', href: '/practice' + qs({ exam: t.exam }) }, 'Find a quiz'));
  }
  return h('div', { class: 'stack' },
    h('p', { class: 'muted' }, `Over your last ${t.attempts} finished attempt${t.attempts === 1 ? '' : 's'}${exam ? ` at ${exam.name}` : ''}. The bars show your average per domain.`),
    barChart(domains.map((d) => ({
      label: `${d.code} ${d.name}`,
      value: d.average_percent ?? 0,
      kind: d.average_percent >= 75 ? 'ok' : d.average_percent >= 50 ? 'warn' : 'bad',
      text: fmt.pct(d.average_percent, 0),
    })), { label: 'Average score by domain' }),
    relTable([
      { label: 'Domain', cell: (d) => `${d.code} ${d.name}` },
      { label: 'Attempts', class: 'num', cell: (d) => String(d.attempts) },
      { label: 'Average', class: 'num', cell: (d) => fmt.pct(d.average_percent, 1) },
      { label: 'Last', class: 'num', cell: (d) => fmt.pct(d.last_percent, 1) },
      { label: 'Change', cell: (d) => changeCell(d.change) },
    ], domains, { caption: 'Trend per domain' }));
}

function trendsSection(examList, initial) {
  const box = h('div');
  const sel = examSelect(examList, initial, { label: 'Trends for exam', any: 'My latest exam' });
  sel.querySelector('select').name = 'trend_exam';
  const section = h('section', { class: 'section card', 'aria-labelledby': 'hi-trend-h' },
    h('div', { class: 'row between hi-trend-head' }, h('h2', { id: 'hi-trend-h' }, 'Trends by domain'), h('div', { class: 'hi-trend-filter' }, sel)),
    box);
  const run = (code) => load(box, () => api.get('/me/attempts/trends' + qs({ exam: code })), (t) => {
    if (!code && t.exam) sel.querySelector('select').value = t.exam;
    return trendsView(t, examList);
  });
  sel.querySelector('select').addEventListener('change', (e) => run(e.target.value));
  run(initial);
  return section;
}

export default async function page(ctx) {
  ctx.title('History');
  const exam = ctx.query.get('exam') || '';
  const assessment = ctx.query.get('assessment') || '';
  let examList = [];
  try { examList = await exams(); } catch { /* filters without names */ }
  if (!ctx.current()) return;

  let assessments = [];
  try { assessments = (await api.get('/assessments' + qs({ exam, limit: 100 }))).items || []; } catch { /* the exam filter still works */ }
  if (!ctx.current()) return;
  if (assessment && !assessments.some((a) => a.id === assessment)) assessments.push({ id: assessment, title: 'The chosen assessment' });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter attempts' }, examSelect(examList, exam),
    field({ label: 'Assessment', name: 'assessment', type: 'select', value: assessment,
      options: [['', 'All assessments'], ...assessments.map((a) => [a.id, a.title])] }));
  form.addEventListener('change', (e) => ctx.navigate('/history' + qs({
    exam: form.elements.exam.value,
    assessment: e.target.name === 'exam' ? '' : form.elements.assessment.value,
  }), { replace: true }));
  form.addEventListener('submit', (e) => e.preventDefault());

  const list = h('div');
  const trends = trendsSection(examList, exam);
  clear(ctx.main,
    pageHeader('History', h('a', { class: 'btn btn-secondary', href: '/practice' }, 'Practice')),
    h('section', { 'aria-labelledby': 'hi-list-h' },
      h('h2', { id: 'hi-list-h' }, 'My attempts'),
      form, list),
    trends);

  const params = { exam, assessment, limit: 25 };
  await load(list, () => api.get('/me/attempts' + qs(params)), (first) => {
    if (!first.items.length) {
      return empty(exam || assessment ? 'No attempts match this filter.' : 'You have not taken a quiz or exam yet.',
        h('a', { class: 'btn', href: '/practice' }, 'Go to practice'));
    }
    const items = [...first.items];
    const holder = h('div');
    const render = (next) => clear(holder, attemptRows(items), moreButton(next, async (n) => {
      const p = await api.get('/me/attempts' + qs({ ...params, after: n }));
      items.push(...p.items);
      render(p.next);
    }));
    render(first.next);
    return holder;
  });
}

