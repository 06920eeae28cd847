// notifications.js - /notifications: what Ludus told me (achievements,
// avatars, levels, goals, streaks at risk, reviews of my courses and
// answers to my reviews, suggested edits, the forums: replies, mentions,
// answers accepted, posts hidden), newest first, all or unread
// only, with keyset paging.  Opening one or pressing "Mark as read" marks it
// read; "Mark all read" marks them all.  The top bar's count follows.  A
// notification that comes while the page is open (live.js) is shown at
// at once: the first page is read again and put on top.
import { api, qs } from '../api.js';
import { live } from '../live.js';
import { h, clear, fmt, pageHeader, loading, errorBox, empty, moreButton, button, toast } from '../ui.js';

const PAGE = 20;

const KIND = {
  achievement_unlocked: { icon: '★', label: 'Achievement' },
  avatar_unlocked: { icon: '☺', label: 'Avatar' },
  level_up: { icon: '▲', label: 'Level up' },
  goal_reached: { icon: '✓', label: 'Goal' },
  streak_at_risk: { icon: '!', label: 'Streak' },
  course_reviewed: { icon: '✎', label: 'Review' },
  review_answered: { icon: '↩', label: 'Review' },
  edit_suggested: { icon: '✎', label: 'Suggested edit' },
  suggestion_accepted: { icon: '✓', label: 'Suggested edit' },
  suggestion_rejected: { icon: '✗', label: 'Suggested edit' },
  forum_reply: { icon: '↩', label: 'Forum' },
  forum_mention: { icon: '@', label: 'Forum' },
  forum_accepted: { icon: '✓', label: 'Forum' },
  forum_moderated: { icon: '!', label: 'Forum' },
};

// A forum post's address: its thread, opened at the reply (by its number
// when the notification has it, else by its id).
function forumTarget(d) {
  if (!d.post_id) return '/forum';
  const at = d.n ? `?n=${encodeURIComponent(d.n)}` : d.reply_id ? `?reply=${encodeURIComponent(d.reply_id)}` : '';
  return `/forum/t/${encodeURIComponent(d.post_id)}${at}`;
}

// Where a notification leads, from its kind and data: [href, link text].
function target(n) {
  const d = n.data || {};
  switch (n.kind) {
  case 'achievement_unlocked': return [d.achievement_id ? `/achievements#ach-${d.achievement_id}` : '/achievements', 'See the achievement'];
  case 'avatar_unlocked': return ['/avatars', 'Wear your new avatar'];
  case 'level_up': return ['/achievements', 'See your progress'];
  case 'goal_reached': return ['/goals', 'See your goals'];
  case 'streak_at_risk': return ['/dashboard', 'Study now'];
  case 'course_reviewed': case 'review_answered':
    return d.course_id ? [`/courses/${d.course_id}#course-reviews`, 'See the review'] : null;
  case 'edit_suggested':
    return d.lesson_id ? [`/teach/lessons/${d.lesson_id}`, 'See the suggestion'] : null;
  case 'suggestion_accepted': case 'suggestion_rejected':
    return d.lesson_id ? [`/lessons/${d.lesson_id}`, 'Open the lesson'] : null;
  case 'forum_reply': return [forumTarget(d), 'Read the replies'];
  case 'forum_mention': return [forumTarget(d), 'See where'];
  case 'forum_accepted': return [forumTarget(d), 'See your answer'];
  case 'forum_moderated': return [forumTarget(d), 'See the post'];
  default: break;
  }
  if (d.attempt_id) return [`/attempts/${d.attempt_id}`, 'Open the attempt'];
  if (d.lesson_id) return [`/lessons/${d.lesson_id}`, 'Open the lesson'];
  if (d.course_id) return [`/courses/${d.course_id}`, 'Open the course'];
  if (typeof d.url === 'string' && /^\/(?!\/)/.test(d.url)) return [d.url, 'Open'];
  return null;
}

export default async function notifications(ctx) {
  ctx.title('Notifications');
  let unreadOnly = ctx.query.get('unread') === 'true';
  let unread = 0;
  const count = h('p', { class: 'pr-unread muted', 'aria-live': 'polite' });
  const list = h('ul', { class: 'pr-notes', 'aria-label': 'Notifications' });
  const body = h('div', {});
  const markAll = button('Mark all read', markAllRead, 'btn btn-secondary', { id: 'mark-all-read', disabled: true });

  function setUnread(n) {
    unread = Math.max(0, n);
    count.textContent = unread ? `${unread} unread` : 'All caught up.';
    markAll.disabled = !unread;
  }

  function markedRead(li) {
    li.classList.remove('pr-note-unread');
    li.querySelector('.pr-note-mark')?.remove();
    li.querySelector('.pr-note-dot')?.remove();
    const sr = li.querySelector('.pr-note-state');
    if (sr) sr.textContent = '';
    if (unreadOnly) li.classList.add('pr-note-faded');
  }

  async function markOne(n, li, { quiet = false } = {}) {
    if (n.read_at) return;
    n.read_at = new Date().toISOString();
    markedRead(li);
    try {
      const r = await api.post('/me/notifications/read', { ids: [n.id] });
      if (ctx.current()) setUnread(r?.unread ?? unread - 1);
      ctx.refreshUnread();
    } catch (err) {
      n.read_at = null;
      if (!quiet && ctx.current()) toast(err.message, 'error');
    }
  }

  async function markAllRead() {
    markAll.disabled = true;
    try {
      await api.post('/me/notifications/read', {});
      ctx.refreshUnread();
      if (!ctx.current()) return;
      toast('All notifications are marked read.', 'success');
      await show();
    } catch (err) {
      markAll.disabled = !unread;
      toast(err.message, 'error');
    }
  }

  function item(n) {
    const k = KIND[n.kind] || { icon: '•', label: 'Notice' };
    const to = target(n);
    const li = h('li', { class: ['pr-note', !n.read_at && 'pr-note-unread'], dataset: { id: n.id } });
    const titleId = `note-${n.id}`;
    const title = to
      ? h('a', { href: to[0], id: titleId, class: 'pr-note-title', onclick: () => markOne(n, li, { quiet: true }) }, n.title)
      : h('span', { id: titleId, class: 'pr-note-title' }, n.title);
    li.append(
      h('span', { class: ['pr-note-icon', `pr-kind-${n.kind}`], 'aria-hidden': 'true' }, k.icon),
      h('div', { class: 'pr-note-body' },
        h('h2', { class: 'pr-note-h' }, title,
          h('span', { class: 'sr-only pr-note-state' }, n.read_at ? '' : ' (unread)')),
        n.body ? h('p', { class: 'pr-note-text' }, n.body) : null,
        h('p', { class: 'small muted pr-note-meta' },
          h('span', {}, k.label), ' · ',
          h('time', { datetime: n.created_at, title: fmt.datetime(n.created_at) }, fmt.ago(n.created_at)),
          to ? [' · ', h('a', { href: to[0], onclick: () => markOne(n, li, { quiet: true }) }, to[1])] : null)),
      h('div', { class: 'pr-note-actions' },
        n.read_at ? null : h('span', { class: 'pr-note-dot', 'aria-hidden': 'true' }),
        n.read_at ? null : button('Mark as read', () => markOne(n, li), 'btn btn-ghost btn-sm pr-note-mark',
          { 'aria-describedby': titleId })));
    return li;
  }

  async function page(after) {
    return api.get('/me/notifications' + qs({ unread: unreadOnly ? 'true' : '', after, limit: PAGE }));
  }

  function appendPage(data) {
    list.append(...data.items.map(item));
    const more = moreButton(data.next, async (next) => {
      const d = await page(next);
      if (!ctx.current()) return;
      setUnread(d.unread);
      appendPage(d);
    });
    if (more) body.append(more);
  }

  // quiet: no loading state, and a read that fails leaves the page as it
  // is (a live notification).
  let shown = 0;
  async function show({ quiet = false } = {}) {
    const mine = ++shown;
    history.replaceState(null, '', '/notifications' + (unreadOnly ? '?unread=true' : ''));
    if (!quiet) clear(body, loading('Loading notifications…'));
    let data;
    try {
      data = await page();
    } catch (err) {
      if (ctx.current() && !quiet && mine === shown) clear(body, errorBox(err, () => show()));
      return;
    }
    if (!ctx.current() || mine !== shown) return;
    setUnread(data.unread);
    clear(list);
    if (!data.items.length) {
      clear(body, empty(unreadOnly ? 'No unread notifications. You are all caught up.'
        : 'No notifications yet. Earn an achievement or reach a goal and we will tell you here.',
      unreadOnly ? button('Show all notifications', () => { setFilter(false); }, 'btn btn-secondary') : null));
      return;
    }
    clear(body, list);
    appendPage(data);
  }

  const filterInputs = [];
  function setFilter(v) {
    unreadOnly = v;
    for (const i of filterInputs) i.checked = (i.value === 'unread') === v;
    show();
  }
  const seg = h('fieldset', { class: 'pr-seg' },
    h('legend', { class: 'sr-only' }, 'Show'),
    h('div', { class: 'pr-seg-opts' }, [['all', 'All'], ['unread', 'Unread']].map(([v, text]) => {
      const input = h('input', { type: 'radio', name: 'note-filter', id: `note-f-${v}`, value: v, class: 'pr-seg-input',
        checked: (v === 'unread') === unreadOnly, onchange: () => setFilter(v === 'unread') });
      filterInputs.push(input);
      return [input, h('label', { for: `note-f-${v}`, class: 'pr-seg-label' }, text)];
    })));

  clear(ctx.main, pageHeader('Notifications', markAll),
    h('div', { class: 'row between pr-note-bar' }, seg, count), body);
  // A notification came (or may have): the first page read again, its
  // items on top in place of what the list showed of them.  What was
  // loaded further down stays, and so does its "Load more".
  async function fresh() {
    if (!list.isConnected || !list.firstChild) { await show({ quiet: true }); return; }
    const mine = shown;
    let data;
    try { data = await page(); } catch { return; }
    if (!ctx.current() || mine !== shown) return;
    setUnread(data.unread);
    const ids = new Set(data.items.map((n) => String(n.id)));
    for (const li of [...list.children]) if (ids.has(li.dataset.id)) li.remove();
    list.prepend(...data.items.map(item));
  }
  let queue = Promise.resolve();
  const again = () => { queue = queue.then(fresh); };
  ctx.onLeave(live.on('notification', again));
  ctx.onLeave(live.on('resync', again));
  await show();
}
