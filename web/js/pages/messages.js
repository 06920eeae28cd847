// messages.js - direct messages between members (migration 0034):
//   /messages      my conversations, the latest activity first, each with
//                  its unread count and last words; "New message" picks
//                  whom to write to among those I may (one: our
//                  conversation, found again; several: a group with a
//                  title); and the members I blocked, to unblock.
//   /messages/:id  a conversation: its messages, oldest at the top, with
//                  "Load earlier"; the box to write in (Enter sends,
//                  Shift+Enter starts a new line); deleting my message,
//                  reporting another's to the admins; blocking or
//                  unblocking the other member of a one-to-one, leaving a
//                  group.  Shown, it is marked read.  Beside it, the list.
// Messages are plain text and shown as text, their line breaks kept (CSS
// white-space).  What comes while a page is open comes live (live.js): a
// message of the conversation shown is added at the bottom, one of
// another moves its conversation up in the list with its unread count.
// Where the organization has turned messaging off the API answers 403
// messaging-off, and the page says so.
import { api, ApiError, qs } from '../api.js';
import { live } from '../live.js';
import {
  h, clear, field, onSubmit, loading, errorBox, empty, toast, confirmDialog, badge, pageHeader, button, fmt,
  debounce,
} from '../ui.js';
import { problemText, when, formDialog } from './forum_ui.js';

const PAGE = 30;
const LIST_PAGE = 30;
const REASONS = [['spam', 'Spam'], ['harassment', 'Harassment'], ['inappropriate', 'Inappropriate'], ['other', 'Something else']];

const who = (m) => (m ? (m.display_name || m.username) : 'A former member');

function convName(c) {
  if (c.is_group) return c.title || 'A group';
  return c.members.length ? who(c.members[0]) : 'A former member';
}

function messagingOff(e) {
  return e instanceof ApiError && e.code === 'messaging-off';
}

// Runs fns one after another (live events in the order they came).
function serial() {
  let queue = Promise.resolve();
  return (fn) => { queue = queue.then(fn).catch(() => { /* the next event, or a reload */ }); };
}

// ---- the list of conversations ------------------------------------------------

function convRow(c, me, current) {
  const last = c.last;
  const unread = c.id === current ? 0 : c.unread;
  const text = !last ? 'No messages yet.' : last.excerpt === null ? 'A deleted message' : last.excerpt;
  return h('li', { class: ['msg-conv', unread && 'msg-conv-unread', c.id === current && 'is-current'], 'data-testid': 'conversation', dataset: { id: c.id } },
    h('a', { href: `/messages/${c.id}`, class: 'msg-conv-link', 'aria-current': c.id === current ? 'page' : null },
      h('span', { class: 'msg-conv-top' },
        h('span', { class: 'msg-conv-name' }, convName(c)),
        c.is_group ? badge('Group') : null,
        unread ? h('span', { class: 'badge badge-accent msg-unread', 'data-testid': 'unread' },
          `${fmt.num(unread)} new`) : null),
      h('span', { class: ['msg-conv-excerpt small', last?.excerpt === null && 'msg-gone'] },
        last && last.sender_id === me.id ? 'You: ' : '', text),
      c.last_message_at ? h('span', { class: 'small muted' }, when(c.last_message_at)) : null));
}

// The conversations, kept up to date as messages come.  current: the one
// the page shows (never counted unread).
function conversationList(ctx, { current = null } = {}) {
  const box = h('div', { class: 'msg-convs-box' });
  const list = h('ul', { class: 'plain-list msg-convs', 'aria-label': 'Conversations' });
  const more = h('div', {});
  let next = null;
  let shown = false;

  const emptyNote = () => empty('No conversations yet. Write to someone with “New message”.');

  function paintMore() {
    clear(more, next ? button('Load more', async (ev) => {
      ev.target.disabled = true;
      try {
        const d = await api.get('/conversations' + qs({ after: next, limit: LIST_PAGE }));
        if (!ctx.current()) return;
        for (const c of d.items) if (!list.querySelector(`[data-id="${c.id}"]`)) list.append(convRow(c, ctx.user, current));
        next = d.next;
        paintMore();
      } catch (e) { ev.target.disabled = false; toast(problemText(e), 'error'); }
    }, 'btn btn-secondary btn-sm more') : null);
  }

  async function load() {
    if (!shown) clear(box, loading('Loading your conversations…'));
    let d;
    try {
      d = await api.get('/conversations' + qs({ limit: LIST_PAGE }));
    } catch (e) {
      if (ctx.current() && !shown) clear(box, errorBox(e, load));
      if (messagingOff(e)) throw e;
      return;
    }
    if (!ctx.current()) return;
    shown = true;
    next = d.next;
    clear(list, d.items.map((c) => convRow(c, ctx.user, current)));
    clear(box, d.items.length ? list : emptyNote(), more);
    paintMore();
  }

  // A conversation with something new: read again, put on top.
  async function update(convId) {
    let c;
    try { c = await api.get(`/conversations/${convId}`); } catch { return; }
    if (!ctx.current()) return;
    list.querySelector(`[data-id="${c.id}"]`)?.remove();
    if (c.left) return;
    list.prepend(convRow(c, ctx.user, current));
    if (!list.isConnected) clear(box, list, more);
  }

  const enqueue = serial();
  ctx.onLeave(live.on('message', (ev) => enqueue(() => (ctx.current() ? update(ev.conversation_id) : null))));
  ctx.onLeave(live.on('resync', () => enqueue(() => (ctx.current() ? load() : null))));
  return { node: box, load, update };
}

// ---- a new conversation ---------------------------------------------------------

function newMessageForm(ctx, close) {
  const chosen = new Map();
  const picked = h('ul', { class: 'msg-picked', 'aria-label': 'Chosen' });
  const results = h('ul', { class: 'plain-list msg-contacts', 'aria-label': 'People you may write to' });
  const search = h('input', { id: 'msg-to', type: 'search', placeholder: 'A name or username', autocomplete: 'off',
    'aria-describedby': 'msg-to-hint', 'aria-controls': 'msg-contacts' });
  results.id = 'msg-contacts';
  const titleField = field({ label: 'Group title', name: 'title', maxlength: 100,
    hint: 'Writing to several people starts a group: give it a title.' });
  titleField.hidden = true;
  const body = field({ label: 'Message', name: 'body', type: 'textarea', rows: 4, required: true, attrs: { maxlength: 5000 } });
  let asked = 0;
  let found = [];

  function paintChosen() {
    clear(picked, [...chosen.values()].map((c) => h('li', { class: 'msg-chip' },
      h('span', {}, who(c)),
      button('×', () => { chosen.delete(c.id); paintChosen(); paintResults(); search.focus(); }, 'msg-chip-x',
        { 'aria-label': `Remove ${who(c)}`, title: `Remove ${who(c)}` }))));
    picked.hidden = !chosen.size;
    titleField.hidden = chosen.size < 2;
  }

  function paintResults() {
    const left = found.filter((c) => !chosen.has(c.id));
    clear(results, left.length ? left.map((c) => h('li', {},
      button([h('span', { class: 'msg-contact-name' }, who(c)),
        c.display_name ? h('span', { class: 'muted small' }, ` @${c.username}`) : null,
        c.staff ? [' ', badge('Staff')] : null], () => choose(c), 'msg-contact',
      { 'aria-label': `Add ${who(c)} (@${c.username})` })))
      : h('li', { class: 'small muted' }, found.length ? 'Everyone found is chosen.' : 'Nobody you may write to matches.'));
  }

  function choose(c) {
    chosen.set(c.id, c);
    search.value = '';
    paintChosen();
    find('');
    search.focus();
  }

  async function find(q) {
    const mine = ++asked;
    try {
      const d = await api.get('/messages/contacts' + qs({ q, limit: 8 }));
      if (mine !== asked) return;
      found = d.items;
      paintResults();
    } catch (e) {
      if (mine === asked) clear(results, h('li', { class: 'small field-error' }, problemText(e)));
    }
  }

  search.addEventListener('input', debounce(() => find(search.value.trim()), 200));
  // Enter in the search adds the first person found, rather than sending.
  search.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const first = found.find((c) => !chosen.has(c.id));
    if (first && search.value.trim()) choose(first);
  });

  const form = h('form', { class: 'card stack msg-new', 'aria-label': 'New message' },
    h('h2', {}, 'New message'),
    h('div', { class: 'field', 'data-field': 'user_ids' },
      h('label', { for: 'msg-to' }, 'To'),
      picked, search,
      h('p', { class: 'hint', id: 'msg-to-hint' }, 'Your instructors, and the learners of the courses you take.'),
      results,
      h('p', { class: 'field-error' })),
    titleField, body,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, 'Send'),
      button('Cancel', close, 'btn btn-ghost')));
  onSubmit(form, async (v) => {
    const ids = [...chosen.keys()];
    const errors = [];
    if (!ids.length) errors.push({ field: 'user_ids', message: 'choose whom to write to' });
    if (ids.length > 1 && !(v.title || '').trim()) errors.push({ field: 'title', message: 'a group needs a title' });
    if (!(v.body || '').trim()) errors.push({ field: 'body', message: 'write something' });
    if (errors.length) throw new ApiError(422, { detail: 'Some things are missing: see the message under each.', errors });
    const c = await api.post('/conversations', { user_ids: ids, ...(ids.length > 1 ? { title: v.title.trim() } : {}), body: v.body });
    toast('Your message is sent.', 'success');
    ctx.navigate(`/messages/${c.id}`);
  });
  paintChosen();
  find('');
  return form;
}

// ---- the members I blocked --------------------------------------------------------

function blocksSection(ctx) {
  const body = h('div', {});
  async function show() {
    clear(body, loading());
    try {
      const d = await api.get('/blocks');
      if (!ctx.current()) return;
      clear(body, d.items.length ? h('ul', { class: 'plain-list msg-blocked' }, d.items.map((b) => h('li', { class: 'row between' },
        h('span', {}, h('strong', {}, `@${b.username}`), h('span', { class: 'small muted' }, ' since ', fmt.date(b.blocked_at))),
        button('Unblock', async (ev) => {
          ev.target.disabled = true;
          try {
            await api.del(`/blocks/${b.id}`);
            toast(`@${b.username} is unblocked.`, 'success');
            await show();
          } catch (e) { ev.target.disabled = false; toast(problemText(e), 'error'); }
        }, 'btn btn-sm btn-secondary', { 'aria-label': `Unblock @${b.username}` }))))
        : h('p', { class: 'small muted' }, 'Nobody.'));
    } catch (e) { if (ctx.current()) clear(body, errorBox(e, show)); }
  }
  show();
  return h('section', { class: 'card msg-blocks', 'aria-labelledby': 'msg-blocks-h' },
    h('h2', { id: 'msg-blocks-h' }, 'Blocked members'),
    h('p', { class: 'small muted' }, 'Neither of you can write to the other, and their messages are hidden from you. Block someone from your conversation with them.'),
    body);
}

// ---- /messages ---------------------------------------------------------------------

async function indexPage(ctx) {
  ctx.title('Messages');
  const list = conversationList(ctx);
  await list.load();
  if (!ctx.current()) return;
  const slot = h('div', {});
  const newBtn = button('New message', () => {
    const form = newMessageForm(ctx, () => { clear(slot); newBtn.hidden = false; newBtn.focus(); });
    clear(slot, form);
    newBtn.hidden = true;
    form.querySelector('#msg-to').focus();
  }, 'btn');
  clear(ctx.main,
    pageHeader('Messages', newBtn),
    slot,
    h('div', { class: 'msg-layout msg-index' },
      h('section', { class: 'msg-main', 'aria-labelledby': 'msg-list-h' },
        h('h2', { id: 'msg-list-h', class: 'sr-only' }, 'Conversations'), list.node),
      h('aside', { class: 'msg-aside stack' }, blocksSection(ctx))));
  if (ctx.query.get('new') !== null) newBtn.click();
}

// ---- /messages/:id -----------------------------------------------------------------------

async function askReport() {
  return formDialog('Report this message', [
    h('fieldset', { class: 'fo-reasons' }, h('legend', {}, 'What is wrong with it?'),
      REASONS.map(([v, t], i) => h('label', { class: 'fo-reason' },
        h('input', { type: 'radio', name: 'reason', value: v, checked: i === 0 }), ' ', t))),
    h('label', { class: 'field' }, h('span', {}, 'A note for the admins'),
      h('textarea', { name: 'note', rows: 3, maxlength: 500 })),
  ], { ok: 'Report it' });
}

async function conversationPage(ctx) {
  const id = ctx.params.id;
  const enqueue = serial();
  // Messages that come while the page loads wait for it.
  let ready;
  const loaded = new Promise((resolve) => { ready = resolve; });
  ctx.onLeave(live.on('message', (ev) => { if (ev.conversation_id === id) enqueue(() => loaded.then(fresh)); }));
  ctx.onLeave(live.on('resync', () => enqueue(() => loaded.then(fresh))));
  const list = conversationList(ctx, { current: id });
  const [conv, first] = await Promise.all([
    api.get(`/conversations/${id}`),
    api.get(`/conversations/${id}/messages` + qs({ limit: PAGE })),
    list.load()]);
  if (!ctx.current()) return;
  const name = convName(conv);
  const other = conv.is_group ? null : conv.members[0] || null;
  ctx.title(name);

  const shown = new Map(); // message id -> its li
  let earlier = first.next;
  const msgList = h('ol', { class: 'plain-list msg-list' });
  const earlierSlot = h('div', { class: 'msg-earlier' });
  const scroller = h('div', { class: 'msg-scroll', role: 'log', 'aria-label': `Messages with ${name}`, tabindex: '0' },
    earlierSlot, msgList);
  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  const toBottom = () => { scroller.scrollTop = scroller.scrollHeight; };

  function paintMessage(li, m) {
    const gone = m.body === null || m.body === undefined;
    clear(li,
      h('p', { class: 'msg-meta small' }, h('strong', {}, m.mine ? 'You' : who(m.sender)), ' · ', when(m.created_at)),
      gone ? h('p', { class: 'msg-body msg-gone' }, m.removed ? 'This message was removed by an admin.' : 'This message was deleted.')
        : h('p', { class: 'msg-body' }, m.body),
      gone ? null : h('div', { class: 'row msg-actions' },
        m.mine ? button('Delete', () => remove(m, li), 'btn btn-sm btn-ghost', { 'aria-label': 'Delete this message' })
          : button('Report', () => report(m), 'btn btn-sm btn-ghost', { 'aria-label': `Report this message of ${who(m.sender)}` })));
  }

  function messageItem(m) {
    const li = h('li', { class: ['msg', m.mine ? 'msg-mine' : 'msg-theirs'], 'data-testid': 'message', dataset: { id: m.id } });
    paintMessage(li, m);
    shown.set(m.id, li);
    return li;
  }

  async function remove(m, li) {
    if (!await confirmDialog('Delete this message? The others see that a message was deleted.', { ok: 'Delete', danger: true })) return;
    try {
      await api.del(`/messages/${m.id}`);
      m.deleted = true;
      m.body = null;
      paintMessage(li, m);
      toast('The message is deleted.');
      list.update(id);
    } catch (e) { toast(problemText(e), 'error'); }
  }

  async function report(m) {
    const v = await askReport();
    if (!v) return;
    try {
      await api.post(`/messages/${m.id}/report`, { reason: v.reason, note: v.note || '' });
      toast('Thank you: the admins will look at it.', 'success');
    } catch (e) { toast(problemText(e), 'error', 8000); }
  }

  // Messages newest first (as the API gives them) put at the bottom, in
  // order, but for those shown already.
  function appendNew(items) {
    const stay = nearBottom();
    let mine = false;
    for (const m of [...items].reverse()) {
      if (shown.has(m.id)) continue;
      const li = messageItem(m);
      if (!m.mine) {
        li.classList.add('msg-live');
        setTimeout(() => li.classList.remove('msg-live'), 3000);
      }
      mine = mine || m.mine;
      msgList.append(li);
    }
    paintEmpty();
    if (stay || mine) toBottom();
  }

  function paintEmpty() {
    msgList.querySelector('.msg-none')?.remove();
    if (!shown.size) msgList.append(h('li', { class: 'msg-none muted' }, 'No messages yet.'));
  }

  function paintEarlier() {
    clear(earlierSlot, earlier ? button('Load earlier messages', async (ev) => {
      ev.target.disabled = true;
      try {
        const d = await api.get(`/conversations/${id}/messages` + qs({ before: earlier, limit: PAGE }));
        if (!ctx.current()) return;
        const height = scroller.scrollHeight;
        const top = scroller.scrollTop;
        msgList.prepend(...[...d.items].reverse().filter((m) => !shown.has(m.id)).map(messageItem));
        earlier = d.next;
        paintEarlier();
        paintEmpty();
        scroller.scrollTop = top + (scroller.scrollHeight - height);
      } catch (e) { ev.target.disabled = false; toast(problemText(e), 'error'); }
    }, 'btn btn-sm btn-secondary') : null);
  }

  // Read up to now, while the page is in sight (one call at a time: what
  // came meanwhile is marked once more after it).
  let reading = null;
  let readAgain = false;
  async function markRead() {
    if (document.visibilityState !== 'visible' || !ctx.current()) return;
    if (reading) { readAgain = true; return; }
    reading = api.post(`/conversations/${id}/read`).catch(() => { /* the next visit marks it */ });
    try { await reading; } finally { reading = null; }
    if (readAgain) { readAgain = false; await markRead(); return; }
    ctx.refreshMessages();
  }
  const onVisible = () => { if (document.visibilityState === 'visible') markRead(); };
  document.addEventListener('visibilitychange', onVisible);
  ctx.onLeave(() => document.removeEventListener('visibilitychange', onVisible));

  // Something new, or maybe (a resync): the newest page read again, what
  // is not shown yet added at the bottom.
  async function fresh() {
    if (!ctx.current()) return;
    const d = await api.get(`/conversations/${id}/messages` + qs({ limit: PAGE }));
    if (!ctx.current()) return;
    appendNew(d.items);
    markRead();
  }

  // ---- the head: name, members, block or leave ----

  const act = (text, fn, cls = 'btn btn-secondary') => button(text, async (ev) => {
    ev.target.disabled = true;
    try { await fn(); } catch (e) { toast(problemText(e), 'error'); } finally { ev.target.disabled = false; }
  }, cls);
  const reopen = () => ctx.navigate(location.pathname, { replace: true });
  const actions = [];
  if (other && other.blocked) {
    actions.push(act(`Unblock ${who(other)}`, async () => {
      await api.del(`/blocks/${other.id}`);
      toast(`${who(other)} is unblocked.`, 'success');
      reopen();
    }));
  } else if (other) {
    actions.push(act(`Block ${who(other)}`, async () => {
      if (!await confirmDialog(`Block ${who(other)}? Neither of you can write to the other, and their messages are hidden from you.`, { ok: 'Block', danger: true })) return;
      await api.put(`/blocks/${other.id}`);
      toast(`${who(other)} is blocked.`, 'success');
      reopen();
    }, 'btn btn-ghost'));
  }
  if (conv.is_group && !conv.left) {
    actions.push(act('Leave the group', async () => {
      if (!await confirmDialog(`Leave “${name}”? Its messages stop coming to you.`, { ok: 'Leave', danger: true })) return;
      await api.del(`/conversations/${id}/members/me`);
      toast(`You left “${name}”.`);
      ctx.navigate('/messages');
    }, 'btn btn-ghost'));
  }
  const members = conv.is_group
    ? h('p', { class: 'small muted msg-members' }, badge('Group'), ' With ', conv.members.map((m, i) => [i ? ', ' : '', who(m),
      m.left ? ' (left)' : '']), conv.members.length ? '' : 'nobody else now')
    : other ? h('p', { class: 'small muted msg-members' }, `@${other.username}`) : null;

  // ---- writing ----

  let bottom;
  const closedNote = (text) => h('p', { class: 'fo-note msg-closed', role: 'note' }, text);
  if (conv.left) {
    bottom = closedNote('You left this group: you read what was written while you were in it.');
  } else if (other && other.blocked) {
    bottom = closedNote(`You blocked ${who(other)}: unblock them to write again.`);
  } else if (!conv.is_group && !other) {
    bottom = closedNote('The other member is gone: nobody reads what is written here any more.');
  } else {
    const textarea = h('textarea', { id: 'msg-body', name: 'body', rows: 2, maxlength: 5000,
      placeholder: 'Write a message…', 'aria-describedby': 'msg-body-hint' });
    bottom = h('form', { class: 'msg-compose', 'aria-label': 'Write a message' },
      h('div', { class: 'field' },
        h('label', { for: 'msg-body', class: 'sr-only' }, 'Your message'), textarea,
        h('p', { class: 'field-error' })),
      h('button', { type: 'submit', class: 'btn' }, 'Send'),
      h('p', { class: 'hint', id: 'msg-body-hint' }, 'Enter sends; Shift+Enter starts a new line.'));
    textarea.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
      e.preventDefault();
      bottom.requestSubmit();
    });
    onSubmit(bottom, async (v) => {
      if (!(v.body || '').trim()) return;
      const m = await api.post(`/conversations/${id}/messages`, { body: v.body });
      textarea.value = '';
      appendNew([m]);
      textarea.focus();
      list.update(id);
    });
  }

  clear(ctx.main,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('ol', {},
      h('li', {}, h('a', { href: '/messages' }, 'Messages')), h('li', {}, h('span', { 'aria-current': 'page' }, name)))),
    h('div', { class: 'msg-layout msg-convpage' },
      h('aside', { class: 'msg-aside', 'aria-labelledby': 'msg-aside-h' },
        h('h2', { id: 'msg-aside-h', class: 'msg-aside-h' }, 'Conversations'), list.node,
        h('p', { class: 'small' }, h('a', { href: '/messages?new' }, 'New message'))),
      h('section', { class: 'msg-pane', 'aria-labelledby': 'msg-h' },
        h('div', { class: 'page-header' }, h('h1', { id: 'msg-h' }, name),
          actions.length ? h('div', { class: 'page-actions' }, actions) : null),
        members,
        scroller, bottom)));
  msgList.append(...[...first.items].reverse().map(messageItem));
  paintEmpty();
  paintEarlier();
  ready();
  // After the router's own scroll to the top and focus of a new page.
  setTimeout(() => {
    toBottom();
    bottom.querySelector?.('textarea')?.focus({ preventScroll: true });
  }, 0);
  markRead();
}

export default async function messages(ctx) {
  try {
    if (ctx.params.id) await conversationPage(ctx);
    else await indexPage(ctx);
  } catch (e) {
    if (!messagingOff(e)) throw e;
    if (!ctx.current()) return;
    ctx.title('Messages');
    clear(ctx.main, pageHeader('Messages'),
      h('div', { class: 'state state-empty' }, h('p', {}, 'Your organization has turned messages off.')));
  }
}
