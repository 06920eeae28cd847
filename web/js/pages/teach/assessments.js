// teach/assessments.js - quizzes, practice exams and simulations for
// instructors: the list (/teach/assessments), and the builder
// (/teach/assessments/new, /teach/assessments/:id) with the details and
// settings, the questions (a fixed list picked from the bank, or rules that
// draw them), publish, preview, delete/restore, and a Results tab.

import { api, ApiError, qs, exams as loadExams } from '../../api.js';
import {
  h, clear, field, onSubmit, showErrors, button, loading, empty, errorBox, toast, confirmDialog,
  badge, fmt, pageHeader, moreButton, debounce, nextId,
} from '../../ui.js';
import {
  examOptions, objectivePicker, splitTags, excerpt, TYPES, typeName, statusBadge,
} from './questions.js';
import { lessonPicker } from './pickers.js';

const KINDS = [['quiz', 'Quiz'], ['practice_exam', 'Practice exam'], ['exam_simulation', 'Exam simulation']];
const kindName = (k) => (KINDS.find(([v]) => v === k) || [k, k])[1];
const pubBadge = (s) => badge(s === 'published' ? 'published' : 'draft', s === 'published' ? 'ok' : 'warn');

export default async function page(ctx) {
  if (ctx.params.id) return builder(ctx, ctx.params.id);
  if (ctx.path.replace(/\/$/, '').endsWith('/new')) return builder(ctx, null);
  return list(ctx);
}

// ---- the list ---------------------------------------------------------------

async function list(ctx) {
  ctx.title('Assessments');
  const exams = await loadExams();
  if (!ctx.current()) return;
  const admin = ctx.user.role === 'admin';
  const q = (k, d = '') => ctx.query.get(k) || d;
  const form = h('form', { class: 'filters', 'aria-label': 'Filter assessments', onsubmit: (e) => e.preventDefault() },
    field({ label: 'Show', name: 'scope', type: 'select', value: q('scope', 'mine'),
      options: [['mine', admin ? 'Ones I may edit' : 'Mine'], ['all', 'All in my organization']] }),
    field({ label: 'Kind', name: 'kind', type: 'select', value: q('kind'), options: [['', 'Any kind'], ...KINDS] }),
    field({ label: 'Status', name: 'status', type: 'select', value: q('status', 'all'),
      options: [['all', 'Any status'], ['published', 'Published'], ['draft', 'Draft']] }),
    field({ label: 'Exam', name: 'exam', type: 'select', value: q('exam'), options: examOptions(exams, 'Any exam') }));
  const out = h('div', {});
  const count = h('p', { class: 'muted small', 'aria-live': 'polite' });
  clear(ctx.main,
    pageHeader('Assessments', h('a', { href: '/teach/assessments/new', class: 'btn' }, 'New assessment')),
    h('p', { class: 'muted' }, 'Quizzes, practice exams and exam simulations. Learners see the published ones; drafts are yours to try.'),
    form, count, out);

  let token = 0;
  async function run() {
    const mine = ++token;
    const v = Object.fromEntries(['scope', 'kind', 'status', 'exam'].map((k) => [k, form.elements[k].value]));
    history.replaceState(null, '', '/teach/assessments' + qs(v));
    clear(out, loading('Loading assessments…'));
    const keep = (a) => v.scope === 'all' || a.can_edit;
    let shown = 0;
    const fetchPage = (after) => api.get('/assessments' + qs({ kind: v.kind, status: v.status, exam: v.exam, limit: 50, after }));
    try {
      const first = await fetchPage();
      if (mine !== token || !ctx.current()) return;
      const body = h('tbody', {});
      const add = (items) => { const rows = items.filter(keep); shown += rows.length; for (const a of rows) body.append(aRow(a)); };
      add(first.items);
      if (!shown && !first.next) {
        count.textContent = '';
        clear(out, empty(v.scope === 'mine' ? 'You have no assessments with these filters yet.' : 'No assessments match these filters.',
          h('a', { href: '/teach/assessments/new', class: 'btn' }, 'Build an assessment')));
        return;
      }
      clear(out, h('div', { class: 'table-wrap' }, h('table', { class: 'as-table' },
        h('caption', { class: 'sr-only' }, 'Assessments'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Title'), h('th', { scope: 'col' }, 'Kind'), h('th', { scope: 'col' }, 'Exam'),
          h('th', { scope: 'col', class: 'num' }, 'Questions'), h('th', { scope: 'col', class: 'num' }, 'Time'),
          h('th', { scope: 'col', class: 'num' }, 'Pass mark'), h('th', { scope: 'col' }, 'Status'))),
        body)));
      const counter = () => { count.textContent = `${shown} assessment${shown === 1 ? '' : 's'} shown`; };
      counter();
      const more = (next) => moreButton(next, async (after) => {
        const p = await fetchPage(after);
        if (mine !== token) return;
        add(p.items);
        counter();
        const m = more(p.next);
        if (m) out.append(m);
      });
      const m = more(first.next);
      if (m) out.append(m);
    } catch (e) {
      if (mine === token) clear(out, errorBox(e, run));
    }
  }
  form.addEventListener('change', run);
  await run();
}

function aRow(a) {
  return h('tr', {},
    h('td', {}, h('a', { href: a.can_edit ? `/teach/assessments/${a.id}` : `/assessments/${a.id}` }, a.title),
      a.description ? h('div', { class: 'muted small' }, excerpt(a.description, 100)) : null),
    h('td', {}, kindName(a.kind)),
    h('td', {}, a.exam || h('span', { class: 'muted' }, '—')),
    h('td', { class: 'num' }, String(a.question_count ?? '—')),
    h('td', { class: 'num' }, a.time_limit_seconds ? fmt.minutes(a.time_limit_seconds) : h('span', { class: 'muted' }, 'none')),
    h('td', { class: 'num' }, a.passing_percent != null ? fmt.pct(a.passing_percent, Number.isInteger(Number(a.passing_percent)) ? 0 : 1) : '—'),
    h('td', {}, pubBadge(a.status), a.can_edit ? null : h('div', { class: 'muted small' }, 'read only')));
}

// ---- the builder ------------------------------------------------------------

const pad = (n) => String(n).padStart(2, '0');
function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d)) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
function fromLocalInput(v) {
  if (!v) return null;
  const d = new Date(v);
  return isNaN(d) ? v : d.toISOString();
}

async function builder(ctx, id) {
  const exams = await loadExams();
  let doc = null;
  let etag = null;
  if (id) {
    const res = await api.request('GET', `/assessments/${encodeURIComponent(id)}`);
    doc = res.data;
    etag = res.headers.get('ETag');
  }
  if (!ctx.current()) return;
  if (doc && !doc.can_edit) return readOnlyView(ctx, doc);
  renderBuilder(ctx, { exams, doc, etag });
}

function readOnlyView(ctx, doc) {
  ctx.title(doc.title);
  clear(ctx.main,
    h('p', { class: 'q-back' }, h('a', { href: '/teach/assessments' }, '← Assessments')),
    pageHeader(doc.title, h('a', { href: `/assessments/${doc.id}`, class: 'btn' }, 'Open as a learner')),
    h('div', { class: 'q-notice', role: 'status' }, 'Read only: only this assessment’s author or an admin may change it or see its results.'),
    h('div', { class: 'card stack' },
      h('p', {}, kindName(doc.kind), doc.exam ? ` · ${doc.exam}` : '', ' · ', `${doc.question_count} questions`),
      doc.description ? h('p', { class: 'muted' }, doc.description) : null));
}

function renderBuilder(ctx, { exams, doc, etag }) {
  const isNew = !doc;
  const deleted = !!doc?.deleted_at;
  const d = doc || {
    title: '', description: '', kind: 'quiz', exam: ctx.query.get('exam') || '', selection: 'fixed', rules: {},
    shuffle_questions: true, shuffle_options: true, time_limit_seconds: null, passing_percent: 70, max_attempts: null,
    available_from: null, available_until: null, feedback: 'end', partial_credit: true, lesson_id: ctx.query.get('lesson') || null,
    status: 'draft', questions: [],
  };
  ctx.title(isNew ? 'New assessment' : d.title);

  // --- fixed list state
  let picked = (d.questions || []).map((x) => ({ question_id: x.question_id, points: String(x.points ?? 1), stem: x.stem, status: x.status, deleted: x.deleted }));
  let listDirty = false;

  // --- details and settings
  const el = (wrap) => wrap.querySelector('input, select, textarea');
  const titleF = field({ label: 'Title', name: 'title', value: d.title, required: true, attrs: { maxlength: 200 } });
  const descF = field({ label: 'Description', name: 'description', type: 'textarea', rows: 3, value: d.description || '',
    hint: 'What it covers and how it works; learners read it before they start.' });
  const kindF = field({ label: 'Kind', name: 'kind', type: 'select', value: d.kind, options: KINDS });
  const examF = field({ label: 'Exam', name: 'exam', type: 'select', value: d.exam || '', options: examOptions(exams),
    hint: 'Needed for simulations and for rules.' });
  const shuffleQ = field({ label: 'Shuffle the questions', name: 'shuffle_questions', type: 'checkbox', value: d.shuffle_questions });
  const shuffleO = field({ label: 'Shuffle the options', name: 'shuffle_options', type: 'checkbox', value: d.shuffle_options });
  const limitF = field({ label: 'Time limit (minutes)', name: 'time_limit_minutes', type: 'number', min: 1, max: 1440, step: 1,
    value: d.time_limit_seconds ? Math.round(d.time_limit_seconds / 60) : '', hint: 'Empty: no limit.' });
  limitF.dataset.field = 'time_limit_seconds';
  const passF = field({ label: 'Passing percentage', name: 'passing_percent', type: 'number', min: 0, max: 100, step: 0.5,
    value: d.passing_percent ?? '' });
  const attemptsF = field({ label: 'Attempts allowed', name: 'max_attempts', type: 'number', min: 1, max: 1000, step: 1,
    value: d.max_attempts ?? '', hint: 'Empty: unlimited.' });
  const fromF = field({ label: 'Available from', name: 'available_from', type: 'datetime-local', value: toLocalInput(d.available_from),
    hint: 'Your local time. Empty: now.' });
  const untilF = field({ label: 'Available until', name: 'available_until', type: 'datetime-local', value: toLocalInput(d.available_until),
    hint: 'Empty: no end. Attempts end at this time.' });
  const feedbackF = field({ label: 'Feedback', name: 'feedback', type: 'select', value: d.feedback,
    options: [['end', 'At the end (exam style)'], ['immediate', 'Right away: each answer is final and explained']] });
  const partialF = field({ label: 'Partial credit', name: 'partial_credit', type: 'checkbox', value: d.partial_credit,
    hint: 'Multiple select, matching and ordering earn a share of the points.' });
  const lessonF = lessonPicker({ label: 'Completes lesson', name: 'lesson_id', value: d.lesson_id || '',
    hint: 'Optional: a lesson of a course you edit; passing the assessment completes it.' });

  // --- questions: fixed list or rules
  const selName = nextId('selection');
  const selFixed = nextId('sel');
  const selRules = nextId('sel');
  const selection = h('fieldset', { class: 'as-selection', 'data-field': 'selection' },
    h('legend', {}, 'How are questions chosen?'),
    h('div', { class: 'row' },
      h('span', { class: 'as-radio' }, h('input', { type: 'radio', id: selFixed, name: selName, value: 'fixed', checked: d.selection !== 'rules' }),
        h('label', { for: selFixed }, 'A fixed list I pick')),
      h('span', { class: 'as-radio' }, h('input', { type: 'radio', id: selRules, name: selName, value: 'rules', checked: d.selection === 'rules' }),
        h('label', { for: selRules }, 'Drawn by rules at each attempt'))),
    h('p', { class: 'field-error' }));
  const currentSelection = () => selection.querySelector('input:checked')?.value || 'fixed';

  const fixedBox = h('div', { class: 'stack as-fixed' });
  const rulesBox = h('div', { class: 'stack as-rules' });

  // Fixed list
  const listEl = h('ol', { class: 'as-picked', 'aria-label': 'Questions in this assessment' });
  const listSummary = h('p', { class: 'muted small', 'aria-live': 'polite' });
  function renderPicked(focusSel) {
    const total = picked.reduce((s, x) => s + (Number(x.points) || 0), 0);
    listSummary.textContent = picked.length
      ? `${picked.length} question${picked.length === 1 ? '' : 's'} · ${Math.round(total * 100) / 100} points${listDirty ? ' · not saved yet' : ''}`
      : 'No questions yet: add some from the bank below.';
    clear(listEl, picked.map((x, i) => {
      const pts = field({ label: 'Points', name: `pick-points-${i}`, type: 'number', value: x.points, min: 0.01, max: 100, step: 0.01 });
      pts.querySelector('input').addEventListener('input', (e) => { x.points = e.target.value; listDirty = true; renderSummaryOnly(); });
      const move = (dlt) => {
        const j = i + dlt;
        [picked[i], picked[j]] = [picked[j], picked[i]];
        listDirty = true;
        const atEnd = dlt < 0 ? j === 0 : j === picked.length - 1;
        renderPicked(`[data-move="pk-${j}-${(dlt < 0) !== atEnd ? 'up' : 'down'}"]`);
      };
      return h('li', { class: 'as-pick', 'data-field': `questions[${i}]` },
        h('span', { class: 'as-pos', 'aria-hidden': 'true' }, String(i + 1)),
        h('div', { class: 'as-pick-text' },
          h('a', { href: `/teach/questions/${x.question_id}`, target: '_blank', rel: 'noopener' }, excerpt(x.stem, 160) || 'Question'),
          x.deleted ? badge('deleted: not asked', 'bad') : (x.status && x.status !== 'active' ? badge(`${x.status}: not asked`, 'warn') : null),
          h('p', { class: 'field-error' })),
        pts,
        h('div', { class: 'q-row-tools' },
          button('↑', () => move(-1), 'btn btn-ghost btn-sm', { 'aria-label': `Move question ${i + 1} up`, disabled: i === 0, 'data-move': `pk-${i}-up` }),
          button('↓', () => move(1), 'btn btn-ghost btn-sm', { 'aria-label': `Move question ${i + 1} down`, disabled: i === picked.length - 1, 'data-move': `pk-${i}-down` }),
          button('Remove', () => { picked.splice(i, 1); listDirty = true; renderPicked(); refreshPickerButtons(); }, 'btn btn-ghost btn-sm q-remove',
            { 'aria-label': `Remove question ${i + 1}` })));
    }));
    if (focusSel) listEl.querySelector(focusSel)?.focus();
  }
  function renderSummaryOnly() {
    const total = picked.reduce((s, x) => s + (Number(x.points) || 0), 0);
    listSummary.textContent = `${picked.length} question${picked.length === 1 ? '' : 's'} · ${Math.round(total * 100) / 100} points${listDirty ? ' · not saved yet' : ''}`;
  }

  // The bank picker
  const pickResults = h('div', { class: 'as-results' });
  const pickForm = h('div', { class: 'filters as-pick-filters', role: 'search', 'aria-label': 'Find questions in the bank' },
    field({ label: 'Search the bank', name: 'pick-q', type: 'search', placeholder: 'Words in the question' }),
    field({ label: 'From exam', name: 'pick-exam', type: 'select', value: d.exam || '', options: examOptions(exams, 'Any exam') }),
    field({ label: 'Domain', name: 'pick-domain', type: 'select', options: [['', 'Any domain']] }),
    field({ label: 'Type', name: 'pick-type', type: 'select', options: [['', 'Any type'], ...TYPES] }),
    field({ label: 'Difficulty', name: 'pick-difficulty', type: 'select', options: [['', 'Any'], ['1', '1'], ['2', '2'], ['3', '3'], ['4', '4'], ['5', '5']] }),
    field({ label: 'Only active', name: 'pick-active', type: 'checkbox', value: true }));
  const pv = (n) => { const e = pickForm.querySelector(`[name="${n}"]`); return e.type === 'checkbox' ? e.checked : e.value; };
  const fillPickDomains = () => {
    const e = exams.find((x) => x.code === pv('pick-exam'));
    const sel = pickForm.querySelector('[name="pick-domain"]');
    clear(sel, [['', 'Any domain'], ...(e ? e.domains.map((x) => [x.code, `${x.code} ${x.name}`]) : [])].map(([v, t]) => h('option', { value: v }, t)));
  };
  fillPickDomains();
  pickForm.addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.target.matches('input')) { e.preventDefault(); runPick(); } });
  pickForm.addEventListener('change', (e) => { if (e.target.name === 'pick-exam') fillPickDomains(); if (e.target.name !== 'pick-q') runPick(); });
  pickForm.querySelector('[name="pick-q"]').addEventListener('input', debounce(() => { if (pv('pick-q').trim().length !== 1) runPick(); }, 350));
  const inList = (qid) => picked.some((x) => x.question_id === qid);
  function refreshPickerButtons() {
    for (const b of pickResults.querySelectorAll('button[data-qid]')) {
      const on = inList(b.dataset.qid);
      b.disabled = on;
      b.textContent = on ? 'Added' : 'Add';
    }
  }
  let pickToken = 0;
  async function runPick() {
    const mine = ++pickToken;
    const query = {
      q: pv('pick-q').trim().length >= 2 ? pv('pick-q').trim() : '', exam: pv('pick-exam'), domain: pv('pick-domain'),
      type: pv('pick-type'), difficulty: pv('pick-difficulty'), status: pv('pick-active') ? 'active' : '', limit: 20,
    };
    clear(pickResults, loading('Searching the bank…'));
    const ul = h('ul', { class: 'as-bank' });
    const add = (items) => {
      for (const q of items) {
        const b = button('Add', () => {
          if (inList(q.id)) return;
          picked.push({ question_id: q.id, points: '1', stem: q.stem, status: q.status, deleted: false });
          listDirty = true;
          renderPicked();
          refreshPickerButtons();
          b.focus();
        }, 'btn btn-secondary btn-sm', { 'data-qid': q.id, 'aria-label': `Add: ${excerpt(q.stem, 80)}` });
        ul.append(h('li', { class: 'as-bank-item' },
          h('div', {}, h('p', { class: 'as-bank-stem' }, excerpt(q.stem, 180)),
            h('p', { class: 'muted small' }, [typeName(q.type), q.exam && `${q.exam}${q.domain ? ' · ' + q.domain : ''}`, `difficulty ${q.difficulty}`, q.external_id].filter(Boolean).join(' · '), ' ',
              q.status !== 'active' ? statusBadge(q.status) : null)),
          b));
      }
      refreshPickerButtons();
    };
    try {
      const first = await api.get('/questions' + qs(query));
      if (mine !== pickToken || !ctx.current()) return;
      if (!first.items.length) { clear(pickResults, empty('No questions match. Try other filters.')); return; }
      clear(pickResults, ul);
      add(first.items);
      const more = (next) => moreButton(next, async (after) => {
        const p = await api.get('/questions' + qs({ ...query, after }));
        if (mine !== pickToken) return;
        add(p.items);
        const m = more(p.next);
        if (m) pickResults.append(m);
      });
      const m = more(first.next);
      if (m) pickResults.append(m);
    } catch (e) {
      if (mine === pickToken) clear(pickResults, errorBox(e, runPick));
    }
  }

  fixedBox.append(
    h('div', { 'data-field': 'questions' }, h('p', { class: 'field-error' })),
    listSummary, listEl,
    h('details', { class: 'as-picker', open: isNew || !picked.length },
      h('summary', {}, 'Add questions from the bank'),
      h('div', { class: 'stack' }, pickForm, pickResults)));
  renderPicked();
  fixedBox.querySelector('details').addEventListener('toggle', (e) => { if (e.target.open && !pickResults.childNodes.length) runPick(); });
  if (isNew || !picked.length) runPick();

  // Rules
  const rules = d.rules || {};
  const ruleDomains = rules.domains || [];
  const modeInit = ruleDomains.length ? (ruleDomains[0].weight !== undefined ? 'weight' : 'count') : 'exam';
  const countF = field({ label: 'Number of questions', name: 'question_count', type: 'number', min: 1, max: 500, step: 1,
    value: d.selection === 'rules' ? (d.question_count ?? '') : '', hint: 'With counts per domain, empty means their sum. Simulations default to the exam’s number.' });
  const modeF = field({ label: 'Spread over domains', name: 'rule_mode', type: 'select', value: modeInit,
    options: [['exam', 'By the exam’s own weights'], ['count', 'A number of questions per domain'], ['weight', 'My own weights per domain']] });
  const domainRows = h('div', { class: 'as-domains', 'data-field': 'rules.domains' }, h('p', { class: 'field-error' }));
  const difMin = field({ label: 'Easiest', name: 'rule_dmin', type: 'select', value: rules.difficulty?.min ?? 1, options: [1, 2, 3, 4, 5].map((n) => [n, String(n)]) });
  const difMax = field({ label: 'Hardest', name: 'rule_dmax', type: 'select', value: rules.difficulty?.max ?? 5, options: [1, 2, 3, 4, 5].map((n) => [n, String(n)]) });
  const difBox = h('fieldset', { class: 'as-difficulty', 'data-field': 'rules.difficulty' }, h('legend', {}, 'Difficulty range'),
    h('div', { class: 'row' }, difMin, difMax), h('p', { class: 'field-error' }));
  const rulePicker = objectivePicker({ legend: 'Only these objectives (optional)', dataField: 'rules.objectives',
    hint: 'Leave all unticked to draw from every objective.' });
  rulePicker.set(rules.objectives || []);
  const tagsF = field({ label: 'Only questions with one of these tags (optional)', name: 'rule_tags', value: (rules.tags || []).join(', '),
    hint: 'Separated by commas.' });
  tagsF.dataset.field = 'rules.tags';

  function renderDomainRows() {
    const e = exams.find((x) => x.code === el(examF).value);
    const mode = el(modeF).value;
    const prior = Object.fromEntries([...domainRows.querySelectorAll('input[data-code]')].map((i) => [i.dataset.code, i.value]));
    const initial = Object.fromEntries(ruleDomains.map((x) => [x.code, String(x.count ?? x.weight ?? '')]));
    clear(domainRows, h('p', { class: 'field-error' }));
    if (mode === 'exam') {
      domainRows.append(h('p', { class: 'muted small' }, e ? `Each domain gets its share by the ${e.exam_number} weights: ${e.domains.map((x) => `${x.code} ${x.weight}%`).join(', ')}.` : 'Choose an exam.'));
      return;
    }
    if (!e) { domainRows.append(h('p', { class: 'muted small' }, 'Choose an exam first.')); return; }
    domainRows.append(h('div', { class: 'grid grid-3' }, e.domains.map((x) => {
      const f = field({ label: `${x.code} ${x.name}`, name: `rule-domain-${x.code}`, type: 'number', min: mode === 'count' ? 0 : 0, max: mode === 'count' ? 500 : 100,
        step: mode === 'count' ? 1 : 'any', value: prior[x.code] ?? initial[x.code] ?? '', hint: mode === 'count' ? 'questions' : `weight (exam: ${x.weight})` });
      f.querySelector('input').dataset.code = x.code;
      f.classList.add('as-domain-row');
      return f;
    })));
  }
  el(modeF).addEventListener('change', renderDomainRows);
  rulesBox.append(
    h('div', { class: 'grid grid-2' }, countF, modeF),
    domainRows, difBox, rulePicker.el, tagsF);
  renderDomainRows();
  rulePicker.setExam(el(examF).value);

  const syncSelection = () => {
    const rulesOn = currentSelection() === 'rules';
    fixedBox.hidden = rulesOn;
    rulesBox.hidden = !rulesOn;
  };
  selection.addEventListener('change', syncSelection);
  syncSelection();
  el(examF).addEventListener('change', () => {
    renderDomainRows();
    rulePicker.clearAll();
    rulePicker.setExam(el(examF).value);
    const pe = pickForm.querySelector('[name="pick-exam"]');
    pe.value = el(examF).value;
    fillPickDomains();
    if (!fixedBox.hidden) runPick();
  });
  el(kindF).addEventListener('change', () => {
    // Simulations score like the exam and draw by rules.
    if (el(kindF).value === 'exam_simulation') {
      el(partialF).checked = false;
      selection.querySelector('input[value="rules"]').checked = true;
      syncSelection();
    }
  });

  // --- payload
  function buildPayload() {
    const num = (v) => (v === '' || v == null ? null : Number(v));
    const sel = currentSelection();
    const p = {
      title: el(titleF).value.trim(),
      description: el(descF).value.trim() || null,
      kind: el(kindF).value,
      exam: el(examF).value || null,
      lesson_id: el(lessonF).value || null,
      selection: sel,
      shuffle_questions: el(shuffleQ).checked,
      shuffle_options: el(shuffleO).checked,
      time_limit_seconds: el(limitF).value === '' ? null : Math.round(Number(el(limitF).value) * 60),
      passing_percent: num(el(passF).value),
      max_attempts: num(el(attemptsF).value),
      available_from: fromLocalInput(el(fromF).value),
      available_until: fromLocalInput(el(untilF).value),
      feedback: el(feedbackF).value,
      partial_credit: el(partialF).checked,
    };
    if (sel === 'rules') {
      const r = {};
      const mode = el(modeF).value;
      let sum = 0;
      for (const row of domainRows.querySelectorAll('.as-domain-row')) delete row.dataset.field;
      if (mode !== 'exam') {
        const rows = [...domainRows.querySelectorAll('.as-domain-row')];
        const list = [];
        for (const row of rows) {
          const i = row.querySelector('input');
          if (i.value === '' || Number(i.value) === 0) continue;
          row.dataset.field = `rules.domains[${list.length}]`;
          const n = Number(i.value);
          list.push(mode === 'count' ? { code: i.dataset.code, count: n } : { code: i.dataset.code, weight: n });
          if (mode === 'count') sum += n;
        }
        if (list.length) r.domains = list;
      }
      const lo = Number(el(difMin).value), hi = Number(el(difMax).value);
      if (lo !== 1 || hi !== 5) r.difficulty = { min: lo, max: hi };
      const objs = rulePicker.get();
      if (objs.length) r.objectives = objs;
      const tags = splitTags(el(tagsF).value);
      if (tags.length) r.tags = tags;
      p.rules = r;
      p.question_count = el(countF).value !== '' ? Number(el(countF).value) : (sum || null);
    } else {
      p.rules = null;
      p.question_count = null;
    }
    return p;
  }

  // --- the form
  const saveBtn = h('button', { type: 'submit', class: 'btn' }, isNew ? 'Create assessment' : 'Save changes');
  const form = h('form', { class: 'stack as-form', 'aria-label': isNew ? 'New assessment' : 'Edit assessment' },
    h('fieldset', { class: 'q-form-fields', disabled: deleted },
      h('legend', { class: 'sr-only' }, 'Assessment'),
      h('section', { class: 'card stack', 'aria-labelledby': 'as-details-h' },
        h('h2', { id: 'as-details-h' }, 'Details'),
        titleF, descF, h('div', { class: 'grid grid-2' }, kindF, examF)),
      h('section', { class: 'card stack', 'aria-labelledby': 'as-settings-h' },
        h('h2', { id: 'as-settings-h' }, 'Settings'),
        h('div', { class: 'grid grid-3' }, limitF, passF, attemptsF),
        h('div', { class: 'grid grid-2' }, fromF, untilF),
        h('div', { class: 'grid grid-2' }, feedbackF, lessonF),
        h('div', { class: 'row as-checks' }, shuffleQ, shuffleO, partialF)),
      h('section', { class: 'card stack', 'aria-labelledby': 'as-questions-h' },
        h('h2', { id: 'as-questions-h' }, 'Questions'),
        selection, fixedBox, rulesBox)),
    deleted ? null : h('div', { class: 'row as-save' }, saveBtn, h('a', { href: '/teach/assessments', class: 'btn btn-ghost' }, 'Cancel')));

  onSubmit(form, async () => {
    const mins = el(limitF).value;
    if (mins !== '' && !(Number.isInteger(Number(mins)) && Number(mins) >= 1 && Number(mins) <= 1440)) {
      showErrors(form, new ApiError(422, { detail: 'Check the highlighted field.', errors: [{ field: 'time_limit_seconds', message: 'must be a whole number of minutes from 1 to 1440' }] }));
      el(limitF).focus();
      return;
    }
    if (currentSelection() === 'rules' && Number(el(difMin).value) > Number(el(difMax).value)) {
      showErrors(form, new ApiError(422, { detail: 'Check the highlighted field.', errors: [{ field: 'rules.difficulty', message: 'the easiest level must not be above the hardest' }] }));
      el(difMin).focus();
      return;
    }
    const payload = buildPayload();
    try {
      let res;
      if (isNew) {
        res = await api.request('POST', '/assessments', { body: payload });
      } else {
        res = await api.request('PATCH', `/assessments/${doc.id}`, { body: payload, headers: etag ? { 'If-Match': etag } : {} });
      }
      doc = res.data;
      etag = res.headers.get('ETag') || etag;
      if (payload.selection === 'fixed' && (listDirty || (isNew && picked.length))) {
        const put = await api.request('PUT', `/assessments/${doc.id}/questions`, {
          body: { questions: picked.map((x) => ({ question_id: x.question_id, points: Number(x.points) || 1 })) },
          headers: etag ? { 'If-Match': etag } : {},
        });
        doc = put.data;
        etag = put.headers.get('ETag') || etag;
        listDirty = false;
      }
      if (isNew) {
        toast('Assessment created as a draft. Publish it when it is ready.', 'success', 6000);
        ctx.navigate(`/teach/assessments/${doc.id}`, { replace: true });
        return;
      }
      toast('Saved.', 'success');
      renderBuilder(ctx, { exams, doc, etag });
    } catch (err) {
      if (isNew && doc?.id) {
        // Created, but the list was refused: carry on editing the new one.
        toast('The assessment was created, but its question list was not saved.', 'error', 6000);
        ctx.navigate(`/teach/assessments/${doc.id}`, { replace: true });
        return;
      }
      showErrors(form, err);
      if (err instanceof ApiError && err.status === 412) {
        const box = form.querySelector('.form-alert');
        clear(box, h('p', {}, 'Someone changed this assessment since you opened it. Reload to see their version (your unsaved changes will be lost).'),
          h('div', { class: 'row' }, button('Reload', () => reloadBuilder(ctx), 'btn btn-sm')));
      }
      const bad = form.querySelector('[aria-invalid="true"]');
      if (bad) {
        bad.scrollIntoView?.({ block: 'center' });
        (bad.matches('input, select, textarea') ? bad : bad.querySelector('input, select, textarea'))?.focus();
      }
    }
  });

  // --- header actions
  const actions = [];
  if (!isNew && !deleted) {
    actions.push(button('Preview', async (e) => {
      if (listDirty) { toast('Save your changes first: the preview uses the saved version.', 'error'); return; }
      const b = e.currentTarget;
      b.disabled = true;
      try {
        const a = await api.post(`/assessments/${doc.id}/attempts`);
        ctx.navigate(`/attempts/${a.id}`);
      } catch (err) {
        toast(err.message, 'error', 6000);
        b.disabled = false;
      }
    }, 'btn btn-secondary', { 'data-testid': 'assessment-preview', title: 'Try it yourself; previews do not count in results or statistics.' }));
    const publish = doc.status !== 'published';
    actions.push(button(publish ? 'Publish' : 'Unpublish', async (e) => {
      if (!publish && !(await confirmDialog('Unpublish this assessment? Learners will no longer see it.', { ok: 'Unpublish' }))) return;
      if (listDirty) { toast('Save your changes first.', 'error'); return; }
      const b = e.currentTarget;
      b.disabled = true;
      try {
        const res = await api.request('PATCH', `/assessments/${doc.id}`, { body: { status: publish ? 'published' : 'draft' }, headers: etag ? { 'If-Match': etag } : {} });
        toast(publish ? 'Published: learners can take it now.' : 'Back to draft.', 'success');
        renderBuilder(ctx, { exams, doc: res.data, etag: res.headers.get('ETag') || etag });
      } catch (err) {
        b.disabled = false;
        if (err instanceof ApiError && err.status === 412) {
          toast('This assessment changed elsewhere; reloading it.', 'error');
          reloadBuilder(ctx);
        } else if (err instanceof ApiError && err.status === 422) {
          toast(`${err.message} ${err.errors.map((x) => `${x.field}: ${x.message}`).join('; ')}`, 'error', 8000);
        } else toast(err.message, 'error');
      }
    }, publish ? 'btn' : 'btn btn-secondary', { 'data-testid': 'assessment-publish' }));
    actions.push(button('Delete', async () => {
      if (!(await confirmDialog('Delete this assessment? Learners will no longer see it. You can restore it from this page.', { ok: 'Delete', danger: true }))) return;
      try {
        await api.del(`/assessments/${doc.id}`);
        toast('Assessment deleted.', 'success');
        reloadBuilder(ctx);
      } catch (err) { toast(err.message, 'error'); }
    }, 'btn btn-danger', { 'data-testid': 'assessment-delete' }));
  }
  if (deleted) {
    actions.push(button('Restore', async () => {
      try {
        const res = await api.request('POST', `/assessments/${doc.id}/restore`);
        toast('Assessment restored.', 'success');
        renderBuilder(ctx, { exams, doc: res.data, etag: res.headers.get('ETag') });
      } catch (err) { toast(err.message, 'error'); }
    }, 'btn', { 'data-testid': 'assessment-restore' }));
  }

  // --- tabs: Build and Results
  const tabs = [];
  const panels = [];
  const results = h('div', {});
  const addTab = (name, panel) => {
    const tid = nextId('tab');
    const pid = nextId('panel');
    const t = h('button', { type: 'button', role: 'tab', id: tid, 'aria-controls': pid, class: 'as-tab' }, name);
    panel.id = pid;
    panel.setAttribute('role', 'tabpanel');
    panel.setAttribute('aria-labelledby', tid);
    tabs.push(t);
    panels.push(panel);
  };
  const select = (i, focus) => {
    tabs.forEach((t, j) => { t.setAttribute('aria-selected', String(i === j)); t.tabIndex = i === j ? 0 : -1; panels[j].hidden = i !== j; });
    if (focus) tabs[i].focus();
    if (panels[i] === results && !results.dataset.loaded) { results.dataset.loaded = '1'; showResults(ctx, doc, results); }
    history.replaceState(null, '', location.pathname + (i ? '?tab=results' : ''));
  };
  addTab('Build', form);
  if (!isNew && !deleted) addTab('Results', results);
  tabs.forEach((t, i) => {
    t.addEventListener('click', () => select(i));
    t.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') { e.preventDefault(); select((i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length, true); }
    });
  });

  clear(ctx.main,
    h('p', { class: 'q-back' }, h('a', { href: '/teach/assessments' }, '← Assessments')),
    pageHeader(isNew ? 'New assessment' : d.title, ...actions),
    isNew ? null : h('div', { class: 'row q-meta-line' }, pubBadge(d.status), badge(kindName(d.kind), 'accent'),
      h('span', { class: 'muted small' }, `${d.question_count} question${d.question_count === 1 ? '' : 's'}${d.time_limit_seconds ? ' · ' + fmt.minutes(d.time_limit_seconds) : ''} · version ${d.version}`),
      d.open_now === false ? badge('outside its availability window', 'warn') : null),
    deleted ? h('div', { class: 'q-notice q-notice-bad', role: 'status' }, `This assessment was deleted on ${fmt.datetime(d.deleted_at)}. Restore it to edit or publish it again.`) : null,
    tabs.length > 1 ? h('div', { class: 'as-tabs', role: 'tablist', 'aria-label': 'Assessment' }, tabs) : null,
    panels);
  select(tabs.length > 1 && ctx.query.get('tab') === 'results' ? 1 : 0);
  if (isNew) el(titleF).focus();
}

async function reloadBuilder(ctx) {
  clear(ctx.main, loading());
  try {
    await builder(ctx, ctx.params.id);
  } catch (e) {
    if (ctx.current()) clear(ctx.main, errorBox(e, () => reloadBuilder(ctx)));
  }
}

// ---- results ----------------------------------------------------------------

async function showResults(ctx, doc, box) {
  clear(box, loading('Loading results…'));
  try {
    const r = await api.get(`/assessments/${doc.id}/results`);
    if (!ctx.current()) return;
    const s = r.summary || {};
    const stat = (value, label) => h('div', { class: 'card stat' }, h('span', { class: 'value' }, value), h('span', { class: 'label' }, label));
    const scaled = r.items.some((x) => x.scaled_score != null);
    clear(box,
      h('h2', { class: 'sr-only' }, 'Results'),
      h('div', { class: 'grid grid-4 as-summary', 'data-testid': 'results-summary' },
        stat(fmt.num(s.attempts), 'finished attempts'),
        stat(fmt.num(s.learners), 'learners'),
        stat(s.average_percent != null ? fmt.pct(s.average_percent, 1) : '–', 'average score'),
        stat(s.pass_rate != null ? fmt.pct(s.pass_rate * 100) : '–', 'pass rate'),
        stat(fmt.num(s.in_progress), 'in progress now')),
      r.items.length ? h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'results-table' },
        h('caption', { class: 'sr-only' }, 'Finished attempts'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Learner'), h('th', { scope: 'col', class: 'num' }, 'Attempt'), h('th', { scope: 'col' }, 'Finished'),
          h('th', { scope: 'col', class: 'num' }, 'Score'), h('th', { scope: 'col', class: 'num' }, 'Percent'),
          scaled ? h('th', { scope: 'col', class: 'num' }, 'Scaled') : null,
          h('th', { scope: 'col' }, 'Result'), h('th', { scope: 'col', class: 'num' }, 'Time'))),
        h('tbody', {}, r.items.map((t) => h('tr', {},
          h('td', {}, t.username),
          h('td', { class: 'num' }, `#${t.number}`),
          h('td', {}, fmt.datetime(t.finished_at), t.status === 'expired' ? h('div', {}, badge('time ran out', 'warn')) : null),
          h('td', { class: 'num' }, `${fmtNum(t.score)} / ${fmtNum(t.max_score)}`),
          h('td', { class: 'num' }, fmt.pct(t.percentage, 1)),
          scaled ? h('td', { class: 'num' }, t.scaled_score != null ? String(t.scaled_score) : '–') : null,
          h('td', {}, t.passed ? badge('passed', 'ok') : badge('not passed', 'bad')),
          h('td', { class: 'num' }, t.time_taken_seconds != null ? fmt.clock(t.time_taken_seconds) : '–')))))) :
        empty(doc.status === 'published' ? 'No learner has finished it yet.' : 'No results yet: publish it so learners can take it. Your own previews are not counted.'));
  } catch (e) {
    if (ctx.current()) clear(box, errorBox(e, () => showResults(ctx, doc, box)));
  }
}

const fmtNum = (v) => (v == null ? '–' : String(Math.round(Number(v) * 100) / 100));
