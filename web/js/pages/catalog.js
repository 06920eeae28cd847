// catalog.js - finding something to learn.  Three routes:
//   /catalog    the courses, filtered by exam, domain, lesson kind,
//               difficulty, tag and language (kept in the address), with
//               keyset paging, and the learning paths;
//   /search?q=  courses and lessons ranked by the server, with the matches
//               marked in each snippet;
//   /paths/:id  a learning path: its courses in order and my progress.
import { api, qs, exams as examTracks } from '../api.js';
import { h, clear, field, badge, empty, errorBox, loading, moreButton, progressBar, trustedHtml, debounce, pageHeader } from '../ui.js';
import { KINDS, difficultyBadge, minutesText, pctText, breadcrumb } from './course.js';
import { ratingLine } from './reviews.js';

const exams = () => examTracks().catch(() => []); // names are optional here
const examName = (list, code) => list.find((e) => e.code === code)?.name || code;

// ---- /catalog ------------------------------------------------------------

const FILTERS = ['exam', 'domain', 'kind', 'difficulty', 'tag', 'language'];
const LANGUAGES = [['', 'Any language'], ['en', 'English'], ['de', 'German'], ['fr', 'French'], ['es', 'Spanish'], ['sv', 'Swedish']];

function courseCard(c, examList) {
  const started = c.progress_percent !== null && c.progress_percent !== undefined;
  const done = started && Number(c.progress_percent) >= 100;
  return h('li', { class: 'card course-card' },
    h('div', { class: 'row course-badges' },
      c.exam ? badge(examName(examList, c.exam), 'accent') : null,
      difficultyBadge(c.difficulty),
      c.enrolled ? badge(done ? 'Completed' : 'Enrolled', 'ok') : null,
      c.status && c.status !== 'published' ? badge(c.status, 'warn') : null),
    h('h3', {}, h('a', { href: `/courses/${c.id}`, class: 'stretched' }, c.title)),
    c.summary ? h('p', { class: 'small muted clamp' }, c.summary) : null,
    ratingLine(c.rating),
    h('p', { class: 'small course-facts' },
      `${c.lessons} lesson${c.lessons === 1 ? '' : 's'}`,
      c.estimated_minutes ? ` · ≈ ${minutesText(c.estimated_minutes)}` : ''),
    started ? h('div', { class: 'course-card-progress' },
      h('div', { class: 'row between small' }, h('span', {}, 'Your progress'), h('strong', {}, pctText(c.progress_percent))),
      progressBar(c.progress_percent, `Progress in ${c.title}`)) : null);
}

function pathCard(p, examList) {
  return h('li', { class: 'card path-card' },
    h('div', { class: 'row' }, badge('Learning path', 'accent'), p.exam ? badge(examName(examList, p.exam)) : null),
    h('h3', {}, h('a', { href: `/paths/${p.id}`, class: 'stretched' }, p.title)),
    p.description ? h('p', { class: 'small muted clamp' }, p.description) : null,
    h('p', { class: 'small' }, `${p.courses} course${p.courses === 1 ? '' : 's'} in order`));
}

async function catalog(ctx) {
  ctx.title('Courses');
  const examList = await exams();
  if (!ctx.current()) return;
  const q = ctx.query;
  const examOpts = [['', 'All exams'], ...examList.map((e) => [e.code, e.name])];
  const kindOpts = [['', 'Any kind'], ...Object.entries(KINDS).map(([k, [t]]) => [k, t])];
  const diffOpts = [['', 'Any level'], ['beginner', 'Beginner'], ['intermediate', 'Intermediate'], ['advanced', 'Advanced']];
  const lang = q.get('language') || '';
  const langOpts = LANGUAGES.some(([v]) => v === lang) ? LANGUAGES : [...LANGUAGES, [lang, lang]];

  const form = h('form', { class: 'filters catalog-filters', role: 'search', 'aria-label': 'Filter courses' },
    field({ label: 'Exam', name: 'exam', type: 'select', options: examOpts, value: q.get('exam') || '' }),
    h('div', { class: 'domain-slot' }),
    field({ label: 'Includes', name: 'kind', type: 'select', options: kindOpts, value: q.get('kind') || '' }),
    field({ label: 'Difficulty', name: 'difficulty', type: 'select', options: diffOpts, value: q.get('difficulty') || '' }),
    field({ label: 'Tag', name: 'tag', value: q.get('tag') || '', placeholder: 'e.g. networking' }),
    field({ label: 'Language', name: 'language', type: 'select', options: langOpts, value: lang }),
    h('button', { type: 'reset', class: 'btn btn-ghost' }, 'Clear filters'));

  let domainEl = form.querySelector('.domain-slot');
  const renderDomain = (value = '') => {
    const ex = examList.find((e) => e.code === form.elements.exam.value);
    const opts = [['', ex ? 'All domains' : 'Choose an exam first'], ...(ex?.domains || []).map((d) => [d.code, `${d.code} ${d.name}`])];
    const f = field({ label: 'Domain', name: 'domain', type: 'select', options: opts, value });
    if (!ex) f.querySelector('select').disabled = true;
    domainEl.replaceWith(f);
    domainEl = f;
  };
  renderDomain(q.get('domain') || '');

  const count = h('p', { class: 'small muted', 'aria-live': 'polite', id: 'catalog-count' });
  const list = h('div', { class: 'catalog-results' });
  const values = () => {
    const v = {};
    for (const k of FILTERS) {
      const el = form.elements[k];
      if (el && !el.disabled && el.value.trim()) v[k] = el.value.trim();
    }
    return v;
  };

  let token = 0;
  async function refresh() {
    const mine = ++token;
    const v = values();
    history.replaceState(null, '', '/catalog' + qs(v));
    clear(list, loading('Loading courses…'));
    try {
      const data = await api.get('/courses' + qs({ ...v, limit: 24 }));
      if (mine !== token || !ctx.current()) return;
      const items = data.items || [];
      if (!items.length) {
        count.textContent = 'No courses match.';
        clear(list, empty(Object.keys(v).length ? 'No courses match these filters.' : 'There are no courses yet. Check back soon.',
          Object.keys(v).length ? h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => { form.reset(); } }, 'Show all courses') : null));
        return;
      }
      const grid = h('ul', { class: 'card-grid', 'aria-label': 'Courses' }, items.map((c) => courseCard(c, examList)));
      let shown = items.length;
      const setCount = (more) => { count.textContent = `${shown} course${shown === 1 ? '' : 's'}${more ? ' so far' : ''}`; };
      setCount(!!data.next);
      const more = async (next) => {
        const page = await api.get('/courses' + qs({ ...v, limit: 24, after: next }));
        if (mine !== token) return;
        for (const c of page.items || []) grid.append(courseCard(c, examList));
        shown += (page.items || []).length;
        setCount(!!page.next);
        const b = moreButton(page.next, more);
        if (b) list.append(b);
      };
      clear(list, grid, moreButton(data.next, more));
    } catch (e) {
      if (mine === token) clear(list, errorBox(e, refresh));
    }
  }

  form.addEventListener('change', (e) => {
    if (e.target.name === 'exam') renderDomain('');
    if (e.target.name !== 'tag') refresh();
  });
  form.addEventListener('input', debounce((e) => { if (e.target.name === 'tag') refresh(); }, 400));
  form.addEventListener('submit', (e) => { e.preventDefault(); refresh(); });
  form.addEventListener('reset', () => setTimeout(() => { renderDomain(''); refresh(); }, 0));

  const pathsBox = h('div', {});
  clear(ctx.main,
    pageHeader('Courses', h('a', { href: '/search', class: 'btn btn-ghost' }, 'Search lessons')),
    h('p', { class: 'lead' }, 'Pick a course for your exam, or follow a learning path.'),
    pathsBox,
    h('section', { 'aria-labelledby': 'courses-h', class: 'section-tight' },
      h('h2', { id: 'courses-h' }, 'All courses'), form, count, list));

  const pathsP = api.get('/paths').catch(() => ({ items: [] }));
  await refresh();
  const paths = (await pathsP).items || [];
  if (paths.length && ctx.current()) {
    clear(pathsBox, h('section', { 'aria-labelledby': 'paths-h', class: 'paths-section' },
      h('h2', { id: 'paths-h' }, 'Learning paths'),
      h('ul', { class: 'card-grid' }, paths.map((p) => pathCard(p, examList)))));
  }
}

// ---- /search -------------------------------------------------------------

// Snippets come from the lessons' Markdown: drop its marks (#, *, `) so
// they read as text.  The string is the server's escaped HTML with <mark>.
function tidySnippet(s) {
  return String(s || '').replace(/(^|\n)#{1,6}\s*/g, '$1').replace(/[*`]|\|/g, '').replace(/\s*\n+\s*/g, ' ').trim();
}

async function search(ctx) {
  const term = (ctx.query.get('q') || '').trim();
  ctx.title(term ? `Search: ${term}` : 'Search');
  const form = h('form', { class: 'search-form', role: 'search' },
    field({ label: 'Search courses and lessons', name: 'q', type: 'search', value: term, placeholder: 'e.g. subnetting, OSPF, VLAN', autocomplete: 'off' }),
    h('button', { type: 'submit', class: 'btn' }, 'Search'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = form.elements.q.value.trim();
    if (v) ctx.navigate('/search?q=' + encodeURIComponent(v));
  });
  const status = h('p', { class: 'small muted', role: 'status' });
  const results = h('div', {});
  clear(ctx.main, pageHeader('Search'), form, status, results);
  const top = document.getElementById('top-q');
  if (top) top.value = term;
  if (!term) {
    clear(results, empty('Search the lessons and courses you can study: titles, summaries and the text itself.'));
    form.elements.q.focus();
    return;
  }
  const run = async () => {
    clear(results, loading('Searching…'));
    try {
      const data = await api.get('/search' + qs({ q: term, limit: 50 }));
      if (!ctx.current()) return;
      const items = data.items || [];
      status.textContent = items.length ? `${items.length} result${items.length === 1 ? '' : 's'} for “${term}”` : '';
      if (!items.length) {
        clear(results, empty(`No results for “${term}”.`, h('p', {}, 'Try another word, or ', h('a', { href: '/catalog' }, 'browse the catalog'), '.')));
        return;
      }
      clear(results, h('ol', { class: 'search-results' }, items.map((it) => {
        const href = it.type === 'course' ? `/courses/${it.id}` : `/lessons/${it.id}`;
        const snip = h('p', { class: 'snippet small' });
        const text = tidySnippet(it.snippet);
        trustedHtml(snip, text ? `…${text}…` : '');
        return h('li', { class: 'card search-hit' },
          h('div', { class: 'row' }, badge(it.type === 'course' ? 'Course' : 'Lesson', it.type === 'course' ? 'accent' : ''),
            it.type === 'lesson' && it.course ? h('a', { href: `/courses/${it.course.id}`, class: 'small muted' }, it.course.title) : null),
          h('h2', { class: 'hit-title' }, h('a', { href }, it.title)),
          snip.textContent.trim() ? snip : null);
      })));
    } catch (e) {
      if (ctx.current()) clear(results, errorBox(e, run));
    }
  };
  await run();
}

// ---- /paths/:id ----------------------------------------------------------

async function path(ctx) {
  const p = await api.get(`/paths/${encodeURIComponent(ctx.params.id)}`);
  if (!ctx.current()) return;
  const examList = await exams();
  ctx.title(p.title);
  const courses = p.courses || [];
  const overall = courses.length ? courses.reduce((s, c) => s + (Number(c.progress_percent) || 0), 0) / courses.length : 0;
  const nextCourse = courses.find((c) => (Number(c.progress_percent) || 0) < 100);
  clear(ctx.main,
    breadcrumb([['/catalog', 'Courses'], [null, p.title]]),
    h('section', { class: 'card course-hero' },
      h('div', { class: 'row' }, badge('Learning path', 'accent'), p.exam ? badge(examName(examList, p.exam)) : null),
      h('h1', {}, p.title),
      p.description ? h('p', { class: 'lead' }, p.description) : null,
      courses.length ? h('div', { class: 'course-progress' },
        h('div', { class: 'row between small' }, h('span', {}, `${courses.filter((c) => Number(c.progress_percent) >= 100).length} of ${courses.length} courses completed`), h('strong', {}, pctText(overall))),
        progressBar(overall, 'Path progress')) : null,
      nextCourse ? h('div', { class: 'row' }, h('a', { href: `/courses/${nextCourse.id}`, class: 'btn' },
        nextCourse.progress_percent != null ? `Continue: ${nextCourse.title}` : `Start: ${nextCourse.title}`)) : null),
    h('section', { class: 'section', 'aria-labelledby': 'path-courses' },
      h('h2', { id: 'path-courses' }, 'Courses in this path'),
      courses.length ? h('ol', { class: 'path-steps' }, courses.map((c, i) => {
        const pct = c.progress_percent;
        const state = pct == null ? ['Not started', ''] : Number(pct) >= 100 ? ['Completed', 'ok'] : [`${pctText(pct)} done`, 'accent'];
        return h('li', { class: ['card path-step', Number(pct) >= 100 && 'is-done'] },
          h('span', { class: 'step-num', 'aria-hidden': 'true' }, Number(pct) >= 100 ? '✓' : String(i + 1)),
          h('div', { class: 'step-body' },
            h('h3', {}, h('a', { href: `/courses/${c.id}` }, c.title)),
            c.summary ? h('p', { class: 'small muted' }, c.summary) : null,
            pct != null ? progressBar(pct, `Progress in ${c.title}`) : null),
          badge(state[0], state[1]));
      })) : empty('This path has no courses yet.')));
}

export default async function catalogPage(ctx) {
  const p = ctx.path.replace(/\/$/, '');
  if (p === '/search') return search(ctx);
  if (p.startsWith('/paths/')) return path(ctx);
  return catalog(ctx);
}
