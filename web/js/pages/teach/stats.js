// teach/stats.js - how the bank's questions do in learners' finished
// attempts (/teach/stats): attempts, share correct, discrimination, average
// time and flags, sortable and filterable; a row opens the question's own
// statistics with a bar chart of how often each option was chosen.

import { api, qs, exams as loadExams } from '../../api.js';
import { h, clear, field, loading, empty, errorBox, badge, barChart, fmt, pageHeader, button, debounce } from '../../ui.js';
import { examOptions, typeName, excerpt } from './questions.js';

const FLAGS = {
  negative_discrimination: ['Negative discrimination', 'bad', 'Strong learners miss it more than weak ones: check the key.'],
  low_discrimination: ['Low discrimination', 'warn', 'It hardly separates strong from weak learners (under 0.1).'],
  unused_option: ['Unused option', 'warn', 'Some option was never chosen: it may be an obvious distractor.'],
  very_hard: ['Very hard', 'warn', 'Under 20 % answer it right.'],
  very_easy: ['Very easy', '', 'Over 95 % answer it right.'],
};
const flagBadge = (f) => { const x = FLAGS[f] || [f, '']; return badge(x[0], x[1]); };

const COLS = [
  { key: 'stem', label: 'Question', sort: (r) => r.stem || '' },
  { key: 'attempts', label: 'Attempts', num: true, sort: (r) => r.attempts ?? -1 },
  { key: 'share_correct', label: 'Correct', num: true, sort: (r) => r.share_correct ?? -1 },
  { key: 'discrimination', label: 'Discrimination', num: true, sort: (r) => r.discrimination ?? -2 },
  { key: 'average_seconds', label: 'Avg time', num: true, sort: (r) => r.average_seconds ?? -1 },
  { key: 'flags', label: 'Flags', sort: (r) => (r.flags || []).length },
];

export default async function page(ctx) {
  ctx.title('Question statistics');
  const exams = await loadExams();
  if (!ctx.current()) return;
  const q = (k, d = '') => ctx.query.get(k) || d;

  const form = h('form', { class: 'filters', 'aria-label': 'Filter statistics', onsubmit: (e) => e.preventDefault() },
    field({ label: 'Exam', name: 'exam', type: 'select', value: q('exam'), options: examOptions(exams, 'Any exam') }),
    field({ label: 'Show', name: 'limit', type: 'select', value: q('limit', '100'), options: [['50', '50 questions'], ['100', '100 questions'], ['200', '200 questions'], ['500', '500 questions']] }),
    field({ label: 'Find', name: 'find', type: 'search', value: q('find'), placeholder: 'Text or id' }),
    field({ label: 'Type', name: 'type', type: 'select', value: q('type'), options: [['', 'Any type'], ['single_choice', 'Single choice'], ['multiple_select', 'Multiple select'], ['true_false', 'True / false'], ['fill_blank', 'Fill in the blank'], ['matching', 'Matching'], ['ordering', 'Ordering']] }),
    h('div', { class: 'q-filter-checks' },
      field({ label: 'Only flagged', name: 'flagged', type: 'checkbox', value: q('flagged') === 'true' }),
      field({ label: 'Only mine', name: 'mine', type: 'checkbox', value: q('mine') === 'true' })));
  const count = h('p', { class: 'muted small', 'aria-live': 'polite' });
  const out = h('div', {});
  clear(ctx.main,
    pageHeader('Question statistics', h('a', { href: '/teach/questions', class: 'btn btn-secondary' }, 'Question bank')),
    h('p', { class: 'muted' }, 'From learners’ finished attempts (previews left out). Flags appear once 10 attempts have seen a question; the most doubtful questions come first.'),
    h('details', { class: 'card st-help' }, h('summary', {}, 'What the numbers mean'),
      h('dl', { class: 'small' },
        h('dt', {}, 'Correct'), h('dd', {}, 'The average credit: the share of the points learners earned (its difficulty).'),
        h('dt', {}, 'Discrimination'), h('dd', {}, 'How well the question separates learners who do well on the rest of the attempt from those who do not (−1 to 1; above 0.3 is good, under 0.1 is weak, negative suggests a wrong key).'),
        Object.entries(FLAGS).map(([, [n, , t]]) => [h('dt', {}, n), h('dd', {}, t)]))),
    form, count, out);

  let rows = [];
  let sortKey = null;
  let sortDir = 1;
  const openRows = new Set();

  async function run() {
    const v = Object.fromEntries(['exam', 'limit', 'find', 'type'].map((k) => [k, form.elements[k].value]));
    v.flagged = form.elements.flagged.checked ? 'true' : '';
    v.mine = form.elements.mine.checked ? 'true' : '';
    history.replaceState(null, '', '/teach/stats' + qs({ ...v, limit: v.limit === '100' ? '' : v.limit }));
    clear(out, loading('Loading statistics…'));
    try {
      const r = await api.get('/questions/stats' + qs({ exam: v.exam, flagged: v.flagged, mine: v.mine, limit: v.limit }));
      if (!ctx.current()) return;
      rows = r.items || [];
      draw();
    } catch (e) {
      if (ctx.current()) clear(out, errorBox(e, run));
    }
  }

  function visible() {
    const find = form.elements.find.value.trim().toLowerCase();
    const type = form.elements.type.value;
    let list = rows.filter((r) => (!type || r.type === type) &&
      (!find || (r.stem || '').toLowerCase().includes(find) || (r.external_id || '').toLowerCase().includes(find)));
    if (sortKey) {
      const col = COLS.find((c) => c.key === sortKey);
      list = [...list].sort((a, b) => {
        const x = col.sort(a), y = col.sort(b);
        return (x < y ? -1 : x > y ? 1 : 0) * sortDir;
      });
    }
    return list;
  }

  function draw() {
    const list = visible();
    count.textContent = rows.length ? `${list.length} of ${rows.length} question${rows.length === 1 ? '' : 's'}` : '';
    if (!rows.length) {
      clear(out, empty(form.elements.flagged.checked
        ? 'No flagged questions. Flags need at least 10 finished attempts at a question.'
        : 'No statistics yet: they appear once learners finish attempts at published assessments.'));
      return;
    }
    if (!list.length) { clear(out, empty('No questions match.')); return; }
    const head = h('tr', {}, COLS.map((c) => {
      const dir = sortKey === c.key ? (sortDir > 0 ? 'ascending' : 'descending') : 'none';
      return h('th', { scope: 'col', class: c.num ? 'num' : null, 'aria-sort': dir },
        button([c.label, h('span', { class: 'st-sort', 'aria-hidden': 'true' }, dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : '')], () => {
          if (sortKey === c.key) sortDir = -sortDir; else { sortKey = c.key; sortDir = c.num ? -1 : 1; }
          draw();
          out.querySelector(`th[data-key="${c.key}"] button`)?.focus();
        }, 'st-sort-btn'));
    }));
    [...head.children].forEach((th, i) => { th.dataset.key = COLS[i].key; });
    const body = h('tbody', {});
    for (const r of list) {
      const detail = h('tr', { class: 'st-detail', hidden: !openRows.has(r.question_id) }, h('td', { colspan: COLS.length }, h('div', { class: 'st-detail-box' })));
      const toggle = h('button', { type: 'button', class: 'st-toggle', 'aria-expanded': String(openRows.has(r.question_id)) },
        h('span', { class: 'st-caret', 'aria-hidden': 'true' }, '▸'), excerpt(r.stem, 120) || 'Question');
      toggle.addEventListener('click', () => {
        const open = toggle.getAttribute('aria-expanded') !== 'true';
        toggle.setAttribute('aria-expanded', String(open));
        detail.hidden = !open;
        if (open) { openRows.add(r.question_id); showDetail(r, detail.querySelector('.st-detail-box')); } else openRows.delete(r.question_id);
      });
      body.append(h('tr', { class: 'st-row' },
        h('td', { class: 'st-q' }, toggle,
          h('div', { class: 'muted small' }, [typeName(r.type), r.external_id].filter(Boolean).join(' · '))),
        h('td', { class: 'num' }, fmt.num(r.attempts)),
        h('td', { class: 'num' }, pct(r.share_correct)),
        h('td', { class: ['num', discClass(r.discrimination)] }, disc(r.discrimination)),
        h('td', { class: 'num' }, secs(r.average_seconds)),
        h('td', {}, (r.flags || []).length ? h('div', { class: 'st-flags' }, r.flags.map(flagBadge)) : h('span', { class: 'muted' }, '—'))),
      detail);
      if (openRows.has(r.question_id)) showDetail(r, detail.querySelector('.st-detail-box'));
    }
    clear(out, h('div', { class: 'table-wrap' }, h('table', { class: 'st-table', 'data-testid': 'stats-table' },
      h('caption', { class: 'sr-only' }, 'Question statistics; column headers sort'),
      h('thead', {}, head), body)));
  }

  form.addEventListener('change', (e) => { if (['exam', 'limit', 'flagged', 'mine'].includes(e.target.name)) run(); else draw(); });
  form.elements.find.addEventListener('input', debounce(draw, 200));
  await run();
}

const pct = (v) => (v == null ? '–' : fmt.pct(Number(v) * 100));
const disc = (v) => (v == null ? '–' : Number(v).toFixed(2));
const discClass = (v) => (v == null ? null : v < 0 ? 'st-bad' : v < 0.1 ? 'st-warn' : v >= 0.3 ? 'st-good' : null);
const secs = (v) => (v == null ? '–' : v < 90 ? `${Math.round(v)} s` : fmt.clock(v));

async function showDetail(r, box) {
  if (box.dataset.loaded) return;
  clear(box, loading('Loading the question’s statistics…'));
  try {
    const s = await api.get(`/questions/${r.question_id}/stats`);
    box.dataset.loaded = '1';
    const stat = (value, label) => h('div', { class: 'stat' }, h('span', { class: 'value' }, value), h('span', { class: 'label' }, label));
    const answered = s.answered ?? 0;
    clear(box,
      h('div', { class: 'grid grid-4 st-nums' },
        stat(fmt.num(s.attempts), 'attempts'),
        stat(s.attempts ? fmt.pct((answered / s.attempts) * 100) : '–', 'answered'),
        stat(pct(s.share_correct), 'correct'),
        stat(disc(s.discrimination), 'discrimination'),
        stat(secs(s.average_seconds), 'average time')),
      (s.flags || []).length ? h('ul', { class: 'st-flag-list' }, s.flags.map((f) => h('li', {}, flagBadge(f), ' ', (FLAGS[f] || [])[2] || ''))) : null,
      s.options && s.options.length
        ? h('div', { class: 'stack' }, h('h3', {}, 'How often each option was chosen'),
          barChart(s.options.map((o) => ({
            label: `${o.correct ? '✓ ' : ''}${o.key}. ${excerpt(o.text, 60)}`,
            value: o.share == null ? 0 : Number(o.share) * 100,
            text: o.share == null ? '–' : `${fmt.pct(Number(o.share) * 100)} (${o.chosen})`,
            kind: o.correct ? 'ok' : null,
          })), { label: 'Share of answers that chose each option; correct options are marked ✓' }),
          h('p', { class: 'muted small' }, 'Share of the answers that chose the option; ✓ marks a correct option (in green).'))
        : h('p', { class: 'muted small' }, 'Option choices are counted for single choice, multiple select and true/false questions.'),
      h('p', {}, h('a', { href: `/teach/questions/${r.question_id}` }, 'Open the question')));
  } catch (e) {
    clear(box, errorBox(e, () => { delete box.dataset.loaded; showDetail(r, box); }));
  }
}
