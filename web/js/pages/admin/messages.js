// admin/messages.js - reported direct messages (/admin/messages,
// user.manage): the organization's reports, the oldest first, each with
// its reason, note and reporter, and the message (as text) with its
// sender; Remove (the message is removed for everyone in its
// conversation) or Dismiss (it stays).  Deciding settles every open
// report of that message.  ?status= open (default), removed or dismissed
// shows the settled ones.
import { api, qs } from '../../api.js';
import { h, append, clear, loading, errorBox, empty, toast, badge, button, pageHeader, fmt } from '../../ui.js';
import { problemText } from '../forum_ui.js';

const STATUSES = [['open', 'Waiting'], ['removed', 'Removed'], ['dismissed', 'Dismissed']];
const REASONS = { spam: 'Spam', harassment: 'Harassment', inappropriate: 'Inappropriate', other: 'Something else' };

export default async function messageReports(ctx) {
  ctx.title('Reported messages');
  let status = STATUSES.some(([s]) => s === ctx.query.get('status')) ? ctx.query.get('status') : 'open';
  const body = h('div', {});

  const item = (r) => {
    const m = r.message;
    const li = h('li', { class: 'card msg-report', 'data-testid': 'message-report' });
    const decide = (decision) => async () => {
      for (const b of li.querySelectorAll('button')) b.disabled = true;
      try {
        await api.post(`/message-reports/${r.id}/resolve`, { decision });
        toast(decision === 'remove' ? 'Removed: the message is gone from its conversation.' : 'Dismissed: the message stays.', 'success');
        // Every open report of the message is settled with it.
        await show();
      } catch (e) {
        for (const b of li.querySelectorAll('button')) b.disabled = false;
        toast(problemText(e), 'error');
      }
    };
    append(li, [
      h('div', { class: 'row between' },
        h('p', { class: 'small' }, h('strong', {}, REASONS[r.reason] || r.reason),
          ` reported by ${r.reporter ? '@' + r.reporter : 'a former member'}, ${fmt.datetime(r.created_at)}`),
        m.removed ? badge('Removed', 'bad') : m.body === null ? badge('Deleted by its sender') : null),
      r.note ? h('p', { class: 'small' }, 'Note: ', h('q', {}, r.note)) : null,
      h('p', { class: 'small muted' }, `Message from ${m.sender ? '@' + m.sender : 'a former member'}, ${fmt.datetime(m.created_at)}:`),
      h('div', { class: 'msg-report-body' }, m.body ?? ''),
      status === 'open' ? h('div', { class: 'row' },
        button('Remove the message', decide('remove'), 'btn btn-sm btn-danger'),
        button('Dismiss', decide('dismiss'), 'btn btn-sm btn-secondary')) : null]);
    return li;
  };

  async function show() {
    history.replaceState(null, '', '/admin/messages' + (status === 'open' ? '' : qs({ status })));
    clear(body, loading('Loading the reports…'));
    try {
      const d = await api.get('/message-reports' + qs({ status, limit: 200 }));
      if (!ctx.current()) return;
      clear(body, d.items.length ? h('ul', { class: 'plain-list', 'aria-label': 'Reported messages' }, d.items.map(item))
        : empty(status === 'open' ? 'Nothing is waiting: no message is reported.' : 'None.'));
    } catch (e) { if (ctx.current()) clear(body, errorBox(e, show)); }
  }

  const seg = h('fieldset', { class: 'pr-seg' },
    h('legend', { class: 'sr-only' }, 'Show'),
    h('div', { class: 'pr-seg-opts' }, STATUSES.map(([v, text]) => [
      h('input', { type: 'radio', name: 'msg-status', id: `msg-status-${v}`, value: v, class: 'pr-seg-input', checked: v === status,
        onchange: () => { status = v; show(); } }),
      h('label', { for: `msg-status-${v}`, class: 'pr-seg-label' }, text)])));

  clear(ctx.main, pageHeader('Reported messages'),
    h('p', { class: 'muted' }, 'Direct messages members reported to the admins. Removing one hides its text from everyone in its conversation.'),
    h('div', { class: 'row msg-report-bar' }, seg), body);
  await show();
}
