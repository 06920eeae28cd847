// admin/audit.js - the organization's audit trail for admins (/admin/audit):
// filters kept in the address (action with a `user.*` prefix, actor by
// username or id, entity type and id, a date range, success), a keyset-paged
// table of events, each with a "Details" disclosure showing the old and new
// values as a diff (changed fields marked, old values in red, new in green,
// nested values as compact JSON), the user agent and the request id.
import { api, qs, ApiError } from '../../api.js';
import {
  h, clear, field, loading, empty, errorBox, badge, fmt, pageHeader, moreButton,
  debounce, button, showErrors, clearErrors,
} from '../../ui.js';
import { nameCache } from './users.js';

const PAGE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const KEYS = ['action', 'actor', 'entity_type', 'entity_id', 'since', 'until', 'success'];
const ACTIONS = ['user.*', 'user.login', 'user.logout', 'user.logout_all', 'user.registered',
  'user.email_verified', 'user.password_changed', 'user.password_reset', 'user.password_reset_requested',
  'user.profile_updated', 'user.settings_changed', 'user.role_changed', 'user.locked', 'user.unlocked',
  'user.deleted', 'user.restored', 'session.revoked',
  'course.*', 'course.created', 'course.updated', 'course.published', 'course.unpublished', 'course.deleted',
  'course.restored', 'course.unit_created', 'course.unit_updated', 'course.unit_deleted', 'course.units_reordered',
  'course.lessons_reordered', 'course.collaborator_added', 'course.collaborator_removed',
  'lesson.*', 'lesson.created', 'lesson.updated', 'lesson.published', 'lesson.unpublished', 'lesson.deleted',
  'lesson.restored', 'lesson.version_restored', 'lesson.prerequisites_set',
  'question.*', 'question.created', 'question.updated', 'question.deleted', 'question.restored',
  'assessment.*', 'assessment.created', 'assessment.updated', 'assessment.questions_set', 'assessment.deleted',
  'assessment.restored'];
const FIX = 'Some filters are not valid: see the message under each.';
const ENTITY_TYPES = ['user', 'user_settings', 'session', 'course', 'lesson', 'question', 'assessment'];

// Local midnight of a YYYY-MM-DD day as an ISO time; `plus` days later.
function dayStart(day, plus = 0) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + plus).toISOString();
}

// An actor given as a username becomes its id (exact match, any status).
async function actorId(value, signal) {
  if (!value || UUID.test(value)) return value || '';
  const list = await api.get('/admin/users' + qs({ q: value, status: 'all', limit: 200 }), { signal });
  const hit = list.items.find((u) => u.username.toLowerCase() === value.toLowerCase());
  if (!hit) throw new ApiError(422, { detail: FIX, errors: [{ field: 'actor', message: `No user is called “${value}”.` }] });
  return hit.id;
}

function json(v) {
  return v === null || v === undefined ? null : JSON.stringify(v, null, 2);
}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
// A value on one line: text as it is, anything else as compact JSON.
const compact = (v) => (typeof v === 'string' ? v : JSON.stringify(v));

const CHANGE = {
  changed: ['~', 'changed'], added: ['+', 'added'], removed: ['−', 'removed'], same: ['', 'unchanged'],
};

// The old and new values side by side, one row per field: a changed field
// is marked, its old value shown in red and its new one in green; a field
// only in the new values is added, one only in the old values removed.
// Values that are not objects (or are missing) compare as one field.
export function valuesDiff(oldV, newV) {
  if (oldV == null && newV == null) return h('p', { class: 'muted small' }, 'No values recorded.');
  const o = isObj(oldV) ? oldV : (oldV == null ? {} : { value: oldV });
  const n = isObj(newV) ? newV : (newV == null ? {} : { value: newV });
  const keys = [...new Set([...Object.keys(o), ...Object.keys(n)])];
  const kind = (k) => (!(k in o) ? 'added' : !(k in n) ? 'removed' : same(o[k], n[k]) ? 'same' : 'changed');
  const order = { changed: 0, added: 1, removed: 2, same: 3 };
  keys.sort((a, b) => order[kind(a)] - order[kind(b)]);
  // A grid of divs, not a table: the audit table around it turns its own
  // cells into cards on phones.
  const cell = (has, v, cls, label) => h('div', { class: ['audit-diff-cell', cls] },
    h('span', { class: 'audit-diff-label' }, label),
    has ? h('code', { class: 'audit-val' }, compact(v)) : h('span', { class: 'muted' }, '—'));
  const rows = keys.map((k) => {
    const c = kind(k);
    const [mark, word] = CHANGE[c];
    return h('li', { class: ['audit-diff-row', `audit-diff-${c}`], 'data-change': c, 'data-key': k },
      h('div', { class: 'audit-diff-key' }, h('span', { class: 'audit-mark', 'aria-hidden': 'true' }, mark), k,
        c === 'same' ? null : h('span', { class: 'sr-only' }, ` (${word})`)),
      cell(k in o, o[k], c === 'same' ? null : 'audit-old', 'Old value: '),
      cell(k in n, n[k], c === 'same' ? null : 'audit-new', 'New value: '));
  });
  const changes = keys.filter((k) => kind(k) !== 'same').length;
  return h('div', { class: 'audit-diff' },
    h('p', { class: 'small muted' }, changes ? `${changes} field${changes === 1 ? '' : 's'} changed` : 'No field changed'),
    h('div', { class: 'audit-diff-head', 'aria-hidden': 'true' }, h('span', {}, 'Field'), h('span', {}, 'Old value'), h('span', {}, 'New value')),
    h('ul', { class: 'audit-diff-rows', 'aria-label': 'Old and new values' }, rows));
}

function details(e) {
  const oldText = json(e.old_values), newText = json(e.new_values);
  const raw = (label, text) => h('div', { class: 'audit-json' }, h('h3', {}, label),
    text === null ? h('p', { class: 'muted small' }, 'None') : h('pre', {}, text));
  const info = (label, value) => [h('dt', {}, label), h('dd', {}, value || h('span', { class: 'muted' }, 'Not recorded'))];
  return h('details', { class: 'audit-details' },
    h('summary', {}, 'Details', h('span', { class: 'sr-only' }, ` of ${e.action} at ${fmt.datetime(e.occurred_at)}`)),
    h('div', { class: 'audit-details-body' },
      e.error_message ? h('p', { class: 'audit-error' }, h('strong', {}, 'Error: '), e.error_message) : null,
      valuesDiff(e.old_values, e.new_values),
      oldText === null && newText === null ? null : h('details', { class: 'audit-raw' }, h('summary', {}, 'As JSON'),
        h('div', { class: 'grid grid-2' }, raw('Old values', oldText), raw('New values', newText))),
      h('dl', { class: 'admin-dl' },
        info('User agent', e.user_agent),
        info('Request id', e.request_id && h('code', {}, e.request_id)),
        info('Event id', h('code', {}, e.id)),
        e.entity_id ? info('Entity id', h('code', {}, e.entity_id)) : null,
        info('Time', fmt.datetime(e.occurred_at) + ` (${e.occurred_at})`))));
}

const COLS = ['Time', 'Actor', 'Action', 'Entity', 'Result', 'Client address'];

function entityCell(e, names) {
  if (!e.entity_type) return h('span', { class: 'muted' }, '—');
  const isUser = (e.entity_type === 'user' || e.entity_type === 'user_settings') && e.entity_id;
  if (!isUser) {
    return h('span', { class: 'audit-entity' }, e.entity_type, e.entity_id ? h('code', { class: 'muted small', title: e.entity_id }, ` ${e.entity_id.slice(0, 8)}…`) : null);
  }
  const a = h('a', { href: `/admin/users/${e.entity_id}` }, names.get(e.entity_id) || `${e.entity_id.slice(0, 8)}…`);
  if (!names.get(e.entity_id)) {
    names.fetch(e.entity_id).then((n) => { if (n) a.textContent = n; });
  }
  return h('span', { class: 'audit-entity' }, h('span', { class: 'muted' }, e.entity_type === 'user' ? 'user ' : 'settings of '), a);
}

// One event: a row of columns and a full-width row with its details.
function eventRows(e, names) {
  const cells = [
    h('time', { datetime: e.occurred_at, title: fmt.ago(e.occurred_at) }, fmt.datetime(e.occurred_at)),
    e.actor_user_id
      ? h('a', { href: `/admin/users/${e.actor_user_id}` }, e.actor_username || `${e.actor_user_id.slice(0, 8)}…`)
      : h('span', { class: 'muted' }, 'No account'),
    h('code', { class: 'audit-action' }, e.action),
    entityCell(e, names),
    e.success ? badge('Success', 'ok') : badge('Failed', 'bad'),
    e.ip || h('span', { class: 'muted' }, '—'),
  ];
  return h('tbody', { class: 'audit-event' },
    h('tr', {}, cells.map((c, i) => h('td', { 'data-label': COLS[i] }, c))),
    h('tr', { class: 'audit-more' }, h('td', { colspan: COLS.length }, details(e))));
}

function eventTable(events, names) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'admin-table audit-table' },
    h('caption', { class: 'sr-only' }, 'Audit events, newest first'),
    h('thead', {}, h('tr', {}, COLS.map((c) => h('th', { scope: 'col' }, c)))),
    events.map((e) => eventRows(e, names))));
}

function filterForm(values) {
  const list = (id, items) => h('datalist', { id }, items.map((v) => h('option', { value: v })));
  return h('form', { class: 'filters audit-filters', 'aria-label': 'Filter the audit trail' },
    field({ label: 'Action', name: 'action', value: values.action, placeholder: 'user.* or user.login',
      autocomplete: 'off', attrs: { list: 'audit-actions', maxlength: 64 } }),
    list('audit-actions', ACTIONS),
    field({ label: 'Actor', name: 'actor', value: values.actor, placeholder: 'Username or user id', autocomplete: 'off' }),
    field({ label: 'Entity type', name: 'entity_type', value: values.entity_type, placeholder: 'user',
      autocomplete: 'off', attrs: { list: 'audit-entity-types', maxlength: 64 } }),
    list('audit-entity-types', ENTITY_TYPES),
    field({ label: 'Entity id', name: 'entity_id', value: values.entity_id, placeholder: 'A UUID', autocomplete: 'off' }),
    field({ label: 'From', name: 'since', type: 'date', value: DAY.test(values.since) ? values.since : '' }),
    field({ label: 'To (inclusive)', name: 'until', type: 'date', value: DAY.test(values.until) ? values.until : '' }),
    field({ label: 'Result', name: 'success', type: 'select', value: values.success,
      options: [['', 'Any'], ['true', 'Succeeded'], ['false', 'Failed']] }),
    h('div', { class: 'row audit-filter-buttons' },
      h('button', { type: 'submit', class: 'btn' }, 'Apply'),
      h('button', { type: 'reset', class: 'btn btn-ghost' }, 'Clear')));
}

export default async function audit(ctx) {
  ctx.title('Audit trail');
  const initial = {};
  for (const k of KEYS) initial[k] = (ctx.query.get(k) || '').trim();
  if (!['true', 'false'].includes(initial.success)) initial.success = '';
  const form = filterForm(initial);
  form.prepend(h('div', { class: 'form-alert', role: 'alert', hidden: true }));
  form.noValidate = true;
  const results = h('div', { id: 'audit-results' });
  const count = h('p', { class: 'muted small', 'aria-live': 'polite', id: 'audit-count' });
  const names = nameCache();
  let ctrl = null;
  ctx.onLeave(() => ctrl?.abort());

  const values = () => {
    const v = {};
    for (const k of KEYS) v[k] = (form.elements[k].value || '').trim();
    return v;
  };

  const run = async () => {
    const v = values();
    if (ctx.current()) history.replaceState(null, '', '/admin/audit' + qs(v));
    ctrl?.abort();
    ctrl = new AbortController();
    const { signal } = ctrl;
    clearErrors(form);
    clear(results, loading('Loading events…'));
    count.textContent = '';
    let params;
    let data;
    try {
      if (v.since && v.until && v.until < v.since) {
        throw new ApiError(422, { detail: FIX, errors: [{ field: 'until', message: 'must be on or after the From day' }] });
      }
      params = {
        action: v.action, actor: await actorId(v.actor, signal), entity_type: v.entity_type,
        entity_id: v.entity_id, success: v.success, limit: PAGE,
        since: v.since && (DAY.test(v.since) ? dayStart(v.since) : v.since),
        until: v.until && (DAY.test(v.until) ? dayStart(v.until, 1) : v.until),
      };
      data = await api.get('/admin/audit' + qs(params), { signal });
    } catch (err) {
      if (err?.name === 'AbortError' || !ctx.current()) return;
      if (err instanceof ApiError && err.status === 422) {
        showErrors(form, new ApiError(422, { ...err.problem, detail: FIX }));
        clear(results, empty('Fix the filters above to see events.'));
      } else {
        clear(results, errorBox(err, run));
      }
      return;
    }
    if (!ctx.current() || signal.aborted) return;
    show(data, params, signal);
  };

  function show(data, params, signal) {
    if (!data.items.length) {
      const filtered = KEYS.some((k) => values()[k]);
      clear(results, empty(filtered ? 'No events match these filters.' : 'Nothing has been recorded yet.',
        filtered ? button('Clear filters', () => form.reset(), 'btn btn-secondary') : null));
      return;
    }
    for (const e of data.items) names.note(e.actor_user_id, e.actor_username);
    let shown = data.items.length;
    const setCount = (more) => { count.textContent = `Showing ${shown} event${shown === 1 ? '' : 's'}, newest first${more ? ' (more below)' : ''}.`; };
    setCount(!!data.next);
    const tableEl = eventTable(data.items, names);
    const tbl = tableEl.querySelector('table');
    const wrap = h('div', {}, tableEl);
    const addMore = (next) => {
      const b = moreButton(next, async (after) => {
        const page = await api.get('/admin/audit' + qs({ ...params, after }), { signal });
        if (!ctx.current()) return;
        for (const e of page.items) names.note(e.actor_user_id, e.actor_username);
        tbl.append(...page.items.map((e) => eventRows(e, names)));
        shown += page.items.length;
        setCount(!!page.next);
        addMore(page.next);
      });
      if (b) wrap.append(b);
    };
    addMore(data.next);
    clear(results, wrap);
  }

  const later = debounce(run, 400);
  // Free text applies as one types; ids and usernames once complete.
  for (const k of ['action', 'entity_type']) form.elements[k].addEventListener('input', later);
  for (const k of ['actor', 'entity_id', 'since', 'until', 'success']) form.elements[k].addEventListener('change', run);
  form.addEventListener('submit', (e) => { e.preventDefault(); run(); });
  // Reset clears the fields (not back to the values the page opened with).
  form.addEventListener('reset', (e) => {
    e.preventDefault();
    for (const k of KEYS) form.elements[k].value = '';
    run();
  });

  clear(ctx.main,
    pageHeader('Audit trail', h('a', { href: '/admin/users', class: 'btn btn-secondary' }, 'Users')),
    h('p', { class: 'muted' }, 'Sign-ins, password and account changes, role changes, locks, deletions and restores in your organization, and changes to courses, lessons, questions and assessments, with who did them and from where. End an action with * to match a prefix, such as user.* or course.*.'),
    form, count, results);
  await run();
}
