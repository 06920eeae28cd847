// teach/courses.js - authoring courses.
//   /teach              the courses I may edit (status filter), courses I
//                       deleted lately (with Restore) and a "New course" form.
//   /teach/courses/:id  the course editor: details saved with If-Match,
//                       publish/unpublish, delete/restore, units and lessons
//                       (add, rename, delete, reorder, publish) and
//                       collaborators.
// It also exports the small helpers teach/lessons.js shares.
import { api, ApiError, qs, exams as examTracks } from '../../api.js';
import {
  h, clear, field, onSubmit, showErrors, clearErrors, loading, empty, errorBox,
  toast, confirmDialog, badge, fmt, moreButton, button,
} from '../../ui.js';
import { userPicker } from './pickers.js';

// ---- shared helpers -----------------------------------------------------

export const KINDS = [
  ['lesson', 'Lesson'], ['video', 'Video'], ['flashcards', 'Flashcards'], ['quiz', 'Quiz'],
  ['lab', 'Lab'], ['simulation', 'Simulation'], ['practice_exam', 'Practice exam'],
  ['study_guide', 'Study guide'],
];
export const DIFFICULTIES = [['beginner', 'Beginner'], ['intermediate', 'Intermediate'], ['advanced', 'Advanced']];
export const kindLabel = (k) => (KINDS.find(([v]) => v === k) || [k, k])[1];

export function statusBadge(status, deleted) {
  if (deleted) return badge('Deleted', 'bad');
  return status === 'published' ? badge('Published', 'ok') : badge('Draft', 'warn');
}

// "Network Plus, a1 " -> ["network-plus", "a1"]
export function parseTags(text) {
  return String(text || '').split(',').map((t) => t.trim().toLowerCase().replace(/\s+/g, '-'))
    .filter(Boolean);
}

// A tiny live region: announce('Moved up') for screen readers.
export function liveRegion() {
  const el = h('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  el.say = (text) => { el.textContent = ''; setTimeout(() => { el.textContent = text; }, 30); };
  return el;
}

// GET with its ETag: {data, etag}.
export async function getWithEtag(path) {
  const res = await api.request('GET', path);
  return { data: res.data, etag: res.headers.get('ETag') };
}

// A box saying the record changed elsewhere, with a Reload button.
export function conflictBox(what, reload) {
  return h('div', { class: 'tc-conflict', role: 'alert' },
    h('p', {}, h('strong', {}, `Someone else changed this ${what} since you opened it.`),
      ' Your change was not saved, so nothing of theirs was overwritten. Reload to see the latest version, then make your change again.'),
    button(`Reload the ${what}`, reload, 'btn btn-sm'));
}

const getExams = () => examTracks().catch(() => []);

// Courses and lessons this browser deleted lately, so they can be restored
// (the lists the API gives leave deleted ones out).  kind: course, lesson.
const deletedKey = (kind, user) => `ludus.teach.deleted.${kind}.${user?.id || 'me'}`;
export function deletedItems(kind, user) {
  try { return JSON.parse(localStorage.getItem(deletedKey(kind, user)) || '[]'); } catch { return []; }
}
export function rememberDeleted(kind, user, item, on) {
  const list = deletedItems(kind, user).filter((c) => c.id !== item.id);
  if (on) list.unshift({ id: item.id, title: item.title, course: item.course?.id || undefined });
  try { localStorage.setItem(deletedKey(kind, user), JSON.stringify(list.slice(0, 30))); } catch { /* private mode */ }
}
const deletedCourses = (user) => deletedItems('course', user);

// ---- the course fields (create and edit) ---------------------------------

function courseFields(exams, c = {}, { edit = false } = {}) {
  return [
    field({ label: 'Title', name: 'title', required: true, value: c.title, attrs: { maxlength: 200 } }),
    field({ label: 'Summary', name: 'summary', type: 'textarea', rows: 2, value: c.summary,
      hint: 'One or two sentences for the catalog (up to 500 characters).', attrs: { maxlength: 500 } }),
    field({ label: 'Description', name: 'description', type: 'textarea', rows: edit ? 8 : 4, value: c.description,
      hint: 'What learners will know by the end, and what they need before they start.' }),
    h('div', { class: 'grid grid-3' },
      field({ label: 'Exam', name: 'exam', type: 'select', value: c.exam?.code ?? c.exam ?? '',
        options: [['', 'No exam'], ...exams.map((e) => [e.code, `${e.name} (${e.exam_number})`])] }),
      field({ label: 'Difficulty', name: 'difficulty', type: 'select', value: c.difficulty || 'beginner', options: DIFFICULTIES }),
      field({ label: 'Language', name: 'language', value: c.language || 'en', hint: 'A code such as en or pt-BR.',
        attrs: { maxlength: 5, autocomplete: 'off' } })),
    field({ label: 'Tags', name: 'tags', value: (c.tags || []).join(', '), attrs: { autocomplete: 'off' },
      hint: 'Separated by commas, such as network-plus, subnetting.' }),
    field({ label: 'Address name (slug)', name: 'slug', value: c.slug, attrs: { maxlength: 80, autocomplete: 'off', spellcheck: 'false' },
      hint: edit ? 'Lowercase words joined by dashes, unique in your organization.'
        : 'Optional: lowercase words joined by dashes. Left empty, it is made from the title.' }),
  ];
}

// The request body from the form; in an edit, emptied fields are cleared.
function courseBody(form, { edit = false } = {}) {
  const f = form.elements;
  const text = (name) => { const v = f[name].value.trim(); return v === '' ? (edit ? null : undefined) : f[name].value; };
  const body = {
    title: f.title.value.trim(),
    summary: text('summary'),
    description: text('description'),
    exam: f.exam.value || (edit ? null : undefined),
    difficulty: f.difficulty.value,
    language: f.language.value.trim() || undefined,
    tags: parseTags(f.tags.value),
  };
  if (f.slug.value.trim()) body.slug = f.slug.value.trim();
  return body;
}

// ---- /teach -------------------------------------------------------------

function courseCard(c, exams) {
  const exam = exams.find((e) => e.code === c.exam);
  const meta = [
    exam ? exam.name : 'No exam',
    `${c.lessons} published lesson${c.lessons === 1 ? '' : 's'}`,
    c.estimated_minutes ? fmt.minutes(c.estimated_minutes * 60) : null,
    `created ${fmt.date(c.created_at)}`,
  ].filter(Boolean).join(' · ');
  return h('li', { class: 'card tc-course', dataset: { id: c.id } },
    h('div', { class: 'tc-course-head' },
      h('h2', { class: 'tc-course-title' }, h('a', { href: `/teach/courses/${c.id}` }, c.title)),
      statusBadge(c.status)),
    c.summary ? h('p', { class: 'muted small tc-clamp' }, c.summary) : h('p', { class: 'muted small' }, 'No summary yet.'),
    h('p', { class: 'small muted' }, meta),
    h('div', { class: 'row tc-course-actions' },
      h('a', { class: 'btn btn-sm', href: `/teach/courses/${c.id}`, 'aria-label': `Edit ${c.title}` }, 'Edit'),
      h('a', { class: 'btn btn-sm btn-secondary', href: `/courses/${c.id}`, 'aria-label': `View ${c.title} as a learner` }, 'View as learner')));
}

function newCourseForm(ctx, exams) {
  const form = h('form', { class: 'stack', 'aria-label': 'New course', id: 'new-course-form' },
    courseFields(exams),
    h('div', { class: 'row' },
      h('button', { type: 'submit', class: 'btn' }, 'Create course'),
      h('span', { class: 'muted small' }, 'It starts as a draft: only you see it until you publish it.')));
  onSubmit(form, async () => {
    const course = await api.post('/courses', courseBody(form));
    toast(`“${course.title}” is created. Add its units and lessons.`, 'success');
    ctx.navigate(`/teach/courses/${course.id}`);
  });
  return form;
}

async function listCourses(el, countEl, status, exam, exams) {
  const ul = h('ul', { class: 'tc-courses', 'aria-label': 'Courses' });
  let shown = 0;
  const page = async (after) => {
    const d = await api.get('/courses' + qs({ status, exam, after, limit: 50 }));
    const mine = (d.items || []).filter((c) => c.can_edit);
    shown += mine.length;
    ul.append(...mine.map((c) => courseCard(c, exams)));
    countEl.textContent = `${shown} course${shown === 1 ? '' : 's'}${d.next ? ' so far' : ''}`;
    const more = moreButton(d.next, page);
    if (more) el.append(more);
    return d;
  };
  clear(el, loading('Loading your courses…'));
  try {
    await page(null);
    if (!shown) {
      const what = { draft: 'draft courses', published: 'published courses' }[status] || 'courses';
      const examName = exams.find((e) => e.code === exam)?.name;
      clear(el, empty(`You have no ${what}${examName ? ` for ${examName}` : ''} yet.`,
        status === 'all' && !exam ? h('p', {}, 'Create your first course with the form above.') : null));
      countEl.textContent = 'No courses';
      return;
    }
    el.prepend(ul);
    el.querySelector('.state-loading')?.remove();
  } catch (err) {
    clear(el, errorBox(err, () => listCourses(el, countEl, status, exam, exams)));
  }
}

async function recentlyDeleted(ctx, el) {
  const list = deletedCourses(ctx.user);
  if (!list.length) { clear(el); return; }
  const rows = [];
  for (const item of list) {
    try {
      const c = await api.get(`/courses/${item.id}`);
      if (c.deleted_at && c.can_edit) rows.push(c); else rememberDeleted('course', ctx.user, item, false);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 403)) rememberDeleted('course', ctx.user, item, false);
    }
  }
  if (!ctx.current()) return;
  if (!rows.length) { clear(el); return; }
  clear(el, h('section', { class: 'section', 'aria-labelledby': 'tc-deleted-h' },
    h('h2', { id: 'tc-deleted-h' }, 'Recently deleted'),
    h('p', { class: 'muted small' }, 'Courses you deleted in this browser. Learners no longer see them; restore one to bring it back as it was.'),
    h('ul', { class: 'tc-deleted' }, rows.map((c) => h('li', { class: 'row between' },
      h('span', {}, h('a', { href: `/teach/courses/${c.id}` }, c.title), ' ', statusBadge(c.status, true),
        h('span', { class: 'muted small' }, ` deleted ${fmt.ago(c.deleted_at)}`)),
      button('Restore', async (ev) => {
        ev.target.disabled = true;
        try {
          await api.post(`/courses/${c.id}/restore`);
          rememberDeleted('course', ctx.user, c, false);
          toast(`“${c.title}” is restored.`, 'success');
          ctx.navigate('/teach', { replace: true });
        } catch (e) { ev.target.disabled = false; toast(e.message, 'error'); }
      }, 'btn btn-sm btn-secondary', { 'aria-label': `Restore ${c.title}` }))))));
}

async function listPage(ctx) {
  ctx.title('My courses');
  const exams = await getExams();
  if (!ctx.current()) return;
  let status = ['draft', 'published', 'all'].includes(ctx.query.get('status')) ? ctx.query.get('status') : 'all';
  let exam = exams.some((e) => e.code === ctx.query.get('exam')) ? ctx.query.get('exam') : '';

  const formCard = h('section', { class: 'card tc-new', 'aria-labelledby': 'tc-new-h', hidden: true },
    h('div', { class: 'row between' }, h('h2', { id: 'tc-new-h' }, 'New course'),
      button('Cancel', () => toggleForm(false), 'btn btn-ghost btn-sm')),
    newCourseForm(ctx, exams));
  const newBtn = button('New course', () => toggleForm(formCard.hidden), 'btn', { 'aria-expanded': 'false', 'aria-controls': 'tc-new-card', id: 'tc-new-btn' });
  formCard.id = 'tc-new-card';
  function toggleForm(open) {
    formCard.hidden = !open;
    newBtn.setAttribute('aria-expanded', String(open));
    if (open) formCard.querySelector('input[name=title]').focus(); else newBtn.focus();
  }

  const listEl = h('div', { class: 'tc-list' });
  const countEl = h('p', { class: 'muted small', role: 'status', 'aria-live': 'polite' });
  const reload = () => {
    history.replaceState(null, '', '/teach' + qs({ status: status === 'all' ? '' : status, exam }));
    listCourses(listEl, countEl, status, exam, exams);
  };
  const statusSel = field({ label: 'Status', name: 'status', type: 'select', value: status,
    options: [['all', 'All'], ['draft', 'Drafts'], ['published', 'Published']] });
  statusSel.querySelector('select').addEventListener('change', (e) => { status = e.target.value; reload(); });
  const examSel = field({ label: 'Exam', name: 'exam', type: 'select', value: exam,
    options: [['', 'Any exam'], ...exams.map((e) => [e.code, e.name])] });
  examSel.querySelector('select').addEventListener('change', (e) => { exam = e.target.value; reload(); });
  const deletedEl = h('div');

  clear(ctx.main,
    h('div', { class: 'page-header' },
      h('div', {}, h('h1', {}, 'My courses'),
        h('p', { class: 'muted tc-sub' }, ctx.user?.role === 'admin'
          ? 'Every course of your organization: as an admin you may edit them all.'
          : 'Courses you own or help with as a collaborator.')),
      h('div', { class: 'page-actions' }, newBtn)),
    formCard,
    h('div', { class: 'filters tc-filters', role: 'group', 'aria-label': 'Filter courses' }, statusSel, examSel, countEl),
    listEl,
    deletedEl);
  listCourses(listEl, countEl, status, exam, exams).then(() => {
    // Someone with nothing yet starts with the form open.
    if (ctx.current() && status === 'all' && !exam && !listEl.querySelector('.tc-course')) toggleForm(true);
  });
  recentlyDeleted(ctx, deletedEl);
}

// ---- /teach/courses/:id -------------------------------------------------

const DETAIL_KEYS = ['title', 'summary', 'description', 'difficulty', 'language', 'slug'];
const detailsOf = (c) => JSON.stringify([...DETAIL_KEYS.map((k) => c[k] ?? null), c.exam?.code ?? null, c.tags || []]);

async function editorPage(ctx) {
  const id = ctx.params.id;
  const [first, exams] = await Promise.all([getWithEtag(`/courses/${id}`), getExams()]);
  if (!ctx.current()) return;
  if (!first.data.can_edit) {
    clear(ctx.main, h('div', { class: 'state state-error' }, h('h1', {}, first.data.title),
      h('p', {}, 'Only an admin, the course’s owner or a collaborator may change this course.'),
      h('a', { class: 'btn', href: `/courses/${id}` }, 'View it as a learner')));
    return;
  }
  const ed = new CourseEditor(ctx, id, exams, first);
  ed.render();
}

class CourseEditor {
  constructor(ctx, id, exams, { data, etag }) {
    this.ctx = ctx;
    this.id = id;
    this.exams = exams;
    this.course = data;
    this.etag = etag;         // the version the details form was read at
    this.baseline = detailsOf(data);
    this.live = liveRegion();
    this.focusKey = null;
    this.renaming = null;     // the unit whose rename form is open
    this.headEl = h('div');
    this.bannerEl = h('div');
    this.outlineEl = h('div', { class: 'tc-outline' });
    this.goneEl = h('div');
    this.detailsEl = h('div');
    this.peopleEl = h('div');
  }

  render() {
    const { ctx } = this;
    clear(ctx.main,
      h('nav', { class: 'tc-crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '/teach' }, '← My courses')),
      this.headEl, this.bannerEl,
      h('div', { class: 'tc-editor' },
        h('section', { class: 'tc-col-main', 'aria-labelledby': 'tc-outline-h' },
          h('div', { class: 'row between tc-section-head' }, h('h2', { id: 'tc-outline-h' }, 'Units and lessons'),
            h('span', { class: 'muted small', id: 'tc-outline-count' })),
          this.outlineEl, this.goneEl),
        h('div', { class: 'tc-col-side' },
          h('section', { class: 'card', 'aria-labelledby': 'tc-details-h' }, h('h2', { id: 'tc-details-h' }, 'Course details'), this.detailsEl),
          h('section', { class: 'card', 'aria-labelledby': 'tc-people-h' }, h('h2', { id: 'tc-people-h' }, 'Collaborators'), this.peopleEl))),
      this.live);
    this.renderHead();
    this.renderOutline();
    this.renderDetails();
    this.renderPeople();
    this.renderDeletedLessons();
    ctx.title(`Edit: ${this.course.title}`);
    const onUnload = (e) => { if (this.detailsDirty) { e.preventDefault(); e.returnValue = ''; } };
    window.addEventListener('beforeunload', onUnload);
    ctx.onLeave(() => window.removeEventListener('beforeunload', onUnload));
  }

  // Lessons deleted from this browser, still in a live unit: restorable.
  async renderDeletedLessons() {
    const { user } = this.ctx;
    const mine = deletedItems('lesson', user).filter((l) => l.course === this.id);
    const rows = [];
    for (const item of mine) {
      try {
        const l = await api.get(`/lessons/${item.id}`);
        if (l.deleted_at) rows.push(l); else rememberDeleted('lesson', user, item, false);
      } catch (e) {
        if (e instanceof ApiError && (e.status === 404 || e.status === 403)) rememberDeleted('lesson', user, item, false);
      }
    }
    if (!this.ctx.current()) return;
    const units = new Set(this.course.units.map((u) => u.id));
    const live = rows.filter((l) => units.has(l.unit_id));
    if (!live.length) { clear(this.goneEl); return; }
    clear(this.goneEl, h('section', { class: 'card tc-gone', 'aria-labelledby': 'tc-gone-h' },
      h('h3', { id: 'tc-gone-h' }, 'Deleted lessons'),
      h('p', { class: 'muted small' }, 'Lessons of this course you deleted lately. Restoring one puts it back in its unit.'),
      h('ul', { class: 'tc-deleted' }, live.map((l) => h('li', { class: 'row between' },
        h('span', {}, h('a', { href: `/teach/lessons/${l.id}` }, l.title), ' ',
          h('span', { class: 'muted small' }, `deleted ${fmt.ago(l.deleted_at)}`)),
        button('Restore', async (ev) => {
          ev.target.disabled = true;
          try {
            await api.post(`/lessons/${l.id}/restore`);
            rememberDeleted('lesson', user, l, false);
            toast(`“${l.title}” is restored.`, 'success');
            await this.refresh();
            this.renderDeletedLessons();
          } catch (e) { ev.target.disabled = false; toast(e.message, 'error'); }
        }, 'btn btn-sm btn-secondary', { 'aria-label': `Restore ${l.title}` }))))));
  }

  // A course answered by a write or a GET: the outline follows it; the
  // details form's version moves on only if its fields are unchanged,
  // so that a change made elsewhere still ends in a 412.
  take(data, etag) {
    this.course = data;
    if (etag && detailsOf(data) === this.baseline) this.etag = etag;
    this.renderHead();
    this.renderOutline();
  }

  async refresh() {
    const { data, etag } = await getWithEtag(`/courses/${this.id}`);
    if (this.ctx.current()) this.take(data, etag);
  }

  // Runs a write that answers the course; announces what happened.
  async write(fn, { say, focus, after } = {}) {
    try {
      const res = await fn();
      if (!this.ctx.current()) return;
      this.focusKey = focus || null;
      if (res && res.data && res.data.units) this.take(res.data, res.headers.get('ETag'));
      else await this.refresh();
      if (after) after(res);
      if (say) this.live.say(say);
    } catch (e) {
      toast(e.message, 'error');
      if (e instanceof ApiError && (e.status === 422 || e.status === 404)) this.refresh().catch(() => {});
      throw e;
    }
  }

  renderHead() {
    const c = this.course;
    const deleted = !!c.deleted_at;
    const lessons = c.units.flatMap((u) => u.lessons);
    const publish = deleted ? null : c.status === 'published'
      ? button('Unpublish', () => this.setStatus('unpublish'), 'btn btn-secondary', { id: 'tc-unpublish' })
      : button('Publish', () => this.setStatus('publish', lessons), 'btn', { id: 'tc-publish' });
    clear(this.headEl, h('div', { class: 'page-header tc-head' },
      h('div', { class: 'tc-head-text' },
        h('h1', {}, c.title),
        h('p', { class: 'row tc-head-meta' }, statusBadge(c.status, deleted),
          c.exam ? badge(c.exam.name, 'accent') : null,
          h('span', { class: 'muted small' }, `Owner ${c.owner?.username || '—'} · version ${c.version} · updated ${fmt.ago(c.updated_at)}`))),
      h('div', { class: 'page-actions' },
        h('a', { class: 'btn btn-secondary', href: `/courses/${c.id}` }, 'View as learner'),
        publish,
        deleted ? button('Restore', () => this.restore(), 'btn', { id: 'tc-restore' })
          : button('Delete', () => this.remove(), 'btn btn-danger', { id: 'tc-delete' }))));
    clear(this.bannerEl, deleted
      ? h('div', { class: 'tc-banner tc-banner-bad', role: 'status' },
        h('p', {}, h('strong', {}, 'This course is deleted. '), 'Learners cannot see it, and it cannot be changed until you restore it.'))
      : c.status !== 'published'
        ? h('div', { class: 'tc-banner', role: 'note' },
          h('p', {}, h('strong', {}, 'Draft. '), 'Only editors see this course. Publish it, and the lessons you want learners to see, when it is ready.'))
        : null);
    this.ctx.title(`Edit: ${c.title}`);
  }

  async setStatus(action, lessons = []) {
    if (action === 'publish' && !lessons.some((l) => l.status === 'published')) {
      const go = await confirmDialog('No lesson of this course is published yet, so learners will see an empty course. Publish the course anyway?',
        { ok: 'Publish anyway' });
      if (!go) return;
    }
    try {
      await this.write(() => api.request('POST', `/courses/${this.id}/${action}`),
        { say: action === 'publish' ? 'The course is published.' : 'The course is a draft again.' });
    } catch { return; }
    toast(action === 'publish' ? 'The course is published: learners can find it in the catalog.' : 'The course is a draft again: learners no longer see it.', 'success');
    document.getElementById(action === 'publish' ? 'tc-unpublish' : 'tc-publish')?.focus();
  }

  async remove() {
    const c = this.course;
    const ok = await confirmDialog(`Delete “${c.title}”? Learners will no longer see it. You can restore it from this page or from My courses.`,
      { ok: 'Delete course', danger: true });
    if (!ok) return;
    try {
      await this.write(() => api.request('DELETE', `/courses/${this.id}`), { say: 'The course is deleted.' });
      rememberDeleted('course', this.ctx.user, c, true);
      toast(`“${c.title}” is deleted.`, 'success');
      document.getElementById('tc-restore')?.focus();
      this.renderDetails();
    } catch { /* told already */ }
  }

  async restore() {
    try {
      await this.write(() => api.request('POST', `/courses/${this.id}/restore`), { say: 'The course is restored.' });
      rememberDeleted('course', this.ctx.user, this.course, false);
      toast(`“${this.course.title}” is restored.`, 'success');
      document.getElementById('tc-delete')?.focus();
      this.renderDetails();
    } catch { /* told already */ }
  }

  // ---- outline ----

  renderOutline() {
    const units = this.course.units;
    const deleted = !!this.course.deleted_at;
    const nLessons = units.reduce((n, u) => n + u.lessons.length, 0);
    const drafts = units.flatMap((u) => u.lessons).filter((l) => l.status !== 'published');
    const count = document.getElementById('tc-outline-count');
    if (count) count.textContent = `${units.length} unit${units.length === 1 ? '' : 's'} · ${nLessons} lesson${nLessons === 1 ? '' : 's'}`;
    clear(this.outlineEl,
      drafts.length && !deleted ? h('div', { class: 'tc-drafts row between' },
        h('span', { class: 'small' }, `${drafts.length} lesson${drafts.length === 1 ? ' is a draft' : 's are drafts'}: learners do not see ${drafts.length === 1 ? 'it' : 'them'}.`),
        button('Publish all lessons', () => this.publishAll(drafts), 'btn btn-sm btn-secondary', { id: 'tc-publish-all' })) : null,
      units.length ? h('ol', { class: 'tc-units' }, units.map((u, i) => this.unitItem(u, i, units.length, deleted)))
        : empty('No units yet. A unit groups lessons, such as one exam domain: add the first one below.'),
      deleted ? null : this.addUnitForm());
    this.restoreFocus();
  }

  restoreFocus() {
    if (!this.focusKey) return;
    const key = this.focusKey;
    this.focusKey = null;
    let el = this.outlineEl.querySelector(`[data-focus="${CSS.escape(key)}"]`);
    if (el && el.disabled) {
      // Moved to an end: the other arrow of the same item.
      const other = key.includes('-up-') ? key.replace('-up-', '-down-') : key.replace('-down-', '-up-');
      el = this.outlineEl.querySelector(`[data-focus="${CSS.escape(other)}"]`) || el;
    }
    el?.focus();
  }

  unitItem(u, i, n, deleted) {
    const hid = `tc-unit-${u.id}`;
    const renaming = this.renaming === u.id;
    const tools = deleted ? null : h('div', { class: 'tc-tools', role: 'group', 'aria-label': `Unit ${i + 1} actions` },
      this.arrow('up', `unit-up-${u.id}`, `Move up: ${u.title}`, i === 0, () => this.moveUnit(i, -1)),
      this.arrow('down', `unit-down-${u.id}`, `Move down: ${u.title}`, i === n - 1, () => this.moveUnit(i, 1)),
      button('Rename', () => { this.renaming = u.id; this.focusKey = `rename-title-${u.id}`; this.renderOutline(); },
        'btn btn-ghost btn-sm', { 'aria-label': `Rename: ${u.title}`, dataset: { focus: `rename-${u.id}` } }),
      button('Delete', () => this.deleteUnit(u), 'btn btn-ghost btn-sm tc-danger-text', { 'aria-label': `Delete: ${u.title}` }));
    return h('li', { class: 'card tc-unit', dataset: { id: u.id } },
      h('section', { 'aria-labelledby': hid },
        h('div', { class: 'tc-unit-head' },
          h('div', { class: 'tc-unit-title' },
            h('span', { class: 'tc-unit-no' }, `Unit ${i + 1}`),
            h('h3', { id: hid }, u.title),
            u.summary ? h('p', { class: 'muted small' }, u.summary) : null),
          renaming ? null : tools),
        renaming ? this.renameForm(u) : null,
        u.lessons.length
          ? h('ol', { class: 'tc-lessons' }, u.lessons.map((l, j) => this.lessonItem(u, l, j, u.lessons.length, deleted)))
          : h('p', { class: 'muted small tc-none' }, 'No lessons in this unit yet.'),
        deleted ? null : this.addLessonForm(u)));
  }

  arrow(dir, key, label, disabled, onclick) {
    return button(h('span', { 'aria-hidden': 'true' }, dir === 'up' ? '↑' : '↓'), onclick, 'btn btn-ghost btn-sm tc-arrow',
      { 'aria-label': label, title: dir === 'up' ? 'Move up' : 'Move down', disabled, dataset: { focus: key } });
  }

  lessonItem(u, l, j, n, deleted) {
    const pub = l.status === 'published';
    return h('li', { class: 'tc-lesson', dataset: { id: l.id } },
      h('div', { class: 'tc-lesson-main' },
        h('span', { class: 'tc-lesson-no', 'aria-hidden': 'true' }, `${j + 1}.`),
        h('a', { href: `/teach/lessons/${l.id}`, class: 'tc-lesson-link' }, l.title),
        h('span', { class: 'tc-lesson-meta' },
          statusBadge(l.status), ' ', badge(kindLabel(l.kind)),
          h('span', { class: 'muted small' }, ` ${l.estimated_minutes} min`))),
      deleted ? null : h('div', { class: 'tc-tools', role: 'group', 'aria-label': `Actions for ${l.title}` },
        this.arrow('up', `lesson-up-${l.id}`, `Move up: ${l.title}`, j === 0, () => this.moveLesson(u, j, -1)),
        this.arrow('down', `lesson-down-${l.id}`, `Move down: ${l.title}`, j === n - 1, () => this.moveLesson(u, j, 1)),
        button(pub ? 'Unpublish' : 'Publish', () => this.lessonStatus(l, pub ? 'unpublish' : 'publish'),
          'btn btn-ghost btn-sm', { 'aria-label': `${pub ? 'Unpublish' : 'Publish'}: ${l.title}`, dataset: { focus: `lesson-pub-${l.id}` } }),
        h('a', { href: `/teach/lessons/${l.id}`, class: 'btn btn-secondary btn-sm', 'aria-label': `Edit: ${l.title}` }, 'Edit')));
  }

  renameForm(u) {
    const form = h('form', { class: 'tc-rename stack', 'aria-label': `Rename ${u.title}` },
      field({ label: 'Unit title', name: 'title', required: true, value: u.title, attrs: { maxlength: 200, dataset: { focus: `rename-title-${u.id}` } } }),
      field({ label: 'Unit summary', name: 'summary', type: 'textarea', rows: 2, value: u.summary, attrs: { maxlength: 500 } }),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn btn-sm' }, 'Save unit'),
        button('Cancel', () => { this.renaming = null; this.focusKey = `rename-${u.id}`; this.renderOutline(); }, 'btn btn-ghost btn-sm')));
    onSubmit(form, async () => {
      const f = form.elements;
      const body = { title: f.title.value.trim(), summary: f.summary.value.trim() ? f.summary.value : null };
      const res = await api.request('PATCH', `/units/${u.id}`, { body });
      this.renaming = null;
      this.focusKey = `rename-${u.id}`;
      this.take(res.data, res.headers.get('ETag'));
      this.live.say(`Unit renamed to ${body.title}.`);
    });
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { this.renaming = null; this.focusKey = `rename-${u.id}`; this.renderOutline(); }
    });
    return form;
  }

  addUnitForm() {
    const form = h('form', { class: 'tc-add tc-add-unit card', 'aria-label': 'Add a unit' },
      field({ label: 'New unit title', name: 'title', required: true, placeholder: 'e.g. 1.0 Networking Concepts',
        attrs: { maxlength: 200, autocomplete: 'off', dataset: { focus: 'add-unit' } } }),
      h('button', { type: 'submit', class: 'btn' }, 'Add unit'));
    onSubmit(form, async () => {
      const title = form.elements.title.value.trim();
      const res = await api.request('POST', `/courses/${this.id}/units`, { body: { title } });
      this.focusKey = 'add-unit';
      this.take(res.data, res.headers.get('ETag'));
      this.live.say(`Unit ${title} added.`);
      toast(`Unit “${title}” added.`, 'success');
    });
    return form;
  }

  addLessonForm(u) {
    const form = h('form', { class: 'tc-add tc-add-lesson', 'aria-label': `Add a lesson to ${u.title}` },
      field({ label: 'New lesson title', name: 'title', required: true, attrs: { maxlength: 200, autocomplete: 'off', dataset: { focus: `add-lesson-${u.id}` } } }),
      field({ label: 'Kind', name: 'kind', type: 'select', value: 'lesson', options: KINDS }),
      h('button', { type: 'submit', class: 'btn btn-secondary' }, 'Add lesson'));
    onSubmit(form, async () => {
      const f = form.elements;
      const lesson = await api.post(`/units/${u.id}/lessons`, { title: f.title.value.trim(), kind: f.kind.value });
      this.focusKey = `add-lesson-${u.id}`;
      await this.refresh();
      this.live.say(`Lesson ${lesson.title} added to ${u.title}.`);
      toast(`Lesson “${lesson.title}” added. Open it to write its content.`, 'success');
    });
    return form;
  }

  async moveUnit(i, dir) {
    const units = this.course.units;
    const ids = units.map((u) => u.id);
    [ids[i], ids[i + dir]] = [ids[i + dir], ids[i]];
    const u = units[i];
    await this.write(() => api.request('PUT', `/courses/${this.id}/units/order`, { body: { ids } }),
      { focus: `unit-${dir < 0 ? 'up' : 'down'}-${u.id}`, say: `${u.title} moved to position ${i + dir + 1} of ${ids.length}.` }).catch(() => {});
  }

  async moveLesson(u, j, dir) {
    const ids = u.lessons.map((l) => l.id);
    [ids[j], ids[j + dir]] = [ids[j + dir], ids[j]];
    const l = u.lessons[j];
    await this.write(() => api.request('PUT', `/units/${u.id}/lessons/order`, { body: { ids } }),
      { focus: `lesson-${dir < 0 ? 'up' : 'down'}-${l.id}`, say: `${l.title} moved to position ${j + dir + 1} of ${ids.length}.` }).catch(() => {});
  }

  async deleteUnit(u) {
    const n = u.lessons.length;
    const ok = await confirmDialog(n
      ? `Delete the unit “${u.title}” and its ${n} lesson${n === 1 ? '' : 's'}? Learners will no longer see them, and a deleted unit cannot be brought back from here.`
      : `Delete the empty unit “${u.title}”?`, { ok: 'Delete unit', danger: true });
    if (!ok) return;
    await this.write(() => api.request('DELETE', `/units/${u.id}`), { focus: 'add-unit', say: `Unit ${u.title} deleted.` })
      .then(() => toast(`Unit “${u.title}” deleted.`, 'success')).catch(() => {});
  }

  async lessonStatus(l, action) {
    await this.write(() => api.request('POST', `/lessons/${l.id}/${action}`),
      { focus: `lesson-pub-${l.id}`, say: `${l.title} is ${action === 'publish' ? 'published' : 'a draft again'}.` }).catch(() => {});
  }

  async publishAll(drafts) {
    const btn = document.getElementById('tc-publish-all');
    if (btn) { btn.disabled = true; btn.setAttribute('aria-busy', 'true'); }
    let done = 0;
    try {
      for (const l of drafts) { await api.post(`/lessons/${l.id}/publish`); done++; }
      toast(`${done} lesson${done === 1 ? '' : 's'} published.`, 'success');
    } catch (e) {
      toast(`${done} published; then: ${e.message}`, 'error');
    }
    if (this.ctx.current()) await this.refresh().catch(() => {});
  }

  // ---- details ----

  renderDetails() {
    const c = this.course;
    const conflict = h('div');
    const saved = h('p', { class: 'muted small', role: 'status', 'aria-live': 'polite' });
    const form = h('form', { class: 'stack', 'aria-label': 'Course details', id: 'tc-details-form' },
      h('fieldset', { class: 'tc-plain', disabled: !!c.deleted_at },
        h('legend', { class: 'sr-only' }, 'Course details'),
        h('div', { class: 'stack' }, courseFields(this.exams, c, { edit: true }))),
      conflict,
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn', disabled: !!c.deleted_at }, 'Save details'), saved));
    onSubmit(form, async () => {
      clear(conflict);
      try {
        const res = await api.request('PATCH', `/courses/${this.id}`, { body: courseBody(form, { edit: true }), headers: this.etag ? { 'If-Match': this.etag } : {} });
        this.baseline = detailsOf(res.data);
        this.etag = res.headers.get('ETag');
        this.detailsDirty = false;
        this.take(res.data, this.etag);
        saved.textContent = 'Saved.';
        toast('Course details saved.', 'success');
      } catch (e) {
        if (e instanceof ApiError && e.status === 412) {
          clear(conflict, conflictBox('course', () => this.reloadAll()));
          conflict.querySelector('button').focus();
          return;
        }
        throw e;
      }
    });
    form.addEventListener('input', () => { saved.textContent = 'Unsaved changes.'; this.detailsDirty = true; });
    this.detailsDirty = false;
    clear(this.detailsEl, form);
  }

  async reloadAll() {
    const { data, etag } = await getWithEtag(`/courses/${this.id}`);
    if (!this.ctx.current()) return;
    this.course = data;
    this.etag = etag;
    this.baseline = detailsOf(data);
    this.renderHead();
    this.renderOutline();
    this.renderDetails();
    toast('Reloaded the latest version.', 'info');
  }

  // ---- collaborators ----

  async renderPeople() {
    const hint = h('p', { class: 'muted small' }, 'Editors change this course, its units and lessons, as you can. Reviewers read all of it, drafts too, answer its reviews, decide suggested edits and moderate its forum, but change nothing.');
    const people = this.course.collaborators || [];
    const list = people.length
      ? h('ul', { class: 'plain-list', 'aria-label': 'Collaborators', 'data-testid': 'collaborators' }, people.map((p) =>
        h('li', {}, p.display_name || p.username, ' ', h('span', { class: 'muted small' }, `@${p.username}`), ' ',
          badge(p.role === 'reviewer' ? 'Reviewer' : 'Editor', p.role === 'reviewer' ? '' : 'accent'))))
      : h('p', { class: 'muted small' }, 'No collaborators yet.');
    const picker = userPicker({ label: 'Instructor', name: 'user_id', staff: true,
      hint: 'Type two letters or more of the name, username or email of an instructor or admin of your organization.',
      exclude: () => [this.course.owner?.id, this.ctx.user?.id].filter(Boolean) });
    const role = field({ label: 'Role', name: 'role', type: 'select', value: 'editor',
      options: [['editor', 'Editor: changes the course'], ['reviewer', 'Reviewer: reads and reviews']] });
    let action = 'add';
    const form = h('form', { class: 'stack', 'aria-label': 'Add or remove a collaborator' }, picker, role,
      h('div', { class: 'row' },
        h('button', { type: 'submit', class: 'btn btn-secondary btn-sm', onclick: () => { action = 'add'; } }, 'Add or change role'),
        h('button', { type: 'submit', class: 'btn btn-ghost btn-sm', onclick: () => { action = 'remove'; } }, 'Remove collaborator')));
    onSubmit(form, async () => {
      const userId = form.elements.user_id.value.trim();
      if (!userId) {
        showErrors(form, new ApiError(422, { detail: 'Choose who to add or remove.', errors: [{ field: 'user_id', message: 'Choose someone from the list.' }] }));
        return;
      }
      if (action === 'add') {
        const chosen = form.elements.role.value;
        await api.post(`/courses/${this.id}/collaborators`, { user_id: userId, role: chosen });
        toast(chosen === 'reviewer' ? 'Reviewer added: they can read and review this course.' : 'Editor added: they can now change this course.', 'success');
      } else {
        await api.del(`/courses/${this.id}/collaborators/${encodeURIComponent(userId)}`);
        toast('Collaborator removed.', 'success');
      }
      clearErrors(form);
      picker.clearChoice();
      // Only the list: the details form keeps the version it was read at.
      this.course.collaborators = (await api.get(`/courses/${this.id}`)).collaborators;
      this.renderPeople();
    });
    clear(this.peopleEl, hint, list, this.course.deleted_at ? h('p', { class: 'muted small' }, 'Restore the course to change its collaborators.') : form);
  }
}

export default async function teachCourses(ctx) {
  if (ctx.params.id) return editorPage(ctx);
  return listPage(ctx);
}
