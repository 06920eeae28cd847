// forum.js - the forums (issue 17), but for a thread's own page
// (forum_thread.js) and the moderation queue (forum_mod.js):
//   /forum             the organization's general forum, the forums of my
//                      courses, and my standing (trust level, limits);
//   /forum/course/:id  a course's forum: its categories, with what is new,
//                      and its latest threads;
//   /forum/c/:id       a category's threads, pinned first, with "Load
//                      more", "New thread", watching, and for its
//                      moderators the category's settings;
//   /forum/search      the posts of the forums I read, matches marked.
// A forum's moderators (role 'staff': a course's authors, or content.all)
// also add categories.
import { api, qs } from '../api.js';
import {
  h, clear, field, onSubmit, loading, errorBox, empty, toast, confirmDialog, badge, pageHeader,
  moreButton, button, fmt,
} from '../ui.js';
import { can } from '../app.js';
import {
  problemText, forumHref, forumCrumbs, threadRow, snippet, when, LEVELS,
} from './forum_ui.js';

const KIND_OPTIONS = [['discussion', 'Discussion'], ['qa', 'Questions and answers (answer first to see the others’)']];

export function mayModerate() {
  return can('course.author') || can('content.all');
}

// ---- a forum: its categories and latest threads ----------------------------

function categoryCard(k) {
  return h('li', { class: 'card fo-category', 'data-testid': 'category' },
    h('div', { class: 'row between' },
      h('h3', { class: 'fo-category-name' }, h('a', { href: `/forum/c/${k.id}` }, k.name)),
      h('span', { class: 'row' },
        k.kind === 'qa' ? badge('Q&A', 'accent') : null,
        k.unread ? badge(`${fmt.num(k.unread)} new`, 'accent') : null,
        k.watching ? badge('Watching') : null)),
    k.description ? h('p', { class: 'small muted fo-category-desc' }, k.description) : null,
    h('p', { class: 'small muted' }, `${fmt.num(k.threads)} thread${k.threads === 1 ? '' : 's'}`,
      k.last_activity_at ? [' · last post ', when(k.last_activity_at)] : null));
}

// The form that adds a category to a forum (its moderators).
function newCategoryForm(courseId, done) {
  const form = h('form', { class: 'stack fo-category-form', 'aria-label': 'Add a category' },
    h('div', { class: 'grid grid-2' },
      field({ label: 'Name', name: 'name', required: true, maxlength: 80 }),
      field({ label: 'Kind', name: 'kind', type: 'select', value: 'discussion', options: KIND_OPTIONS })),
    field({ label: 'Description', name: 'description', maxlength: 500 }),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn btn-sm' }, 'Add the category')));
  onSubmit(form, async (v) => {
    // The general forum's: no course_id (the API refuses a null one).
    await api.post('/forum/categories', { ...(courseId ? { course_id: courseId } : {}), name: v.name || '', description: v.description || '', kind: v.kind });
    toast('The category is added.', 'success');
    done();
  });
  return h('details', { class: 'card fo-add-category' }, h('summary', {}, 'Add a category'), form);
}

async function forumBlock(ctx, courseId, { headingLevel = 'h2' } = {}) {
  const f = await api.get('/forum' + qs({ course: courseId }));
  const node = h('div', { class: 'stack' },
    h('section', { 'aria-labelledby': 'fo-cats' },
      h(headingLevel, { id: 'fo-cats' }, 'Categories'),
      h('ul', { class: 'plain-list fo-categories' }, (f.categories || []).map(categoryCard)),
      f.role === 'staff' ? newCategoryForm(courseId, () => ctx.navigate(location.pathname, { replace: true })) : null),
    h('section', { 'aria-labelledby': 'fo-latest' },
      h(headingLevel, { id: 'fo-latest' }, 'Latest threads'),
      f.latest?.length ? h('ul', { class: 'plain-list fo-threads' }, f.latest.map(threadRow))
        : empty('No threads yet. Open a category and start one.')));
  return { forum: f, node };
}

function searchForm(ctx, term = '', course = '') {
  const form = h('form', { class: 'row fo-search', role: 'search' },
    h('label', { for: 'fo-q', class: 'sr-only' }, 'Search the forums'),
    h('input', { id: 'fo-q', name: 'q', type: 'search', value: term, placeholder: 'Search the forums', autocomplete: 'off' }),
    h('button', { type: 'submit', class: 'btn btn-secondary' }, 'Search'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = form.elements.q.value.trim();
    if (q) ctx.navigate('/forum/search' + qs({ q, course }));
  });
  return form;
}

// ---- /forum ----------------------------------------------------------------

function standing(me) {
  const lvl = me.trust_level;
  const next = me.next_level ? Object.entries(me.next_level) : [];
  const words = (k) => k.replace(/_/g, ' ');
  return h('section', { class: 'card fo-standing', 'aria-labelledby': 'fo-standing-h' },
    h('h2', { id: 'fo-standing-h' }, 'Your standing'),
    h('p', {}, `Trust level ${lvl}: `, h('strong', {}, LEVELS[lvl] || ''), me.set_by_staff ? ' (set by the staff)' : ''),
    h('p', { class: 'small muted' }, `A day you may post ${me.limits.posts_a_day} times, like ${me.limits.likes_a_day} posts and flag ${me.limits.flags_a_day}`,
      me.limits.links_and_pictures ? '.' : '; links and pictures come with the next level.'),
    next.length && !me.set_by_staff ? h('details', { class: 'small' }, h('summary', {}, 'The next level'),
      h('ul', {}, next.map(([k, need]) => h('li', {}, `${words(k)}: ${fmt.num(me.numbers[k] ?? 0)} of ${fmt.num(need)}`)))) : null);
}

async function indexPage(ctx) {
  ctx.title('Forums');
  const [forums, general, me] = await Promise.all([
    api.get('/forums'), forumBlock(ctx, null, { headingLevel: 'h3' }), api.get('/forum/members/me').catch(() => null)]);
  if (!ctx.current()) return;
  const courses = forums.items.filter((x) => x.course_id);
  clear(ctx.main,
    pageHeader('Forums', mayModerate() ? h('a', { href: '/forum/moderation', class: 'btn btn-secondary' }, 'Moderation queue') : null),
    searchForm(ctx),
    h('div', { class: 'fo-layout' },
      h('section', { class: 'fo-main', 'aria-labelledby': 'fo-general' },
        h('h2', { id: 'fo-general' }, 'General forum'), general.node),
      h('aside', { class: 'fo-aside stack' },
        h('section', { class: 'card', 'aria-labelledby': 'fo-mine' },
          h('h2', { id: 'fo-mine' }, 'Course forums'),
          courses.length ? h('ul', { class: 'plain-list fo-forums' }, courses.map((x) => h('li', {},
            h('a', { href: forumHref(x.course_id) }, x.title),
            h('span', { class: 'small muted' }, ` · ${fmt.num(x.threads)} thread${x.threads === 1 ? '' : 's'}`,
              x.last_activity_at ? [' · ', when(x.last_activity_at)] : null))))
            : h('p', { class: 'small muted' }, 'Enroll in a course to take part in its forum.')),
        me ? standing(me) : null)));
}

// ---- /forum/course/:id -----------------------------------------------------

async function coursePage(ctx) {
  const id = ctx.params.id;
  const { forum: f, node } = await forumBlock(ctx, id);
  if (!ctx.current()) return;
  const title = f.course?.title || 'Course';
  ctx.title(`${title}: forum`);
  clear(ctx.main,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('ol', {},
      h('li', {}, h('a', { href: '/forum' }, 'Forums')), h('li', {}, h('span', { 'aria-current': 'page' }, title)))),
    pageHeader(`${title}: forum`, h('a', { href: `/courses/${id}`, class: 'btn btn-ghost' }, 'The course'),
      f.role === 'staff' ? h('a', { href: '/forum/moderation', class: 'btn btn-secondary' }, 'Moderation queue') : null),
    searchForm(ctx, '', id), node);
}

// ---- /forum/c/:id ------------------------------------------------------------

function composeForm(ctx, category, close) {
  const form = h('form', { class: 'card stack fo-compose', 'aria-label': 'New thread' },
    h('h2', {}, 'New thread'),
    field({ label: 'Title', name: 'title', required: true, maxlength: 200 }),
    field({ label: 'Your post', name: 'body', type: 'textarea', rows: 8, required: true,
      hint: 'Markdown: **bold**, `code`, lists. Write @username to tell someone.' }),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, 'Post the thread'),
      button('Cancel', close, 'btn btn-ghost')));
  onSubmit(form, async (v) => {
    const t = await api.post(`/forum/categories/${category.id}/threads`, { title: v.title || '', body: v.body || '' });
    toast('Your thread is posted.', 'success');
    ctx.navigate(`/forum/t/${t.id}`);
  });
  return form;
}

function categorySettings(ctx, k) {
  const form = h('form', { class: 'stack', 'aria-label': 'The category’s settings' },
    h('div', { class: 'grid grid-2' },
      field({ label: 'Name', name: 'name', required: true, maxlength: 80, value: k.name }),
      field({ label: 'Kind', name: 'kind', type: 'select', value: k.kind, options: KIND_OPTIONS })),
    field({ label: 'Description', name: 'description', maxlength: 500, value: k.description || '' }),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn btn-sm' }, 'Save'),
      button('Delete the category', async () => {
        if (!await confirmDialog(`Delete “${k.name}” and its ${k.threads} thread(s)?`, { ok: 'Delete', danger: true })) return;
        try {
          await api.del(`/forum/categories/${k.id}`);
          toast('The category is deleted.');
          ctx.navigate(forumHref(k.course_id), { replace: true });
        } catch (e) { toast(problemText(e), 'error', 8000); }
      }, 'btn btn-sm btn-ghost')));
  onSubmit(form, async (v) => {
    await api.patch(`/forum/categories/${k.id}`, { name: v.name || '', description: v.description || '', kind: v.kind });
    toast('The category is saved.', 'success');
    ctx.navigate(location.pathname, { replace: true });
  });
  return h('details', { class: 'card fo-cat-settings' }, h('summary', {}, 'Category settings'), form);
}

async function categoryPage(ctx) {
  const id = ctx.params.id;
  const PAGE = 20;
  const d = await api.get(`/forum/categories/${id}/threads` + qs({ limit: PAGE }));
  if (!ctx.current()) return;
  const k = d.category;
  ctx.title(k.name);
  let watching = !!k.watching;
  const slot = h('div', {});
  const list = h('ul', { class: 'plain-list fo-threads', 'aria-label': 'Threads' }, d.items.map(threadRow));
  const watchBtn = button('', async () => {
    watchBtn.disabled = true;
    try {
      if (watching) await api.del(`/forum/categories/${k.id}/watch`);
      else await api.put(`/forum/categories/${k.id}/watch`, { watching: true });
      watching = !watching;
      paintWatch();
      toast(watching ? 'You are told of replies in this category’s threads.' : 'You no longer watch this category.');
    } catch (e) { toast(problemText(e), 'error'); } finally { watchBtn.disabled = false; }
  }, 'btn btn-ghost');
  const paintWatch = () => {
    watchBtn.textContent = watching ? 'Watching' : 'Watch';
    watchBtn.setAttribute('aria-pressed', String(watching));
    watchBtn.title = watching ? 'Stop watching this category' : 'Be told of replies in its threads';
  };
  paintWatch();
  const newBtn = button('New thread', () => {
    const form = composeForm(ctx, k, () => { clear(slot); newBtn.hidden = false; });
    clear(slot, form);
    newBtn.hidden = true;
    form.querySelector('input').focus();
  }, 'btn');
  const more = async (after) => {
    const p = await api.get(`/forum/categories/${id}/threads` + qs({ limit: PAGE, after }));
    list.append(...p.items.map(threadRow));
    const b = moreButton(p.next, more);
    if (b) list.after(b);
  };
  clear(ctx.main, forumCrumbs(k),
    pageHeader(k.name, newBtn, watchBtn),
    k.description ? h('p', { class: 'muted' }, k.description) : null,
    k.kind === 'qa' ? h('p', { class: 'fo-note small' }, 'A questions-and-answers category: answer a thread first to see the others’ answers.') : null,
    d.role === 'staff' ? categorySettings(ctx, k) : null,
    slot,
    d.items.length ? list : empty('No threads yet: start the first one.'),
    moreButton(d.next, more));
}

// ---- /forum/search ---------------------------------------------------------

async function searchPage(ctx) {
  const term = (ctx.query.get('q') || '').trim();
  const course = ctx.query.get('course') || '';
  ctx.title(term ? `Forum search: ${term}` : 'Forum search');
  const results = h('div', {});
  clear(ctx.main, forumCrumbs(null, [null, 'Search']), pageHeader('Search the forums'), searchForm(ctx, term, course), results);
  if (!term) { clear(results, h('p', { class: 'muted' }, 'Words from a thread’s title or any post; typos are forgiven.')); return; }
  const run = async () => {
    clear(results, loading('Searching…'));
    try {
      const d = await api.get('/forum/search' + qs({ q: term, course, limit: 30 }));
      if (!ctx.current()) return;
      if (!d.items.length) { clear(results, empty(`Nothing in the forums matches “${term}”.`)); return; }
      clear(results, h('p', { class: 'small muted', role: 'status' }, `${d.items.length} post${d.items.length === 1 ? '' : 's'} found`),
        h('ul', { class: 'plain-list' }, d.items.map((it) => {
          const href = `/forum/t/${it.post_id}` + (it.reply_id ? qs({ reply: it.reply_id }) : '');
          return h('li', { class: 'card search-hit fo-hit', 'data-testid': 'forum-hit' },
            h('p', { class: 'small muted' }, it.course_title || 'General forum', ' › ', it.category,
              it.n ? ` · reply #${it.n}` : ' · the first post'),
            h('h2', { class: 'hit-title' }, h('a', { href }, it.title)),
            h('p', { class: 'snippet small' }, '…', snippet(it.snippet), '…'));
        })));
    } catch (e) { if (ctx.current()) clear(results, errorBox(e, run)); }
  };
  await run();
}

export default async function forum(ctx) {
  const p = ctx.path.replace(/\/$/, '');
  if (p === '/forum/search') return searchPage(ctx);
  if (p.startsWith('/forum/course/')) return coursePage(ctx);
  if (p.startsWith('/forum/c/')) return categoryPage(ctx);
  return indexPage(ctx);
}
