// forum_mod.js - /forum/moderation, the moderation queue of the forums I
// moderate (a course's authors, or content.all): each flagged post, oldest
// flag first, with its text (as text), its author and every flag's reason
// and note; Agree (the post is, or stays, hidden) or Dismiss (shown again
// if the flags hid it).  ?status= open (default), agreed or dismissed
// shows the settled ones.
import { api, qs } from '../api.js';
import { h, append, clear, loading, errorBox, empty, toast, badge, button, pageHeader, fmt } from '../ui.js';
import { problemText, author, forumCrumbs } from './forum_ui.js';

const STATUSES = [['open', 'Waiting'], ['agreed', 'Agreed'], ['dismissed', 'Dismissed']];
const REASONS = { spam: 'Spam', inappropriate: 'Inappropriate', off_topic: 'Off topic', other: 'Something else' };

export default async function moderation(ctx) {
  ctx.title('Forum moderation');
  let status = STATUSES.some(([s]) => s === ctx.query.get('status')) ? ctx.query.get('status') : 'open';
  const body = h('div', {});

  const item = (it) => {
    const href = `/forum/t/${it.post_id}` + (it.reply_id ? qs({ reply: it.reply_id }) : '');
    const li = h('li', { class: 'card fo-flagged', 'data-testid': 'flagged' });
    const decide = (decision) => async () => {
      for (const b of li.querySelectorAll('button')) b.disabled = true;
      try {
        await api.post(`/forum/flags/${it.flag_id}/resolve`, { decision });
        toast(decision === 'agree' ? 'Agreed: the post is hidden.' : 'Dismissed: the post is shown.', 'success');
        li.remove();
        if (!body.querySelector('[data-testid="flagged"]')) show();
      } catch (e) {
        for (const b of li.querySelectorAll('button')) b.disabled = false;
        toast(problemText(e), 'error');
      }
    };
    append(li, [
      h('div', { class: 'row between' },
        h('p', { class: 'small muted' }, it.kind === 'reply' ? `Reply #${it.n} in ` : 'Thread ',
          h('a', { href }, it.title), ` · ${it.category}`),
        it.hidden ? badge('Hidden', 'bad') : badge('Shown')),
      h('p', { class: 'small' }, author(it.author)),
      h('div', { class: 'fo-flagged-body' }, it.body || ''),
      it.hidden_reason ? h('p', { class: 'small fo-warn' }, it.hidden_reason) : null,
      h('ul', { class: 'fo-flags small' }, it.flags.map((f) => h('li', {},
        h('strong', {}, REASONS[f.reason] || f.reason), ` by ${f.by || 'a member'}, ${fmt.datetime(f.created_at)}`,
        f.note ? [': ', h('q', {}, f.note)] : null))),
      status === 'open' ? h('div', { class: 'row' },
        button(it.hidden ? 'Agree: keep it hidden' : 'Agree: hide it', decide('agree'), 'btn btn-sm btn-danger'),
        button(it.hidden ? 'Dismiss: show it again' : 'Dismiss', decide('dismiss'), 'btn btn-sm btn-secondary')) : null]);
    return li;
  };

  async function show() {
    history.replaceState(null, '', '/forum/moderation' + (status === 'open' ? '' : qs({ status })));
    clear(body, loading('Loading the queue…'));
    try {
      const d = await api.get('/forum/flags' + qs({ status, limit: 100 }));
      if (!ctx.current()) return;
      const list = d.items;
      clear(body, list.length ? h('ul', { class: 'plain-list', 'aria-label': 'Flagged posts' }, list.map(item))
        : empty(status === 'open' ? 'Nothing is waiting: no post of the forums you moderate is flagged.' : 'None.'));
    } catch (e) { if (ctx.current()) clear(body, errorBox(e, show)); }
  }

  const seg = h('fieldset', { class: 'pr-seg' },
    h('legend', { class: 'sr-only' }, 'Show'),
    h('div', { class: 'pr-seg-opts' }, STATUSES.map(([v, text]) => [
      h('input', { type: 'radio', name: 'fo-status', id: `fo-status-${v}`, value: v, class: 'pr-seg-input', checked: v === status,
        onchange: () => { status = v; show(); } }),
      h('label', { for: `fo-status-${v}`, class: 'pr-seg-label' }, text)])));

  clear(ctx.main, forumCrumbs(null, [null, 'Moderation']), pageHeader('Forum moderation'),
    h('p', { class: 'muted' }, 'Posts members flagged in the forums you moderate. Enough flags hide a post until you decide.'),
    h('div', { class: 'row fo-mod-bar' }, seg), body);
  await show();
}
