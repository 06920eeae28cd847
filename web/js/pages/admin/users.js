// admin/users.js - user administration for admins.
//   /admin/users      search (q, kept in the address), role and status
//                     filters, and a keyset-paged table of the organization's users.
//   /admin/users/:id  one user's account: details, role change, lock and
//                     unlock, delete and restore, and their recent audit events.
import { api, qs } from '../../api.js';
import {
  h, clear, field, onSubmit, load, loading, empty, errorBox, toast, confirmDialog,
  badge, fmt, pageHeader, moreButton, debounce, button,
} from '../../ui.js';

// The organization's roles, [key, name]: the built-in three until GET /roles
// has answered (each page loads them: an admin may define more).
let ROLES = [['student', 'Student'], ['instructor', 'Instructor'], ['admin', 'Admin']];
async function loadRoles() {
  try {
    ROLES = (await api.get('/roles')).items.map((r) => [r.key, r.name]);
  } catch { /* the built-in three will do */ }
}
const STATUSES = [['all', 'Any status'], ['active', 'Active'], ['locked', 'Locked'], ['deleted', 'Deleted']];
const PAGE = 50;

// ---------------------------------------------------------------- shared

const STATUS_BADGE = {
  active: ['Active', 'ok'],
  locked: ['Locked', 'bad'],
  temporarily_locked: ['Temporarily locked', 'warn'],
  deleted: ['Deleted', ''],
};

function statusBadge(status) {
  const [text, kind] = STATUS_BADGE[status] || [status, ''];
  return badge(text, kind);
}

const roleName = (r) => (ROLES.find(([v]) => v === r) || [r, r])[1];

function when(ts, never = 'Never') {
  if (!ts) return h('span', { class: 'muted' }, never);
  return h('time', { datetime: ts, title: fmt.datetime(ts) }, fmt.ago(ts));
}

// A table whose cells carry their column name, so that at phone width CSS
// can show each row as a small card (see .admin-table in admin.css).
function dataTable(cols, rows, caption) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'admin-table' },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c.label)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, cols.map((c) =>
      h('td', { 'data-label': c.label, class: c.class }, c.cell(r))))))));
}

// Usernames by user id, filled from what the page already has and looked
// up one by one (GET /admin/users/:id) for the rest.
export function nameCache() {
  const names = new Map();
  const pending = new Map();
  return {
    note(id, name) { if (id && name && !names.has(id)) names.set(id, name); },
    get(id) { return names.get(id); },
    fetch(id) {
      if (names.has(id)) return Promise.resolve(names.get(id));
      if (!pending.has(id)) {
        pending.set(id, api.get(`/admin/users/${id}`)
          .then((x) => { names.set(id, x.username); return x.username; }, () => null));
      }
      return pending.get(id);
    },
  };
}

// ------------------------------------------------------------------ list

const LIST_COLS = [
  { label: 'Username', class: 'cell-main', cell: (u) => h('a', { href: `/admin/users/${u.id}`, class: 'strong' }, u.username) },
  { label: 'Display name', cell: (u) => u.display_name || h('span', { class: 'muted' }, '—') },
  { label: 'Email', class: 'cell-email', cell: (u) => u.email },
  { label: 'Role', cell: (u) => roleName(u.role) },
  { label: 'Status', cell: (u) => statusBadge(u.status) },
  { label: 'Email verified', cell: (u) => (u.email_verified ? badge('Verified', 'ok') : badge('Not verified', 'warn')) },
  { label: 'Last sign-in', cell: (u) => when(u.last_login_at) },
  { label: 'Created', cell: (u) => h('time', { datetime: u.created_at }, fmt.date(u.created_at)) },
];

function readFilters(query) {
  const role = query.get('role') || '';
  const status = query.get('status') || 'all';
  return {
    q: (query.get('q') || '').slice(0, 100),
    role: ROLES.some(([v]) => v === role) ? role : '',
    status: STATUSES.some(([v]) => v === status) ? status : 'all',
  };
}

// The filters as the address's query (defaults left out), and as the API's.
function filterQuery(f) {
  return qs({ q: f.q.trim(), role: f.role, status: f.status === 'all' ? '' : f.status });
}

async function listPage(ctx) {
  const f = readFilters(ctx.query);
  ctx.title('Users');
  const results = h('div', { id: 'user-results' });
  const count = h('p', { class: 'muted small', 'aria-live': 'polite', id: 'user-count' });

  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter users' },
    field({ label: 'Search users', name: 'q', type: 'search', value: f.q, placeholder: 'Username or email',
      autocomplete: 'off', attrs: { maxlength: 100 } }),
    field({ label: 'Role', name: 'role', type: 'select', value: f.role, options: [['', 'Any role'], ...ROLES] }),
    field({ label: 'Status', name: 'status', type: 'select', value: f.status, options: STATUSES }));

  let ctrl = null;
  ctx.onLeave(() => ctrl?.abort());

  const run = async () => {
    f.q = form.elements.q.value.slice(0, 100);
    f.role = form.elements.role.value;
    f.status = form.elements.status.value;
    const search = filterQuery(f);
    if (ctx.current()) history.replaceState(null, '', '/admin/users' + search);
    ctrl?.abort();
    ctrl = new AbortController();
    const signal = ctrl.signal;
    const params = { q: f.q.trim(), role: f.role, status: f.status, limit: PAGE };
    let shown = 0;
    const fetchPage = (after) => api.get('/admin/users' + qs({ ...params, after }), { signal });
    await load(results, () => fetchPage(), (data) => {
      if (!data.items.length) {
        count.textContent = '';
        const filtered = params.q || params.role || params.status !== 'all';
        return empty(filtered ? 'No users match these filters.' : 'There are no users yet.',
          filtered ? button('Clear filters', () => {
            form.reset();
            form.elements.q.value = ''; form.elements.role.value = ''; form.elements.status.value = 'all';
            run();
          }, 'btn btn-secondary') : null);
      }
      shown = data.items.length;
      const setCount = (more) => { count.textContent = `Showing ${shown} user${shown === 1 ? '' : 's'}${more ? ' (more below)' : ''}.`; };
      setCount(!!data.next);
      const tableEl = dataTable(LIST_COLS, data.items, 'Users of your organization');
      const tbody = tableEl.querySelector('tbody');
      const wrap = h('div', {}, tableEl);
      const addMore = (next) => {
        const b = moreButton(next, async (after) => {
          const page = await fetchPage(after);
          if (!ctx.current()) return;
          const t = dataTable(LIST_COLS, page.items, '');
          tbody.append(...t.querySelector('tbody').children);
          shown += page.items.length;
          setCount(!!page.next);
          addMore(page.next);
        });
        if (b) wrap.append(b);
      };
      addMore(data.next);
      return wrap;
    });
  };

  const later = debounce(run, 300);
  form.elements.q.addEventListener('input', later);
  form.elements.role.addEventListener('change', run);
  form.elements.status.addEventListener('change', run);
  form.addEventListener('submit', (e) => { e.preventDefault(); run(); });
  ctx.onLeave(() => form.elements.q.removeEventListener('input', later));

  clear(ctx.main,
    pageHeader('Users', h('a', { href: '/admin/audit', class: 'btn btn-secondary' }, 'Audit trail')),
    h('p', { class: 'muted' }, 'Everyone in your organization. Search by username or email; open a user to change their role, lock, delete or restore them.'),
    form, count, results);
  await run();
}

// ---------------------------------------------------------------- detail

const ACTION_TEXT = {
  'user.login': 'Sign-in',
  'user.logout': 'Sign-out',
  'user.logout_all': 'Signed out everywhere',
  'user.registered': 'Registered',
  'user.email_verified': 'Email confirmed',
  'user.password_changed': 'Password changed',
  'user.password_reset': 'Password reset',
  'user.password_reset_requested': 'Password reset requested',
  'user.profile_updated': 'Profile changed',
  'user.settings_changed': 'Settings changed',
  'user.role_changed': 'Role changed',
  'user.locked': 'Locked',
  'user.unlocked': 'Unlocked',
  'user.deleted': 'Deleted',
  'user.restored': 'Restored',
  'session.revoked': 'Session ended',
};

function detailRow(label, value) {
  return [h('dt', {}, label), h('dd', {}, value)];
}

function detailsCard(u, self) {
  const status = h('span', {}, statusBadge(u.status),
    u.status === 'temporarily_locked' && u.locked_until
      ? h('span', { class: 'muted small' }, ` until ${fmt.datetime(u.locked_until)} (too many failed sign-ins)`) : null);
  return h('section', { class: 'card', 'aria-labelledby': 'user-details-h' },
    h('h2', { id: 'user-details-h' }, 'Account'),
    h('dl', { class: 'admin-dl' },
      detailRow('Username', u.username),
      detailRow('Display name', u.display_name || h('span', { class: 'muted' }, 'Not set')),
      detailRow('Email', u.email),
      detailRow('Email verified', u.email_verified ? badge('Verified', 'ok') : badge('Not verified', 'warn')),
      detailRow('Role', roleName(u.role) + (self ? ' (you)' : '')),
      detailRow('Status', status),
      detailRow('Active sessions', String(u.sessions ?? 0)),
      detailRow('Failed sign-ins in a row', String(u.failed_login_count ?? 0)),
      u.locked_until && u.status !== 'temporarily_locked'
        ? detailRow('Sign-in lock ended', fmt.datetime(u.locked_until)) : null,
      detailRow('Last sign-in', u.last_login_at
        ? h('span', {}, when(u.last_login_at), h('span', { class: 'muted small' }, ` · ${fmt.datetime(u.last_login_at)}`))
        : h('span', { class: 'muted' }, 'Never')),
      detailRow('Created', fmt.datetime(u.created_at)),
      u.deleted_at ? detailRow('Deleted', fmt.datetime(u.deleted_at)) : null,
      detailRow('User id', h('code', { class: 'admin-id' }, u.id))));
}

// Runs an account action, showing the API's refusal in the alert box.
async function act(alertBox, btn, fn, done) {
  alertBox.hidden = true;
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  try {
    const u = await fn();
    if (u !== null) await done(u);
  } catch (err) {
    if (err?.name === 'AbortError') return;
    clear(alertBox, h('p', {}, err.message));
    alertBox.hidden = false;
    alertBox.focus();
  } finally {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
  }
}

function roleCard(u, self, refresh) {
  const form = h('form', { class: 'stack' },
    field({ label: 'New role', name: 'role', type: 'select', value: u.role, options: ROLES,
      hint: 'Changing the role signs them out everywhere: their sessions carry the old rights, so they end at once.' }),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, 'Save role')));
  onSubmit(form, async (v) => {
    if (v.role === u.role) { toast(`${u.username} already has the role ${roleName(u.role)}.`); return; }
    const n = u.sessions || 0;
    const ok = self || await confirmDialog(`Give ${u.username} the role ${roleName(v.role)}? ` +
      (n ? `Their ${n === 1 ? 'active session ends' : `${n} active sessions end`} and they will need to sign in again.`
        : 'They have no active session; the new role applies when they next sign in.'),
    { ok: 'Change role' });
    if (!ok) return;
    const nu = await api.patch(`/admin/users/${u.id}`, { role: v.role });
    toast(`${nu.username} now has the role ${roleName(nu.role)}.`, 'success');
    await refresh();
  });
  return h('section', { class: 'card', 'aria-labelledby': 'role-h' },
    h('h2', { id: 'role-h' }, 'Change role'),
    self ? h('p', { class: 'muted small' }, 'This is your own account: admins cannot change their own role.') : null,
    form);
}

function actionsCard(u, self, refresh) {
  const alertBox = h('div', { class: 'form-alert', role: 'alert', tabindex: '-1', hidden: true });
  const items = [];
  const add = (title, text, label, cls, run) => {
    const b = button(label, () => act(alertBox, b, run, refresh), cls);
    items.push(h('div', { class: 'admin-action' }, h('div', {}, h('h3', {}, title), h('p', { class: 'muted small' }, text)), b));
  };
  const post = (path, msg) => async () => {
    const nu = await api.post(`/admin/users/${u.id}/${path}`);
    toast(msg, 'success');
    return nu;
  };
  // No question for one's own account: the server refuses, and says why.
  const confirmed = (question, opts, fn) => async () => {
    if (!self && !(await confirmDialog(question, opts))) return null;
    return fn();
  };
  const deleted = u.status === 'deleted';
  const locked = u.status === 'locked' || u.status === 'temporarily_locked';

  if (deleted) {
    add('Restore', 'Bring the account back: they can sign in again with their password. Accounts already anonymized cannot be restored.',
      'Restore user', 'btn', post('restore', `${u.username} is restored.`));
  } else {
    if (locked) {
      add('Unlock', u.status === 'temporarily_locked'
        ? 'Lift the lock from failed sign-ins now, and reset the failure count.'
        : 'Let them sign in again.',
      'Unlock user', 'btn', post('unlock', `${u.username} is unlocked.`));
    }
    if (u.status !== 'locked') {
      add('Lock', 'Their sessions end at once and they cannot sign in until an admin unlocks the account.',
        'Lock user', 'btn btn-secondary', confirmed(
          `Lock ${u.username}? Their sessions end now and they cannot sign in until you unlock the account.`,
          { ok: 'Lock user' }, post('lock', `${u.username} is locked.`)));
    }
    add('Delete', 'The account stops working at once. It can be restored until it is anonymized.',
      'Delete user', 'btn btn-danger', confirmed(
        `Delete ${u.username}? The account stops working at once and their sessions end. ` +
        'You can restore it later, until it is anonymized.',
        { ok: 'Delete user', danger: true }, async () => {
          const nu = await api.del(`/admin/users/${u.id}`);
          toast(`${u.username} is deleted.`, 'success');
          return nu;
        }));
  }
  return h('section', { class: 'card', 'aria-labelledby': 'actions-h' },
    h('h2', { id: 'actions-h' }, 'Access'),
    self ? h('p', { class: 'muted small' }, 'This is your own account: admins cannot lock or delete themselves.') : null,
    alertBox,
    h('div', { class: 'admin-actions' }, items));
}

function eventSummary(e) {
  const o = e.old_values || {}, n = e.new_values || {};
  if (e.action === 'user.role_changed') return `${roleName(o.role)} → ${roleName(n.role)}`;
  if (e.action === 'user.locked' && n.reason) return `after ${n.reason}${n.minutes ? ` (${n.minutes} min)` : ''}`;
  if (!e.success && e.error_message) return e.error_message;
  return '';
}

async function activityCard(u) {
  const names = nameCache();
  names.note(u.id, u.username);
  const body = h('div', {}, loading('Loading recent activity…'));
  const section = h('section', { class: 'card', 'aria-labelledby': 'activity-h' },
    h('div', { class: 'row between' },
      h('h2', { id: 'activity-h' }, 'Recent activity'),
      h('div', { class: 'row' },
        h('a', { href: `/admin/audit${qs({ entity_id: u.id })}`, class: 'small' }, 'Events about them'),
        h('a', { href: `/admin/audit${qs({ actor: u.id })}`, class: 'small' }, 'Events by them'))),
    body);
  load(body, async () => {
    // Events about the user (their sign-ins, an admin's changes) and
    // events they caused (as an admin, changes to others), merged.
    const [about, by] = await Promise.all([
      api.get('/admin/audit' + qs({ entity_id: u.id, limit: 10 })),
      api.get('/admin/audit' + qs({ actor: u.id, limit: 10 })),
    ]);
    const seen = new Map();
    for (const e of [...about.items, ...by.items]) seen.set(e.id, e);
    for (const e of seen.values()) names.note(e.actor_user_id, e.actor_username);
    return [...seen.values()].sort((a, b) => (a.occurred_at < b.occurred_at ? 1 : -1)).slice(0, 10);
  }, (events) => {
    if (!events.length) return empty('No audit events for this user yet.');
    return h('ol', { class: 'admin-activity' }, events.map((e) => {
      const other = e.entity_id && e.entity_id !== u.id && e.entity_type === 'user';
      let target = null;
      if (other) {
        target = h('a', { href: `/admin/users/${e.entity_id}` }, names.get(e.entity_id) || 'another user');
        if (!names.get(e.entity_id)) names.fetch(e.entity_id).then((n) => { if (n) target.textContent = n; });
      }
      const byOther = e.actor_user_id && e.actor_user_id !== u.id;
      const summary = eventSummary(e);
      return h('li', {},
        h('span', { class: 'admin-activity-what' },
          e.success ? null : badge('Failed', 'bad'), ' ',
          h('strong', {}, ACTION_TEXT[e.action] || e.action),
          summary ? h('span', { class: 'muted' }, ` · ${summary}`) : null,
          byOther ? h('span', { class: 'muted' }, ' by ',
            h('a', { href: `/admin/users/${e.actor_user_id}` }, e.actor_username || 'another user')) : null,
          target ? h('span', { class: 'muted' }, ' on ', target) : null),
        h('span', { class: 'muted small' }, when(e.occurred_at), e.ip ? ` · ${e.ip}` : ''));
    }));
  });
  return section;
}

async function detailPage(ctx) {
  const id = ctx.params.id;
  const self = ctx.user && ctx.user.id === id;
  const render = async () => {
    const u = await api.get(`/admin/users/${id}`);
    if (!ctx.current()) return;
    ctx.title(`${u.username} · Users`);
    const refresh = async () => {
      if (!ctx.current()) return;
      await render().catch((e) => clear(ctx.main, errorBox(e, render)));
      ctx.main.querySelector('h1')?.focus();
    };
    const header = pageHeader(u.display_name || u.username);
    header.querySelector('h1').tabIndex = -1;
    clear(ctx.main,
      h('nav', { class: 'admin-crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '/admin/users' }, '← All users')),
      header,
      h('p', { class: 'admin-sub' }, h('span', { class: 'muted' }, `@${u.username} · ${roleName(u.role)} · `), statusBadge(u.status)),
      h('div', { class: 'grid grid-2 admin-grid' },
        detailsCard(u, self),
        h('div', { class: 'stack' },
          u.status !== 'deleted' ? roleCard(u, self, refresh) : null,
          actionsCard(u, self, refresh))),
      h('div', { class: 'section' }, await activityCard(u)));
  };
  await render();
}

export default async function users(ctx) {
  await loadRoles();
  if (ctx.params.id) return detailPage(ctx);
  return listPage(ctx);
}
