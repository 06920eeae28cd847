// suggest.js - suggested edits of lessons (issue 17):
//   on the lesson page, a learner's "Suggest an edit" (the lesson's text to
//   change, a note for the authors), their waiting suggestion (withdraw),
//   and the learners the lesson credits;
//   in the lesson editor, the authors' panel: each waiting suggestion as a
//   line diff against the text it was made on, Accept or Reject (with a
//   reason), and when the lesson changed since, a merge box holding the
//   suggestion to reconcile with the current text before accepting.
import { api, ApiError } from '../api.js';
import { h, clear, button, toast, fmt, confirmDialog } from '../ui.js';

function problemText(e) {
  if (e instanceof ApiError && e.problem?.errors) return e.problem.errors.map((x) => `${x.field}: ${x.message}`).join('; ');
  return e instanceof ApiError && e.problem?.detail ? e.problem.detail : e.message;
}

// The lines of a and b as a list of [op, line]: ' ' kept, '-' only in a,
// '+' only in b (longest common subsequence, after the common head and
// tail; null when what is left is too large to compare line by line).
export function lineDiff(a, b) {
  const x = a.split('\n'), y = b.split('\n');
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const xs = x.slice(head, x.length - tail), ys = y.slice(head, y.length - tail);
  const n = xs.length, m = ys.length;
  if (n * m > 4e6) return null;
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = xs[i] === ys[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1
        : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  const out = x.slice(0, head).map((l) => [' ', l]);
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && xs[i] === ys[j]) { out.push([' ', xs[i]]); i++; j++; } else if (j < m && (i === n || lcs[i * (m + 1) + j + 1] >= lcs[(i + 1) * (m + 1) + j])) { out.push(['+', ys[j]]); j++; } else { out.push(['-', xs[i]]); i++; }
  }
  return out.concat(x.slice(x.length - tail).map((l) => [' ', l]));
}

export function diffView(a, b, label = 'Changes') {
  const ops = lineDiff(a, b);
  if (!ops) return h('p', { class: 'small muted' }, 'The texts are too long to compare line by line.');
  const changed = ops.filter(([op]) => op !== ' ').length;
  return h('div', { class: 'diff', role: 'group', 'aria-label': `${label}: ${changed} line${changed === 1 ? '' : 's'} changed` },
    ops.map(([op, line]) => h('div', { class: op === '+' ? 'diff-add' : op === '-' ? 'diff-del' : 'diff-same' },
      h('span', { class: 'diff-mark', 'aria-hidden': 'true' }, op),
      h('span', { class: 'sr-only' }, op === '+' ? 'added: ' : op === '-' ? 'removed: ' : ''),
      line || '\u00a0')));
}

// ---- the lesson page ------------------------------------------------------

export function suggestBox(ctx, lesson) {
  if (lesson.can_edit) return null;
  const box = h('section', { class: 'card suggest-box', 'aria-labelledby': 'sg-h' }, h('h2', { id: 'sg-h' }, 'Improve this lesson'));
  const credits = (lesson.contributors || []).length
    ? h('p', { class: 'small muted' }, `Improved with suggestions from ${lesson.contributors.join(', ')}.`) : null;
  const show = (waiting) => {
    if (waiting) {
      clear(box, h('h2', { id: 'sg-h' }, 'Improve this lesson'),
        h('p', { class: 'small' }, `Your suggested edit of ${fmt.date(waiting.created_at)} is waiting for the authors.`),
        button('Withdraw it', async () => {
          if (!await confirmDialog('Withdraw your suggested edit?', { ok: 'Withdraw' })) return;
          try {
            await api.del(`/suggestions/${waiting.id}`);
            toast('Your suggestion is withdrawn.');
            show(null);
          } catch (e) { toast(problemText(e), 'error'); }
        }, 'btn btn-sm btn-ghost'), credits);
      return;
    }
    clear(box, h('h2', { id: 'sg-h' }, 'Improve this lesson'),
      h('p', { class: 'small muted' }, 'Found a mistake or something unclear? Suggest a better text; the authors see what you changed.'),
      button('Suggest an edit', () => openForm(), 'btn btn-sm btn-secondary'), credits);
  };
  const openForm = () => {
    const text = h('textarea', { rows: 14, maxlength: 100000, 'aria-label': 'The lesson’s text, as you would have it' });
    text.value = lesson.content?.markdown || '';
    const note = h('input', { maxlength: 2000, 'aria-label': 'A note for the authors', placeholder: 'What you changed and why' });
    const form = h('form', { class: 'suggest-form', 'aria-label': 'Suggest an edit' }, text, note,
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn btn-sm' }, 'Send the suggestion'),
        button('Cancel', () => show(null), 'btn btn-sm btn-ghost')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const s = await api.post(`/lessons/${lesson.id}/suggestions`, { markdown: text.value, note: note.value, base_version: lesson.version });
        toast('Thank you: the authors will look at your suggestion.', 'success');
        show(s);
      } catch (e) { toast(problemText(e), 'error', 8000); }
    });
    clear(box, h('h2', { id: 'sg-h' }, 'Suggest an edit'), form);
    text.focus();
  };
  show(lesson.my_suggestion);
  return box;
}

// ---- the lesson editor ------------------------------------------------------

export function suggestionsPanel(lessonId, onAccepted) {
  const box = h('div', {});
  const load = async () => {
    let d;
    try {
      d = await api.get(`/lessons/${lessonId}/suggestions?status=pending`);
    } catch (e) { clear(box, h('p', { class: 'small muted' }, problemText(e))); return; }
    if (!d.items.length) { clear(box, h('p', { class: 'muted small' }, 'No suggestions are waiting.')); return; }
    clear(box, h('ul', { class: 'plain-list suggest-list' }, d.items.map((s) => item(s))));
  };
  const item = (s) => {
    const li = h('li', { class: 'suggestion', 'data-testid': 'suggestion' },
      h('p', { class: 'small' }, h('strong', {}, s.author?.username || 'A learner'), ` · ${fmt.datetime(s.created_at)} · on version ${s.base_version}`),
      s.note ? h('p', { class: 'small muted suggest-note' }, s.note) : null);
    const detail = h('div', {}, h('p', { class: 'small muted' }, 'Loading the changes…'));
    li.append(detail);
    api.get(`/suggestions/${s.id}`).then((full) => {
      const accept = button('Accept', async () => {
        try {
          await api.post(`/suggestions/${s.id}/accept`, {});
          toast(`Accepted: the lesson now reads as ${s.author?.username || 'the learner'} suggested.`, 'success');
          onAccepted();
        } catch (e) {
          if (e instanceof ApiError && e.problem?.type?.endsWith('/lesson-changed')) merge(full);
          else toast(problemText(e), 'error', 8000);
        }
      }, 'btn btn-sm');
      const reject = button('Reject', () => {
        const reason = h('input', { maxlength: 2000, 'aria-label': 'Why (the learner sees it)', placeholder: 'Why (the learner sees it)' });
        const f = h('form', { class: 'row' }, reason, h('button', { type: 'submit', class: 'btn btn-sm btn-danger' }, 'Reject the suggestion'));
        f.addEventListener('submit', async (ev) => {
          ev.preventDefault();
          try {
            await api.post(`/suggestions/${s.id}/reject`, { reason: reason.value });
            toast('The suggestion is rejected; the learner is told why.');
            load();
          } catch (e) { toast(problemText(e), 'error'); }
        });
        li.append(f);
        reason.focus();
      }, 'btn btn-sm btn-ghost');
      clear(detail,
        full.changed_since ? h('p', { class: 'small warn-text' }, 'The lesson’s text changed since this suggestion was made: accepting it needs a merge.') : null,
        diffView(full.base_markdown, full.markdown, 'The suggested changes'),
        h('div', { class: 'row' }, accept, reject));
    }).catch((e) => clear(detail, h('p', { class: 'small muted' }, problemText(e))));
    // The lesson changed since: the suggestion to reconcile with the text
    // as it is now (shown as a diff), then accepted as merged.
    const merge = (full) => {
      api.get(`/suggestions/${s.id}`).then((now) => {
        const text = h('textarea', { rows: 12, 'aria-label': 'The merged text' });
        text.value = now.markdown;
        const f = h('form', { class: 'suggest-merge', 'aria-label': 'Merge the suggestion' },
          h('p', { class: 'small' }, 'What changed in the lesson since the suggestion was made:'),
          diffView(now.base_markdown, now.current_markdown, 'Changes since'),
          h('p', { class: 'small' }, 'The merged text (the suggestion, to bring up to date):'), text,
          h('button', { type: 'submit', class: 'btn btn-sm' }, 'Accept the merged text'));
        f.addEventListener('submit', async (ev) => {
          ev.preventDefault();
          try {
            await api.post(`/suggestions/${s.id}/accept`, { markdown: text.value, lesson_version: now.lesson_version });
            toast('Accepted, merged.', 'success');
            onAccepted();
          } catch (e) { toast(problemText(e), 'error', 8000); }
        });
        li.append(f);
        text.focus();
      }).catch((e) => toast(problemText(e), 'error'));
      return full;
    };
    return li;
  };
  load();
  return box;
}
