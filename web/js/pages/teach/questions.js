// teach/questions.js - the question bank for instructors: a filtered,
// paged list of the organization's questions (/teach/questions), and the
// editor for every question type (/teach/questions/new, /teach/questions/:id)
// with create, save (If-Match), delete and restore.  A few helpers (exams,
// objective picker, error placement) are exported for the other teach pages.

import { api, ApiError, qs, exams as loadExams } from '../../api.js';
import {
  h, clear, field, onSubmit, showErrors, button, loading, empty, errorBox, toast,
  confirmDialog, badge, fmt, pageHeader, moreButton, debounce, nextId,
} from '../../ui.js';

export const TYPES = [
  ['single_choice', 'Single choice'],
  ['multiple_select', 'Multiple select'],
  ['true_false', 'True / false'],
  ['fill_blank', 'Fill in the blank'],
  ['matching', 'Matching'],
  ['ordering', 'Ordering'],
];
export const typeName = (t) => (TYPES.find(([k]) => k === t) || [t, t])[1];
const STATUS_KIND = { active: 'ok', draft: 'warn', retired: '' };
export const statusBadge = (s) => badge(s, STATUS_KIND[s] ?? '');
const DIFFICULTY = [[1, '1 · very easy'], [2, '2 · easy'], [3, '3 · medium'], [4, '4 · hard'], [5, '5 · very hard']];

// ---- shared helpers --------------------------------------------------------

// The exam tracks with their domains (cached for the session).

const objectivesCache = new Map();
// An exam's domains with their objectives.
export async function loadObjectives(exam) {
  if (!objectivesCache.has(exam)) {
    objectivesCache.set(exam, api.get(`/exams/${encodeURIComponent(exam)}/objectives`)
      .then((d) => d.domains || [])
      .catch((e) => { objectivesCache.delete(exam); throw e; }));
  }
  return objectivesCache.get(exam);
}

export function examOptions(exams, none = 'No exam') {
  return [['', none], ...exams.map((e) => [e.code, `${e.name} (${e.exam_number})`])];
}

// A group of objective checkboxes by domain, for one exam.  Returns
// {el, get(), set(codes), setExam(exam)}.
export function objectivePicker({ legend = 'Objectives', dataField = 'objectives', hint } = {}) {
  let selected = new Set();
  const body = h('div', { class: 'q-objectives-body' });
  const errId = nextId('obj-err');
  const el = h('fieldset', { class: 'q-objectives', 'data-field': dataField, 'aria-describedby': errId },
    h('legend', {}, legend),
    hint ? h('p', { class: 'hint' }, hint) : null,
    h('p', { class: 'field-error', id: errId }),
    body);
  let token = 0;
  async function setExam(exam) {
    const mine = ++token;
    if (!exam) { clear(body, h('p', { class: 'muted small' }, 'Choose an exam to pick objectives.')); return; }
    clear(body, loading('Loading objectives…'));
    try {
      const domains = await loadObjectives(exam);
      if (mine !== token) return;
      clear(body, domains.map((d) => h('div', { class: 'q-obj-domain' },
        h('p', { class: 'q-obj-domain-name' }, `${d.code} ${d.name}`),
        h('ul', {}, d.objectives.map((o) => {
          const id = nextId('obj');
          return h('li', {}, h('input', {
            type: 'checkbox', id, value: o.code, checked: selected.has(o.code),
            onchange: (ev) => { if (ev.target.checked) selected.add(o.code); else selected.delete(o.code); },
          }), h('label', { for: id }, h('strong', {}, o.code), ' ', o.title));
        })))));
    } catch (e) {
      if (mine === token) clear(body, errorBox(e, () => setExam(exam)));
    }
  }
  return {
    el,
    setExam,
    // Checked codes in the order they appear (domain, then objective).
    get() {
      const shown = [...body.querySelectorAll('input[type=checkbox]')].map((i) => i.value);
      return shown.length ? shown.filter((c) => selected.has(c)) : [...selected];
    },
    set(codes) {
      selected = new Set(codes || []);
      for (const i of body.querySelectorAll('input[type=checkbox]')) i.checked = selected.has(i.value);
    },
    clearAll() { this.set([]); },
  };
}

export const splitTags = (s) => String(s || '').split(/[,;\s]+/).map((t) => t.trim().toLowerCase()).filter(Boolean);
export const excerpt = (s, n = 140) => { const t = String(s || '').replace(/\s+/g, ' ').trim(); return t.length > n ? t.slice(0, n - 1) + '…' : t; };

// ---- the page ---------------------------------------------------------------

export default async function page(ctx) {
  if (ctx.params.id) return editor(ctx, ctx.params.id);
  if (ctx.path.replace(/\/$/, '').endsWith('/new')) return editor(ctx, null);
  return bank(ctx);
}

// ---- the bank ---------------------------------------------------------------

const FILTERS = ['q', 'exam', 'domain', 'objective', 'type', 'status', 'difficulty', 'tag', 'mine', 'deleted'];

async function bank(ctx) {
  ctx.title('Question bank');
  const exams = await loadExams();
  if (!ctx.current()) return;
  const f = Object.fromEntries(FILTERS.map((k) => [k, ctx.query.get(k) || '']));

  const domainCodes = [...new Set(exams.flatMap((e) => (e.domains || []).map((d) => d.code)))].sort();
  const domainOptions = (exam) => {
    const e = exams.find((x) => x.code === exam);
    return [['', 'Any domain'], ...(e ? e.domains.map((d) => [d.code, `${d.code} ${d.name}`]) : domainCodes.map((c) => [c, c]))];
  };
  const form = h('form', { class: 'filters q-filters', role: 'search', 'aria-label': 'Filter questions', onsubmit: (e) => { e.preventDefault(); run(); } },
    field({ label: 'Search', name: 'q', type: 'search', value: f.q, placeholder: 'Words in the question', attrs: { minlength: 2 } }),
    field({ label: 'Exam', name: 'exam', type: 'select', value: f.exam, options: examOptions(exams, 'Any exam') }),
    field({ label: 'Domain', name: 'domain', type: 'select', value: f.domain, options: domainOptions(f.exam) }),
    field({ label: 'Objective', name: 'objective', value: f.objective, placeholder: 'e.g. 1.4', attrs: { size: 6 } }),
    field({ label: 'Type', name: 'type', type: 'select', value: f.type, options: [['', 'Any type'], ...TYPES] }),
    field({ label: 'Status', name: 'status', type: 'select', value: f.status, options: [['', 'Any status'], ['active', 'Active'], ['draft', 'Draft'], ['retired', 'Retired']] }),
    field({ label: 'Difficulty', name: 'difficulty', type: 'select', value: f.difficulty, options: [['', 'Any'], ...DIFFICULTY] }),
    field({ label: 'Tag', name: 'tag', value: f.tag, placeholder: 'e.g. ports', attrs: { size: 10 } }),
    h('div', { class: 'q-filter-checks' },
      field({ label: 'Only mine', name: 'mine', type: 'checkbox', value: f.mine === 'true' }),
      field({ label: 'Deleted', name: 'deleted', type: 'checkbox', value: f.deleted === 'true' })),
    button('Clear filters', () => { form.reset(); for (const el of form.elements) { if (el.type === 'checkbox') el.checked = false; else if (el.name) el.value = ''; } run(); }, 'btn btn-ghost btn-sm'));

  const count = h('p', { class: 'muted small', 'aria-live': 'polite' });
  const list = h('div', { class: 'q-list' });
  clear(ctx.main,
    pageHeader('Question bank',
      h('a', { href: '/teach/import', class: 'btn btn-secondary' }, 'Import'),
      h('a', { href: '/teach/questions/new', class: 'btn' }, 'New question')),
    h('p', { class: 'muted' }, 'The bank is shared by the instructors of your organization. Only active questions are asked in assessments.'),
    form, count, list);

  form.elements.exam.addEventListener('change', () => {
    const sel = form.elements.domain;
    const keep = sel.value;
    clear(sel, domainOptions(form.elements.exam.value).map(([v, t]) => h('option', { value: v }, t)));
    sel.value = [...sel.options].some((o) => o.value === keep) ? keep : '';
  });
  form.addEventListener('change', (e) => { if (e.target.name !== 'q') run(); });
  form.elements.q.addEventListener('input', debounce(() => {
    const v = form.elements.q.value.trim();
    if (v.length !== 1) run();
  }, 350));
  form.elements.objective.addEventListener('input', debounce(() => run(), 500));
  form.elements.tag.addEventListener('input', debounce(() => run(), 500));

  let token = 0;
  async function run() {
    const mine = ++token;
    const v = {};
    for (const k of FILTERS) {
      const el = form.elements[k];
      v[k] = el.type === 'checkbox' ? (el.checked ? 'true' : '') : el.value.trim();
    }
    if (v.q.length < 2) v.q = '';
    v.tag = v.tag.toLowerCase();
    history.replaceState(null, '', '/teach/questions' + qs(v));
    clear(list, loading('Loading questions…'));
    count.textContent = '';
    let shown = 0;
    const render = async (after) => {
      const page = await api.get('/questions' + qs({ ...v, limit: 50, after }));
      if (mine !== token || !ctx.current()) return;
      shown += page.items.length;
      return page;
    };
    try {
      const first = await render();
      if (!first) return;
      clear(list);
      if (!first.items.length) {
        count.textContent = '';
        list.append(empty(v.deleted ? 'No deleted questions match these filters.' : 'No questions match these filters.',
          h('a', { href: '/teach/questions/new', class: 'btn' }, 'Write a question')));
        return;
      }
      const body = h('tbody', {});
      const tbl = h('div', { class: 'table-wrap' }, h('table', { class: 'q-table' },
        h('caption', { class: 'sr-only' }, 'Questions'),
        h('thead', {}, h('tr', {},
          ['Question', 'Type', 'Exam / domain', 'Difficulty', 'Status', 'Author'].map((t, i) =>
            h('th', { scope: 'col', class: i === 3 ? 'num' : (i >= 1 ? 'q-col-' + i : null) }, t)))),
        body));
      list.append(tbl);
      const add = (items) => { for (const q of items) body.append(row(q, ctx)); };
      add(first.items);
      const counter = () => { count.textContent = `${shown} question${shown === 1 ? '' : 's'} shown`; };
      counter();
      const more = (next) => moreButton(next, async (after) => {
        const page = await render(after);
        if (!page) return;
        add(page.items);
        counter();
        const m = more(page.next);
        if (m) list.append(m);
      });
      const m = more(first.next);
      if (m) list.append(m);
    } catch (e) {
      if (mine !== token) return;
      if (e instanceof ApiError && e.status === 422) {
        clear(list, errorBox(new Error(e.errors.map((x) => `${x.field}: ${x.message}`).join('; ') || e.message)));
      } else clear(list, errorBox(e, run));
    }
  }
  await run();
}

function row(q, ctx) {
  const mine = q.owner_id === ctx.user.id;
  return h('tr', {},
    h('td', { class: 'q-stem-cell' },
      h('a', { href: `/teach/questions/${q.id}` }, excerpt(q.stem) || '(no text)'),
      q.external_id ? h('div', { class: 'muted small' }, q.external_id) : null,
      q.deleted_at ? h('div', {}, badge('deleted', 'bad')) : null),
    h('td', { class: 'q-col-1' }, typeName(q.type)),
    h('td', { class: 'q-col-2' }, q.exam ? `${q.exam}${q.domain ? ' · ' + q.domain : ''}` : h('span', { class: 'muted' }, '—'),
      q.objectives?.length ? h('div', { class: 'muted small' }, q.objectives.join(', ')) : null),
    h('td', { class: 'num' }, String(q.difficulty ?? '')),
    h('td', { class: 'q-col-4' }, statusBadge(q.status)),
    h('td', { class: 'q-col-5' }, mine ? 'You' : h('span', { class: 'muted' }, 'Another instructor')));
}

// ---- the editor -------------------------------------------------------------

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
function freeKey(list, pool = LETTERS) {
  const used = new Set(list.map((o) => o.key));
  for (const c of pool) if (!used.has(c)) return c;
  for (let i = 1; ; i++) if (!used.has('K' + i)) return 'K' + i;
}
const DIGITS = Array.from({ length: 40 }, (_, i) => String(i + 1));

// The body of every type, so switching type keeps what was typed.
function modelFrom(q) {
  const b = q?.body || {};
  const m = {
    options: [
      { key: 'A', text: '', explanation: '', correct: false },
      { key: 'B', text: '', explanation: '', correct: false },
      { key: 'C', text: '', explanation: '', correct: false },
      { key: 'D', text: '', explanation: '', correct: false },
    ],
    tf: { correct: null, true: '', false: '' },
    answers: [{ text: '' }],
    numeric: [],
    case_sensitive: false,
    whitespace: 'collapse',
    pairs: [{ key: '1', left: '', right: '', explanation: '' }, { key: '2', left: '', right: '', explanation: '' }, { key: '3', left: '', right: '', explanation: '' }],
    items: [{ key: 'A', text: '' }, { key: 'B', text: '' }, { key: 'C', text: '' }],
  };
  if (!q) return m;
  const t = q.type;
  if (t === 'single_choice' || t === 'multiple_select') {
    m.options = (b.options || []).map((o) => ({ key: o.key, text: o.text || '', explanation: o.explanation || '', correct: !!o.correct }));
  } else if (t === 'true_false') {
    for (const o of b.options || []) {
      if (o.key === 'true' || o.key === 'false') { m.tf[o.key] = o.explanation || ''; if (o.correct) m.tf.correct = o.key; }
    }
  } else if (t === 'fill_blank') {
    // Part credit (from a GIFT import) has no field here: kept as it was.
    m.answers = (b.answers || []).map((a) => ({ text: a.text || '', credit: a.credit }));
    m.numeric = (b.numeric || []).map((n) => ({ value: String(n.value ?? ''), tolerance: String(n.tolerance ?? 0), credit: n.credit }));
    m.case_sensitive = !!b.case_sensitive;
    m.whitespace = b.whitespace || 'collapse';
  } else if (t === 'matching') {
    m.pairs = (b.pairs || []).map((p) => ({ key: p.key, left: p.left || '', right: p.right || '', explanation: p.explanation || '' }));
    m.distractors = b.distractors || []; // no field here: kept as they were
  } else if (t === 'ordering') {
    m.items = (b.items || []).map((i) => ({ key: i.key, text: i.text || '' }));
  }
  return m;
}

function bodyFor(type, m) {
  const num = (s) => (String(s).trim() === '' || isNaN(Number(s)) ? s : Number(s));
  switch (type) {
    case 'single_choice':
    case 'multiple_select':
      return { options: m.options.map((o) => ({ key: o.key, text: o.text.trim(), explanation: o.explanation.trim() || null, correct: !!o.correct })) };
    case 'true_false':
      return { options: ['true', 'false'].map((k) => ({ key: k, text: k === 'true' ? 'True' : 'False', explanation: m.tf[k].trim() || null, correct: m.tf.correct === k })) };
    case 'fill_blank':
      return {
        answers: m.answers.map((a) => ({ text: a.text.trim(), ...(a.credit != null ? { credit: a.credit } : {}) })),
        numeric: m.numeric.map((n) => ({ value: num(n.value), tolerance: String(n.tolerance).trim() === '' ? 0 : num(n.tolerance), ...(n.credit != null ? { credit: n.credit } : {}) })),
        case_sensitive: !!m.case_sensitive,
        whitespace: m.whitespace,
      };
    case 'matching':
      return { pairs: m.pairs.map((p) => ({ key: p.key, left: p.left.trim(), right: p.right.trim(), explanation: p.explanation.trim() || null })), ...(m.distractors?.length ? { distractors: m.distractors } : {}) };
    case 'ordering':
      return { items: m.items.map((i) => ({ key: i.key, text: i.text.trim() })) };
    default:
      return {};
  }
}

async function editor(ctx, id) {
  const exams = await loadExams();
  let q = null;
  let etag = null;
  if (id) {
    const res = await api.request('GET', `/questions/${encodeURIComponent(id)}`);
    q = res.data;
    etag = res.headers.get('ETag');
  }
  if (!ctx.current()) return;
  renderEditor(ctx, { exams, q, etag });
}

function renderEditor(ctx, { exams, q, etag }) {
  const isNew = !q;
  const canEdit = isNew || ctx.user.role === 'admin' || q.owner_id === ctx.user.id;
  const deleted = !!q?.deleted_at;
  const readOnly = !canEdit || deleted;
  const model = modelFrom(q);
  let type = q?.type || ctx.query.get('type') || 'single_choice';
  if (!TYPES.some(([k]) => k === type)) type = 'single_choice';

  const title = isNew ? 'New question' : (readOnly ? 'Question' : 'Edit question');
  ctx.title(isNew ? 'New question' : `Question ${q.external_id || ''}`.trim());

  // --- metadata fields
  const typeField = field({ label: 'Type', name: 'type', type: 'select', value: type, options: TYPES, required: true });
  const stemField = field({ label: 'Question', name: 'stem', type: 'textarea', rows: 5, value: q?.stem || '', required: true,
    hint: 'Plain text, up to 5,000 characters; line breaks are kept. For fill in the blank, write the sentence with a gap such as "____".' });
  const explField = field({ label: 'Explanation', name: 'explanation', type: 'textarea', rows: 4, value: q?.explanation || '',
    hint: 'Shown in the review after an answer: why the right answer is right.' });
  const examField = field({ label: 'Exam', name: 'exam', type: 'select', value: q?.exam || '', options: examOptions(exams) });
  const domainField = field({ label: 'Domain', name: 'domain', type: 'select', value: q?.domain || '', options: [['', 'From the first objective']],
    hint: 'Leave it to follow the first objective.' });
  const picker = objectivePicker({ hint: 'Up to 20. The first one sets the domain.' });
  picker.set(q?.objectives || []);
  const diffField = field({ label: 'Difficulty', name: 'difficulty', type: 'select', value: q?.difficulty ?? 3, options: DIFFICULTY });
  const tagsField = field({ label: 'Tags', name: 'tags', value: (q?.tags || []).join(', '), placeholder: 'ports, ssh',
    hint: 'Lowercase words joined by "-", separated by commas.' });
  const statusField = field({ label: 'Status', name: 'status', type: 'select', value: q?.status || 'draft',
    options: [['draft', 'Draft (not asked yet)'], ['active', 'Active (asked in assessments)'], ['retired', 'Retired (no longer asked)']] });
  const extField = field({ label: 'External id', name: 'external_id', value: q?.external_id || '',
    hint: 'Optional: letters, digits and . _ : - ; a re-import with the same id updates this question.' });
  const f = (wrap) => wrap.querySelector('input, select, textarea');

  const fillDomains = () => {
    const e = exams.find((x) => x.code === f(examField).value);
    const sel = f(domainField);
    const keep = sel.value;
    clear(sel, [['', 'From the first objective'], ...(e ? e.domains.map((d) => [d.code, `${d.code} ${d.name}`]) : [])]
      .map(([v, t]) => h('option', { value: v }, t)));
    sel.value = [...sel.options].some((o) => o.value === keep) ? keep : '';
    sel.disabled = readOnly || !e;
  };
  fillDomains();
  f(domainField).value = q?.domain && q?.objectives?.length && q.domain === q.objectives[0].split('.')[0] + '.0' ? '' : (q?.domain || '');
  picker.setExam(f(examField).value);
  f(examField).addEventListener('change', () => { fillDomains(); picker.clearAll(); picker.setExam(f(examField).value); });

  // --- the body editor
  const bodyBox = h('div', { class: 'q-body', 'data-field': 'body' }, h('p', { class: 'field-error' }));
  const bodySection = h('section', { class: 'card stack q-body-card', 'aria-labelledby': 'q-body-h' },
    h('h2', { id: 'q-body-h' }, 'Answers'), bodyBox);
  const renderBody = (focusSel) => {
    clear(bodyBox, h('p', { class: 'field-error', id: 'q-body-err' }), bodyEditor(type, model, renderBody, readOnly));
    if (focusSel) bodyBox.querySelector(focusSel)?.focus();
  };
  renderBody();
  f(typeField).addEventListener('change', () => {
    const next = f(typeField).value;
    if (next === 'single_choice' && type === 'multiple_select') {
      let seen = false;
      for (const o of model.options) { if (o.correct && !seen) seen = true; else o.correct = false; }
    }
    type = next;
    renderBody();
  });

  // --- the form
  const saveBtn = h('button', { type: 'submit', class: 'btn' }, isNew ? 'Create question' : 'Save changes');
  const meta = h('section', { class: 'card stack', 'aria-labelledby': 'q-meta-h' },
    h('h2', { id: 'q-meta-h' }, 'Classification'),
    h('div', { class: 'grid grid-2' }, examField, domainField),
    picker.el,
    h('div', { class: 'grid grid-3' }, diffField, statusField, tagsField),
    extField);
  const fields = h('fieldset', { class: 'q-form-fields', disabled: readOnly },
    h('legend', { class: 'sr-only' }, 'Question editor'),
    h('section', { class: 'card stack', 'aria-labelledby': 'q-main-h' },
      h('h2', { id: 'q-main-h' }, 'Question'),
      typeField, stemField),
    bodySection,
    h('section', { class: 'card stack', 'aria-labelledby': 'q-expl-h' },
      h('h2', { id: 'q-expl-h' }, 'Explanation'), explField),
    meta);
  const form = h('form', { class: 'stack q-editor', 'aria-label': title },
    fields,
    readOnly ? null : h('div', { class: 'row q-actions' }, saveBtn,
      h('a', { href: '/teach/questions', class: 'btn btn-ghost' }, 'Cancel')));

  const payload = () => ({
    type,
    stem: f(stemField).value.trim(),
    explanation: f(explField).value.trim() || null,
    external_id: f(extField).value.trim() || null,
    exam: f(examField).value || null,
    domain: f(domainField).value || null,
    objectives: picker.get(),
    difficulty: Number(f(diffField).value),
    tags: splitTags(f(tagsField).value),
    status: f(statusField).value,
    body: bodyFor(type, model),
  });

  // No option starts out correct: the server refuses a choice question
  // without one (with every other mistake at once), and the form says so
  // on the options in words of its own rather than silently making A the
  // answer.
  const missingAnswer = () => {
    const choice = type === 'single_choice' || type === 'multiple_select';
    if (choice ? model.options.some((o) => o.correct) : type !== 'true_false' || model.tf.correct) return null;
    return type === 'multiple_select' ? 'Tick at least one correct option.' : 'Choose the correct option.';
  };

  onSubmit(form, async () => {
    const noAnswer = missingAnswer();
    try {
      if (isNew) {
        const res = await api.request('POST', '/questions', { body: payload() });
        toast('Question created.', 'success');
        ctx.navigate(`/teach/questions/${res.data.id}`, { replace: true });
        return;
      }
      const res = await api.request('PATCH', `/questions/${q.id}`, { body: payload(), headers: etag ? { 'If-Match': etag } : {} });
      q = res.data;
      etag = res.headers.get('ETag') || etag;
      versionNote.textContent = versionText(q);
      clear(statusSlot, statusBadge(q.status));
      toast('Saved.', 'success');
    } catch (err) {
      if (noAnswer && err instanceof ApiError && err.status === 422) {
        err.errors = [...err.errors.filter((e) => e.field !== 'body.options'), { field: 'body.options', message: noAnswer }];
      }
      showErrors(form, err);
      if (err instanceof ApiError && err.status === 412) staleNotice(form, ctx);
      else if (err instanceof ApiError && err.status === 403) {
        toast('Only the author or an admin may change this question.', 'error');
      }
      if (err instanceof ApiError && err.status === 422) {
        const first = form.querySelector('[aria-invalid="true"]');
        first?.scrollIntoView?.({ block: 'center' });
        (first?.matches('input, select, textarea') ? first : first?.querySelector('input, select, textarea'))?.focus();
      }
    }
  });

  // --- header and notices
  const versionText = (d) => d ? `Version ${d.version} · updated ${fmt.ago(d.updated_at)}` : '';
  const versionNote = h('p', { class: 'muted small', 'aria-live': 'polite' }, versionText(q));
  const statusSlot = h('span', { 'data-testid': 'question-status' }, q ? statusBadge(q.status) : null);
  const actions = [];
  if (!isNew && canEdit && !deleted) {
    actions.push(button('Delete', async () => {
      const ok = await confirmDialog('Delete this question? Assessments stop asking it; you can restore it later.', { ok: 'Delete', danger: true });
      if (!ok) return;
      try {
        await api.del(`/questions/${q.id}`);
        toast('Question deleted.', 'success');
        reload(ctx, q.id);
      } catch (e) { toast(e.message, 'error'); }
    }, 'btn btn-danger', { 'data-testid': 'question-delete' }));
  }
  if (!isNew && canEdit && deleted) {
    actions.push(button('Restore', async () => {
      try {
        await api.post(`/questions/${q.id}/restore`);
        toast('Question restored.', 'success');
        reload(ctx, q.id);
      } catch (e) { toast(e.message, 'error'); }
    }, 'btn', { 'data-testid': 'question-restore' }));
  }
  if (!isNew) actions.push(h('a', { href: '/teach/questions/new', class: 'btn btn-secondary' }, 'New question'));

  const notices = [];
  if (deleted) notices.push(h('div', { class: 'q-notice q-notice-bad', role: 'status' }, `This question was deleted on ${fmt.datetime(q.deleted_at)}. Restore it to edit it or use it again.`));
  if (!canEdit) notices.push(h('div', { class: 'q-notice', role: 'status' }, 'Read only: only the question’s author or an admin may change it. You can still use it in your assessments.'));

  clear(ctx.main,
    h('p', { class: 'q-back' }, h('a', { href: '/teach/questions' }, '← Question bank')),
    pageHeader(title, ...actions),
    isNew ? null : h('div', { class: 'row q-meta-line' }, statusSlot, badge(typeName(q.type), 'accent'), versionNote),
    notices,
    form);
  if (isNew) f(stemField).focus();
}

function staleNotice(form, ctx) {
  const box = form.querySelector('.form-alert');
  if (!box) return;
  clear(box, h('p', {}, 'Someone changed this question since you opened it. Reload to see their version (your unsaved changes will be lost).'),
    h('div', { class: 'row' }, button('Reload', () => reload(ctx), 'btn btn-sm')));
}

async function reload(ctx) {
  clear(ctx.main, loading());
  try {
    await editor(ctx, ctx.params.id);
  } catch (e) {
    if (ctx.current()) clear(ctx.main, errorBox(e, () => reload(ctx)));
  }
}

// --- body editors by type ----------------------------------------------------

function moveButtons(list, i, rerender, what, prefix) {
  const move = (d) => {
    const j = i + d;
    [list[i], list[j]] = [list[j], list[i]];
    // Keep focus on the moved row's button (the other one at an end).
    const atEnd = d < 0 ? j === 0 : j === list.length - 1;
    const dir = (d < 0) !== atEnd ? 'up' : 'down';
    rerender(`[data-move="${prefix}-${j}-${dir}"]`);
  };
  return [
    button('↑', () => move(-1), 'btn btn-ghost btn-sm', { 'aria-label': `Move ${what} up`, disabled: i === 0, 'data-move': `${prefix}-${i}-up` }),
    button('↓', () => move(1), 'btn btn-ghost btn-sm', { 'aria-label': `Move ${what} down`, disabled: i === list.length - 1, 'data-move': `${prefix}-${i}-down` }),
  ];
}

function removeButton(list, i, min, rerender, what) {
  return button('Remove', () => { list.splice(i, 1); rerender('.q-add'); }, 'btn btn-ghost btn-sm q-remove',
    { 'aria-label': `Remove ${what}`, disabled: list.length <= min });
}

// A text input or textarea bound to obj[key], with its error slot and
// data-field path.
function bound(obj, key, { label, path, textarea = false, rows = 2, placeholder, type = 'text', attrs } = {}) {
  const wrap = field({ label, name: `f-${path}`, type: textarea ? 'textarea' : type, rows, value: obj[key], placeholder, attrs });
  wrap.dataset.field = path;
  const input = wrap.querySelector('input, textarea');
  input.addEventListener('input', () => { obj[key] = input.value; });
  return wrap;
}

function bodyEditor(type, m, rerender, readOnly) {
  switch (type) {
    case 'single_choice':
    case 'multiple_select':
      return choiceEditor(type, m, rerender, readOnly);
    case 'true_false':
      return trueFalseEditor(m);
    case 'fill_blank':
      return fillEditor(m, rerender, readOnly);
    case 'matching':
      return matchingEditor(m, rerender, readOnly);
    case 'ordering':
      return orderingEditor(m, rerender, readOnly);
    default:
      return null;
  }
}

function choiceEditor(type, m, rerender, readOnly) {
  const multi = type === 'multiple_select';
  const group = nextId('correct');
  const rows = m.options.map((o, i) => {
    const label = `Option ${i + 1}`;
    const cid = nextId('opt-correct');
    const correct = h('input', {
      type: multi ? 'checkbox' : 'radio', id: cid, name: multi ? null : group, checked: o.correct,
      onchange: (e) => {
        if (multi) o.correct = e.target.checked;
        else m.options.forEach((x) => { x.correct = x === o; });
      },
    });
    return h('li', { class: ['q-option', o.correct && 'is-correct'], 'data-field': `options[${i}]` },
      h('div', { class: 'q-option-head' },
        h('span', { class: 'q-option-key', 'aria-hidden': 'true' }, String(i + 1)),
        h('div', { class: 'q-correct' }, correct, h('label', { for: cid }, 'Correct')),
        readOnly ? null : h('div', { class: 'q-row-tools' },
          moveButtons(m.options, i, rerender, `option ${i + 1}`, 'opt'),
          removeButton(m.options, i, 2, rerender, `option ${i + 1}`))),
      h('p', { class: 'field-error' }),
      h('div', { class: 'q-option-fields' },
        bound(o, 'text', { label: `${label} text`, path: `options[${i}].text`, textarea: true, rows: 2 }),
        bound(o, 'explanation', { label: `${label} explanation`, path: `options[${i}].explanation`, textarea: true, rows: 2,
          placeholder: 'Optional: why it is right or wrong' })));
  });
  // Keep the highlight of correct options in step with the inputs.
  const list = h('ol', { class: 'q-options', onchange: () => {
    list.querySelectorAll('.q-option').forEach((li, i) => li.classList.toggle('is-correct', !!m.options[i]?.correct));
  } }, rows);
  return h('div', { class: 'stack' },
    h('p', { class: 'hint' }, multi
      ? 'Tick every correct option (at least one). 2 to 10 options.'
      : 'Choose the one correct option. 2 to 10 options.'),
    h('div', { 'data-field': 'options' }, h('p', { class: 'field-error' })),
    list,
    readOnly ? null : button('Add option', () => {
      m.options.push({ key: freeKey(m.options), text: '', explanation: '', correct: false });
      rerender(`[data-field="options[${m.options.length - 1}].text"] textarea`);
    }, 'btn btn-secondary btn-sm q-add', { disabled: m.options.length >= 10 }));
}

function trueFalseEditor(m) {
  const group = nextId('tf');
  const opt = (k, label) => {
    const id = nextId('tf-opt');
    return h('li', { class: ['q-option', m.tf.correct === k && 'is-correct'], 'data-field': `options[${k === 'true' ? 0 : 1}]` },
      h('div', { class: 'q-option-head' },
        h('div', { class: 'q-correct' },
          h('input', { type: 'radio', id, name: group, checked: m.tf.correct === k, onchange: () => { m.tf.correct = k; sync(); } }),
          h('label', { for: id }, `${label} is the right answer`))),
      h('p', { class: 'field-error' }),
      bound(m.tf, k, { label: `Explanation for “${label}”`, path: `options[${k === 'true' ? 0 : 1}].explanation`, textarea: true, rows: 2 }));
  };
  const list = h('ol', { class: 'q-options q-options-tf' }, opt('true', 'True'), opt('false', 'False'));
  const sync = () => list.querySelectorAll('.q-option').forEach((li, i) => li.classList.toggle('is-correct', m.tf.correct === (i ? 'false' : 'true')));
  return h('div', { class: 'stack' },
    h('p', { class: 'hint' }, 'The statement in the question is either true or false.'),
    h('div', { 'data-field': 'options' }, h('p', { class: 'field-error' })),
    list);
}

function fillEditor(m, rerender, readOnly) {
  const answers = m.answers.map((a, i) => h('li', { class: 'q-line', 'data-field': `answers[${i}]` },
    bound(a, 'text', { label: `Accepted answer ${i + 1}`, path: `answers[${i}].text` }),
    readOnly ? null : removeButton(m.answers, i, 0, rerender, `accepted answer ${i + 1}`)));
  const numeric = m.numeric.map((n, i) => h('li', { class: 'q-line', 'data-field': `numeric[${i}]` },
    h('p', { class: 'field-error q-line-error' }),
    bound(n, 'value', { label: `Number ${i + 1}`, path: `numeric[${i}].value`, type: 'number', attrs: { step: 'any' } }),
    bound(n, 'tolerance', { label: `Number ${i + 1} give or take`, path: `numeric[${i}].tolerance`, type: 'number', attrs: { step: 'any', min: 0 } }),
    readOnly ? null : removeButton(m.numeric, i, 0, rerender, `number ${i + 1}`)));
  const cs = nextId('cs');
  return h('div', { class: 'stack' },
    h('p', { class: 'hint' }, 'A learner’s answer is right when it matches one accepted answer, or a number within its range. Give at least one.'),
    h('div', { 'data-field': 'answers' }, h('p', { class: 'field-error' })),
    h('ol', { class: 'q-lines' }, answers),
    readOnly ? null : button('Add accepted answer', () => { m.answers.push({ text: '' }); rerender(`[data-field="answers[${m.answers.length - 1}].text"] input`); },
      'btn btn-secondary btn-sm q-add', { disabled: m.answers.length >= 20 }),
    h('div', { 'data-field': 'numeric' }, h('p', { class: 'field-error' })),
    numeric.length ? h('ol', { class: 'q-lines' }, numeric) : null,
    readOnly ? null : button('Add number range', () => { m.numeric.push({ value: '', tolerance: '0' }); rerender(`[data-field="numeric[${m.numeric.length - 1}].value"] input`); },
      'btn btn-secondary btn-sm', { disabled: m.numeric.length >= 20 }),
    h('div', { class: 'grid grid-2' },
      h('div', { class: 'field field-check', 'data-field': 'case_sensitive' },
        h('input', { type: 'checkbox', id: cs, checked: m.case_sensitive, onchange: (e) => { m.case_sensitive = e.target.checked; } }),
        h('label', { for: cs }, 'Case sensitive'),
        h('p', { class: 'hint' }, 'Off: “VLAN” and “vlan” both count.'),
        h('p', { class: 'field-error' })),
      (() => {
        const w = field({ label: 'Spaces', name: 'f-whitespace', type: 'select', value: m.whitespace,
          options: [['collapse', 'Trim, and count runs of spaces as one'], ['ignore', 'Ignore all spaces'], ['exact', 'Compare exactly']] });
        w.dataset.field = 'whitespace';
        w.querySelector('select').addEventListener('change', (e) => { m.whitespace = e.target.value; });
        return w;
      })()));
}

function matchingEditor(m, rerender, readOnly) {
  const rows = m.pairs.map((p, i) => h('li', { class: 'q-option', 'data-field': `pairs[${i}]` },
    h('div', { class: 'q-option-head' },
      h('span', { class: 'q-option-key', 'aria-hidden': 'true' }, String(i + 1)),
      h('span', { class: 'q-option-title' }, `Pair ${i + 1}`),
      readOnly ? null : h('div', { class: 'q-row-tools' },
        moveButtons(m.pairs, i, rerender, `pair ${i + 1}`, 'pair'),
        removeButton(m.pairs, i, 2, rerender, `pair ${i + 1}`))),
    h('p', { class: 'field-error' }),
    h('div', { class: 'q-pair' },
      bound(p, 'left', { label: `Pair ${i + 1} left`, path: `pairs[${i}].left`, placeholder: 'e.g. SSH' }),
      h('span', { class: 'q-arrow', 'aria-hidden': 'true' }, '→'),
      bound(p, 'right', { label: `Pair ${i + 1} right`, path: `pairs[${i}].right`, placeholder: 'e.g. 22' })),
    bound(p, 'explanation', { label: `Pair ${i + 1} explanation`, path: `pairs[${i}].explanation`, textarea: true, rows: 1 })));
  return h('div', { class: 'stack' },
    h('p', { class: 'hint' }, 'Each left item matches its right item. Learners see the right side shuffled. 2 to 12 pairs; the right texts must differ.'),
    h('div', { 'data-field': 'pairs' }, h('p', { class: 'field-error' })),
    h('ol', { class: 'q-options' }, rows),
    readOnly ? null : button('Add pair', () => {
      m.pairs.push({ key: freeKey(m.pairs, DIGITS), left: '', right: '', explanation: '' });
      rerender(`[data-field="pairs[${m.pairs.length - 1}].left"] input`);
    }, 'btn btn-secondary btn-sm q-add', { disabled: m.pairs.length >= 12 }));
}

function orderingEditor(m, rerender, readOnly) {
  const rows = m.items.map((it, i) => h('li', { class: 'q-line q-order', 'data-field': `items[${i}]` },
    h('span', { class: 'q-option-key', 'aria-hidden': 'true' }, String(i + 1)),
    bound(it, 'text', { label: `Step ${i + 1}`, path: `items[${i}].text` }),
    readOnly ? null : h('div', { class: 'q-row-tools' },
      moveButtons(m.items, i, rerender, `step ${i + 1}`, 'item'),
      removeButton(m.items, i, 2, rerender, `step ${i + 1}`))));
  return h('div', { class: 'stack' },
    h('p', { class: 'hint' }, 'List the items in the correct order; learners see them shuffled. 2 to 12 items.'),
    h('div', { 'data-field': 'items' }, h('p', { class: 'field-error' })),
    h('ol', { class: 'q-lines' }, rows),
    readOnly ? null : button('Add item', () => {
      m.items.push({ key: freeKey(m.items), text: '' });
      rerender(`[data-field="items[${m.items.length - 1}].text"] input`);
    }, 'btn btn-secondary btn-sm q-add', { disabled: m.items.length >= 12 }));
}
