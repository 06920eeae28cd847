// app.js - the shell: who is signed in, the theme, the navigation and the
// router that loads each page's module when it is first opened.
//
// A page module (web/js/pages/*.js) exports a default async function
// page(ctx) that fills ctx.main.  ctx holds:
//   params   the path's :names          query  URLSearchParams
//   user     GET /me (null when public) main   the element to fill
//   navigate(path, {replace})           title(text) sets the heading/tab
//   onLeave(fn) runs fn when the user leaves the page (timers, listeners)
//   hold({url, confirm, update}) asks before the page is left (an exam in
//     progress): a link or Back to another page first awaits confirm();
//     Back and Forward between its own addresses (?q=3) call update()
//   refreshUser() reloads the user and the navigation (after XP, avatar...)
//   refreshUnread(), refreshMessages() read the top bar's counts again
//
// A signed-in tab keeps one stream of live updates (live.js): the top
// bar's counts follow the member's notifications and direct messages as
// they come, and the thread page follows its thread's new replies (the
// router follows none on every other page).  Where the organization has
// turned messaging off (the API answers 403 messaging-off), the Messages
// entries are hidden.

import { api, ApiError } from './api.js';
import { h, clear, loading, errorBox, button, toast, clearToasts } from './ui.js';
import { live } from './live.js';

// path pattern, module, who may open it: 'guest' (signed out only),
// 'public', or the permission it takes ('learn', 'course.author', ...: a
// role is a set of them, and /me lists the user's).
const ROUTES = [
  ['/', 'home', 'public'],
  ['/login', 'auth', 'guest'],
  ['/register', 'auth', 'guest'],
  ['/verify-email', 'auth', 'public'],
  ['/reset-password', 'auth', 'public'],
  ['/sso/link', 'auth', 'public'],
  ['/dashboard', 'dashboard', 'learn'],
  ['/catalog', 'catalog', 'learn'],
  ['/search', 'catalog', 'learn'],
  ['/paths/:id', 'catalog', 'learn'],
  ['/courses/:id', 'course', 'learn'],
  ['/lessons/:id', 'lesson', 'learn'],
  ['/practice', 'practice', 'learn'],
  ['/assessments/:id', 'practice', 'learn'],
  ['/attempts/:id', 'attempt', 'learn'],
  ['/history', 'history', 'learn'],
  ['/achievements', 'achievements', 'learn'],
  ['/avatars', 'achievements', 'learn'],
  ['/leaderboard', 'leaderboard', 'learn'],
  ['/bookmarks', 'bookmarks', 'learn'],
  ['/flashcards', 'flashcards', 'learn'],
  ['/flashcards/review', 'review', 'learn'],
  ['/flashcards/stats', 'fcstats', 'learn'],
  ['/flashcards/settings', 'flashcards', 'learn'],
  ['/flashcards/decks/:id', 'flashcards', 'learn'],
  ['/materials', 'materials', 'learn'],
  ['/materials/progress', 'materials', 'learn'],
  ['/materials/sessions/:id', 'materials', 'learn'],
  ['/materials/:id', 'materials', 'learn'],
  ['/notifications', 'notifications', 'learn'],
  ['/forum', 'forum', 'learn'],
  ['/forum/course/:id', 'forum', 'learn'],
  ['/forum/c/:id', 'forum', 'learn'],
  ['/forum/t/:id', 'forum_thread', 'learn'],
  ['/forum/search', 'forum', 'learn'],
  ['/forum/moderation', 'forum_mod', 'learn'],
  ['/messages', 'messages', 'learn'],
  ['/messages/:id', 'messages', 'learn'],
  ['/goals', 'settings', 'learn'],
  ['/settings', 'settings', 'account.self'],
  ['/teach', 'teach/courses', 'course.author'],
  ['/teach/courses/:id', 'teach/courses', 'course.author'],
  ['/teach/lessons/:id', 'teach/lessons', 'course.author'],
  ['/teach/questions', 'teach/questions', 'question.manage'],
  ['/teach/questions/new', 'teach/questions', 'question.manage'],
  ['/teach/questions/:id', 'teach/questions', 'question.manage'],
  ['/teach/import', 'teach/import', 'question.manage'],
  ['/teach/assessments', 'teach/assessments', 'question.manage'],
  ['/teach/assessments/new', 'teach/assessments', 'question.manage'],
  ['/teach/assessments/:id', 'teach/assessments', 'question.manage'],
  ['/teach/stats', 'teach/stats', 'question.manage'],
  ['/admin/users', 'admin/users', 'user.manage'],
  ['/admin/users/:id', 'admin/users', 'user.manage'],
  ['/admin/messages', 'admin/messages', 'user.manage'],
  ['/admin/audit', 'admin/audit', 'audit.read'],
  ['/admin/roles', 'admin/roles', 'role.manage'],
  ['/admin/organization', 'admin/organization', 'org.manage'],
];

const NAV = [
  ['Learn', [
    ['/dashboard', 'Dashboard', 'learn'],
    ['/catalog', 'Courses', 'learn'],
    ['/practice', 'Practice', 'learn'],
    ['/flashcards', 'Flashcards', 'learn'],
    ['/materials', 'Materials', 'learn'],
    ['/history', 'History', 'learn'],
    ['/bookmarks', 'Bookmarks', 'learn'],
    ['/forum', 'Forums', 'learn'],
    ['/messages', 'Messages', 'learn'],
  ]],
  ['Progress', [
    ['/achievements', 'Achievements', 'learn'],
    ['/leaderboard', 'Leaderboard', 'learn'],
    ['/notifications', 'Notifications', 'learn'],
  ]],
  ['Teach', [
    ['/teach', 'My courses', 'course.author'],
    ['/teach/questions', 'Question bank', 'question.manage'],
    ['/teach/import', 'Import', 'question.manage'],
    ['/teach/assessments', 'Assessments', 'question.manage'],
    ['/teach/stats', 'Question statistics', 'question.manage'],
    ['/forum/moderation', 'Forum moderation', 'course.author'],
  ]],
  ['Admin', [
    ['/admin/users', 'Users', 'user.manage'],
    ['/admin/messages', 'Reported messages', 'user.manage'],
    ['/admin/audit', 'Audit trail', 'audit.read'],
    ['/admin/roles', 'Roles', 'role.manage'],
    ['/admin/organization', 'Organization', 'org.manage'],
  ]],
  ['Account', [
    ['/settings', 'Settings', 'account.self'],
    ['/goals', 'Study goals', 'learn'],
  ]],
];

// messaging: null until known, false where the organization turned it off.
export const state = { user: null, settings: null, unread: 0, messages: 0, messaging: null };

let leaving = [];
let navToken = 0;
let held = null; // {path, url, confirm, update} of a page that asks first

function compile(pattern) {
  const names = [];
  const re = new RegExp('^' + pattern.replace(/:[a-z_]+/g, (m) => {
    names.push(m.slice(1));
    return '([^/]+)';
  }) + '/?$');
  return { re, names };
}
const compiled = ROUTES.map(([p, mod, who]) => ({ pattern: p, mod, who, ...compile(p) }));

function match(path) {
  // Literal routes win over :params ("/teach/questions/new" before ":id").
  let best = null;
  for (const r of compiled) {
    const m = r.re.exec(path);
    if (!m) continue;
    if (best && best.r.names.length <= r.names.length) continue;
    best = { r, m };
  }
  if (!best) return null;
  const params = {};
  best.r.names.forEach((n, i) => { params[n] = decodeURIComponent(best.m[i + 1]); });
  return { route: best.r, params };
}

export function can(permission, user = state.user) {
  return !!user && (user.permissions || []).includes(permission);
}

// The theme goes on <html data-theme> and into the ludus_theme cookie: the
// server sends the next page load with it already in place, so a reload
// in the dark theme never shows the light background first ("system", the
// default, needs no cookie: the stylesheet follows the device).
export function applyTheme(theme) {
  const t = theme === 'light' || theme === 'dark' ? theme : 'system';
  document.documentElement.dataset.theme = t;
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = t === 'system'
    ? `ludus_theme=; Path=/; Max-Age=0; SameSite=Lax${secure}`
    : `ludus_theme=${t}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
}

export async function refreshUser() {
  const before = state.user;
  try {
    state.user = await api.get('/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) state.user = null;
    else throw e;
  }
  // Signed in (again): messages of the signed-out time, such as "You are
  // signed out.", no longer hold.
  if (state.user && !before) clearToasts();
  if (state.user) {
    try {
      state.settings = await api.get('/me/settings');
      applyTheme(state.settings.theme);
    } catch { /* the theme can wait */ }
    refreshUnread();
    refreshMessages();
    live.start();
  } else {
    state.settings = null;
    state.messaging = null;
    live.stop();
  }
  renderChrome();
  return state.user;
}

let unreadBusy = null;
let unreadAgain = false;

export async function refreshUnread() {
  if (!state.user) return;
  // One count at a time: what came meanwhile is read once more after it.
  if (unreadBusy) { unreadAgain = true; return unreadBusy; }
  unreadBusy = readUnread();
  try { await unreadBusy; } finally { unreadBusy = null; }
  if (unreadAgain) { unreadAgain = false; await refreshUnread(); }
}

async function readUnread() {
  try {
    const n = await api.get('/me/notifications?limit=1&unread=true');
    state.unread = n.unread ?? 0;
  } catch { state.unread = 0; }
  const b = document.getElementById('unread-count');
  if (b) { b.textContent = state.unread ? String(state.unread) : ''; b.hidden = !state.unread; }
}

let messagesBusy = null;
let messagesAgain = false;

// The top bar's count of unread direct messages (one read at a time, as
// the notifications' count).
export async function refreshMessages() {
  if (!state.user) return;
  if (messagesBusy) { messagesAgain = true; return messagesBusy; }
  messagesBusy = readMessages();
  try { await messagesBusy; } finally { messagesBusy = null; }
  if (messagesAgain) { messagesAgain = false; await refreshMessages(); }
}

async function readMessages() {
  try {
    const n = await api.get('/messages/unread');
    state.messages = n.unread ?? 0;
    state.messaging = true;
  } catch (e) {
    state.messages = 0;
    if (e instanceof ApiError && e.code === 'messaging-off') state.messaging = false;
  }
  paintMessages();
}

function paintMessages() {
  const b = document.getElementById('msg-unread-count');
  if (b) {
    b.textContent = state.messages ? String(state.messages) : '';
    b.hidden = !state.messages;
    b.closest('a')?.setAttribute('aria-label', state.messages ? `Messages, ${state.messages} unread` : 'Messages');
  }
  for (const el of document.querySelectorAll('[data-messaging]')) el.hidden = state.messaging === false;
}

export function navigate(path, { replace = false } = {}) {
  // Redirects (replace: sign-in, sign-out) do not ask.
  if (!replace && held && new URL(path, location.href).pathname !== held.path) {
    const k = held;
    k.confirm().then((ok) => { if (ok && held === k) { held = null; navigate(path); } });
    return;
  }
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  route();
}

function renderChrome() {
  const top = document.getElementById('topbar');
  const side = document.getElementById('sidebar');
  const u = state.user;
  const searchForm = (id, cls) => h('form', { class: cls, role: 'search', onsubmit: (e) => {
    e.preventDefault();
    const q = e.target.elements.q.value.trim();
    if (q) navigate('/search?q=' + encodeURIComponent(q));
  }, hidden: !u },
  h('label', { for: id, class: 'sr-only' }, 'Search courses and lessons'),
  h('input', { id, name: 'q', type: 'search', placeholder: 'Search courses and lessons', autocomplete: 'off' }));
  const name = u ? (u.profile?.display_name || u.username) : '';
  const menuBtn = button('Menu', () => {
    const open = document.body.classList.toggle('nav-open');
    menuBtn.setAttribute('aria-expanded', String(open));
  }, 'btn btn-ghost menu-toggle', { 'aria-controls': 'sidebar', 'aria-expanded': 'false' });
  clear(top,
    u ? menuBtn : null,
    h('a', { href: u ? '/dashboard' : '/', class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'L'), 'Ludus'),
    searchForm('top-q', 'top-search'),
    h('div', { class: 'top-right' },
      u ? [
        h('a', { href: '/messages', class: 'bell', 'aria-label': 'Messages', 'data-messaging': '' }, '✉',
          h('span', { id: 'msg-unread-count', class: 'count', hidden: !state.messages }, state.messages || '')),
        h('a', { href: '/notifications', class: 'bell', 'aria-label': 'Notifications' }, '🔔',
          h('span', { id: 'unread-count', class: 'count', hidden: !state.unread }, state.unread || '')),
        h('a', { href: '/settings', class: 'who', title: `${name}: settings` },
          h('span', { class: 'who-name' }, name), h('span', { class: 'role' }, u.role)),
        button('Sign out', signOut, 'btn btn-ghost', { id: 'sign-out' }),
      ] : [
        h('a', { href: '/login', class: 'btn btn-ghost' }, 'Sign in'),
        h('a', { href: '/register', class: 'btn' }, 'Create account'),
      ]));
  if (!u) { clear(side); side.hidden = true; document.body.classList.remove('has-nav'); return; }
  side.hidden = false;
  document.body.classList.add('has-nav');
  // On a phone the top bar has no room for the search: the menu has it.
  clear(side, searchForm('nav-q', 'nav-search'), NAV.map(([group, items]) => {
    const mine = items.filter(([, , who]) => can(who));
    if (!mine.length) return null;
    return h('div', { class: 'nav-group' }, h('h2', {}, group),
      h('ul', {}, mine.map(([href, text]) => h('li', { 'data-messaging': href === '/messages' ? '' : null },
        h('a', { href, 'data-nav': href }, text)))));
  }));
  paintMessages();
  markCurrent();
}

function markCurrent() {
  const path = location.pathname;
  const links = [...document.querySelectorAll('#sidebar a[data-nav]')];
  const on = (href) => path === href || (href !== '/teach' && path.startsWith(href + '/')) ||
    (href === '/teach' && (path.startsWith('/teach/courses') || path.startsWith('/teach/lessons')));
  // The closest entry only: /forum/moderation is not also "Forums".
  const best = links.map((a) => a.getAttribute('data-nav')).filter(on)
    .reduce((b, href) => (b && b.length >= href.length ? b : href), null);
  for (const a of links) {
    if (a.getAttribute('data-nav') === best) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

async function signOut() {
  let out = null;
  live.stop();
  try { out = await api.post('/auth/logout'); } catch { /* gone already */ }
  state.user = null;
  // Signed in by an identity provider: sign out there too; it sends the
  // browser back to /login.
  if (out?.sso_logout_url) { location.assign(out.sso_logout_url); return; }
  applyTheme('system');
  renderChrome();
  navigate('/login', { replace: true });
  toast('You are signed out.');
}

function notFound(main, text = 'There is no page at this address.') {
  clear(main, h('div', { class: 'state state-empty' }, h('h1', {}, 'Not found'), h('p', {}, text),
    h('a', { href: state.user ? '/dashboard' : '/', class: 'btn' }, 'Go home')));
}

async function route() {
  if (held && location.pathname === held.path) { held.update(); return; }
  held = null;
  const token = ++navToken;
  for (const fn of leaving.splice(0)) { try { fn(); } catch { /* ignore */ } }
  document.body.classList.remove('nav-open');
  const main = document.getElementById('main');
  const path = location.pathname;
  const found = match(path);
  markCurrent();
  if (!found) { live.follow(null); notFound(main); return; }
  const { route: r, params } = found;
  if (r.who === 'guest' && state.user) { navigate('/dashboard', { replace: true }); return; }
  if (r.who !== 'guest' && r.who !== 'public' && !state.user) {
    navigate('/login?next=' + encodeURIComponent(path + location.search), { replace: true });
    return;
  }
  if (r.who !== 'guest' && r.who !== 'public' && !can(r.who)) {
    live.follow(null);
    clear(main, h('div', { class: 'state state-error' }, h('h1', {}, 'Not for your role'),
      h('p', {}, `This page needs the permission ${r.who}, which your role does not hold.`)));
    return;
  }
  clear(main, loading());
  const ctx = {
    params, query: new URLSearchParams(location.search), user: state.user, main, path,
    navigate, refreshUser, refreshUnread, refreshMessages,
    title(t) { document.title = t ? `${t} · Ludus` : 'Ludus'; },
    onLeave(fn) { leaving.push(fn); },
    hold(k) { if (token === navToken) held = k ? { ...k, path } : null; },
    current() { return token === navToken; },
  };
  ctx.title('');
  try {
    const mod = await import(`./pages/${r.mod}.js`);
    if (token !== navToken) return;
    // No thread followed, unless the page names one as it starts (the
    // thread page): the two calls make one stream.
    live.follow(null);
    await mod.default(ctx);
    if (token === navToken) {
      const h1 = main.querySelector('h1');
      if (h1 && !document.title.includes('·')) ctx.title(h1.textContent);
      main.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
  } catch (err) {
    if (token !== navToken) return;
    if (err instanceof ApiError && err.status === 404) notFound(main, err.message);
    else if (err instanceof ApiError && err.status === 401) { /* the listener takes them to sign-in */ }
    else { console.error(err); clear(main, errorBox(err, route)); }
  }
}

// Links inside the app do not reload the page.
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || /\.[a-z0-9]+$/i.test(url.pathname)) return;
  // A link within this page (#section) is the browser's to follow.
  if (url.pathname + url.search === location.pathname + location.search) {
    if (!url.hash) e.preventDefault();
    return;
  }
  e.preventDefault();
  navigate(url.pathname + url.search + url.hash);
});

// Back or Forward away from a page that holds: stay (the address goes back
// to it) until the user confirms, then go.
window.addEventListener('popstate', () => {
  if (!held || location.pathname === held.path) { route(); return; }
  const k = held;
  history.pushState(null, '', k.url());
  k.confirm().then((ok) => { if (ok && held === k) { held = null; history.back(); } });
});

// A session that ended (signed out elsewhere, locked, expired).
window.addEventListener('ludus:unauthenticated', () => {
  if (!state.user) return;
  state.user = null;
  live.stop();
  renderChrome();
  toast('Your session has ended. Sign in again.', 'error');
  navigate('/login?next=' + encodeURIComponent(location.pathname + location.search), { replace: true });
});

// The member's notifications and messages as they come: the top bar's
// counts (and the notifications and messages pages, which listen
// themselves).
live.on('notification', () => refreshUnread());
live.on('message', () => refreshMessages());
live.on('resync', () => { refreshUnread(); refreshMessages(); });

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && document.body.classList.contains('nav-open')) document.body.classList.remove('nav-open');
});

(async function start() {
  try {
    await refreshUser();
  } catch (err) {
    renderChrome();
  }
  route();
})();
