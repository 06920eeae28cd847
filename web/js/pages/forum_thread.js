// forum_thread.js - /forum/t/:id, a thread: its first post, its replies in
// the reader's chosen view (nested, threaded, flat or newest first, kept
// in this browser) with "Load more", and what a member does there: reply
// under any post, like, edit (If-Match, the old text kept: "edited" opens
// the history), delete, mark the answer (the thread's author or a
// moderator), watch or mute, flag; and the moderators' menu (pin, lock,
// hide, move).  ?n=N or ?reply=ID (a notification, a search hit) opens
// the thread at that reply.  Having shown replies, the page tells the
// server how far the member has read.  In a Q&A category a member sees
// the others' answers only after answering.  New replies come as they are
// posted (live.js): each is put where the view has it, when that is
// within what is loaded, and a notice counts those further on.
import { api, ApiError, qs } from '../api.js';
import { live } from '../live.js';
import { h, clear, toast, confirmDialog, badge, button, fmt, onSubmit, field } from '../ui.js';
import {
  problemText, author, authorName, postBody, when, forumCrumbs, askFlag, askReason, formDialog,
  VIEWS, ORDER, savedView, saveView, forumHref,
} from './forum_ui.js';

const PAGE = 50;
const MAX_PAGES = 40; // looking for a reply to open at: at most this many pages

const ifMatch = (p) => ({ 'If-Match': `"v${p.version}"` });

// What an edit's 412 means, and what to do about it.
function editProblem(e) {
  if (e instanceof ApiError && e.status === 412) {
    return new Error('Someone changed this post since you opened it. Copy your text, then reload the thread to see theirs.');
  }
  return e;
}

// ---- the edit history --------------------------------------------------------

async function showHistory(kind, p) {
  let list;
  try {
    list = await api.get(`/forum/${kind === 'thread' ? 'threads' : 'replies'}/${p.id}/revisions`);
  } catch (e) { toast(problemText(e), 'error'); return; }
  const items = list.items;
  const d = h('dialog', { class: 'dialog fo-dialog fo-history', 'aria-label': 'Edit history' },
    h('h2', {}, 'Edit history'),
    h('p', { class: 'small muted' }, `Now at version ${p.version}, edited ${fmt.datetime(p.edited_at)}. Before:`),
    items.length ? h('ol', { class: 'plain-list' }, items.map((v) => h('li', { class: 'fo-revision' },
      h('p', { class: 'small muted' }, `Version ${v.version}, replaced ${fmt.datetime(v.replaced_at)}`, v.edited_by ? ` by ${v.edited_by}` : ''),
      v.title ? h('p', {}, h('strong', {}, v.title)) : null,
      h('div', { class: 'fo-revision-body' }, v.body || '')))) : h('p', { class: 'muted' }, 'No earlier text is kept.'),
    h('form', { method: 'dialog', class: 'row end' }, h('button', { class: 'btn' }, 'Close')));
  d.addEventListener('close', () => d.remove());
  document.body.append(d);
  d.showModal();
}

// ---- the page ------------------------------------------------------------------

export default async function threadPage(ctx) {
  const id = ctx.params.id;
  // The thread's new replies, from now on: what comes before the page has
  // loaded waits for it (each in turn, in order).
  live.follow(id);
  let ready;
  let queue = new Promise((resolve) => { ready = resolve; });
  const enqueue = (fn) => { queue = queue.then(() => (ctx.current() ? fn() : null)).catch(() => { /* the next event, or a reload */ }); };
  ctx.onLeave(live.on('reply', (ev) => enqueue(() => onReply(ev))));
  ctx.onLeave(live.on('resync', () => enqueue(reread)));
  ctx.onLeave(live.on('open', (ev) => { if (ev.thread === id) enqueue(catchUp); }));
  let doc;
  try {
    doc = await api.get(`/forum/threads/${id}`);
  } catch (e) {
    live.follow(null);
    throw e;
  }
  if (!ctx.current()) return;
  let view = savedView();
  let items = [];
  let next = null;
  let gen = 0; // the current load of the replies
  let gated = doc.answers_hidden;
  let readUpto = doc.last_read ?? -1;
  const firstRead = doc.last_read; // what was new when the page opened
  const loads = new Set(); // the loads of replies under way, which live replies wait for
  let seq = doc.thread.reply_seq; // the highest reply number known to exist
  const known = new Set(); // the ids of the replies that came live
  let beyond = []; // those of them past the pages loaded
  const staff = () => doc.role === 'staff';
  const closed = () => doc.thread.deleted || doc.thread.hidden;
  const mayReply = () => !closed() && (!doc.thread.locked || staff());
  const head = h('div', {});
  const repliesBox = h('div', { class: 'fo-replies' });
  const moreSlot = h('div', {});
  const countEl = h('h2', { id: 'fo-replies-h' });
  const liveNote = h('div', { class: 'fo-live-note', role: 'status' });
  const gateNote = h('p', { class: 'fo-note', role: 'note', hidden: true },
    'In this category you see the others’ answers once you have answered: answer first to see the others’ answers.');
  const bottom = h('div', {});

  // ---- the pieces every post has ----

  const likeButton = (kind, p) => {
    if (p.mine || p.deleted || p.hidden) {
      return p.likes ? h('span', { class: 'small muted' }, `${fmt.num(p.likes)} like${p.likes === 1 ? '' : 's'}`) : null;
    }
    const b = button('', async () => {
      b.disabled = true;
      try {
        const path = `/forum/${kind === 'thread' ? 'threads' : 'replies'}/${p.id}/like`;
        const r = p.liked ? await api.del(path) : await api.post(path);
        p.likes = r.likes;
        p.liked = r.liked;
        paint();
      } catch (e) { toast(problemText(e), 'error'); } finally { b.disabled = false; }
    }, 'btn btn-sm btn-ghost fo-like');
    const paint = () => {
      b.textContent = `Like (${fmt.num(p.likes)})`;
      b.setAttribute('aria-pressed', String(!!p.liked));
    };
    paint();
    return b;
  };

  const flagButton = (kind, p) => (p.mine || p.deleted || p.hidden ? null : button('Flag', async () => {
    const v = await askFlag();
    if (!v) return;
    try {
      const r = await api.post(`/forum/${kind === 'thread' ? 'threads' : 'replies'}/${p.id}/flag`, { reason: v.reason, note: v.note || '' });
      toast(r.hidden ? 'Thank you: the post is hidden until a moderator looks at it.' : 'Thank you: the moderators will look at it.', 'success');
      if (r.hidden) await refresh();
    } catch (e) { toast(problemText(e), 'error', 8000); }
  }, 'btn btn-sm btn-ghost'));

  const editedMark = (kind, p) => (p.edited_at ? button('edited', () => showHistory(kind, p), 'btn-link small fo-edited',
    { title: `Edited ${fmt.datetime(p.edited_at)}: see the history`, 'aria-label': 'Edited: see the history' }) : null);

  // The editor in place of a post's body: a thread's title and text, or a
  // reply's text, sent with the version it was read at.
  const editForm = (kind, p, slot, done) => {
    const form = h('form', { class: 'stack fo-edit', 'aria-label': kind === 'thread' ? 'Edit the thread' : 'Edit the reply' },
      kind === 'thread' ? field({ label: 'Title', name: 'title', required: true, maxlength: 200, value: doc.thread.title }) : null,
      field({ label: 'Text', name: 'body', type: 'textarea', rows: 6, required: true, value: p.body || '' }),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn btn-sm' }, 'Save'),
        button('Cancel', done, 'btn btn-sm btn-ghost')));
    onSubmit(form, async (v) => {
      const path = kind === 'thread' ? `/forum/threads/${p.id}` : `/forum/replies/${p.id}`;
      const body = kind === 'thread' ? { title: v.title || '', body: v.body || '' } : { body: v.body || '' };
      let r;
      try {
        r = await api.patch(path, body, { headers: ifMatch(p) });
      } catch (e) { throw editProblem(e); }
      Object.assign(p, r);
      toast('Saved.', 'success');
      if (kind === 'thread') renderHead(); else done();
    });
    clear(slot, form);
    form.querySelector('textarea, input').focus();
  };

  const deletePost = async (kind, p) => {
    if (!await confirmDialog(kind === 'thread' ? 'Delete this thread? Its replies stay.' : 'Delete this reply? The answers to it stay.', { ok: 'Delete', danger: true })) return;
    try {
      await api.del(`/forum/${kind === 'thread' ? 'threads' : 'replies'}/${p.id}`);
      toast(kind === 'thread' ? 'The thread is deleted.' : 'The reply is deleted.');
      if (kind === 'thread') ctx.navigate(`/forum/c/${doc.category.id}`, { replace: true });
      else await refresh();
    } catch (e) { toast(problemText(e), 'error'); }
  };

  const moderate = async (kind, p, action, extra = {}) => {
    try {
      await api.post(`/forum/${kind === 'thread' ? 'threads' : 'replies'}/${p.id}/moderate`, { action, ...extra });
      toast('Done.', 'success');
      await refresh();
    } catch (e) { toast(problemText(e), 'error', 8000); }
  };

  const hideButton = (kind, p) => (!staff() || p.deleted ? null : p.hidden
    ? button('Show again', () => moderate(kind, p, 'unhide'), 'btn btn-sm btn-ghost')
    : button('Hide', async () => {
      const reason = await askReason(kind === 'thread' ? 'Hide this thread' : 'Hide this reply');
      if (reason) await moderate(kind, p, 'hide', { reason });
    }, 'btn btn-sm btn-ghost'));

  // What a post says: its text, or why it is not shown.
  const bodyOf = (kind, p) => {
    const what = kind === 'thread' ? 'thread' : 'reply';
    if (p.deleted && !p.html) return h('p', { class: 'muted fo-gone' }, `This ${what} was deleted.`);
    if (p.hidden && !p.html) return h('p', { class: 'muted fo-gone' }, `This ${what} was hidden by a moderator.`);
    return [p.hidden ? h('p', { class: 'small fo-warn' }, `Hidden: ${p.hidden_reason || 'by a moderator'}. Only you and the moderators see it.`) : null,
      p.deleted ? h('p', { class: 'small fo-warn' }, 'Deleted: only the moderators see it.') : null,
      postBody(p.html)];
  };

  // ---- the thread's head: title, first post, watching, moderation ----

  const watchSelect = () => {
    if (closed()) return null;
    const value = doc.watching === true ? 'watching' : doc.watching === false ? 'muted' : 'normal';
    const sel = h('select', { id: 'fo-watch', class: 'fo-watch',
      title: 'By default you are told when mentioned, and of every reply if you watch the category.' },
      [['watching', 'every reply (watching)'], ['normal', 'mentions (the default)'], ['muted', 'nothing (muted)']]
        .map(([v, t]) => h('option', { value: v, selected: v === value }, t)));
    sel.addEventListener('change', async () => {
      const v = sel.value;
      try {
        if (v === 'normal') await api.del(`/forum/threads/${id}/watch`);
        else await api.put(`/forum/threads/${id}/watch`, { watching: v === 'watching' });
        doc.watching = v === 'normal' ? null : v === 'watching';
        toast(v === 'watching' ? 'You are told of every reply.' : v === 'muted' ? 'This thread is muted.' : 'You are told of it as usual.');
      } catch (e) { toast(problemText(e), 'error'); }
    });
    return h('span', { class: 'fo-watch-box' }, h('label', { for: 'fo-watch', class: 'small' }, 'Tell me of'), sel);
  };

  const moveThread = async () => {
    let f;
    try { f = await api.get('/forum' + qs({ course: doc.category.course_id })); } catch (e) { toast(problemText(e), 'error'); return; }
    const others = (f.categories || []).filter((k) => k.id !== doc.category.id);
    if (!others.length) { toast('This forum has no other category to move the thread to.'); return; }
    const v = await formDialog('Move the thread', [h('label', { class: 'field' }, h('span', {}, 'To the category'),
      h('select', { name: 'category_id' }, others.map((k) => h('option', { value: k.id }, k.name))))], { ok: 'Move it' });
    if (v) await moderate('thread', doc.thread, 'move', { category_id: v.category_id });
  };

  const modMenu = () => {
    if (!staff()) return null;
    const t = doc.thread;
    const act = (text, fn) => h('li', {}, button(text, () => { menu.open = false; fn(); }, 'btn btn-sm btn-ghost'));
    const menu = h('details', { class: 'fo-menu' }, h('summary', { class: 'btn btn-sm btn-secondary' }, 'Moderate'),
      h('ul', { class: 'fo-menu-list' },
        act(t.pinned ? 'Unpin' : 'Pin', () => moderate('thread', t, t.pinned ? 'unpin' : 'pin')),
        act(t.locked ? 'Unlock' : 'Lock', () => moderate('thread', t, t.locked ? 'unlock' : 'lock')),
        t.deleted ? null : act(t.hidden ? 'Show again' : 'Hide', async () => {
          if (t.hidden) { await moderate('thread', t, 'unhide'); return; }
          const reason = await askReason('Hide this thread');
          if (reason) await moderate('thread', t, 'hide', { reason });
        }),
        act('Move…', moveThread)));
    return menu;
  };

  function renderHead() {
    const t = doc.thread;
    const k = doc.category;
    ctx.title(t.title);
    const bodySlot = h('div', {}, bodyOf('thread', t));
    const editing = (t.mine || staff()) && (!t.locked || staff());
    const actions = h('div', { class: 'row fo-actions' },
      likeButton('thread', t),
      mayReply() ? button('Reply', () => bottom.querySelector('textarea')?.focus(), 'btn btn-sm btn-ghost') : null,
      editing && !t.deleted ? button('Edit', () => editForm('thread', t, bodySlot, renderHead), 'btn btn-sm btn-ghost') : null,
      editing && !t.deleted ? button('Delete', () => deletePost('thread', t), 'btn btn-sm btn-ghost') : null,
      flagButton('thread', t));
    clear(head,
      forumCrumbs(k, [null, t.title]),
      h('div', { class: 'page-header' },
        h('h1', {}, t.title),
        h('div', { class: 'page-actions' }, watchSelect(), modMenu())),
      h('p', { class: 'row fo-thread-badges' },
        k.kind === 'qa' ? badge('Q&A', 'accent') : null,
        t.pinned ? badge('Pinned', 'accent') : null,
        t.locked ? badge('Locked', 'warn') : null,
        t.hidden ? badge('Hidden', 'bad') : null,
        t.accepted_reply_id ? badge('Answered', 'ok') : null),
      h('article', { class: 'card fo-post fo-first', id: 'post-top', 'data-testid': 'post' },
        h('p', { class: 'small fo-meta' }, author(t.author, { you: t.mine }), ' · ', when(t.created_at), ' ', editedMark('thread', t)),
        bodySlot, actions),
      t.locked ? h('p', { class: 'fo-note', role: 'note' }, staff() ? 'This thread is locked: members cannot reply; you can, as a moderator.'
        : 'This thread is locked: only moderators reply to it.') : null);
  }

  // ---- replies ----

  const byId = () => new Map(items.map((r) => [r.id, r]));

  // Reply under a post (parent: a reply, or null for the thread).
  const replyForm = (parent, onDone) => {
    const label = parent ? `Reply to #${parent.n}` : 'Reply to the thread';
    const form = h('form', { class: 'stack fo-reply-form', 'aria-label': label },
      field({ label: parent ? `Your reply to ${authorName(parent.author)} (#${parent.n})` : 'Your reply', name: 'body', type: 'textarea', rows: parent ? 4 : 5, required: true,
        hint: parent ? null : 'Markdown; @username tells someone.' }),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn btn-sm' }, 'Post the reply'),
        onDone ? button('Cancel', onDone, 'btn btn-sm btn-ghost') : null));
    onSubmit(form, async (v) => {
      const r = await api.post(`/forum/threads/${id}/replies`, { body: v.body || '', ...(parent ? { parent_id: parent.id } : {}) });
      toast('Your reply is posted.', 'success');
      form.reset();
      if (onDone) onDone();
      gated = false;
      await refresh({ n: r.n });
    });
    return form;
  };

  // The buttons under a reply.
  const replyActions = (r, li, slot) => {
    const editing = (r.mine || staff()) && !r.deleted && (!doc.thread.locked || staff());
    const accepting = (doc.thread.mine || staff()) && !r.deleted && !r.hidden && !closed();
    const formSlot = h('div', {});
    const row = h('div', { class: 'row fo-actions' },
      likeButton('reply', r),
      mayReply() ? button('Reply', () => {
        if (formSlot.firstChild) { formSlot.querySelector('textarea').focus(); return; }
        const f = replyForm(r, () => clear(formSlot));
        clear(formSlot, f);
        f.querySelector('textarea').focus();
      }, 'btn btn-sm btn-ghost', { 'aria-label': `Reply to #${r.n}` }) : null,
      accepting ? (r.accepted
        ? button('Unmark the answer', () => accept(null), 'btn btn-sm btn-ghost')
        : button('Accept as the answer', () => accept(r), 'btn btn-sm btn-ghost')) : null,
      editing ? button('Edit', () => editForm('reply', r, slot, () => renderReplies()), 'btn btn-sm btn-ghost') : null,
      editing ? button('Delete', () => deletePost('reply', r), 'btn btn-sm btn-ghost') : null,
      flagButton('reply', r),
      hideButton('reply', r));
    return [row, formSlot];
  };

  const accept = async (r) => {
    try {
      const t = r ? await api.post(`/forum/threads/${id}/accept`, { reply_id: r.id }) : await api.del(`/forum/threads/${id}/accept`);
      Object.assign(doc.thread, t);
      for (const x of items) x.accepted = x.id === doc.thread.accepted_reply_id;
      toast(r ? 'Marked as the answer.' : 'The answer is unmarked.', 'success');
      renderHead();
      renderReplies();
    } catch (e) { toast(problemText(e), 'error'); }
  };

  // One reply, whole: its header, text and buttons.
  const replyPost = (r, { parentLine = false } = {}) => {
    const slot = h('div', {}, bodyOf('reply', r));
    const parent = parentLine && r.parent_id ? byId().get(r.parent_id) : null;
    const art = h('article', { class: ['fo-post', r.accepted && 'fo-accepted'], 'aria-labelledby': `r-${r.n}-h` },
      h('p', { class: 'small fo-meta', id: `r-${r.n}-h` },
        h('a', { href: `#r-${r.n}`, class: 'fo-num', 'aria-label': `Reply #${r.n}` }, `#${r.n}`), ' ',
        author(r.author, { you: r.mine }), ' · ', when(r.created_at), ' ', editedMark('reply', r),
        r.accepted ? badge('✓ Answer', 'ok') : null,
        firstRead !== null && firstRead !== undefined && r.n > firstRead && !r.mine ? badge('New', 'accent') : null,
        r.hidden ? badge('Hidden', 'bad') : null),
      parentLine && r.parent_id ? h('p', { class: 'small muted fo-inreply' }, 'In reply to ',
        parent ? h('a', { href: `#r-${parent.n}` }, `#${parent.n} by ${authorName(parent.author)}`) : 'an earlier reply') : null,
      slot);
    art.append(...replyActions(r, art, slot));
    return art;
  };

  const indent = (li, depth) => {
    li.dataset.depth = String(depth);
    // The CSP refuses style attributes; a custom property set through the
    // CSSOM is allowed.
    li.style.setProperty('--depth', String(Math.min(depth, 8)));
  };

  // The threaded view's line: who, the first words, when; opens the post.
  const replyLine = (r) => {
    const full = h('div', { class: 'fo-line-post', id: `r-${r.n}-full`, hidden: true });
    const words = r.deleted && !r.body ? 'deleted' : r.hidden && !r.body ? 'hidden by a moderator'
      : String(r.body || '').replace(/\s+/g, ' ').slice(0, 90);
    const toggle = h('button', { type: 'button', class: 'fo-line', 'aria-expanded': 'false', 'aria-controls': `r-${r.n}-full` },
      h('span', { class: 'fo-line-mark', 'aria-hidden': 'true' }, '▸'),
      h('span', { class: 'fo-line-num' }, `#${r.n}`),
      h('strong', {}, authorName(r.author)),
      h('span', { class: 'fo-line-text muted' }, words),
      r.accepted ? badge('✓ Answer', 'ok') : null,
      h('span', { class: 'small muted fo-line-when' }, fmt.ago(r.created_at)));
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      toggle.firstChild.textContent = open ? '▾' : '▸';
      if (open && !full.firstChild) full.append(replyPost(r));
      full.hidden = !open;
    });
    return [toggle, full];
  };

  function renderCount() {
    const t = doc.thread;
    countEl.textContent = `${fmt.num(t.replies)} ${t.replies === 1 ? 'reply' : 'replies'}`;
  }

  // A reply in the list, as the view shows it.
  function replyItem(r) {
    const tree = view === 'nested' || view === 'threaded';
    const li = h('li', { class: ['fo-reply', r.accepted && 'is-accepted'], id: `r-${r.n}`, 'data-testid': 'reply', dataset: { n: String(r.n) } });
    if (tree) indent(li, r.depth);
    if (view === 'threaded') li.append(...replyLine(r));
    else li.append(replyPost(r, { parentLine: !tree }));
    return li;
  }

  function renderReplies() {
    renderCount();
    gateNote.hidden = !gated;
    if (!items.length) {
      clear(repliesBox, h('p', { class: 'muted' }, gated ? 'Nothing of yours here yet.' : 'No replies yet.'));
    } else {
      clear(repliesBox, h('ol', { class: ['plain-list', 'fo-reply-list', `fo-view-${view}`], 'aria-labelledby': 'fo-replies-h' },
        items.map(replyItem)));
    }
    clear(moreSlot, next ? button('Load more replies', async (ev) => {
      ev.target.disabled = true;
      try {
        await loading(async () => { await loadPage(next); renderReplies(); });
      } catch (e) { ev.target.disabled = false; toast(problemText(e), 'error'); }
    }, 'btn btn-secondary more') : null);
    renderNotice();
  }

  // Runs a load of replies; a live reply waits until it is done.
  async function loading(fn) {
    const p = fn();
    loads.add(p);
    try { return await p; } finally { loads.delete(p); }
  }

  // A page of replies after the last one shown; a page of an older load
  // (the view changed meanwhile) is dropped.
  async function loadPage(after, g = gen) {
    const d = await api.get(`/forum/threads/${id}/replies` + qs({ order: ORDER[view], after, limit: PAGE }));
    if (g !== gen) return;
    items.push(...d.items);
    next = d.next;
    gated = d.answers_hidden;
    if (beyond.length) beyond = beyond.filter((x) => !items.some((r) => r.id === x));
    markRead();
  }

  // Tells the server how far the member has read: the highest number shown
  // (and 0 for a thread with none shown yet, which counts as entering it).
  function markRead() {
    const upto = items.reduce((m, r) => Math.max(m, r.n), 0);
    if (upto <= readUpto) return;
    readUpto = upto;
    api.post(`/forum/threads/${id}/read`, { upto }).catch(() => { /* the next visit tells it */ });
  }

  // The replies from the start, in the current order; with want ({n} or
  // {reply}), the pages up to that reply, which is then shown and focused;
  // with atLeast, pages until that many replies are shown (as many as
  // before, read again).
  function loadReplies(want, atLeast = 0) {
    return loading(() => loadFromStart(want, atLeast));
  }

  async function loadFromStart(want, atLeast) {
    const g = ++gen;
    items = [];
    next = null;
    await loadPage(null, g);
    const found = () => want && items.find((r) => (want.n && r.n === want.n) || (want.reply && r.id === want.reply));
    for (let i = 1; ((want && !found()) || items.length < atLeast) && next && i < MAX_PAGES && g === gen; i++) await loadPage(next, g);
    if (!ctx.current() || g !== gen) return;
    renderReplies();
    const r = found();
    if (!r) return;
    const li = document.getElementById(`r-${r.n}`);
    if (!li) return;
    if (view === 'threaded') li.querySelector('.fo-line')?.click();
    li.classList.add('fo-target');
    // After the router's own scroll to the top and focus of a new page.
    setTimeout(() => {
      li.scrollIntoView({ block: 'center' });
      li.querySelector('.fo-line, .fo-num')?.focus({ preventScroll: true });
    }, 0);
  }

  async function refresh(want) {
    doc = await api.get(`/forum/threads/${id}`);
    if (!ctx.current()) return;
    gated = doc.answers_hidden;
    seq = Math.max(seq, doc.thread.reply_seq);
    renderHead();
    renderBottom();
    await loadReplies(want);
  }

  // ---- live: the thread's new replies as they are posted ----

  const seen = (replyId) => known.has(replyId) || items.some((r) => r.id === replyId);

  async function settled() {
    while (loads.size) await Promise.allSettled([...loads]);
  }

  // Where a new reply goes among the items loaded: its index, or -1 when
  // it is past them (the view has more pages, not loaded yet).  In the
  // tree a reply is its parent's last: at the end of the parent's subtree
  // (a reply to the thread, at the end); flat, after the older ones;
  // newest first, before them.
  function placeOf(r) {
    const end = next ? -1 : items.length;
    if (view === 'newest') {
      const i = items.findIndex((x) => x.n < r.n);
      return i < 0 ? end : i;
    }
    if (view === 'flat') {
      const i = items.findIndex((x) => x.n > r.n);
      return i < 0 ? end : i;
    }
    const p = r.parent_id ? items.findIndex((x) => x.id === r.parent_id) : -1;
    if (p < 0) return end;
    let i = p + 1;
    while (i < items.length && items[i].depth > items[p].depth) i++;
    return i === items.length ? end : i;
  }

  // A reply that came live, put in the list and shown for a moment.
  function insertReply(r, i) {
    items.splice(i, 0, r);
    const list = repliesBox.querySelector('.fo-reply-list');
    let li;
    if (!list || items.length === 1) {
      renderReplies();
      li = document.getElementById(`r-${r.n}`);
    } else {
      li = replyItem(r);
      list.insertBefore(li, list.children[i] || null);
    }
    if (li) {
      li.dataset.live = 'new';
      li.classList.add('fo-live');
      setTimeout(() => li.classList.remove('fo-live'), 3000);
    }
    markRead();
  }

  function renderNotice() {
    const k = beyond.length;
    clear(liveNote, k ? [`${fmt.num(k)} new ${k === 1 ? 'reply' : 'replies'} further on. `,
      button(k === 1 ? 'Show it' : 'Show them', async (ev) => {
        ev.target.disabled = true;
        try { await loadReplies({ reply: beyond[beyond.length - 1] }); } catch (e) { ev.target.disabled = false; toast(problemText(e), 'error'); }
      }, 'btn btn-sm btn-secondary')] : null);
  }

  // A reply event ({id, n, parent_id}); have: the reply itself, when it
  // was read already.
  async function onReply(ev, have = null) {
    await settled();
    if (!ctx.current() || seen(ev.id)) return;
    let r = have;
    let lost = false;
    if (!r) {
      try {
        r = await api.get(`/forum/replies/${ev.id}`);
      } catch (e) {
        // 404: not ours to see (a Q&A thread before one's own answer).
        lost = !(e instanceof ApiError && e.status === 404);
      }
      await settled();
      if (!ctx.current() || seen(ev.id)) return;
    }
    known.add(ev.id);
    seq = Math.max(seq, ev.n || 0);
    doc.thread.replies += 1;
    renderCount();
    if (!r && !lost) return;
    const i = r ? placeOf(r) : -1;
    if (i < 0) {
      beyond.push(ev.id);
      renderNotice();
      return;
    }
    insertReply(r, i);
  }

  // A new stream is listening: the replies posted before it was (while the
  // page loaded) are read here.
  async function catchUp() {
    await settled();
    const d = await api.get(`/forum/threads/${id}/replies` + qs({ order: 'newest', limit: 20 }));
    const missed = d.items.filter((r) => r.n > seq);
    if (missed.length === d.items.length && d.next) { await reread(); return; }
    for (const r of missed.reverse()) await onReply({ id: r.id, n: r.n, parent_id: r.parent_id }, r);
  }

  // Events may have been missed: the thread and its replies read again,
  // as many as were shown; unless the member is writing in the list (a
  // reply, an edit), who is told instead.
  async function reread() {
    await settled();
    const d = await api.get(`/forum/threads/${id}`);
    if (!ctx.current()) return;
    Object.assign(doc.thread, { replies: d.thread.replies, reply_seq: d.thread.reply_seq });
    seq = Math.max(seq, d.thread.reply_seq);
    renderCount();
    const writing = [...repliesBox.querySelectorAll('textarea')].some((t) => t.value.trim());
    if (writing) {
      clear(liveNote, 'The replies may have changed. ', button('Read them again', () => { clear(liveNote); loadReplies(null, items.length).catch((e) => toast(problemText(e), 'error')); }, 'btn btn-sm btn-secondary'));
      return;
    }
    await loadReplies(null, items.length);
  }

  function renderBottom() {
    clear(bottom, mayReply() ? h('section', { class: 'card fo-bottom', 'aria-labelledby': 'fo-reply-h' },
      h('h2', { id: 'fo-reply-h' }, 'Reply to the thread'), replyForm(null))
      : closed() ? h('p', { class: 'muted' }, 'This thread takes no replies.') : null);
  }

  // The reader's view of the replies.
  const views = h('fieldset', { class: 'pr-seg fo-views' },
    h('legend', { class: 'sr-only' }, 'Show the replies'),
    h('div', { class: 'pr-seg-opts' }, VIEWS.map(([v, text]) => [
      h('input', { type: 'radio', name: 'fo-view', id: `fo-view-${v}`, value: v, class: 'pr-seg-input', checked: v === view,
        onchange: async () => {
          const before = ORDER[view];
          view = v;
          saveView(v);
          if (ORDER[v] === before) { renderReplies(); return; }
          try { await loadReplies(); } catch (e) { toast(problemText(e), 'error'); }
        } }),
      h('label', { for: `fo-view-${v}`, class: 'pr-seg-label' }, text)])));

  renderHead();
  renderBottom();
  clear(ctx.main, head,
    h('section', { class: 'section', 'aria-labelledby': 'fo-replies-h' },
      h('div', { class: 'row between fo-replies-bar' }, countEl, views),
      gateNote, repliesBox, liveNote, moreSlot),
    bottom,
    h('p', { class: 'small' }, h('a', { href: `/forum/c/${doc.category.id}` }, `← ${doc.category.name}`), ' · ',
      h('a', { href: forumHref(doc.category.course_id) }, doc.category.course_title ? `${doc.category.course_title}: forum` : 'General forum')));
  const n = Number(ctx.query.get('n')) || null;
  const reply = ctx.query.get('reply');
  await loadReplies(n || reply ? { n, reply } : null);
  ready();
}
