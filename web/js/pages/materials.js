// materials.js - study materials: documents a learner adds (a file, pasted
// text or a web page) that the server cuts into sections and turns into
// proposed cards, questions, summaries and key terms.
//   /materials                my materials, search over them, add one
//   /materials/:id            a material: its processing, then its sections
//                             beside what was proposed from them (accept,
//                             edit, reject, rate), and studying it
//   /materials/sessions/:id   a study session, one item at a time
//   /materials/progress       my progress on materials
// Accepted cards go into the material's deck (flashcards.js reviews them).
import { api, ApiError, qs } from '../api.js';
import {
  h, clear, append, load, empty, badge, button, toast, field, onSubmit, pageHeader, confirmDialog,
  progressBar, table, moreButton, nextId, fmt,
} from '../ui.js';

const M = '/materials';
const POLL_MS = 1000;

const STATUS = { processing: ['Processing', 'warn'], ready: ['Ready', 'ok'], failed: ['Failed', 'bad'] };
const ASSET_STATUS = { ready: ['Proposed', 'accent'], accepted: ['Accepted', 'ok'], rejected: ['Rejected', 'bad'] };
// Each type's name, and the heading of its group on a material's page.
const TYPES = [['flashcard', 'Card', 'Cards'], ['quiz', 'Question', 'Questions'],
  ['summary', 'Summary', 'Summaries'], ['key_terms', 'Key terms', 'Key terms']];
const typeName = (t) => (TYPES.find((x) => x[0] === t) || [t, t])[1];
const DIFFICULTY = [['', 'Not said'], ['beginner', 'Beginner'], ['intermediate', 'Intermediate'], ['advanced', 'Advanced']];
const FORMATS = [['text/markdown', 'Markdown'], ['text/plain', 'Plain text'], ['text/html', 'HTML']];
const FLAGS = [['wrong', 'Wrong'], ['unclear', 'Unclear'], ['duplicate', 'A duplicate'],
  ['too_easy', 'Too easy'], ['too_hard', 'Too hard'], ['offensive', 'Offensive']];
// What the server reads, by file extension: a browser often gives no type
// for .md, or one of its own (text/x-markdown).
const EXT_TYPES = { txt: 'text/plain', text: 'text/plain', md: 'text/markdown', markdown: 'text/markdown',
  html: 'text/html', htm: 'text/html', pdf: 'application/pdf' };
const ACCEPT = '.txt,.md,.markdown,.html,.htm,.pdf,text/plain,text/markdown,text/html,application/pdf';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const plural = (n, one, many = one + 's') => `${fmt.num(n)} ${n === 1 ? one : many}`;
const tagList = (s) => String(s || '').split(/[\s,]+/).map((t) => t.trim()).filter(Boolean);

// A job is still at work while it waits or runs.
const jobBusy = (m) => !!m.job && (m.job.status === 'queued' || m.job.status === 'running');
const busy = (m) => m.status === 'processing' || jobBusy(m);

// What a failed request says: a 422 names its fields, and those messages
// matter more than the general "see errors".
export function problemText(e) {
  if (e instanceof ApiError && e.errors.length) return e.errors.map((x) => x.message).join('; ');
  return e?.message || String(e);
}

function language(code) {
  if (!code) return '';
  try { return new Intl.DisplayNames(undefined, { type: 'language' }).of(code) || code; } catch { return code; }
}

function statusBadge(status) {
  const [text, kind] = STATUS[status] || [status, ''];
  return badge(text, kind);
}

function minutes(sec) {
  const s = Number(sec) || 0;
  return s > 0 && s < 30 ? '< 1 min' : fmt.minutes(s);
}

// ---- uploading ---------------------------------------------------------------

function cookie(name) {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return '';
}

// The type the server is told a file is: from its extension first (the
// browser's guess varies), else the browser's, else one the server will
// refuse with its own reason.
export function fileType(file) {
  const ext = (/\.([a-z0-9]+)$/i.exec(file.name || '') || [])[1]?.toLowerCase();
  return EXT_TYPES[ext] || file.type || 'application/octet-stream';
}

// POSTs a file as the body with XMLHttpRequest: unlike fetch, it reports
// how much of the body has gone (onProgress(loaded, total)).  It sends
// what api.js sends: JSON wanted back, the session cookie (same origin)
// and the CSRF cookie as X-CSRF-Token; a problem comes back as ApiError.
function uploadFile(path, file, type, onProgress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', '/api/v1' + path);
    x.setRequestHeader('Accept', 'application/json');
    x.setRequestHeader('Content-Type', type);
    const csrf = cookie('ludus_csrf');
    if (csrf) x.setRequestHeader('X-CSRF-Token', csrf);
    x.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); };
    x.upload.onload = () => onProgress(file.size, file.size);
    x.onerror = () => reject(new ApiError(0, null));
    x.onload = () => {
      let data = null;
      try { data = x.responseText ? JSON.parse(x.responseText) : null; } catch { data = null; }
      if (x.status >= 200 && x.status < 300) { resolve(data); return; }
      if (x.status === 401) window.dispatchEvent(new CustomEvent('ludus:unauthenticated'));
      reject(new ApiError(x.status, data && typeof data === 'object' ? data : null,
        parseInt(x.getResponseHeader('Retry-After') || '0', 10) || 0));
    };
    x.send(file);
  });
}

// ---- adding a material ---------------------------------------------------------

// The details every way of adding shares (all optional).  courses: those
// the user may add materials to (an author's), whose learners then study
// what the authors accept.
function detailFields(courses) {
  return h('div', { class: 'mt-details' },
    courses.length ? field({ label: 'For', name: 'course_id', type: 'select',
      options: [['', 'Me'], ...courses.map((c) => [c.id, `The learners of ${c.title}`])] }) : null,
    field({ label: 'Tags', name: 'tags', hint: 'Separated by commas or spaces: networking ports' }),
    field({ label: 'Subject', name: 'subject_area', maxlength: 100, placeholder: 'e.g. Networking' }),
    field({ label: 'Difficulty', name: 'difficulty_level', type: 'select', options: DIFFICULTY }),
    field({ label: 'Propose cards and questions from it', name: 'generate', type: 'checkbox', value: true }));
}

function uploadForm(ctx, courses) {
  const file = field({ label: 'File', name: 'file', type: 'file', required: true,
    hint: 'Text, Markdown, HTML or PDF.', attrs: { accept: ACCEPT } });
  // The server names the file by file_name: its errors belong here.
  file.dataset.field = 'file_name';
  const input = file.querySelector('input');
  const bar = h('progress', { class: 'mt-upload-bar', max: 100, value: 0, 'data-testid': 'upload-progress', 'aria-label': 'Upload progress' });
  const note = h('p', { class: 'small muted', role: 'status' });
  const state = h('div', { class: 'mt-upload-state', hidden: true }, bar, note);
  const form = h('form', { class: 'mt-add-form', 'aria-label': 'Upload a file' },
    file,
    field({ label: 'Title', name: 'title', maxlength: 255, hint: 'Left empty: the document\'s own title, or the file\'s name.' }),
    detailFields(courses), state,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, 'Upload')));
  return onSubmit(form, async (v) => {
    const f = input.files?.[0];
    if (!f) throw new ApiError(422, { detail: 'Choose a file first.', errors: [{ field: 'file_name', message: 'choose a file' }] });
    state.hidden = false;
    bar.value = 0;
    note.textContent = `Uploading ${f.name}…`;
    const query = qs({ title: v.title?.trim(), file_name: f.name, tags: tagList(v.tags).join(','),
      subject_area: v.subject_area?.trim(), difficulty_level: v.difficulty_level, course_id: v.course_id,
      generate: String(!!v.generate) });
    try {
      const m = await uploadFile(`${M}/upload${query}`, f, fileType(f), (done, total) => {
        bar.value = total ? Math.round((done / total) * 100) : 100;
        note.textContent = done >= total ? 'Uploaded: the server is looking at it…' : `Uploading ${f.name}… ${bar.value}%`;
      });
      toast('Added: it is being processed.', 'success');
      ctx.navigate(`/materials/${m.id}`);
    } catch (e) {
      state.hidden = true;
      throw e;
    }
  });
}

function pasteForm(ctx, courses) {
  const form = h('form', { class: 'mt-add-form', 'aria-label': 'Paste text' },
    field({ label: 'Title', name: 'title', required: true, maxlength: 255 }),
    field({ label: 'Format', name: 'media_type', type: 'select', options: FORMATS }),
    field({ label: 'Text', name: 'text', type: 'textarea', rows: 10, required: true }),
    detailFields(courses),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, 'Add the text')));
  return onSubmit(form, async (v) => {
    const m = await api.post(M, details(v, { title: v.title || '', text: v.text || '', media_type: v.media_type }));
    toast('Added: it is being processed.', 'success');
    ctx.navigate(`/materials/${m.id}`);
  });
}

function urlForm(ctx, courses) {
  const form = h('form', { class: 'mt-add-form', 'aria-label': 'Add a web page' },
    field({ label: 'Title', name: 'title', required: true, maxlength: 255 }),
    field({ label: 'Address', name: 'url', type: 'url', required: true, placeholder: 'https://',
      hint: 'A public http or https page, Markdown or text file.' }),
    detailFields(courses),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, 'Fetch the page')));
  return onSubmit(form, async (v) => {
    const m = await api.post(M, details(v, { title: v.title || '', url: (v.url || '').trim() }));
    toast('Added: the page is being fetched.', 'success');
    ctx.navigate(`/materials/${m.id}`);
  });
}

// The optional details of the form as the JSON API takes them.
function details(v, body) {
  const tags = tagList(v.tags);
  if (tags.length) body.tags = tags;
  if (v.subject_area?.trim()) body.subject_area = v.subject_area.trim();
  if (v.difficulty_level) body.difficulty_level = v.difficulty_level;
  if (v.course_id) body.course_id = v.course_id;
  body.generate = !!v.generate;
  return body;
}

// Tabs (the ARIA pattern: arrows move between them); each panel is made
// when first shown.
function tabs(label, list) {
  const bar = h('div', { role: 'tablist', 'aria-label': label, class: 'mt-tabs' });
  const panels = h('div', {});
  const made = new Map();
  const btns = list.map(([id, text]) => h('button', {
    type: 'button', role: 'tab', id: `mt-tab-${id}`, 'aria-controls': `mt-panel-${id}`, class: 'mt-tab',
    onclick: () => select(id),
  }, text));
  bar.append(...btns);
  bar.addEventListener('keydown', (e) => {
    const i = btns.indexOf(document.activeElement);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: btns.length - 1 }[e.key];
    if (i < 0 || to === undefined) return;
    e.preventDefault();
    const j = (to + btns.length) % btns.length;
    select(list[j][0]);
    btns[j].focus();
  });
  function select(id) {
    list.forEach(([key, , render], i) => {
      const on = key === id;
      btns[i].setAttribute('aria-selected', String(on));
      btns[i].tabIndex = on ? 0 : -1;
      if (on && !made.has(key)) {
        const p = h('div', { role: 'tabpanel', id: `mt-panel-${key}`, 'aria-labelledby': `mt-tab-${key}`, class: 'mt-panel' }, render());
        made.set(key, p);
        panels.append(p);
      }
      if (made.has(key)) made.get(key).hidden = !on;
    });
  }
  select(list[0][0]);
  return h('div', {}, bar, panels);
}

// ---- my materials ------------------------------------------------------------------

function sourceLabel(m) {
  if (m.source_type === 'url' && m.source_url) {
    try { return `From ${new URL(m.source_url).host}`; } catch { return 'From the web'; }
  }
  if (m.source_type === 'upload') return m.file_name ? `File ${m.file_name}` : 'Uploaded file';
  return 'Pasted text';
}

function materialItem(m) {
  const a = m.assets || {};
  return h('li', { class: 'card mt-item', 'data-testid': 'material' },
    h('div', { class: 'mt-item-head' },
      h('h2', { class: 'mt-item-title' }, h('a', { href: `/materials/${m.id}` }, m.title)),
      statusBadge(m.status)),
    h('p', { class: 'small muted mt-facts' },
      [sourceLabel(m), m.language && language(m.language), m.word_count ? plural(m.word_count, 'word') : '',
        m.chunks ? plural(m.chunks, 'section') : '', `added ${fmt.ago(m.created_at)}`].filter(Boolean).join(' · ')),
    m.status === 'ready' ? h('p', { class: 'mt-counts' },
      badge(`${fmt.num(a.ready || 0)} proposed`, a.ready ? 'accent' : ''), ' ',
      badge(`${fmt.num(a.accepted || 0)} accepted`, a.accepted ? 'ok' : '')) : null,
    m.status === 'failed' && m.error ? h('p', { class: 'small mt-error-text' }, m.error) : null,
    m.tags?.length ? h('ul', { class: 'mt-chips', 'aria-label': 'Tags' }, m.tags.map((t) => h('li', { class: 'mt-chip' }, t))) : null);
}

// ts_headline marks the words found with <b>...</b>; the rest is the
// material's own text.  It is cut at the marks and set as text, so nothing
// in a material is ever read as HTML.
export function excerpt(s) {
  return String(s || '').split(/<\/?b>/).map((part, i) => (i % 2 ? h('mark', {}, part) : part));
}

function searchHit(hit) {
  const where = hit.kind === 'chunk' ? `Section ${hit.chunk_order + 1}` : 'Title and description';
  const href = `/materials/${hit.material_id}${hit.chunk_id ? qs({ chunk: hit.chunk_id }) : ''}`;
  return h('li', { class: 'card mt-hit', 'data-testid': 'search-hit' },
    h('h2', { class: 'mt-item-title' }, h('a', { href }, hit.title)),
    h('p', { class: 'small muted' }, where),
    h('p', { class: 'mt-excerpt' }, excerpt(hit.excerpt)));
}

async function listPage(ctx) {
  ctx.title('Study materials');
  let q = ctx.query.get('q') || '';
  let status = ctx.query.get('status') || '';
  const results = h('div', { 'aria-live': 'polite' });
  const search = h('form', { class: 'mt-search', role: 'search', 'aria-label': 'My materials' },
    field({ label: 'Search my materials', name: 'q', type: 'search', value: q, autocomplete: 'off' }),
    field({ label: 'Status', name: 'status', type: 'select', value: status,
      options: [['', 'Any'], ['ready', 'Ready'], ['processing', 'Processing'], ['failed', 'Failed']] }),
    h('button', { type: 'submit', class: 'btn btn-secondary' }, 'Search'));
  // A course's authors may add materials to it: the courses they may edit.
  const courses = (ctx.user.permissions || []).includes('course.author')
    ? await api.get(`/courses${qs({ status: 'all', limit: 100 })}`).then((d) => (d.items || []).filter((c) => c.can_edit), () => [])
    : [];
  const add = h('section', { class: 'card mt-add', id: 'mt-add', 'aria-labelledby': 'mt-add-h' },
    h('h2', { id: 'mt-add-h' }, 'Add a material'),
    tabs('How to add it', [['upload', 'Upload', () => uploadForm(ctx, courses)], ['paste', 'Paste', () => pasteForm(ctx, courses)],
      ['url', 'URL', () => urlForm(ctx, courses)]]));
  // My materials first, as with decks; the form to add one below them.
  clear(ctx.main, pageHeader('Study materials',
    h('a', { class: 'btn', href: '#mt-add' }, 'Add a material'),
    h('a', { class: 'btn btn-secondary', href: '/materials/progress' }, 'Progress')),
  h('p', { class: 'mt-lead' }, 'Add your own notes, a document or a web page: Ludus cuts it into sections and proposes cards, questions and summaries, each showing the sentence it comes from. Accept the good ones and study them.'),
  search, results, add);

  let timer = null;
  ctx.onLeave(() => clearTimeout(timer));
  const show = async () => {
    clearTimeout(timer);
    history.replaceState(null, '', ctx.path + qs({ q, status }));
    if (q) {
      await load(results, () => api.get(`${M}/search${qs({ q })}`), (r) => r.items.length
        ? h('div', {}, h('p', { class: 'small muted' }, `${plural(r.items.length, 'place')} found for “${q}”.`),
          h('ul', { class: 'plain-list mt-list' }, r.items.map(searchHit)))
        : empty(`Nothing in your materials matches “${q}”.`));
      return;
    }
    await load(results, () => api.get(`${M}${qs({ status, limit: 20 })}`), (r) => {
      if (!r.items.length) return empty(status ? 'No material has that status.' : 'No materials yet: add one below.');
      const list = h('ul', { class: 'plain-list mt-list' }, r.items.map(materialItem));
      const more = (after) => api.get(`${M}${qs({ status, after, limit: 20 })}`).then((n) => {
        list.append(...n.items.map(materialItem));
        const b = moreButton(n.next, more);
        if (b) list.after(b);
      });
      // While something is processing the list follows it.
      if (r.items.some(busy)) timer = setTimeout(() => { if (ctx.current()) show(); }, 2 * POLL_MS);
      return h('div', {}, list, moreButton(r.next, more));
    });
  };
  search.addEventListener('submit', (e) => {
    e.preventDefault();
    q = search.elements.q.value.trim();
    status = search.elements.status.value;
    show();
  });
  search.elements.status.addEventListener('change', () => { status = search.elements.status.value; if (!q) show(); });
  await show();
}

// ---- a material -----------------------------------------------------------------------

// A section's text is light Markdown as the document had it.  It is shown
// as text: headings, paragraphs and list items as such, tables and code
// kept as written (preformatted); **bold** and `code` inline.
function inline(s) {
  return s.split(/(\*\*[^*]+\*\*|`[^`]+`)/).filter(Boolean).map((p) => (
    p.startsWith('**') && p.endsWith('**') && p.length > 4 ? h('strong', {}, p.slice(2, -2))
      : p.startsWith('`') && p.endsWith('`') && p.length > 2 ? h('code', {}, p.slice(1, -1)) : p));
}

export function chunkBody(text, heading = '') {
  const shown = new Set(String(heading).split(' > ').map((x) => x.trim().toLowerCase()));
  const out = [];
  let para = [], items = null, pre = null, fence = false;
  const flush = () => {
    if (para.length) out.push(h('p', {}, inline(para.join(' ').replace(/\s+/g, ' '))));
    if (items) out.push(h('ul', {}, items.map((t) => h('li', {}, inline(t.replace(/\s+/g, ' '))))));
    if (pre) out.push(h('pre', {}, pre.join('\n')));
    para = []; items = null; pre = null;
  };
  for (const line of String(text || '').split('\n')) {
    if (fence) {
      if (/^\s*(```|~~~)/.test(line)) { fence = false; flush(); } else pre.push(line);
      continue;
    }
    if (/^\s*(```|~~~)/.test(line)) { flush(); fence = true; pre = []; continue; }
    if (!line.trim()) { flush(); continue; }
    const head = /^\s*#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (head) {
      flush();
      // The section's heading is above it already.
      if (!shown.has(head[1].trim().toLowerCase())) out.push(h('p', { class: 'mt-chunk-h' }, inline(head[1])));
      continue;
    }
    if (/^\s*\|/.test(line)) {
      if (!pre) { flush(); pre = []; }
      pre.push(line);
      continue;
    }
    const item = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      if (para.length || pre) flush();
      (items ||= []).push(item[1]);
      continue;
    }
    if (items && /^\s+\S/.test(line)) { items[items.length - 1] += ' ' + line.trim(); continue; }
    if (items || pre) flush();
    para.push(line.trim());
  }
  flush();
  return out;
}

// Marks the first place where text appears in el (within one text node,
// white space compared loosely); the mark, or null.
function markText(el, text) {
  for (const old of el.querySelectorAll('mark.mt-lit-text')) old.replaceWith(...old.childNodes);
  el.normalize();
  const want = String(text || '').replace(/\s+/g, ' ').trim();
  if (!want) return null;
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const i = n.data.indexOf(want);
    if (i < 0) continue;
    const hit = n.splitText(i);
    hit.splitText(want.length);
    const mark = h('mark', { class: 'mt-lit-text' });
    hit.replaceWith(mark);
    mark.append(hit);
    return mark;
  }
  return null;
}

// A cloze's text with each deletion {{cN::answer::hint}} shown (highlighted)
// or hidden (its hint, or a gap).
export function cloze(text, open = true) {
  const out = [];
  const re = /\{\{c\d+::([\s\S]*?)(?:::([\s\S]*?))?\}\}/g;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > at) out.push(text.slice(at, m.index));
    out.push(open ? h('mark', { class: 'mt-cloze' }, m[1])
      : h('span', { class: 'mt-gap' }, `[${m[2] || '…'}]`));
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

// What an asset holds, as its type shows it.  showAnswer: a question's
// right option is marked (for who may edit it).
function assetContent(a, showAnswer) {
  const c = a.content || {};
  switch (a.asset_type) {
    case 'flashcard':
      if (c.kind === 'cloze') {
        return h('div', { class: 'mt-card' }, h('p', { class: 'mt-cloze-text' }, cloze(c.text || '')),
          c.extra ? h('p', { class: 'small muted' }, c.extra) : null);
      }
      return h('dl', { class: 'mt-card' }, h('dt', {}, 'Front'), h('dd', { 'data-testid': 'card-front' }, c.front),
        h('dt', {}, 'Back'), h('dd', {}, c.back));
    case 'quiz':
      return h('div', { class: 'mt-question' }, h('p', { class: 'mt-stem' }, c.stem),
        h('ol', { class: 'mt-options' }, (c.options || []).map((o, i) => {
          const right = showAnswer && i === c.answer;
          return h('li', { class: right ? 'mt-right' : null }, o,
            right ? h('span', { class: 'mt-right-mark' }, h('span', { 'aria-hidden': 'true' }, ' ✓'), h('span', { class: 'sr-only' }, ' (the right answer)')) : null);
        })),
        showAnswer && c.explanation ? h('p', { class: 'small muted' }, c.explanation) : null);
    case 'summary':
      return h('div', { class: 'mt-summary' }, String(c.text || '').split(/\n{2,}/).map((p) => h('p', {}, p)));
    case 'key_terms':
      return h('ul', { class: 'mt-chips', 'aria-label': 'Key terms' },
        (c.terms || []).map((t) => h('li', { class: 'mt-chip', title: t.kind }, t.term)));
    default:
      return h('pre', {}, JSON.stringify(c, null, 2));
  }
}

// The sentences an asset was made from.  pick(s), when given, shows one
// in the text; long lists fold away.
function sourceQuote(source, pick) {
  if (!source?.length) return null;
  const items = source.map((s) => h('li', {}, pick
    ? h('button', { type: 'button', class: 'mt-quote', title: 'Show it in the text', onclick: () => pick(s) }, `“${s.text}”`)
    : h('q', {}, s.text)));
  if (items.length > 2) {
    return h('details', { class: 'mt-source', 'data-testid': 'asset-source' },
      h('summary', {}, `From the text: ${plural(items.length, 'sentence')}`), h('ul', {}, items));
  }
  return h('div', { class: 'mt-source', 'data-testid': 'asset-source' },
    h('p', { class: 'mt-source-label' }, 'From the text:'), h('ul', {}, items));
}

// ---- editing an asset ----------------------------------------------------------------

// The inputs of one option of a question: the text, and whether it is the
// right one.  (A row per option; the API names errors options[i].)
function optionRow(i, text, right, onRemove) {
  const id = nextId('opt');
  return h('div', { class: 'field mt-opt' },
    h('div', { class: 'mt-opt-line' },
      h('input', { type: 'radio', name: 'content.answer', value: String(i), checked: right, 'aria-label': `Option ${i + 1} is the right answer` }),
      h('label', { for: id, class: 'sr-only' }, `Option ${i + 1}`),
      h('input', { id, name: `content.options[${i}]`, value: text, maxlength: 500, class: 'mt-opt-text' }),
      button('Remove', onRemove, 'btn btn-sm btn-ghost', { 'aria-label': `Remove option ${i + 1}` })),
    h('p', { class: 'field-error' }));
}

function quizFields(c) {
  let opts = (c.options || []).map((text, i) => ({ text, right: i === c.answer }));
  const rows = h('div', { class: 'mt-opts' });
  const set = h('fieldset', { class: 'mt-opt-set', 'data-field': 'content.options' },
    h('legend', {}, 'Options (choose the right one)'),
    h('p', { class: 'field-error' }),
    h('div', { 'data-field': 'content.answer' }, h('p', { class: 'field-error' })),
    rows);
  // The options as typed so far (a row removed or added keeps the rest).
  const read = () => opts.map((o, i) => ({
    text: set.querySelector(`[name="content.options[${i}]"]`)?.value ?? o.text,
    right: !!set.querySelector(`[name="content.answer"][value="${i}"]`)?.checked,
  }));
  const draw = () => {
    clear(rows, opts.map((o, i) => optionRow(i, o.text, o.right, () => {
      opts = read();
      opts.splice(i, 1);
      draw();
    })));
    addBtn.disabled = opts.length >= 6;
  };
  const addBtn = button('Add an option', () => { opts = read(); opts.push({ text: '', right: false }); draw(); }, 'btn btn-sm btn-secondary');
  set.append(addBtn);
  draw();
  return {
    nodes: [field({ label: 'Question', name: 'content.stem', type: 'textarea', rows: 2, value: c.stem }), set,
      field({ label: 'Explanation', name: 'content.explanation', type: 'textarea', rows: 2, value: c.explanation || '' })],
    value: (form) => {
      const now = read();
      const right = now.findIndex((o) => o.right);
      return { stem: form.elements['content.stem'].value, options: now.map((o) => o.text),
        answer: right < 0 ? -1 : right, explanation: form.elements['content.explanation'].value };
    },
  };
}

// The generator names some terms "keyword", a kind the server's own check
// of an edit refuses (it takes acronym, defined, phrase, number, name): an
// edited list sends them as phrases.
const TERM_KINDS = ['acronym', 'defined', 'phrase', 'number', 'name'];

function editFields(a) {
  const c = a.content || {};
  const text = (form, name) => form.elements[name].value;
  switch (a.asset_type) {
    case 'flashcard':
      if (c.kind === 'cloze') {
        return {
          nodes: [field({ label: 'Text', name: 'content.text', type: 'textarea', rows: 3, value: c.text,
            hint: 'Hide the answer as {{c1::answer}}.' }),
          field({ label: 'Extra', name: 'content.extra', type: 'textarea', rows: 2, value: c.extra || '' })],
          value: (f) => ({ kind: 'cloze', text: text(f, 'content.text'), extra: text(f, 'content.extra') }),
        };
      }
      return {
        nodes: [field({ label: 'Front', name: 'content.front', type: 'textarea', rows: 2, value: c.front }),
          field({ label: 'Back', name: 'content.back', type: 'textarea', rows: 2, value: c.back })],
        value: (f) => ({ kind: 'basic', front: text(f, 'content.front'), back: text(f, 'content.back') }),
      };
    case 'quiz':
      return quizFields(c);
    case 'summary':
      return {
        nodes: [field({ label: 'Summary', name: 'content.text', type: 'textarea', rows: 6, value: c.text })],
        value: (f) => ({ text: text(f, 'content.text') }),
      };
    case 'key_terms': {
      const known = new Map((c.terms || []).map((t) => [t.term.toLowerCase(), t]));
      return {
        nodes: [field({ label: 'Terms, one a line', name: 'content.terms', type: 'textarea', rows: 8,
          value: (c.terms || []).map((t) => t.term).join('\n') })],
        value: (f) => ({
          terms: text(f, 'content.terms').split('\n').map((s) => s.trim()).filter(Boolean).map((term) => {
            const t = known.get(term.toLowerCase());
            return { term, kind: t && TERM_KINDS.includes(t.kind) ? t.kind : 'phrase', score: t ? t.score : 0.5 };
          }),
        }),
      };
    }
    default:
      return null;
  }
}

function editForm(a, done) {
  const f = editFields(a);
  const form = h('form', { class: 'mt-edit', 'aria-label': `Edit the ${typeName(a.asset_type).toLowerCase()}` },
    h('div', { 'data-field': 'content' }, h('p', { class: 'field-error' })),
    f.nodes,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn btn-sm' }, 'Save'),
      button('Cancel', () => done(null), 'btn btn-sm btn-secondary')));
  return onSubmit(form, async () => {
    const saved = await api.patch(`/assets/${a.id}`, { content: f.value(form) },
      { headers: { 'If-Match': `"v${a.version}"` } });
    toast('Saved.', 'success');
    done(saved);
  });
}

// ---- rating an asset ------------------------------------------------------------------

function rateForm(a, mine, done) {
  const name = nextId('stars');
  const stars = [1, 2, 3, 4, 5].map((n) => {
    const id = `${name}-${n}`;
    return [h('input', { type: 'radio', id, name: 'rating', value: String(n), checked: mine?.rating === n, class: 'mt-star-input' }),
      h('label', { for: id, class: 'mt-star' }, h('span', { 'aria-hidden': 'true' }, '★'), h('span', { class: 'sr-only' }, plural(n, 'star')))];
  });
  const starSet = h('fieldset', { class: 'mt-stars', 'data-field': 'rating' },
    h('legend', {}, 'How good is it?'), h('div', { class: 'mt-star-row' }, stars), h('p', { class: 'field-error' }));
  // The stars up to the chosen one are lit.
  const light = () => {
    const v = Number(starSet.querySelector('input:checked')?.value || 0);
    starSet.querySelectorAll('.mt-star').forEach((l, i) => l.classList.toggle('on', i < v));
  };
  starSet.addEventListener('change', light);
  light();
  const flags = h('fieldset', { class: 'mt-flags', 'data-field': 'flags' }, h('legend', {}, 'Anything wrong with it?'),
    FLAGS.map(([v, text]) => field({ label: text, name: `flag-${v}`, type: 'checkbox', value: (mine?.flags || []).includes(v) })),
    h('p', { class: 'field-error' }));
  const form = h('form', { class: 'mt-rate', 'aria-label': 'Rate it' }, starSet, flags,
    field({ label: 'Comment', name: 'comment', type: 'textarea', rows: 2, value: mine?.comment || '', attrs: { maxlength: 2000 } }),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn btn-sm' }, 'Save my rating'),
      mine ? button('Withdraw it', async () => {
        try {
          await api.del(`/assets/${a.id}/feedback`);
          toast('Your rating is withdrawn.');
          done(await api.get(`/assets/${a.id}`));
        } catch (e) { toast(problemText(e), 'error'); }
      }, 'btn btn-sm btn-secondary') : null,
      button('Cancel', () => done(null), 'btn btn-sm btn-ghost')));
  return onSubmit(form, async (v) => {
    const body = { flags: FLAGS.map(([f]) => f).filter((f) => v[`flag-${f}`]), comment: v.comment || '' };
    // (formValues takes every radio's value, checked or not.)
    const stars = starSet.querySelector('input:checked');
    if (stars) body.rating = Number(stars.value);
    const saved = await api.put(`/assets/${a.id}/feedback`, body);
    toast(saved.hidden ? 'Thanks: it is now hidden from studying.' : 'Thanks: your rating is saved.', 'success');
    done(saved);
  });
}

// ---- the material page --------------------------------------------------------------

// One asset with what may be done to it.  page: {writer, showSource(s, a),
// changed(a)}.
function assetView(page, a) {
  const el = h('article', { class: ['card', 'mt-asset', `mt-asset-${a.asset_type}`], tabindex: '-1',
    'data-testid': 'asset', 'data-type': a.asset_type, 'data-asset': a.id, 'aria-label': typeName(a.asset_type) });
  const [stText, stKind] = ASSET_STATUS[a.status] || [a.status, ''];
  const extra = h('div', { class: 'mt-asset-extra' });
  const act = (fn, ok) => async () => {
    try {
      const saved = await fn();
      if (ok) toast(ok, 'success');
      page.changed(saved);
    } catch (e) { toast(problemText(e), 'error'); }
  };
  const open = (node) => {
    clear(extra, node);
    node.querySelector('input, textarea, select')?.focus();
  };
  const closeWith = (saved) => {
    if (saved) page.changed(saved);
    else { clear(extra); el.focus(); }
  };
  const card = a.asset_type === 'flashcard';
  const lockedCard = card && a.status === 'accepted';
  const actions = h('div', { class: 'row mt-actions' },
    page.writer && a.status !== 'accepted' ? button('Accept', act(() => api.post(`/assets/${a.id}/accept`),
      card ? 'Accepted: the card is in the material\'s deck, to review in Flashcards.' : 'Accepted.'), 'btn btn-sm') : null,
    page.writer && !lockedCard ? button('Edit', () => open(editForm(a, closeWith)), 'btn btn-sm btn-secondary') : null,
    page.writer && a.status === 'rejected' ? button('Reopen', act(() => api.post(`/assets/${a.id}/reopen`), 'Proposed again.'), 'btn btn-sm btn-secondary') : null,
    page.writer && a.status !== 'rejected' && !lockedCard ? button('Reject', act(() => api.post(`/assets/${a.id}/reject`), 'Rejected.'), 'btn btn-sm btn-ghost') : null,
    button('Rate', async () => {
      try {
        const full = await api.get(`/assets/${a.id}`);
        open(rateForm(a, full.my_feedback, closeWith));
      } catch (e) { toast(problemText(e), 'error'); }
    }, 'btn btn-sm btn-ghost'));
  return append(el, [
    h('div', { class: 'mt-asset-head' },
      h('span', { class: 'mt-asset-type' }, typeName(a.asset_type)),
      badge(stText, stKind),
      a.hidden ? badge('Hidden: rated low', 'warn') : null,
      a.edited ? badge('Edited') : null,
      h('span', { class: 'small muted mt-asset-q' },
        a.quality_score !== null && a.quality_score !== undefined ? `quality ${Math.round(a.quality_score * 100)}%` : '',
        a.difficulty_level ? ` · difficulty ${a.difficulty_level}/10` : '')),
    assetContent(a, page.writer),
    sourceQuote(a.source, (s) => page.showSource(s, a)),
    // (The deck is named after the material's title when its first card came.)
    lockedCard ? h('p', { class: 'small muted' }, 'In the material\'s deck: ', h('a', { href: '/flashcards' }, 'review it in Flashcards'), '.') : null,
    actions, extra]);
}

// The material's details, changed in place (If-Match: its version).
function detailsForm(m, done) {
  const form = h('form', { class: 'card mt-edit-details', 'aria-label': 'Edit the details' },
    h('h2', {}, 'Details'),
    field({ label: 'Title', name: 'title', required: true, maxlength: 255, value: m.title }),
    field({ label: 'Description', name: 'description', type: 'textarea', rows: 3, value: m.description || '' }),
    field({ label: 'Subject', name: 'subject_area', maxlength: 100, value: m.subject_area || '' }),
    field({ label: 'Tags', name: 'tags', value: (m.tags || []).join(' '), hint: 'Separated by commas or spaces.' }),
    field({ label: 'Difficulty', name: 'difficulty_level', type: 'select', options: DIFFICULTY, value: m.difficulty_level || '' }),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, 'Save'),
      button('Cancel', () => done(null), 'btn btn-secondary')));
  return onSubmit(form, async () => {
    const el = form.elements;
    const saved = await api.patch(`${M}/${m.id}`, {
      title: el.title.value, description: el.description.value,
      subject_area: el.subject_area.value.trim() || null, tags: tagList(el.tags.value),
      difficulty_level: el.difficulty_level.value || null,
    }, { headers: { 'If-Match': `"v${m.version}"` } });
    toast('Saved.', 'success');
    done(saved);
  });
}

// Starts a session of the material and opens it.
async function startSession(ctx, m, type) {
  try {
    const s = await api.post(`${M}/${m.id}/sessions`, { session_type: type });
    ctx.navigate(`/materials/sessions/${s.id}`);
  } catch (e) {
    toast(problemText(e), 'error', 6000);
  }
}

async function allChunks(id) {
  const out = [];
  let after;
  for (let i = 0; i < 50; i++) {
    const r = await api.get(`${M}/${id}/chunks${qs({ after, limit: 200 })}`);
    out.push(...r.items);
    if (r.next === null || r.next === undefined) break;
    after = r.next;
  }
  return out;
}

async function materialPage(ctx) {
  const id = ctx.params.id;
  let m = await api.get(`${M}/${id}`);
  const writer = () => m.role !== 'learner';
  ctx.title(m.title);
  const head = h('div', {});
  const work = h('div', { class: 'mt-work', role: 'status', 'aria-live': 'polite', 'data-testid': 'material-status' });
  const body = h('div', {});
  clear(ctx.main, h('p', { class: 'crumbs' }, h('a', { href: '/materials' }, 'Materials'), ' › '), head, work, body);

  let timer = null;
  let bodyShown = false;
  let editing = false; // the details form is open: polls leave it be
  ctx.onLeave(() => clearTimeout(timer));

  function renderHead() {
    if (editing) return;
    const url = m.source_type === 'url' && m.source_url;
    const facts = [url ? '' : sourceLabel(m), m.language && language(m.language), m.word_count ? plural(m.word_count, 'word') : '',
      m.chunks ? plural(m.chunks, 'section') : '', m.subject_area, m.difficulty_level && `${m.difficulty_level} level`,
      `added ${fmt.ago(m.created_at)}`].filter(Boolean);
    clear(head,
      pageHeader(m.title,
        writer() ? button('Edit details', () => {
          editing = true;
          clear(head, pageHeader(m.title), detailsForm(m, (saved) => {
            editing = false;
            if (saved) { m = { ...m, ...saved }; ctx.title(m.title); }
            renderHead();
          }));
          head.querySelector('input')?.focus();
        }, 'btn btn-secondary') : null,
        writer() ? button('Delete', async () => {
          if (!await confirmDialog(`Delete “${m.title}”? Its sections and proposals go with it; cards you accepted stay in your deck.`, { ok: 'Delete', danger: true })) return;
          try {
            await api.del(`${M}/${m.id}`);
            toast('Material deleted.');
            ctx.navigate('/materials');
          } catch (e) { toast(problemText(e), 'error'); }
        }, 'btn btn-secondary') : null),
      h('p', { class: 'mt-facts' }, statusBadge(m.status), ' ',
        url ? [h('a', { href: m.source_url, target: '_blank', rel: 'noopener noreferrer', class: 'small' }, sourceLabel(m)), ' · '] : null,
        h('span', { class: 'small muted' }, facts.filter(Boolean).join(' · '))),
      m.description ? h('p', {}, m.description) : null,
      m.tags?.length ? h('ul', { class: 'mt-chips', 'aria-label': 'Tags' }, m.tags.map((t) => h('li', { class: 'mt-chip' }, t))) : null);
  }

  // The job at work (processing, or proposing again), or why it failed.
  // Drawn again only when it changed: the region is read out when it is.
  let workKey = '';
  function renderWork() {
    const j = m.job;
    const key = JSON.stringify([m.status, m.error, j]);
    if (key === workKey) return;
    workKey = key;
    if (m.status === 'failed') {
      clear(work, h('div', { class: 'state state-error mt-failed', role: 'alert' },
        h('p', {}, h('strong', {}, 'It could not be processed: '), m.error || j?.error || 'no reason was given.'),
        writer() ? h('p', { class: 'small' }, 'Delete it and add it again, perhaps in another format.') : null));
      return;
    }
    if (!jobBusy(m) && m.status !== 'processing') {
      // Proposing again failed: the material stays as it was.
      clear(work, j && j.status === 'failed' && j.kind !== 'materials.process'
        ? h('p', { class: 'mt-job-failed' }, h('strong', {}, 'Proposing again failed: '), j.error || 'no reason was given.') : null);
      return;
    }
    const p = j?.progress || {};
    const pct = p.total ? (100 * (p.done || 0)) / p.total : 0;
    const what = m.status === 'processing' ? 'Processing it' : 'Proposing again';
    const how = !j || j.status === 'queued'
      ? (j?.attempts && j?.error ? `Waiting to try again (${j.error})` : 'Waiting for its turn…')
      : p.total ? `Step ${p.done || 0} of ${p.total}` : 'Started…';
    clear(work, h('div', { class: 'card mt-job' },
      h('p', {}, h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('strong', {}, what), ' · ', how),
      progressBar(pct, what),
      writer() && j ? button('Cancel', async () => {
        try {
          await api.post(`/jobs/${j.id}/cancel`);
          toast('Cancelled.');
          m = await api.get(`${M}/${m.id}`);
          update();
        } catch (e) { toast(problemText(e), 'error'); }
      }, 'btn btn-sm btn-secondary') : null));
  }

  // Follows the job until it ends, then shows what it made.
  function watch() {
    clearTimeout(timer);
    if (!busy(m)) return;
    timer = setTimeout(async () => {
      if (!ctx.current()) return;
      try {
        const was = m;
        m = await api.get(`${M}/${m.id}`);
        update(busy(was) && !busy(m));
      } catch (e) {
        if (!(e instanceof ApiError && e.transient)) { toast(problemText(e), 'error'); return; }
        watch();
      }
    }, POLL_MS);
  }

  function update(finished = false) {
    renderHead();
    renderWork();
    if (m.status === 'ready' && (!bodyShown || finished)) { bodyShown = true; renderBody(); }
    watch();
  }

  async function renderBody() {
    await load(body, () => Promise.all([allChunks(m.id), api.get(`${M}/${m.id}/assets`)]),
      ([chunks, assets]) => readyView(chunks, assets));
    const want = ctx.query.get('chunk');
    if (want) body.querySelector(`[data-chunk="${CSS.escape(want)}"]`)?.scrollIntoView({ block: 'start' });
  }

  function readyView(chunks, assets) {
    const order = new Map(chunks.map((c) => [c.id, c]));
    let sel = ctx.query.get('chunk') && order.has(ctx.query.get('chunk')) ? ctx.query.get('chunk') : '';
    let status = '';
    const chunkEls = new Map();
    const panel = h('div', { class: 'mt-assets-list' });
    const shown = h('p', { class: 'small muted', role: 'status' });
    const choose = field({ label: 'Made from', name: 'chunk', type: 'select', value: sel,
      options: [['', 'All sections'], ...chunks.map((c) => [c.id, `${c.chunk_order + 1}. ${c.heading || c.chunk_type}`])] });
    const statusSel = field({ label: 'Showing', name: 'status', type: 'select',
      options: [['', 'Everything'], ['ready', 'Proposed'], ['accepted', 'Accepted'], ['rejected', 'Rejected']] });
    const chooseInput = choose.querySelector('select');
    chooseInput.addEventListener('change', () => { sel = chooseInput.value; drawAssets(); });
    statusSel.querySelector('select').addEventListener('change', (e) => { status = e.target.value; drawAssets(); });

    // The chunk a source sentence is in: by its offsets in the text.
    const chunkOf = (s, a) => chunks.find((c) => s.start >= c.start_offset && s.start < c.end_offset) || order.get(a.chunk_id);
    const page = {
      writer: writer(),
      showSource(s, a) {
        const c = chunkOf(s, a);
        const el = c && chunkEls.get(c.id);
        if (!el) return;
        for (const x of chunkEls.values()) x.classList.remove('mt-lit');
        el.classList.add('mt-lit');
        const mark = markText(el.querySelector('.mt-chunk-text'), s.text);
        const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
        (mark || el).scrollIntoView({ block: 'center', behavior: reduce ? 'auto' : 'smooth' });
        el.focus({ preventScroll: true });
      },
      changed(saved) {
        const i = assets.findIndex((x) => x.id === saved.id);
        if (i >= 0) assets[i] = { ...assets[i], ...saved };
        const old = panel.querySelector(`[data-asset="${CSS.escape(saved.id)}"]`);
        const fresh = assetView(page, assets[i] || saved);
        if (old) { old.replaceWith(fresh); fresh.focus(); }
        countChunks();
        // The counts in the header follow.
        api.get(`${M}/${m.id}`).then((x) => { m = x; renderHead(); }).catch(() => {});
      },
    };

    function drawAssets() {
      const list = assets.filter((a) => (!sel || a.chunk_id === sel) && (!status || a.status === status));
      const groups = TYPES.map(([t, , many]) => [many, list.filter((a) => a.asset_type === t)]).filter(([, xs]) => xs.length);
      clear(panel, groups.length ? groups.map(([title, xs]) => h('section', { class: 'mt-group', 'aria-label': title },
        h('h3', {}, title, ' ', h('span', { class: 'small muted' }, `(${xs.length})`)),
        xs.map((a) => assetView(page, a))))
        : empty(assets.length ? 'Nothing here with these choices.' : (writer()
          ? 'Nothing was proposed from it yet: generate again above.'
          : 'Its authors have not accepted anything from it yet.')));
      shown.textContent = `${plural(list.length, 'item')} shown${sel ? ' from the chosen section' : ''}.`;
      for (const [cid, el] of chunkEls) el.classList.toggle('mt-chosen', cid === sel);
    }

    // Each chunk says how much was made from it.
    function countChunks() {
      for (const [cid, el] of chunkEls) {
        const n = assets.filter((a) => a.chunk_id === cid).length;
        const b = el.querySelector('.mt-chunk-show');
        if (b) b.textContent = n ? `Show the ${plural(n, 'item')} made from it` : 'Nothing made from it';
        if (b) b.disabled = !n;
      }
    }

    const chunkList = h('ol', { class: 'mt-chunks', 'aria-label': 'Sections' }, chunks.map((c) => {
      const el = h('li', { class: 'mt-chunk card', id: `chunk-${c.id}`, 'data-chunk': c.id, 'data-testid': 'chunk', tabindex: '-1' },
      h('div', { class: 'mt-chunk-head' },
        h('h3', { class: 'mt-chunk-title' }, h('span', { class: 'muted' }, `${c.chunk_order + 1}. `), c.heading || 'Untitled section'),
        h('span', { class: 'small muted' }, `${c.chunk_type} · ${plural(c.word_count, 'word')}`)),
      h('div', { class: 'mt-chunk-text' }, chunkBody(c.content, c.heading)),
      c.summary ? h('p', { class: 'mt-chunk-summary small' }, h('strong', {}, 'In short: '), c.summary) : null,
      h('button', { type: 'button', class: 'btn btn-sm btn-ghost mt-chunk-show', onclick: () => {
        sel = c.id;
        chooseInput.value = c.id;
        drawAssets();
        // Beside the text (wide screens) the list is in view already, at
        // its top; below it (narrow ones) the page goes there.
        side.scrollTop = 0;
        side.querySelector('h2').focus({ preventScroll: true });
        const top = side.getBoundingClientRect().top;
        if (top < 0 || top > window.innerHeight * 0.8) side.scrollIntoView({ block: 'start' });
      } }, ''));
      chunkEls.set(c.id, el);
      return el;
    }));
    const side = h('section', { class: 'mt-assets', 'aria-labelledby': 'mt-assets-h' },
      h('h2', { id: 'mt-assets-h', tabindex: '-1' }, writer() ? 'Proposed from it' : 'To study'),
      h('div', { class: 'mt-filters' }, choose, statusSel), shown, panel);
    countChunks();
    drawAssets();
    return h('div', {},
      studyBar(), h('div', { class: 'mt-columns' },
        h('section', { class: 'mt-text', 'aria-labelledby': 'mt-text-h' },
          h('h2', { id: 'mt-text-h' }, 'The text'),
          chunks.length ? chunkList : empty('No text was found in it.')),
        side));
  }

  // Studying, and (for who may change it) proposing again.
  function studyBar() {
    const note = h('p', { class: 'small muted', role: 'status' });
    const generate = (generator) => async () => {
      note.textContent = '';
      try {
        // A new seed: the built-in generator picks other distractors.
        m = await api.post(`${M}/${m.id}/generate`, { generator, seed: Math.floor(Math.random() * 2147483647) });
        note.textContent = 'Proposing again: its progress is shown above.';
        update();
      } catch (e) {
        note.textContent = problemText(e);
      }
    };
    return h('section', { class: 'card mt-study', 'aria-label': 'Study it' },
      h('div', { class: 'row' },
        button('Study cards', () => startSession(ctx, m, 'study'), 'btn'),
        button('Take the quiz', () => startSession(ctx, m, 'quiz'), 'btn'),
        button('Review mistakes', () => startSession(ctx, m, 'review'), 'btn btn-secondary')),
      writer() ? h('div', { class: 'row mt-generate' },
        button('Generate again', generate('builtin'), 'btn btn-sm btn-secondary'),
        button('Generate with the model', generate('model'), 'btn btn-sm btn-secondary'),
        h('span', { class: 'small muted' }, 'Proposals nobody accepted, rejected or edited are replaced.')) : null,
      note);
  }

  update();
}

// ---- a study session ---------------------------------------------------------------

const KIND = { study: 'Study', quiz: 'Quiz', review: 'Review' };

async function sessionPage(ctx) {
  let s = await api.get(`/study-sessions/${ctx.params.id}`);
  const m = await api.get(`${M}/${s.material_id}`).catch(() => null);
  const title = `${KIND[s.session_type] || 'Study'}: ${m ? m.title : 'a material'}`;
  ctx.title(title);
  const status = h('p', { class: 'mt-s-status', 'aria-live': 'polite', 'data-testid': 'session-status' });
  const barBox = h('div', {});
  const stage = h('div', { class: 'mt-stage' });
  const finishNow = button('Finish now', () => finish(), 'btn btn-secondary btn-sm');
  clear(ctx.main, h('p', { class: 'crumbs' }, h('a', { href: '/materials' }, 'Materials'), ' › ',
    m ? [h('a', { href: `/materials/${m.id}` }, m.title), ' › '] : null),
  pageHeader(title, finishNow), barBox, status, stage);

  const finished = (it) => s.done.includes(it.id) || (it.asset_type === 'summary' && s.seen.includes(it.id));
  let item = null, shownAt = 0, phase = 'ask'; // ask, shown (a card's answer), judged (a question's)

  const progress = () => {
    clear(barBox, progressBar(s.completion_percentage, 'Completion of the session'));
    const n = s.items.filter(finished).length;
    const at = item && !finished(item) ? n + 1 : n;
    status.textContent = `${Math.min(at, s.items.length)} of ${s.items.length}` +
      (s.answered ? ` · ${s.correct} of ${s.answered} right so far` : '');
  };

  // Sends an interaction; its answer updates the session's counts.
  async function send(type, extra = {}) {
    const r = await api.post(`/study-sessions/${s.id}/interactions`, {
      interaction_type: type, asset_id: item.id,
      response_time_ms: Math.min(3600000, Math.round(performance.now() - shownAt)), ...extra,
    });
    s.completion_percentage = r.completion_percentage;
    s.answered = r.answered;
    s.correct = r.correct;
    if (!s.seen.includes(item.id)) s.seen.push(item.id);
    if (type !== 'view' && type !== 'reveal' && !s.done.includes(item.id)) s.done.push(item.id);
    progress();
    return r;
  }

  // An interaction that failed: a session that ended shows what it came to.
  async function failed(e) {
    if (e instanceof ApiError && e.status === 409) {
      s = await api.get(`/study-sessions/${s.id}`);
      if (s.status !== 'active') { summary(); return; }
      next();
    }
    toast(problemText(e), 'error');
  }

  function next() {
    item = s.items.find((it) => !finished(it)) || null;
    phase = 'ask';
    progress();
    if (!item) {
      clear(stage, h('div', { class: 'card mt-s-card mt-s-end' },
        h('p', {}, 'That was the last one.'),
        button('Finish', () => finish(), 'btn btn-lg', { 'data-testid': 'finish' })));
      stage.querySelector('button').focus();
      return;
    }
    shownAt = performance.now();
    if (item.asset_type === 'quiz') askQuestion();
    else if (item.asset_type === 'flashcard') askCard();
    else showSummary();
  }

  const skip = () => button('Skip', async () => {
    try { await send('skip'); next(); } catch (e) { failed(e); }
  }, 'btn btn-ghost', { 'data-testid': 'skip' });

  function askCard() {
    const c = item.content || {};
    const isCloze = c.kind === 'cloze';
    const answer = h('div', { class: 'mt-s-answer', hidden: true },
      isCloze ? h('p', {}, cloze(c.text || '')) : h('p', {}, c.back),
      isCloze && c.extra ? h('p', { class: 'small muted' }, c.extra) : null,
      sourceQuote(item.source));
    const show = button('Show answer', reveal, 'btn btn-lg', { 'aria-keyshortcuts': 'Space', 'data-testid': 'show-answer' });
    const judge = h('div', { class: 'mt-s-judge', hidden: true, role: 'group', 'aria-label': 'Did you know it?' },
      button('I didn\'t', () => knew(false), 'btn btn-lg btn-secondary', { 'aria-keyshortcuts': '1', 'data-testid': 'didnt-know' }),
      button('I knew it', () => knew(true), 'btn btn-lg', { 'aria-keyshortcuts': '2', 'data-testid': 'knew-it' }));
    clear(stage, h('article', { class: 'card mt-s-card', 'data-testid': 'study-item', 'data-type': 'flashcard' },
      h('p', { class: 'small muted' }, 'Card'),
      h('p', { class: 'mt-s-front' }, isCloze ? cloze(c.text || '', false) : c.front),
      answer, h('div', { class: 'mt-s-actions' }, show, judge, skip())));
    show.focus();
  }

  async function reveal() {
    if (!item || item.asset_type !== 'flashcard' || phase !== 'ask') return;
    phase = 'shown';
    stage.querySelector('.mt-s-answer').hidden = false;
    stage.querySelector('[data-testid=show-answer]').hidden = true;
    const judge = stage.querySelector('.mt-s-judge');
    judge.hidden = false;
    judge.querySelector('[data-testid=knew-it]').focus();
    try { await send('reveal'); } catch (e) { failed(e); }
  }

  async function knew(yes) {
    if (phase !== 'shown') return;
    phase = 'sending';
    for (const b of stage.querySelectorAll('button')) b.disabled = true;
    try { await send('answer', { answer: yes }); next(); } catch (e) {
      phase = 'shown';
      for (const b of stage.querySelectorAll('button')) b.disabled = false;
      failed(e);
    }
  }

  function askQuestion() {
    const c = item.content || {};
    const name = nextId('choice');
    const result = h('div', { class: 'mt-s-result', 'aria-live': 'polite' });
    const check = h('button', { type: 'submit', class: 'btn btn-lg', 'data-testid': 'check' }, 'Check');
    const form = h('form', { class: 'card mt-s-card', 'data-testid': 'study-item', 'data-type': 'quiz' },
      h('fieldset', { class: 'mt-s-options' },
        h('legend', { class: 'mt-stem' }, c.stem),
        (c.options || []).map((o, i) => {
          const id = `${name}-${i}`;
          return h('div', { class: 'mt-s-option', 'data-option': i },
            h('input', { type: 'radio', name, id, value: String(i) }),
            h('label', { for: id }, h('span', { class: 'mt-key', 'aria-hidden': 'true' }, `${i + 1}`), o));
        })),
      result, h('div', { class: 'mt-s-actions' }, check, skip()));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (phase !== 'ask') return;
      const picked = form.querySelector('input:checked');
      if (!picked) { clear(result, h('p', {}, 'Choose an answer first.')); return; }
      phase = 'sending';
      check.disabled = true;
      try {
        const r = await send('answer', { answer: Number(picked.value) });
        phase = 'judged';
        judged(form, result, Number(picked.value), r);
      } catch (err) { phase = 'ask'; check.disabled = false; failed(err); }
    });
    clear(stage, form);
    form.querySelector('input')?.focus();
  }

  function judged(form, result, picked, r) {
    const right = r.feedback?.correct_answer;
    for (const input of form.querySelectorAll('input')) input.disabled = true;
    for (const row of form.querySelectorAll('.mt-s-option')) {
      const i = Number(row.dataset.option);
      if (i === right) { row.classList.add('mt-right'); row.append(h('span', { class: 'sr-only' }, ' (the right answer)')); }
      else if (i === picked) row.classList.add('mt-wrong');
    }
    const options = item.content?.options || [];
    clear(result,
      h('p', { class: r.is_correct ? 'mt-s-ok' : 'mt-s-bad', 'data-testid': 'verdict' },
        r.is_correct ? 'Right.' : `Not quite: the answer is “${options[right] ?? '?'}”.`),
      r.feedback?.explanation ? h('p', {}, r.feedback.explanation) : null,
      sourceQuote(r.feedback?.source));
    const go = button('Next', () => next(), 'btn btn-lg', { 'data-testid': 'next' });
    clear(form.querySelector('.mt-s-actions'), go);
    go.focus();
  }

  function showSummary() {
    const c = item.content || {};
    const go = button('Next', async () => {
      go.disabled = true;
      try { await send('view'); next(); } catch (e) { go.disabled = false; failed(e); }
    }, 'btn btn-lg', { 'data-testid': 'next' });
    clear(stage, h('article', { class: 'card mt-s-card', 'data-testid': 'study-item', 'data-type': 'summary' },
      h('p', { class: 'small muted' }, 'Summary'),
      h('div', { class: 'mt-summary' }, String(c.text || '').split(/\n{2,}/).map((p) => h('p', {}, p))),
      sourceQuote(item.source), h('div', { class: 'mt-s-actions' }, go)));
    go.focus();
  }

  async function finish() {
    if (s.status === 'active') {
      try { s = await api.post(`/study-sessions/${s.id}/end`); } catch (e) {
        if (!(e instanceof ApiError && e.status === 409)) { toast(problemText(e), 'error'); return; }
        s = await api.get(`/study-sessions/${s.id}`);
      }
    }
    summary();
  }

  function summary() {
    item = null;
    finishNow.hidden = true;
    clear(barBox, progressBar(s.completion_percentage, 'Completion of the session'));
    status.textContent = 'The session is over.';
    const acc = s.answered ? (100 * s.correct) / s.answered : null;
    clear(stage, h('section', { class: 'card mt-s-card mt-s-summary', 'data-testid': 'session-summary', 'aria-label': 'How it went' },
      h('h2', {}, 'How it went'),
      h('div', { class: 'grid grid-3 mt-s-stats' },
        h('div', { class: 'stat' }, h('span', { class: 'value', 'data-testid': 'session-answered' }, fmt.num(s.answered)), h('span', { class: 'label' }, 'answered')),
        h('div', { class: 'stat' }, h('span', { class: 'value', 'data-testid': 'session-correct' }, fmt.num(s.correct)), h('span', { class: 'label' }, 'right')),
        h('div', { class: 'stat' }, h('span', { class: 'value', 'data-testid': 'session-score' }, fmt.pct(acc)), h('span', { class: 'label' }, 'accuracy'))),
      h('p', { class: 'small muted' }, `${plural(s.total_interactions || 0, 'step')} · ${fmt.pct(s.completion_percentage)} of the items seen`),
      h('div', { class: 'row' },
        m ? h('a', { class: 'btn', href: `/materials/${m.id}` }, 'Back to the material') : null,
        m && s.answered > s.correct ? button('Review mistakes', () => startSession(ctx, m, 'review'), 'btn btn-secondary') : null,
        h('a', { class: 'btn btn-secondary', href: '/materials/progress' }, 'My progress'))));
    stage.querySelector('h2').setAttribute('tabindex', '-1');
    stage.querySelector('h2').focus();
  }

  // Keys: Space or Enter shows a card's answer, then 1 (I didn't) or 2 (I
  // knew it); 1-6 pick a question's option, Enter checks it and goes on.
  const onKey = (e) => {
    if (!item || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target.closest?.('textarea, select, input:not([type=radio])')) return;
    const onControl = !!e.target.closest?.('button, a, input');
    const n = Number(e.key);
    if (item.asset_type === 'flashcard') {
      if ((e.key === ' ' || e.key === 'Enter') && phase === 'ask' && !onControl) { e.preventDefault(); reveal(); }
      else if (phase === 'shown' && (e.key === '1' || e.key === '2')) { e.preventDefault(); knew(e.key === '2'); }
    } else if (item.asset_type === 'quiz') {
      const radios = [...stage.querySelectorAll('input[type=radio]')];
      if (phase === 'ask' && n >= 1 && n <= radios.length) { e.preventDefault(); radios[n - 1].checked = true; radios[n - 1].focus(); }
      else if (e.key === 'Enter' && (!onControl || e.target.type === 'radio')) {
        e.preventDefault();
        if (phase === 'ask') stage.querySelector('form')?.requestSubmit();
        else if (phase === 'judged') next();
      }
    } else if (e.key === 'Enter' && !onControl) {
      e.preventDefault();
      stage.querySelector('[data-testid=next]')?.click();
    }
  };
  document.addEventListener('keydown', onKey);
  ctx.onLeave(() => document.removeEventListener('keydown', onKey));

  if (s.status !== 'active') summary();
  else next();
}

// ---- progress -----------------------------------------------------------------------

async function progressPage(ctx) {
  ctx.title('Progress on materials');
  let period = ['day', 'week', 'month'].includes(ctx.query.get('period')) ? ctx.query.get('period') : 'week';
  const box = h('div', {});
  const pick = field({ label: 'By', name: 'period', type: 'select', value: period,
    options: [['day', 'Day'], ['week', 'Week'], ['month', 'Month']] });
  pick.querySelector('select').addEventListener('change', (e) => {
    period = e.target.value;
    history.replaceState(null, '', ctx.path + qs({ period }));
    show();
  });
  clear(ctx.main, h('p', { class: 'crumbs' }, h('a', { href: '/materials' }, 'Materials'), ' › '),
    pageHeader('Progress on materials'), h('div', { class: 'mt-filters' }, pick), box);
  // A period starts on a day of my calendar ("2026-03-02"), not at a UTC
  // midnight that another time zone would put on the day before.
  const day = (d) => { const [y, mo, dd] = String(d).split('-').map(Number); return new Date(y, mo - 1, dd); };
  const when = (d) => (period === 'day' ? fmt.date(day(d)) : period === 'week' ? `Week of ${fmt.date(day(d))}`
    : day(d).toLocaleDateString(undefined, { year: 'numeric', month: 'long' }));
  const show = () => load(box, () => api.get(`/me/material-progress${qs({ period, days: period === 'month' ? 365 : period === 'week' ? 182 : 60 })}`), (p) => h('div', {},
    h('section', { class: 'section', 'aria-labelledby': 'mt-p-h' }, h('h2', { id: 'mt-p-h' }, 'Sessions'),
      p.items.length ? table([
        { label: period === 'day' ? 'Day' : period === 'week' ? 'Week' : 'Month', cell: (r) => when(r.period_start) },
        { label: 'Material', cell: (r) => r.title ? h('a', { href: `/materials/${r.material_id}` }, r.title) : 'Deleted' },
        { label: 'Sessions', class: 'num', cell: (r) => fmt.num(r.sessions) },
        { label: 'Time', class: 'num', cell: (r) => minutes(r.study_seconds) },
        { label: 'Answered', class: 'num', cell: (r) => `${fmt.num(r.correct)} of ${fmt.num(r.answered)} right` },
        { label: 'Accuracy', class: 'num', cell: (r) => fmt.pct(r.accuracy === null ? null : r.accuracy * 100) },
      ], p.items, { caption: 'My sessions by period' }) : empty('No sessions yet: open a material and study it.')),
    h('section', { class: 'section', 'aria-labelledby': 'mt-pm-h' }, h('h2', { id: 'mt-pm-h' }, 'My materials'),
      p.materials.length ? table([
        { label: 'Material', cell: (x) => h('a', { href: `/materials/${x.material_id}` }, x.title) },
        { label: 'Status', cell: (x) => statusBadge(x.status) },
        { label: 'Accepted', class: 'num', cell: (x) => fmt.num(x.assets_accepted) },
        { label: 'Proposed', class: 'num', cell: (x) => fmt.num(x.assets_ready) },
        { label: 'Sessions', class: 'num', cell: (x) => fmt.num(x.sessions) },
        { label: 'Last studied', cell: (x) => (x.last_studied_at ? fmt.ago(x.last_studied_at) : 'Never') },
      ], p.materials, { caption: 'My materials' }) : empty('No materials yet.', h('a', { class: 'btn', href: '/materials' }, 'Add one')))));
  await show();
}

export default async function materials(ctx) {
  if (ctx.path.replace(/\/$/, '') === '/materials/progress') return progressPage(ctx);
  if (ctx.path.startsWith('/materials/sessions/')) return sessionPage(ctx);
  if (ctx.params.id) return materialPage(ctx);
  return listPage(ctx);
}
