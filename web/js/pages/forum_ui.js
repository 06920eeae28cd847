// forum_ui.js - what the forum's pages share (forum.js, forum_thread.js,
// forum_mod.js) and the course page's "Forum" section: how an author, a
// post's server-rendered body and a search snippet are shown, the flag
// and "why" dialogs, problems in words, and the reader's chosen view of
// replies.  Post texts reach the page as the server's safe HTML (`html`,
// rendered from Markdown as a lesson is) or as text, never otherwise.
import { api, ApiError, qs } from '../api.js';
import { h, clear, trustedHtml, fmt, badge } from '../ui.js';

export const LEVELS = ['New member', 'Basic', 'Member', 'Regular', 'Leader'];

// The detail of a problem, or each field's message of a 422.
export function problemText(e) {
  if (e instanceof ApiError && e.errors.length) return e.errors.map((x) => `${x.field}: ${x.message}`).join('; ');
  return e instanceof ApiError && e.problem?.detail ? e.problem.detail : e.message;
}

export function authorName(a) {
  return a ? (a.display_name || a.username) : 'Someone';
}

// "Sarah Lindqvist @sarah_network · New member"
export function author(a, { you = false } = {}) {
  if (!a) return h('span', { class: 'fo-author muted' }, 'A deleted post');
  return h('span', { class: 'fo-author' },
    h('strong', {}, authorName(a)), you ? ' (you)' : '',
    a.display_name ? h('span', { class: 'muted small' }, ` @${a.username}`) : null,
    a.trust_level === 0 ? h('span', { class: 'small muted' }, ' · New member') : null);
}

// The server's HTML of a post, its headings moved below the page's own
// (h1 is the page's title, h2 its sections), links to other sites opened
// apart.
export function postBody(html) {
  const el = h('div', { class: 'prose fo-body' });
  trustedHtml(el, html || '');
  for (const x of el.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const n = h(`h${Math.min(6, Number(x.tagName[1]) + 2)}`, {});
    n.append(...x.childNodes);
    x.replaceWith(n);
  }
  for (const t of el.querySelectorAll('table')) {
    const wrap = h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Table' });
    t.replaceWith(wrap);
    wrap.append(t);
  }
  return el;
}

// A search snippet: the post's own text (Markdown, not HTML), its matches
// between chr(1) and chr(2).  Built as text and <mark> nodes: the forum's
// snippets are not escaped as the lesson search's are, so they never go
// in as HTML.  Markdown's marks are tidied as the lesson search does.
export function snippet(s) {
  const text = String(s || '').replace(/(^|\n)#{1,6}\s*/g, '$1').replace(/[*`]|\|/g, '')
    .replace(/\s*\n+\s*/g, ' ').trim();
  const out = [];
  let marked = false;
  for (const part of text.split(/([\x01\x02])/)) {
    if (part === '\x01') marked = true;
    else if (part === '\x02') marked = false;
    else if (part) out.push(marked ? h('mark', {}, part) : part);
  }
  return out;
}

export function when(s) {
  return h('time', { datetime: s, title: fmt.datetime(s) }, fmt.ago(s));
}

// Where a forum lives: the general one, or a course's.
export function forumHref(courseId) {
  return courseId ? `/forum/course/${courseId}` : '/forum';
}

export function forumCrumbs(category, ...rest) {
  const items = [['/forum', 'Forums']];
  if (category?.course_id) items.push([forumHref(category.course_id), category.course_title || 'Course forum']);
  else if (category) items.push(['/forum', 'General forum']);
  if (category) items.push([`/forum/c/${category.id}`, category.name]);
  items.push(...rest);
  return h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
    h('ol', {}, items.map(([href, text], i) => h('li', {},
      href && i < items.length - 1 ? h('a', { href }, text) : h('span', { 'aria-current': i === items.length - 1 ? 'page' : null }, text)))));
}

// A modal form; resolves to its values (FormData as an object) or null
// when cancelled.  fields are nodes with named inputs.
export function formDialog(title, fields, { ok = 'OK', danger = false } = {}) {
  return new Promise((resolve) => {
    const form = h('form', { method: 'dialog', class: 'stack' },
      h('h2', {}, title), fields,
      // OK first: Enter in a field submits with the form's first button.
      h('div', { class: 'row end' },
        h('button', { value: 'ok', class: danger ? 'btn btn-danger' : 'btn' }, ok),
        h('button', { value: 'cancel', class: 'btn btn-secondary', formnovalidate: true }, 'Cancel')));
    const d = h('dialog', { class: 'dialog fo-dialog', 'aria-label': title }, form);
    d.addEventListener('close', () => {
      const out = d.returnValue === 'ok' ? Object.fromEntries(new FormData(form)) : null;
      d.remove();
      resolve(out);
    });
    document.body.append(d);
    d.showModal();
  });
}

const REASONS = [['spam', 'Spam'], ['inappropriate', 'Inappropriate'], ['off_topic', 'Off topic'], ['other', 'Something else']];

// Asks why a post is flagged: {reason, note} or null.
export async function askFlag() {
  const fields = [
    h('fieldset', { class: 'fo-reasons' }, h('legend', {}, 'What is wrong with it?'),
      REASONS.map(([v, t], i) => h('label', { class: 'fo-reason' },
        h('input', { type: 'radio', name: 'reason', value: v, checked: i === 0 }), ' ', t))),
    h('label', { class: 'field' }, h('span', {}, 'A note for the moderators'),
      h('textarea', { name: 'note', rows: 3, maxlength: 500 })),
  ];
  return formDialog('Flag this post', fields, { ok: 'Flag it' });
}

// Asks why a post is hidden: the reason, or null.
export async function askReason(title = 'Hide this post') {
  const v = await formDialog(title, [h('label', { class: 'field' }, h('span', {}, 'Why (its author sees it)'),
    h('input', { name: 'reason', maxlength: 500, required: true }))], { ok: 'Hide it', danger: true });
  return v ? v.reason.trim() : null;
}

// How the reader likes a thread's replies, kept in this browser: nested
// (the tree, indented), threaded (the tree as one line each, opened one
// by one), flat (oldest first) or newest first.
export const VIEWS = [['nested', 'Nested'], ['threaded', 'Threaded'], ['flat', 'Flat, oldest first'], ['newest', 'Newest first']];
const VIEW_KEY = 'ludus_forum_view';
export function savedView() {
  let v = null;
  try { v = localStorage.getItem(VIEW_KEY); } catch { /* private mode */ }
  return VIEWS.some(([k]) => k === v) ? v : 'nested';
}
export function saveView(v) {
  try { localStorage.setItem(VIEW_KEY, v); } catch { /* private mode */ }
}
export const ORDER = { nested: 'tree', threaded: 'tree', flat: 'time', newest: 'newest' };

// A thread in a list: its title, author, counts and state.
export function threadRow(t) {
  const unread = t.unread === null || t.unread === undefined ? null : t.unread;
  return h('li', { class: 'fo-thread', 'data-testid': 'thread' },
    h('div', { class: 'fo-thread-main' },
      h('a', { href: `/forum/t/${t.id}`, class: 'fo-thread-title' }, t.title),
      h('span', { class: 'row fo-thread-badges' },
        t.pinned ? badge('Pinned', 'accent') : null,
        t.locked ? badge('Locked', 'warn') : null,
        t.hidden ? badge('Hidden', 'bad') : null,
        t.answered ? badge('Answered', 'ok') : null,
        unread === null ? badge('New') : unread > 0 ? badge(`${unread} new`, 'accent') : null),
      h('span', { class: 'small muted' }, 'by ', authorName(t.author), ' · ', when(t.created_at))),
    h('span', { class: 'fo-thread-stats small muted' },
      h('span', {}, `${fmt.num(t.replies)} ${t.replies === 1 ? 'reply' : 'replies'}`),
      h('span', {}, `${fmt.num(t.likes)} ${t.likes === 1 ? 'like' : 'likes'}`),
      h('span', {}, t.last_reply_by ? ['last ', authorName(t.last_reply_by), ', '] : null, when(t.last_activity_at))));
}

// The course page's "Forum" section: the latest threads of the course's
// forum, for its learners and authors (others get nothing).
export function courseForumSection(course) {
  const box = h('section', { class: 'section fo-course', 'aria-labelledby': 'course-forum' });
  api.get('/forum' + qs({ course: course.id })).then((f) => {
    const latest = (f.latest || []).slice(0, 5);
    clear(box,
      h('div', { class: 'row between' }, h('h2', { id: 'course-forum' }, 'Forum'),
        h('a', { href: forumHref(course.id), class: 'btn btn-secondary btn-sm' }, 'Open the forum')),
      latest.length ? h('ul', { class: 'plain-list fo-threads' }, latest.map(threadRow))
        : h('p', { class: 'muted' }, 'No threads yet: ask the first question.'));
  }).catch(() => box.remove());
  return box;
}
