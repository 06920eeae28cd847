// teach/lessons.js - the lesson editor (/teach/lessons/:id): title, kind,
// minutes, unit, summary and the Markdown content with a preview of what
// is typed, rendered by the server as a saved lesson would be, media links, exam objectives, tags;
// saved with PATCH + If-Match (412: changed elsewhere).  Publish/unpublish,
// delete/restore, earlier versions (restore one) and prerequisites.  The
// unsaved text is kept in sessionStorage and offered back; leaving with
// unsaved changes asks first.
import { api, ApiError } from '../../api.js';
import {
  h, clear, field, onSubmit, showErrors, clearErrors, loading, errorBox,
  toast, confirmDialog, badge, fmt, button, trustedHtml, nextId, debounce,
} from '../../ui.js';
import {
  KINDS, DIFFICULTIES, kindLabel, statusBadge, parseTags, liveRegion, getWithEtag, conflictBox, rememberDeleted,
} from './courses.js';
import { suggestionsPanel } from '../suggest.js';

const MEDIA_TYPES = [['video', 'Video'], ['audio', 'Audio'], ['image', 'Image'], ['link', 'Link'], ['document', 'Document']];
const draftKey = (id) => `ludus.lessonDraft.${id}`;

// ---- values: the form's state as a plain object --------------------------

function valuesOf(lesson) {
  const c = lesson.content || {};
  return {
    title: lesson.title || '',
    kind: lesson.kind || 'lesson',
    estimated_minutes: lesson.estimated_minutes ?? '',
    difficulty: lesson.difficulty || 'beginner',
    unit_id: lesson.unit_id || '',
    summary: lesson.summary || '',
    markdown: c.markdown || '',
    media: (c.media || []).map((m) => ({ type: m.type || 'link', url: m.url || '', title: m.title || '', duration_seconds: m.duration_seconds })),
    objective_codes: [...(lesson.objective_codes || [])],
    tags: (lesson.tags || []).join(', '),
    language: lesson.language || 'en',
  };
}

// The PATCH body for values; `content` keeps what the form does not edit
// (chapters) and leaves media out when there never was any.
function bodyOf(v, lesson) {
  const content = { ...(lesson.content || {}), markdown: v.markdown };
  const media = v.media.filter((m) => m.url.trim() || m.title.trim())
    .map((m) => ({
      type: m.type, url: m.url.trim(),
      ...(m.title.trim() ? { title: m.title.trim() } : {}),
      ...(m.duration_seconds ? { duration_seconds: m.duration_seconds } : {}),
    }));
  if (media.length || 'media' in content) content.media = media;
  const body = {
    title: v.title.trim(),
    kind: v.kind,
    difficulty: v.difficulty,
    summary: v.summary.trim() ? v.summary : null,
    content,
    objective_codes: [...v.objective_codes].sort(),
    tags: parseTags(v.tags),
  };
  // Minutes go only when the author changed them: left alone, the server
  // times the lesson by its text and media; emptied, it goes back to that.
  const had = lesson.estimated_minutes ?? '';
  if (String(v.estimated_minutes) !== String(had)) {
    body.estimated_minutes = v.estimated_minutes === '' || v.estimated_minutes === null ? null : Number(v.estimated_minutes);
  }
  if (v.language.trim()) body.language = v.language.trim();
  if (v.unit_id && v.unit_id !== lesson.unit_id) body.unit_id = v.unit_id;
  return body;
}

const same = (a, b, lesson) => JSON.stringify(bodyOf(a, lesson)) === JSON.stringify(bodyOf(b, lesson));

// ---- the page -----------------------------------------------------------

export default async function teachLesson(ctx) {
  const id = ctx.params.id;
  const first = await getWithEtag(`/lessons/${id}`);
  if (!ctx.current()) return;
  const lesson = first.data;
  if (!lesson.can_edit) {
    clear(ctx.main, h('div', { class: 'state state-error' }, h('h1', {}, lesson.title),
      h('p', {}, 'Only an admin, the course’s owner or a collaborator may change this lesson.'),
      h('a', { class: 'btn', href: `/lessons/${id}` }, 'Open the lesson')));
    return;
  }
  const course = await api.get(`/courses/${lesson.course.id}`).catch(() => null);
  const objectives = course?.exam ? await api.get(`/exams/${course.exam.code}/objectives`).catch(() => null) : null;
  if (!ctx.current()) return;
  new LessonEditor(ctx, first, course, objectives).render();
}

class LessonEditor {
  constructor(ctx, { data, etag }, course, objectives) {
    this.ctx = ctx;
    this.id = data.id;
    this.lesson = data;
    this.etag = etag;
    this.baseline = valuesOf(data);   // what the form was loaded from
    this.course = course;
    this.objectives = objectives;
    this.live = liveRegion();
    this.headEl = h('div');
    this.bannerEl = h('div');
    this.draftEl = h('div');
    this.prereqEl = h('div');
    this.versionsEl = h('div');
    this.suggestEl = h('div');
    this.tab = 'write';
  }

  render() {
    const { ctx } = this;
    this.form = this.buildForm();
    clear(ctx.main,
      h('nav', { class: 'tc-crumbs', 'aria-label': 'Breadcrumb' },
        h('a', { href: `/teach/courses/${this.lesson.course.id}` }, `← ${this.lesson.course.title}`)),
      this.headEl, this.bannerEl, this.draftEl,
      h('div', { class: 'tc-editor tc-editor-lesson' },
        h('div', { class: 'tc-col-main' }, this.form),
        h('div', { class: 'tc-col-side' },
          h('section', { class: 'card', 'aria-labelledby': 'tl-pre-h' }, h('h2', { id: 'tl-pre-h' }, 'Prerequisites'), this.prereqEl),
          h('section', { class: 'card', 'aria-labelledby': 'tl-sug-h' }, h('h2', { id: 'tl-sug-h' }, 'Suggested edits'), this.suggestEl),
          h('section', { class: 'card', 'aria-labelledby': 'tl-ver-h' }, h('h2', { id: 'tl-ver-h' }, 'Versions'), this.versionsEl))),
      this.live);
    this.fill(this.baseline);
    this.renderHead();
    this.renderPrereqs();
    this.loadVersions();
    this.loadSuggestions();
    this.offerDraft();
    this.guardLeaving();
    this.updateDirty();
  }

  // ---- header and banners ----

  renderHead() {
    const l = this.lesson;
    const deleted = !!l.deleted_at;
    const pub = l.status === 'published';
    clear(this.headEl, h('div', { class: 'page-header tc-head' },
      h('div', { class: 'tc-head-text' },
        h('h1', {}, l.title),
        h('p', { class: 'row tc-head-meta' }, statusBadge(l.status, deleted), badge(kindLabel(l.kind)),
          h('span', { class: 'muted small' }, `Version ${l.version} · saved ${fmt.ago(l.updated_at)}`))),
      h('div', { class: 'page-actions' },
        h('a', { class: 'btn btn-secondary', href: `/lessons/${l.id}` }, 'View as learner'),
        deleted ? null : button(pub ? 'Unpublish' : 'Publish', () => this.flag(pub ? 'unpublish' : 'publish'),
          pub ? 'btn btn-secondary' : 'btn', { id: 'tl-publish' }),
        deleted ? button('Restore', () => this.flag('restore'), 'btn', { id: 'tl-restore' })
          : button('Delete', () => this.remove(), 'btn btn-danger', { id: 'tl-delete' }))));
    const courseDraft = this.course && this.course.status !== 'published';
    clear(this.bannerEl, deleted
      ? h('div', { class: 'tc-banner tc-banner-bad', role: 'status' }, h('p', {}, h('strong', {}, 'This lesson is deleted. '),
        'Learners cannot see it and it cannot be changed until you restore it.'))
      : !pub ? h('div', { class: 'tc-banner', role: 'note' }, h('p', {}, h('strong', {}, 'Draft. '),
        'Learners do not see this lesson until you publish it', courseDraft ? ' and its course.' : '.'))
        : courseDraft ? h('div', { class: 'tc-banner', role: 'note' }, h('p', {}, 'The lesson is published, but its course is a draft: learners see it once the course is published.'))
          : null);
    if (this.fieldset) {
      this.fieldset.disabled = deleted;
      for (const b of this.form.querySelectorAll('#tl-save, #tl-save-preview')) b.disabled = deleted;
      this.updateDirty();
    }
    this.ctx.title(`Edit: ${l.title}`);
  }

  // A lesson answered by a write: the version moves on for the form only
  // when its fields are as the form loaded them.
  take(data, etag) {
    const unchanged = same(valuesOf(data), this.baseline, data);
    this.lesson = data;
    if (etag && unchanged) this.etag = etag;
    this.renderHead();
    this.renderPreview();
  }

  async flag(action) {
    const say = { publish: 'The lesson is published.', unpublish: 'The lesson is a draft again.', restore: 'The lesson is restored.', delete: 'The lesson is deleted.' }[action];
    try {
      const res = action === 'delete' ? await api.request('DELETE', `/lessons/${this.id}`)
        : await api.request('POST', `/lessons/${this.id}/${action}`);
      if (!this.ctx.current()) return;
      this.take(res.data, res.headers.get('ETag'));
      toast(say, 'success');
      this.live.say(say);
      document.getElementById(action === 'delete' ? 'tl-restore' : action === 'restore' ? 'tl-delete' : 'tl-publish')?.focus();
      if (action === 'delete' || action === 'restore') {
        rememberDeleted('lesson', this.ctx.user, this.lesson, action === 'delete');
        this.loadVersions();
        this.renderPrereqs();
      }
    } catch (e) { toast(e.message, 'error'); }
  }

  async remove() {
    const ok = await confirmDialog(`Delete the lesson “${this.lesson.title}”? Learners will no longer see it. You can restore it from this page.`,
      { ok: 'Delete lesson', danger: true });
    if (ok) this.flag('delete');
  }

  // ---- the form ----

  buildForm() {
    const units = this.course?.units || [];
    this.markdown = field({ label: 'Content (Markdown)', name: 'markdown', type: 'textarea', rows: 22,
      hint: 'Markdown: # Heading, **bold**, *italic*, - lists, 1. numbered lists, `code`, ```code blocks```, > quotes, [links](https://…), tables. Raw HTML is shown as text.',
      attrs: { class: 'tc-markdown', spellcheck: 'true' } });
    this.markdown.dataset.field = 'content.markdown';
    this.previewEl = h('div', { class: 'prose tc-preview' });
    this.previewNote = h('div');
    this.mediaEl = h('div', { class: 'stack tc-media' });
    this.saveState = h('span', { class: 'small tc-save-state', role: 'status', 'aria-live': 'polite' });
    this.conflictEl = h('div');

    const tabs = this.buildTabs();
    this.fieldset = h('fieldset', { class: 'tc-plain' }, h('legend', { class: 'sr-only' }, 'Lesson'),
      h('div', { class: 'stack' },
        field({ label: 'Title', name: 'title', required: true, attrs: { maxlength: 200 } }),
        h('div', { class: 'grid grid-3' },
          field({ label: 'Kind', name: 'kind', type: 'select', options: KINDS }),
          field({ label: 'Estimated minutes', name: 'estimated_minutes', type: 'number', min: 1, max: 600, step: 1,
            hint: 'Set by its words (200 a minute) and media lengths unless you change it; empty it to go back to that.' }),
          field({ label: 'Difficulty', name: 'difficulty', type: 'select', options: DIFFICULTIES })),
        units.length > 1 ? field({ label: 'Unit', name: 'unit_id', type: 'select', options: units.map((u, i) => [u.id, `Unit ${i + 1}: ${u.title}`]),
          hint: 'Moving the lesson puts it at the end of the other unit.' }) : null,
        field({ label: 'Summary', name: 'summary', type: 'textarea', rows: 2, attrs: { maxlength: 500 },
          hint: 'Shown in the course outline and in search results.' }),
        tabs,
        h('details', { class: 'tc-more', dataset: { field: 'content.media' } },
          h('summary', {}, 'Media: videos, images, links and documents'),
          h('p', { class: 'hint' }, 'Addresses must start with https:// or http://. Learners see them with the lesson.'),
          this.mediaEl,
          button('Add media', () => { this.addMediaRow({ type: 'video', url: '', title: '' }, true); this.changed(); }, 'btn btn-secondary btn-sm', { id: 'tl-add-media' }),
          h('p', { class: 'field-error' })),
        h('details', { class: 'tc-more' },
          h('summary', {}, 'Exam objectives, tags and language'),
          h('div', { class: 'stack' },
            this.objectivesField(),
            field({ label: 'Tags', name: 'tags', hint: 'Separated by commas, such as subnetting, ipv4.', attrs: { autocomplete: 'off' } }),
            field({ label: 'Language', name: 'language', hint: 'A code such as en or pt-BR.', attrs: { maxlength: 5, autocomplete: 'off' } })))));
    const form = h('form', { class: 'card stack tc-lesson-form', 'aria-label': 'Lesson', id: 'tl-form' },
      this.fieldset, this.conflictEl,
      h('div', { class: 'tc-savebar' },
        this.saveState,
        h('div', { class: 'row' },
          button('Save and preview', () => this.save({ preview: true }), 'btn btn-secondary', { id: 'tl-save-preview' }),
          h('button', { type: 'submit', class: 'btn', id: 'tl-save' }, 'Save'))));
    onSubmit(form, () => this.save({ viaForm: true }));
    form.addEventListener('input', () => this.changed());
    form.addEventListener('change', () => this.changed());
    form.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') { e.preventDefault(); this.save({}); }
    });
    return form;
  }

  buildTabs() {
    const tid = nextId('tl-tab');
    const mk = (key, text) => h('button', { type: 'button', role: 'tab', id: `${tid}-${key}`, 'aria-controls': `${tid}-${key}-panel`,
      class: 'tc-tab', onclick: () => this.showTab(key) }, text);
    this.tabBtns = { write: mk('write', 'Write'), preview: mk('preview', 'Preview') };
    const list = h('div', { role: 'tablist', 'aria-label': 'Content', class: 'tc-tabs' }, this.tabBtns.write, this.tabBtns.preview);
    list.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || e.key === 'Home' || e.key === 'End') {
        e.preventDefault();
        const next = this.tab === 'write' ? 'preview' : 'write';
        this.showTab(e.key === 'Home' ? 'write' : e.key === 'End' ? 'preview' : next);
        this.tabBtns[this.tab].focus();
      }
    });
    this.panels = {
      write: h('div', { role: 'tabpanel', id: `${tid}-write-panel`, 'aria-labelledby': `${tid}-write` }, this.markdown),
      preview: h('div', { role: 'tabpanel', id: `${tid}-preview-panel`, 'aria-labelledby': `${tid}-preview`, tabindex: '0', class: 'tc-preview-panel' },
        this.previewNote, this.previewEl),
    };
    const wrap = h('div', { class: 'tc-content' }, list, this.panels.write, this.panels.preview);
    this.showTab('write');
    return wrap;
  }

  showTab(key) {
    this.tab = key;
    for (const k of ['write', 'preview']) {
      const on = k === key;
      this.tabBtns[k].setAttribute('aria-selected', String(on));
      this.tabBtns[k].tabIndex = on ? 0 : -1;
      this.panels[k].hidden = !on;
    }
    if (key === 'preview') this.renderPreview();
  }

  // The preview shows what is typed: unsaved text is rendered by the server
  // (POST /lessons/preview, the renderer and rules a saved lesson goes
  // through); the saved text uses the lesson's own HTML.
  async renderPreview() {
    if (!this.previewEl) return;
    const mine = (this.previewToken = (this.previewToken || 0) + 1);
    const typed = this.form ? this.readForm().markdown : (this.lesson.content?.markdown || '');
    const show = (html, note) => {
      if (html.trim()) trustedHtml(this.previewEl, html);
      else clear(this.previewEl, h('p', { class: 'muted' }, 'Nothing written yet.'));
      clear(this.previewNote, note || null);
    };
    if (typed === (this.lesson.content?.markdown || '')) { show(this.lesson.content_html || ''); return; }
    this.previewEl.setAttribute('aria-busy', 'true');
    try {
      const res = await api.post('/lessons/preview', { markdown: typed });
      if (mine === this.previewToken) show(res.html || '');
    } catch (e) {
      if (mine !== this.previewToken) return;
      show(this.lesson.content_html || '', h('div', { class: 'tc-banner', role: 'note' },
        h('p', {}, `Your latest changes could not be previewed (${e.message}); this is the last saved text.`),
        button('Try again', () => this.renderPreview(), 'btn btn-sm')));
    } finally {
      if (mine === this.previewToken) this.previewEl.removeAttribute('aria-busy');
    }
  }

  objectivesField() {
    const domains = this.objectives?.domains?.filter((d) => d.objectives?.length) || [];
    if (!domains.length) {
      const f = field({ label: 'Exam objectives', name: 'objective_codes_text', hint: 'Objective codes separated by commas, such as 1.4, 2.1.',
        attrs: { autocomplete: 'off' } });
      f.dataset.field = 'objective_codes';
      return f;
    }
    this.objectiveBoxes = [];
    const fs = h('fieldset', { class: 'tc-objectives', dataset: { field: 'objective_codes' } },
      h('legend', {}, `Exam objectives (${this.objectives.exam.name})`),
      domains.map((d) => h('div', { class: 'tc-domain' },
        h('p', { class: 'tc-domain-name' }, `${d.code} ${d.name}`),
        d.objectives.map((o) => {
          const id = nextId('obj');
          const box = h('input', { type: 'checkbox', id, value: o.code, name: 'objective_codes' });
          this.objectiveBoxes.push(box);
          return h('div', { class: 'field-check tc-obj' }, box, h('label', { for: id }, h('strong', {}, o.code), ' ', o.title));
        }))),
      h('p', { class: 'field-error' }));
    return fs;
  }

  addMediaRow(m, focus = false) {
    const i = this.mediaEl.children.length;
    const n = i + 1;
    const type = field({ label: `Media ${n} type`, name: `media_type_${i}`, type: 'select', options: MEDIA_TYPES, value: m.type });
    const url = field({ label: `Media ${n} address`, name: `media_url_${i}`, type: 'url', value: m.url, placeholder: 'https://…' });
    const title = field({ label: `Media ${n} title`, name: `media_title_${i}`, value: m.title, hint: 'Optional.' });
    const length = field({ label: `Media ${n} length (seconds)`, name: `media_duration_${i}`, type: 'number', min: 1, max: 86400, step: 1,
      value: m.duration_seconds ?? '', hint: 'Optional; counts in the lesson\'s time.' });
    type.dataset.field = `content.media[${i}].type`;
    url.dataset.field = `content.media[${i}].url`;
    title.dataset.field = `content.media[${i}].title`;
    length.dataset.field = `content.media[${i}].duration_seconds`;
    const row = h('div', { class: 'tc-media-row', dataset: { field: `content.media[${i}]` } },
      type, url, title, length,
      button('Remove', () => this.removeMediaRow(i), 'btn btn-ghost btn-sm tc-danger-text', { 'aria-label': `Remove media ${n}` }),
      h('p', { class: 'field-error' }));
    this.mediaEl.append(row);
    if (focus) url.querySelector('input').focus();
  }

  readMedia() {
    return [...this.mediaEl.querySelectorAll('.tc-media-row')].map((row) => {
      const [t, u, ti, d] = row.querySelectorAll('select, input');
      return { type: t.value, url: u.value, title: ti.value, duration_seconds: d.value === '' ? undefined : Number(d.value) };
    });
  }

  // Rows are numbered (labels, error fields): rebuild them without row i.
  removeMediaRow(i) {
    const rest = this.readMedia().filter((_, k) => k !== i);
    this.mediaEl.replaceChildren();
    rest.forEach((m) => this.addMediaRow(m));
    this.changed();
    const next = this.mediaEl.querySelectorAll('.tc-media-row select')[Math.min(i, rest.length - 1)];
    (next || document.getElementById('tl-add-media'))?.focus();
  }

  readForm() {
    const f = this.form.elements;
    const media = this.readMedia();
    const objective_codes = this.objectiveBoxes
      ? this.objectiveBoxes.filter((b) => b.checked).map((b) => b.value)
      : String(f.objective_codes_text.value).split(',').map((s) => s.trim()).filter(Boolean);
    return {
      title: f.title.value, kind: f.kind.value, estimated_minutes: f.estimated_minutes.value,
      difficulty: f.difficulty.value, unit_id: f.unit_id ? f.unit_id.value : this.lesson.unit_id,
      summary: f.summary.value, markdown: f.markdown.value, media, objective_codes,
      tags: f.tags.value, language: f.language.value,
    };
  }

  fill(v) {
    const f = this.form.elements;
    f.title.value = v.title;
    f.kind.value = v.kind;
    f.estimated_minutes.value = v.estimated_minutes;
    f.difficulty.value = v.difficulty;
    if (f.unit_id) f.unit_id.value = v.unit_id;
    f.summary.value = v.summary;
    f.markdown.value = v.markdown;
    f.tags.value = v.tags;
    f.language.value = v.language;
    if (this.objectiveBoxes) for (const b of this.objectiveBoxes) b.checked = v.objective_codes.includes(b.value);
    else f.objective_codes_text.value = v.objective_codes.join(', ');
    this.mediaEl.replaceChildren();
    v.media.forEach((m) => this.addMediaRow(m));
    const det = this.mediaEl.closest('details');
    if (det && v.media.length) det.open = true;
  }

  // ---- dirty state, the draft and leaving ----

  get dirty() { return !same(this.readForm(), this.baseline, this.lesson); }

  changed() {
    this.updateDirty();
    this.storeDraft();
  }

  updateDirty() {
    const d = this.dirty;
    this.saveState.textContent = this.lesson.deleted_at ? 'Deleted: restore the lesson to edit it.'
      : d ? 'Unsaved changes' : `All changes saved${this.savedAt ? ` (${fmt.datetime(this.savedAt)})` : ''}`;
    this.saveState.classList.toggle('tc-unsaved', d);
  }

  storeDraft = debounce(() => {
    if (!this.ctx.current()) return;
    try {
      if (this.dirty) sessionStorage.setItem(draftKey(this.id), JSON.stringify({ version: this.lesson.version, at: new Date().toISOString(), values: this.readForm() }));
      else sessionStorage.removeItem(draftKey(this.id));
    } catch { /* storage full or off */ }
  }, 400);

  dropDraft() {
    try { sessionStorage.removeItem(draftKey(this.id)); } catch { /* ignore */ }
    clear(this.draftEl);
  }

  offerDraft() {
    let draft = null;
    try { draft = JSON.parse(sessionStorage.getItem(draftKey(this.id)) || 'null'); } catch { /* ignore */ }
    if (!draft?.values || same({ ...this.baseline, ...draft.values }, this.baseline, this.lesson)) { this.dropDraft(); return; }
    const newer = draft.version !== this.lesson.version;
    clear(this.draftEl, h('div', { class: 'tc-banner tc-banner-warn', role: 'alert' },
      h('p', {}, h('strong', {}, 'You have unsaved changes to this lesson '), `from ${fmt.ago(draft.at)}.`,
        newer ? ` The lesson has changed since (version ${draft.version} then, ${this.lesson.version} now): restoring puts your text over the newer one when you save.` : ''),
      h('div', { class: 'row' },
        button('Restore my changes', () => {
          this.fill({ ...this.baseline, ...draft.values });
          clear(this.draftEl);
          this.changed();
          this.live.say('Your unsaved changes are back. Save to keep them.');
          this.form.elements.title.focus();
        }, 'btn btn-sm', { id: 'tl-draft-restore' }),
        button('Discard them', () => { this.dropDraft(); this.form.elements.title.focus(); }, 'btn btn-ghost btn-sm', { id: 'tl-draft-discard' }))));
  }

  guardLeaving() {
    const onUnload = (e) => { if (this.dirty && !this.lesson.deleted_at) { e.preventDefault(); e.returnValue = ''; } };
    // In-app links: ask before leaving; the shell's own handler runs after.
    const onClick = async (e) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = e.target.closest('a[href]');
      if (!a || a.target || a.hasAttribute('download') || !this.dirty || this.lesson.deleted_at) return;
      const url = new URL(a.href, location.href);
      if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
      if (url.pathname === location.pathname) return;
      e.preventDefault();
      e.stopPropagation();
      this.storeDraft();
      const go = await confirmDialog('Leave without saving? Your unsaved changes stay in this tab as a draft, and this page offers them back when you return.',
        { ok: 'Leave', cancel: 'Stay and save' });
      if (go && this.ctx.current()) this.ctx.navigate(url.pathname + url.search + url.hash);
    };
    window.addEventListener('beforeunload', onUnload);
    document.addEventListener('click', onClick, true);
    this.ctx.onLeave(() => {
      window.removeEventListener('beforeunload', onUnload);
      document.removeEventListener('click', onClick, true);
    });
  }

  // ---- saving ----

  async save({ preview = false, viaForm = false } = {}) {
    if (this.saving || this.lesson.deleted_at) return;
    const form = this.form;
    const btns = [...form.querySelectorAll('#tl-save, #tl-save-preview')];
    if (!viaForm) clearErrors(form);
    clear(this.conflictEl);
    this.saving = true;
    if (!viaForm) btns.forEach((b) => { b.disabled = true; });
    try {
      const v = this.readForm();
      if (!this.dirty) {
        if (preview) this.showTab('preview');
        this.live.say('Nothing to save: everything is saved.');
        return;
      }
      const res = await api.request('PATCH', `/lessons/${this.id}`,
        { body: bodyOf(v, this.lesson), headers: this.etag ? { 'If-Match': this.etag } : {} });
      if (!this.ctx.current()) return;
      this.lesson = res.data;
      this.etag = res.headers.get('ETag');
      this.baseline = valuesOf(res.data);
      this.savedAt = new Date().toISOString();
      if (this.dirty) this.storeDraft(); else this.dropDraft();
      this.renderHead();
      this.updateDirty();
      this.loadVersions();
      if (v.unit_id && this.course) this.refreshCourse();
      toast('Lesson saved.', 'success');
      if (preview) { this.showTab('preview'); this.tabBtns.preview.focus(); } else this.renderPreview();
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        this.storeDraft();
        clear(this.conflictEl, conflictBox('lesson', () => this.ctx.navigate(location.pathname, { replace: true })));
        this.conflictEl.querySelector('.tc-conflict p').append(' Your text is kept as a draft in this tab: after the reload you can restore it.');
        this.conflictEl.querySelector('button').focus();
        return;
      }
      if (viaForm) throw e;
      showErrors(form, e);
    } finally {
      this.saving = false;
      btns.forEach((b) => { b.disabled = false; });
    }
  }

  async refreshCourse() {
    try { this.course = await api.get(`/courses/${this.lesson.course.id}`); } catch { return; }
    if (this.ctx.current()) this.renderPrereqs();
  }

  // ---- prerequisites ----

  renderPrereqs() {
    const others = (this.course?.units || []).map((u, i) => ({ u, i, lessons: u.lessons.filter((l) => l.id !== this.id) }))
      .filter((g) => g.lessons.length);
    if (!this.course) { clear(this.prereqEl, errorBox('The course could not be loaded.', () => this.refreshCourse())); return; }
    if (!others.length) { clear(this.prereqEl, h('p', { class: 'muted small' }, 'This is the only lesson of the course so far: add more to set prerequisites.')); return; }
    const have = new Set((this.lesson.prerequisites || []).map((p) => p.id));
    const off = !!this.lesson.deleted_at;
    const form = h('form', { class: 'stack', 'aria-label': 'Prerequisites', id: 'tl-prereq-form' },
      h('p', { class: 'muted small' }, 'Learners must complete the chosen lessons before this one opens (only published ones count).'),
      h('fieldset', { class: 'tc-prereqs', dataset: { field: 'lesson_ids' }, disabled: off },
        h('legend', { class: 'sr-only' }, 'Lessons to complete first'),
        others.map((g) => h('div', { class: 'tc-domain' },
          h('p', { class: 'tc-domain-name' }, `Unit ${g.i + 1}: ${g.u.title}`),
          g.lessons.map((l) => {
            const id = nextId('pre');
            return h('div', { class: 'field-check' },
              h('input', { type: 'checkbox', id, name: 'lesson_ids', value: l.id, checked: have.has(l.id) }),
              h('label', { for: id }, l.title, l.status !== 'published' ? h('span', { class: 'muted small' }, ' (draft)') : null));
          }))),
        h('p', { class: 'field-error' })),
      h('button', { type: 'submit', class: 'btn btn-secondary btn-sm', disabled: off }, 'Save prerequisites'));
    onSubmit(form, async () => {
      const ids = [...form.querySelectorAll('input[name=lesson_ids]:checked')].map((b) => b.value);
      const res = await api.request('PUT', `/lessons/${this.id}/prerequisites`, { body: { lesson_ids: ids } });
      this.lesson = { ...this.lesson, prerequisites: res.data.prerequisites };
      toast(ids.length ? `Prerequisites saved (${ids.length}).` : 'No prerequisites now.', 'success');
    });
    clear(this.prereqEl, form);
  }

  // ---- suggested edits ----

  loadSuggestions() {
    clear(this.suggestEl, suggestionsPanel(this.id, () => this.reloadLesson()));
  }

  // The lesson as it is now (after a suggestion was accepted), into the form.
  async reloadLesson() {
    try {
      const res = await getWithEtag(`/lessons/${this.id}`);
      if (!this.ctx.current()) return;
      this.lesson = res.data;
      this.etag = res.etag;
      this.baseline = valuesOf(res.data);
      this.fill(this.baseline);
      this.dropDraft();
      this.renderHead();
      this.renderPreview();
      this.updateDirty();
      this.loadVersions();
      this.loadSuggestions();
    } catch (e) { toast(e.message, 'error'); }
  }

  // ---- versions ----

  async loadVersions() {
    clear(this.versionsEl, loading('Loading versions…'));
    try {
      const d = await api.get(`/lessons/${this.id}/versions`);
      if (this.ctx.current()) this.renderVersions(d.items || []);
    } catch (e) {
      if (this.ctx.current()) clear(this.versionsEl, errorBox(e, () => this.loadVersions()));
    }
  }

  renderVersions(items) {
    const l = this.lesson;
    clear(this.versionsEl,
      h('p', { class: 'muted small' }, 'Each change of the text keeps the earlier version. Restoring one keeps the current text as a version too.'),
      h('ol', { class: 'tc-versions', reversed: true },
        h('li', { class: 'tc-version tc-version-current' },
          h('div', {}, h('strong', {}, `Version ${l.version}`), ' ', badge('Current', 'accent'),
            h('div', { class: 'muted small' }, `${l.title} · ${kindLabel(l.kind)} · ${fmt.datetime(l.updated_at)}`))),
        items.map((v) => h('li', { class: 'tc-version' },
          h('div', {}, h('strong', {}, `Version ${v.version}`),
            h('div', { class: 'muted small' }, `${v.title} · ${kindLabel(v.kind)} · ${fmt.datetime(v.saved_at)}`)),
          l.deleted_at ? null : button('Restore', () => this.restoreVersion(v), 'btn btn-ghost btn-sm', { 'aria-label': `Restore version ${v.version}` })))),
      items.length ? null : h('p', { class: 'muted small' }, 'No earlier versions yet.'));
  }

  async restoreVersion(v) {
    const msg = `Bring back version ${v.version} (“${v.title}”)? The current text is kept as a version, so you can come back to it.` +
      (this.dirty ? ' Your unsaved changes in the form will be replaced.' : '');
    if (!await confirmDialog(msg, { ok: `Restore version ${v.version}` })) return;
    try {
      const res = await api.request('POST', `/lessons/${this.id}/versions/${v.version}/restore`);
      if (!this.ctx.current()) return;
      this.lesson = res.data;
      this.etag = res.headers.get('ETag');
      this.baseline = valuesOf(res.data);
      this.fill(this.baseline);
      this.dropDraft();
      this.renderHead();
      this.renderPreview();
      this.updateDirty();
      this.loadVersions();
      toast(`Version ${v.version} is back.`, 'success');
      this.live.say(`Version ${v.version} restored.`);
    } catch (e) { toast(e.message, 'error'); }
  }
}
