// flashcards.js - the learner's flashcards:
//   /flashcards               my decks (mine and my courses'), what is due,
//                             a new deck
//   /flashcards/decks/:id     a deck: its notes with the editor (a live
//                             preview of every card a note makes), study
//   /flashcards/settings      the scheduler's settings and limits
// The review screen is review.js; statistics are stats.js.
import { api, ApiError, qs, exams } from '../api.js';
import {
  h, clear, load, empty, badge, button, toast, field, onSubmit, pageHeader,
  confirmDialog, trustedHtml, debounce, fmt,
} from '../ui.js';
import { mediaTools, acceptMedia, insertAtCursor } from './fcmedia.js';

export const FC = '/flashcards';

const KINDS = [['basic', 'Basic (front, back)'], ['reversed', 'Basic and reversed (both ways)'],
  ['cloze', 'Cloze ({{c1::hidden text}})']];

function deckCard(d) {
  return h('li', { class: 'card fc-deck', 'data-testid': 'deck' },
    h('h2', { class: 'fc-deck-title' }, h('a', { href: `/flashcards/decks/${d.id}` }, d.title)),
    d.course_title ? h('p', { class: 'small muted' }, 'Course: ', d.course_title) : null,
    h('p', { class: 'fc-deck-counts' },
      badge(`${fmt.num(d.due)} due`, d.due ? 'accent' : ''), ' ',
      badge(`${fmt.num(d.new)} new`), ' ',
      h('span', { class: 'small muted' }, `${fmt.num(d.cards)} cards`)),
    h('div', { class: 'row' },
      d.due || d.new ? h('a', { class: 'btn btn-sm', href: `/flashcards/review?deck=${d.id}` }, 'Study') : null,
      h('a', { class: 'btn btn-sm btn-secondary', href: `/flashcards/decks/${d.id}` },
        d.role === 'learner' ? 'Browse' : 'Edit')));
}

function deckForm(ctx, examList, courses) {
  const form = h('form', { class: 'card fc-new-deck', 'aria-label': 'New deck' },
    h('h2', {}, 'New deck'),
    field({ label: 'Title', name: 'title', required: true, maxlength: 200 }),
    courses.length ? field({ label: 'For', name: 'course_id', type: 'select',
      hint: 'A course\'s deck is studied by every learner enrolled in it.',
      options: [['', 'Me'], ...courses.map((c) => [c.id, `The learners of ${c.title}`])] }) : null,
    field({ label: 'Description', name: 'description', type: 'textarea', rows: 2 }),
    field({ label: 'Exam', name: 'exam', type: 'select', hint: 'Lets notes name the exam\'s objectives.',
      options: [['', 'None'], ...examList.map((e) => [e.code, e.name])] }),
    h('button', { type: 'submit', class: 'btn' }, 'Make the deck'));
  return onSubmit(form, async (v) => {
    const d = await api.post(`${FC}/decks`, v);
    toast('Deck made. Add its first note.', 'success');
    ctx.navigate(`/flashcards/decks/${d.id}`);
  });
}

async function decksPage(ctx) {
  ctx.title('Flashcards');
  const box = h('div', {});
  clear(ctx.main, pageHeader('Flashcards',
    h('a', { class: 'btn', href: '/flashcards/review', 'data-testid': 'study-all' }, 'Study all'),
    h('a', { class: 'btn btn-secondary', href: '/flashcards/stats' }, 'Statistics'),
    h('a', { class: 'btn btn-secondary', href: '/flashcards/settings' }, 'Settings')), box);
  // A course's authors may make its decks: the courses they may edit.
  const mine = (ctx.user.permissions || []).includes('course.author')
    ? api.get(`/courses${qs({ status: 'all', limit: 100 })}`).then((d) => (d.items || []).filter((c) => c.can_edit), () => [])
    : Promise.resolve([]);
  await load(box, () => Promise.all([api.get(`${FC}/decks`), exams().catch(() => []), mine]),
    ([decks, examList, courses]) => {
      const due = decks.reduce((n, d) => n + d.due, 0);
      return h('div', { class: 'fc-home' },
        h('p', { class: 'fc-lead' }, decks.length
          ? `${fmt.num(due)} card${due === 1 ? '' : 's'} due today across ${decks.length} deck${decks.length === 1 ? '' : 's'}.`
          : 'Flashcards bring facts back just before you would forget them (FSRS, the scheduler Anki uses).'),
        decks.length ? h('ul', { class: 'plain-list fc-decks' }, decks.map(deckCard))
          : empty('No decks yet: make one below, or enroll in a course that has some.'),
        deckForm(ctx, examList, courses));
    });
}

// ---- a deck and its notes ------------------------------------------------

function preview(box, v, deck) {
  const run = debounce(async () => {
    if (!v.front || !v.front()) { clear(box); return; }
    try {
      const r = await api.post(`${FC}/preview`, { kind: v.kind(), front: v.front(), back: v.back() || '', deck_id: deck.id });
      clear(box, r.cards.map((c) => h('div', { class: 'fc-preview-card', 'data-testid': 'preview-card' },
        h('p', { class: 'small muted' }, v.kind() === 'cloze' ? `Card c${c.ordinal}` : c.ordinal ? 'Back to front' : 'Front to back'),
        trustedHtml(h('div', { class: 'fc-side lesson-body' }), c.question_html),
        h('hr', {}),
        trustedHtml(h('div', { class: 'fc-side lesson-body' }), c.answer_html))));
    } catch (e) {
      clear(box, h('p', { class: 'small muted' }, e instanceof ApiError && e.problem?.errors
        ? e.problem.errors.map((x) => x.message).join('; ') : e.message));
    }
  }, 300);
  return run;
}

function noteForm(deck, note, done) {
  const kind = field({ label: 'Kind', name: 'kind', type: 'select', options: KINDS, value: note?.kind || 'basic' });
  const front = field({ label: 'Front', name: 'front', type: 'textarea', rows: 3, required: true, value: note?.front,
    hint: 'Markdown. A cloze note hides {{c1::this}}; {{c2::that::a hint}} makes a second card.' });
  const back = field({ label: 'Back', name: 'back', type: 'textarea', rows: 3, value: note?.back,
    hint: 'The answer (for a cloze note: an extra shown with it).' });
  const tags = field({ label: 'Tags', name: 'tags', value: (note?.tags || []).join(' '), hint: 'Separated by spaces: ports dns' });
  const objectives = deck.exam ? field({ label: `Objectives (${deck.exam})`, name: 'objectives',
    value: (note?.objectives || []).join(' '), hint: 'Codes such as 1.4' }) : null;
  const box = h('div', { class: 'fc-preview', 'aria-live': 'polite' });
  const get = (f) => () => f.querySelector('[name]').value;
  const update = preview(box, { kind: get(kind), front: get(front), back: get(back) }, deck);
  // Pictures and sounds pasted or dropped into the text become files of
  // the deck; the media panel's Insert puts one where the cursor was last.
  const areas = [front, back].map((f) => f.querySelector('textarea'));
  let last = areas[0];
  for (const a of areas) {
    a.addEventListener('focus', () => { last = a; });
    acceptMedia(a, deck, () => deck.media?.refresh());
  }
  const form = h('form', { class: 'card fc-note-form', 'aria-label': note ? 'Edit the note' : 'New note' },
    h('h2', {}, note ? 'Edit the note' : 'New note'),
    h('div', { class: 'fc-editor' },
      h('div', {}, kind, front, back, tags, objectives,
        h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, note ? 'Save' : 'Add the note'),
          note ? button('Cancel', () => done(null), 'btn btn-secondary') : null)),
      h('div', {}, h('h3', { class: 'small muted' }, 'Preview'), box)));
  form.addEventListener('input', update);
  if (note) update();
  form.insertMedia = (md) => insertAtCursor(last, md);
  return onSubmit(form, async (v) => {
    const body = { kind: v.kind, front: v.front, back: v.back || '',
      tags: (v.tags || '').split(/\s+/).filter(Boolean) };
    if (deck.exam) body.objectives = (v.objectives || '').split(/[\s,]+/).filter(Boolean);
    const saved = note
      ? await api.patch(`${FC}/notes/${note.id}`, body, { headers: { 'If-Match': `"v${note.version}"` } })
      : await api.post(`${FC}/decks/${deck.id}/notes`, body);
    toast(note ? 'Note saved.' : `Note added: ${saved.cards.length} card${saved.cards.length === 1 ? '' : 's'}.`, 'success');
    if (!note) { form.reset(); clear(box); }
    done(saved);
  });
}

function noteRow(deck, n, list) {
  const li = h('li', { class: 'card fc-note', 'data-testid': 'note' });
  const show = (x) => {
    n = x || n;
    clear(li,
      h('div', { class: 'row between' },
        h('div', { class: 'fc-note-text' },
          h('p', { class: 'fc-note-front' }, n.front),
          n.back ? h('p', { class: 'small muted' }, n.back) : null),
        h('div', { class: 'row' },
          badge(n.kind), badge(`${n.cards.length} card${n.cards.length === 1 ? '' : 's'}`),
          ...n.tags.map((t) => badge(t, 'accent')))),
      deck.role !== 'learner' ? h('div', { class: 'row' },
        button('Edit', () => clear(li, noteForm(deck, n, show)), 'btn btn-sm btn-secondary'),
        button('Delete', async () => {
          if (!await confirmDialog('Delete this note and its cards? Your reviews of them stay in your history.',
            { ok: 'Delete', danger: true })) return;
          await api.del(`${FC}/notes/${n.id}`);
          li.remove();
          toast('Note deleted.');
        }, 'btn btn-sm btn-ghost')) : null);
  };
  show();
  return li;
}

// For a course's authors: notes from a lesson's key terms, and from the
// active questions of an objective of the bank.
function authorTools(ctx, deck, reload) {
  if (deck.role === 'learner' || !deck.course_id) return null;
  const box = h('section', { class: 'card fc-tools', 'aria-label': 'Make notes from the course' },
    h('h2', {}, 'Make notes from the course'));
  const lessonSelect = h('select', { name: 'lesson_id', 'aria-label': 'Lesson' }, h('option', { value: '' }, 'Choose a lesson'));
  api.get(`/courses/${deck.course_id}`).then((c) => {
    for (const u of c.units || []) {
      for (const l of u.lessons || []) lessonSelect.append(h('option', { value: l.id }, `${u.title} › ${l.title}`));
    }
  }).catch(() => {});
  const report = (r) => toast(`${r.added} note${r.added === 1 ? '' : 's'} added${r.already ? `, ${r.already} already there` : ''}.`, 'success');
  box.append(h('div', { class: 'row' }, lessonSelect, button('Add its key terms', async () => {
    if (!lessonSelect.value) return;
    report(await api.post(`${FC}/decks/${deck.id}/from-lesson`, { lesson_id: lessonSelect.value }));
    reload();
  }, 'btn btn-secondary')));
  if ((ctx.user.permissions || []).includes('question.manage') && deck.exam) {
    const objective = h('input', { name: 'objective', 'aria-label': `Objective of ${deck.exam}`, placeholder: 'Objective, e.g. 1.4', size: 12 });
    box.append(h('div', { class: 'row' }, objective, button('Add its active questions', async () => {
      const code = objective.value.trim();
      if (!code) return;
      const list = await api.get(`/questions${qs({ exam: deck.exam, objective: code, status: 'active', limit: 200 })}`);
      const ids = (list.items || []).map((q) => q.id);
      if (!ids.length) { toast('No active question has that objective.'); return; }
      report(await api.post(`${FC}/decks/${deck.id}/from-questions`, { question_ids: ids }));
      reload();
    }, 'btn btn-secondary')));
  }
  return box;
}

// Waits for a background job to end (GET /jobs/{id}); its document.
export async function followJob(href, onProgress) {
  for (;;) {
    const j = await api.get(href);
    if (j.status === 'succeeded' || j.status === 'failed') return j;
    if (onProgress && j.progress) onProgress(j.progress);
    await new Promise((r) => setTimeout(r, 500));
  }
}

// Anki: the deck out as an .apkg, and a package in (a job).
function ankiTools(deck, reload) {
  const file = h('input', { type: 'file', accept: '.apkg,.colpkg,application/zip', 'aria-label': 'Anki package (.apkg or .colpkg)' });
  const status = h('p', { class: 'small muted', role: 'status' });
  const go = button('Import', async () => {
    const f = file.files?.[0];
    if (!f) { toast('Choose an .apkg or .colpkg file first.'); return; }
    go.disabled = true;
    status.textContent = 'Uploading…';
    try {
      const r = await api.request('POST', `${FC}/decks/${deck.id}/import`, { raw: f, contentType: 'application/zip' });
      status.textContent = 'Importing…';
      const j = await followJob(r.data.href, (p) => { status.textContent = `Importing… ${p.done || 0} of ${p.total || '?'} notes`; });
      if (j.status === 'failed') {
        status.textContent = '';
        toast(`The package was not imported: ${j.error}`, 'error', 8000);
      } else {
        const x = j.result;
        toast(`${fmt.num(x.notes)} notes, ${fmt.num(x.cards)} cards, ${fmt.num(x.reviews)} reviews and ` +
          `${fmt.num(x.media || 0)} images or sounds imported` +
          (x.skipped.notes || x.skipped.media ? ` (left out: ${x.skipped.notes} notes, ${x.skipped.media} images or sounds)` : '') + '.',
        'success', 8000);
        reload();
      }
    } catch (e) {
      status.textContent = '';
      toast(e.message, 'error');
    } finally {
      go.disabled = false;
    }
  }, 'btn btn-secondary');
  return h('section', { class: 'card fc-tools', 'aria-label': 'Anki' },
    h('h2', {}, 'Anki'),
    h('div', { class: 'row' },
      h('a', { class: 'btn btn-secondary', href: `/api/v1/flashcards/decks/${deck.id}/export`, download: '' }, 'Export as .apkg')),
    deck.role !== 'learner' ? h('div', { class: 'row' }, file, go) : null, status);
}

async function deckPage(ctx) {
  const id = ctx.params.id;
  const box = h('div', {});
  clear(ctx.main, box);
  await load(box, () => Promise.all([api.get(`${FC}/decks/${id}`),
    api.get(`${FC}/decks/${id}/notes${qs({ limit: 500 })}`)]), ([deck, notes]) => {
    ctx.title(deck.title);
    const list = h('ul', { class: 'plain-list fc-notes' }, notes.items.map((n) => noteRow(deck, n, null)));
    const writer = deck.role !== 'learner';
    const none = notes.items.length ? null : empty('This deck has no notes yet.');
    const form = writer ? noteForm(deck, null, (n) => {
      if (!n) return;
      none?.remove();
      list.append(noteRow(deck, n, list));
    }) : null;
    deck.media = writer ? mediaTools(deck, (md) => form.insertMedia(md)) : null;
    return h('div', {},
      h('p', { class: 'crumbs' }, h('a', { href: '/flashcards' }, 'Flashcards'), ' › '),
      pageHeader(deck.title,
        h('a', { class: 'btn', href: `/flashcards/review?deck=${deck.id}` }, 'Study this deck'),
        writer ? button('Delete the deck', async () => {
          if (!await confirmDialog(`Delete “${deck.title}”?`, { ok: 'Delete', danger: true })) return;
          await api.del(`${FC}/decks/${deck.id}`);
          toast('Deck deleted.');
          ctx.navigate('/flashcards');
        }, 'btn btn-secondary') : null),
      deck.description ? h('p', {}, deck.description) : null,
      h('p', { class: 'small muted' }, `${fmt.num(deck.notes)} notes, ${fmt.num(deck.cards)} cards`,
        deck.exam ? ` · exam ${deck.exam}` : '', deck.course_title ? ` · course ${deck.course_title}` : ''),
      authorTools(ctx, deck, () => deckPage(ctx)),
      ankiTools(deck, () => deckPage(ctx)),
      deck.media?.el, form, none, list);
  });
}

// ---- settings ----------------------------------------------------------------

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

async function settingsPage(ctx) {
  ctx.title('Flashcard settings');
  const box = h('div', {});
  clear(ctx.main, h('p', { class: 'crumbs' }, h('a', { href: '/flashcards' }, 'Flashcards'), ' › '),
    pageHeader('Flashcard settings'), box);
  await load(box, () => api.get('/me/flashcard-settings'), (s) => {
    const minutes = (a) => a.map((x) => x / 60).join(' ');
    const form = h('form', { class: 'card fc-settings', 'aria-label': 'Flashcard settings' },
      field({ label: 'Desired retention', name: 'desired_retention', type: 'number', min: 0.7, max: 0.99, step: 0.01,
        value: s.desired_retention, hint: 'The chance of remembering a card when it comes back. Higher costs more reviews.' }),
      field({ label: 'New cards a day', name: 'new_per_day', type: 'number', min: 0, max: 9999, value: s.new_per_day }),
      field({ label: 'Reviews a day at most', name: 'reviews_per_day', type: 'number', min: 0, max: 99999, value: s.reviews_per_day }),
      field({ label: 'Learning steps (minutes)', name: 'learning_steps', value: minutes(s.learning_steps), hint: 'e.g. 1 10' }),
      field({ label: 'Relearning steps (minutes)', name: 'relearning_steps', value: minutes(s.relearning_steps) }),
      field({ label: 'Longest interval (days)', name: 'max_interval_days', type: 'number', min: 1, max: 36500, value: s.max_interval_days }),
      field({ label: 'Bury the other cards of a note until tomorrow', name: 'bury_siblings', type: 'checkbox', value: s.bury_siblings }),
      field({ label: 'Balance the load: among equally good days, pick the least busy', name: 'load_balance', type: 'checkbox', value: s.load_balance }),
      h('fieldset', { class: 'fc-easy-days', 'data-field': 'easy_days' },
        h('legend', {}, 'Easy days: how much to review on each day of the week'),
        DAYS.map((d, i) => field({ label: d, name: `easy_${i}`, type: 'select', value: String(s.easy_days[i]),
          options: [['1', 'Normal'], ['0.5', 'Reduced'], ['0', 'Minimum']] })),
        h('p', { class: 'field-error' })),
      field({ label: 'A question I answer wrong', name: 'cards_from_mistakes', type: 'select', value: s.cards_from_mistakes,
        options: [['offer', 'Offers a flashcard'], ['make', 'Makes a flashcard'], ['off', 'Does nothing']] }),
      h('p', { class: 'small muted' }, `${fmt.num(s.reviews)} reviews so far · time zone ${s.timezone} · `,
        s.parameters_fitted_at ? `parameters fitted ${fmt.date(s.parameters_fitted_at)}` : 'FSRS-6 default parameters'),
      h('button', { type: 'submit', class: 'btn' }, 'Save'));
    return onSubmit(form, async (v) => {
      const steps = (x) => (x || '').split(/[\s,]+/).filter(Boolean).map((m) => Math.round(Number(m) * 60));
      const body = {
        desired_retention: v.desired_retention, new_per_day: v.new_per_day, reviews_per_day: v.reviews_per_day,
        learning_steps: steps(v.learning_steps), relearning_steps: steps(v.relearning_steps),
        max_interval_days: v.max_interval_days, bury_siblings: v.bury_siblings, load_balance: v.load_balance,
        easy_days: DAYS.map((_, i) => Number(v[`easy_${i}`])), cards_from_mistakes: v.cards_from_mistakes,
      };
      await api.patch('/me/flashcard-settings', body);
      toast('Settings saved.', 'success');
    });
  });
}

export default async function flashcards(ctx) {
  if (ctx.params.id) return deckPage(ctx);
  if (location.pathname.endsWith('/settings')) return settingsPage(ctx);
  return decksPage(ctx);
}
