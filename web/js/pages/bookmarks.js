// bookmarks.js - /bookmarks: the lessons I bookmarked, newest first, each
// with its course, my note and when I set it; open one, or remove it.
// The list comes from GET /me/bookmarks in keyset pages ("Load more").
import { api, ApiError, qs } from '../api.js';
import { h, clear, load, empty, badge, button, toast, fmt, pageHeader, moreButton } from '../ui.js';
import { KINDS, kindText } from './course.js';

const PAGE = 50;

function item(b, list) {
  const li = h('li', { class: 'card bm-item', 'data-testid': 'bookmark' },
    h('div', { class: 'row between bm-head' },
      h('h2', { class: 'bm-title' }, h('a', { href: `/lessons/${b.lesson.id}` }, b.lesson.title)),
      button('Remove', async (e) => {
        e.target.disabled = true;
        try {
          await api.del(`/lessons/${b.lesson.id}/bookmark`);
        } catch (err) {
          if (!(err instanceof ApiError && err.status === 404)) {
            e.target.disabled = false;
            toast(err.message, 'error');
            return;
          }
        }
        li.remove();
        toast('Bookmark removed.');
        if (!list.children.length) list.replaceWith(none());
      }, 'btn btn-ghost btn-sm', { 'aria-label': `Remove the bookmark of ${b.lesson.title}` })),
    h('p', { class: 'small muted' },
      badge(`${(KINDS[b.lesson.kind] || ['', '📖'])[1]} ${kindText(b.lesson.kind)}`), ' ',
      h('a', { href: `/courses/${b.course.id}` }, b.course.title), ' · bookmarked ',
      h('time', { datetime: b.created_at, title: fmt.datetime(b.created_at) }, fmt.date(b.created_at))),
    b.note ? h('p', { class: 'bm-note' }, b.note) : null);
  return li;
}

function none() {
  return empty('No bookmarks yet. Use “☆ Bookmark” on a lesson to find it here again.',
    h('a', { href: '/catalog', class: 'btn btn-secondary' }, 'Browse the courses'));
}

export default async function bookmarks(ctx) {
  ctx.title('Bookmarks');
  const box = h('div', {});
  clear(ctx.main, pageHeader('Bookmarks'), box);
  await load(box, () => api.get('/me/bookmarks' + qs({ limit: PAGE })), (data) => {
    if (!data.items?.length) return none();
    const list = h('ul', { class: 'plain-list bm-list' });
    const slot = h('div', {});
    const add = (page) => {
      list.append(...page.items.map((b) => item(b, list)));
      clear(slot, moreButton(page.next, async (after) => {
        add(await api.get('/me/bookmarks' + qs({ limit: PAGE, after })));
      }));
    };
    add(data);
    return h('div', {}, list, slot);
  });
}
