// reviews.js - a course's reviews, on the course page: the rating (the
// average, the count, a bar for each star), my own review (a learner of
// the course writes, changes or takes it back), the others' sorted by
// helpfulness, date or rating with "Load more", an upvote on each, and for
// the course's authors a public answer and hiding with a reason.  Review
// texts are shown as text, never as HTML.
import { api, ApiError, qs } from '../api.js';
import { h, clear, button, toast, confirmDialog, fmt, moreButton, badge } from '../ui.js';

const SORTS = [['helpful', 'Most helpful'], ['newest', 'Newest'], ['highest', 'Highest rated'], ['lowest', 'Lowest rated']];

// "★★★★☆" for 4 (rounded to the nearest whole star), with its words.
export function stars(value, { label = true } = {}) {
  const n = Math.round(Number(value) || 0);
  return h('span', { class: 'stars', role: label ? 'img' : null,
    'aria-label': label ? `${Number(value).toFixed(1).replace(/\.0$/, '')} out of 5 stars` : null },
  h('span', { 'aria-hidden': 'true' }, '★'.repeat(n) + '☆'.repeat(5 - n)));
}

// The rating in a line: "★★★★☆ 4.5 (12 reviews)", or nothing without one.
export function ratingLine(rating) {
  if (!rating?.count) return null;
  return h('span', { class: 'rating-line small' }, stars(rating.average), ' ',
    h('strong', {}, Number(rating.average).toFixed(1)),
    h('span', { class: 'muted' }, ` (${fmt.num(rating.count)} review${rating.count === 1 ? '' : 's'})`));
}

// A bar's fill, its width set through the CSSOM (the app's CSP refuses
// style attributes).
function bar(percent) {
  const el = h('span', { class: 'review-bar-fill' });
  el.style.width = `${percent}%`;
  return el;
}

function summary(rating) {
  const max = Math.max(1, ...rating.stars);
  return h('div', { class: 'review-summary' },
    h('div', { class: 'review-average' },
      h('strong', { class: 'review-average-value' }, rating.count ? Number(rating.average).toFixed(1) : '–'),
      rating.count ? stars(rating.average) : null,
      h('span', { class: 'small muted' }, rating.count ? `${fmt.num(rating.count)} review${rating.count === 1 ? '' : 's'}` : 'No reviews yet')),
    h('ol', { class: 'review-bars', reversed: '', 'aria-label': 'Reviews by stars' },
      [5, 4, 3, 2, 1].map((s) => h('li', { class: 'review-bar' },
        h('span', { class: 'small' }, `${s} ★`),
        h('span', { class: 'review-bar-track', 'aria-hidden': 'true' }, bar((100 * rating.stars[s - 1]) / max)),
        h('span', { class: 'small muted' }, fmt.num(rating.stars[s - 1]))))));
}

// Five radio buttons for 1-5 stars, keyboard friendly (arrows move).
function starPicker(value) {
  return h('fieldset', { class: 'star-picker' },
    h('legend', {}, 'Your rating'),
    [1, 2, 3, 4, 5].map((s) => h('label', { class: 'star-choice' },
      h('input', { type: 'radio', name: 'rating', value: String(s), checked: value === s }),
      h('span', {}, `${s} ★`))));
}

function problemText(e) {
  if (e instanceof ApiError && e.problem?.errors) return e.problem.errors.map((x) => `${x.field}: ${x.message}`).join('; ');
  return e instanceof ApiError && e.problem?.detail ? e.problem.detail : e.message;
}

export function reviewsSection(course) {
  const box = h('section', { class: 'section reviews', 'aria-labelledby': 'course-reviews' });
  let sort = 'helpful';
  let doc = null;

  const mineForm = (mine) => {
    const comment = h('textarea', { name: 'comment', rows: 3, maxlength: 5000, 'aria-label': 'Your review' });
    comment.value = mine?.comment || '';
    const form = h('form', { class: 'card review-form', 'aria-label': mine ? 'Your review' : 'Review this course' },
      h('h3', {}, mine ? 'Your review' : 'Review this course'),
      mine?.hidden ? h('p', { class: 'small warn-text' }, `Hidden by the course's authors: ${mine.hidden_reason}`) : null,
      starPicker(mine?.rating), comment,
      h('div', { class: 'row' },
        h('button', { type: 'submit', class: 'btn' }, mine ? 'Save my review' : 'Post my review'),
        mine ? button('Delete my review', async () => {
          if (!await confirmDialog('Delete your review of this course?', { ok: 'Delete', danger: true })) return;
          try {
            await api.del(`/courses/${course.id}/reviews/mine`);
            toast('Your review is deleted.');
            load();
          } catch (e) { toast(problemText(e), 'error'); }
        }, 'btn btn-ghost') : null));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const picked = form.querySelector('input[name=rating]:checked');
      if (!picked) { toast('Choose from 1 to 5 stars first.'); return; }
      try {
        await api.request('PUT', `/courses/${course.id}/reviews/mine`, {
          body: { rating: Number(picked.value), comment: comment.value },
          headers: mine ? { 'If-Match': `"v${mine.version}"` } : {},
        });
        toast(mine ? 'Your review is saved.' : 'Thank you for your review.', 'success');
        load();
      } catch (e) { toast(problemText(e), 'error'); }
    });
    return form;
  };

  const authorTools = (rv, li) => {
    const answer = button(rv.response ? 'Edit the answer' : 'Answer', () => {
      const text = h('textarea', { rows: 3, maxlength: 5000, 'aria-label': 'Your answer' });
      text.value = rv.response?.text || '';
      const form = h('form', { class: 'review-answer-form' }, text,
        h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn btn-sm' }, 'Post the answer'),
          rv.response ? button('Take it back', async () => {
            await api.del(`/reviews/${rv.id}/response`);
            load();
          }, 'btn btn-sm btn-ghost') : null));
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        try {
          await api.request('PUT', `/reviews/${rv.id}/response`, { body: { response: text.value } });
          toast('Your answer is posted.', 'success');
          load();
        } catch (e) { toast(problemText(e), 'error'); }
      });
      li.append(form);
      text.focus();
    }, 'btn btn-sm btn-secondary');
    const hide = rv.hidden
      ? button('Show again', async () => { await api.del(`/reviews/${rv.id}/hide`); load(); }, 'btn btn-sm btn-ghost')
      : button('Hide', () => {
        const reason = h('input', { 'aria-label': 'Why it is hidden', maxlength: 500, placeholder: 'Why (the author sees it)' });
        const form = h('form', { class: 'row review-hide-form' }, reason, h('button', { type: 'submit', class: 'btn btn-sm btn-danger' }, 'Hide the review'));
        form.addEventListener('submit', async (ev) => {
          ev.preventDefault();
          try {
            await api.post(`/reviews/${rv.id}/hide`, { reason: reason.value });
            toast('The review is hidden.');
            load();
          } catch (e) { toast(problemText(e), 'error'); }
        });
        li.append(form);
        reason.focus();
      }, 'btn btn-sm btn-ghost');
    return [answer, hide];
  };

  const item = (rv) => {
    const li = h('li', { class: 'card review', 'data-testid': 'review' });
    const name = rv.author?.display_name || rv.author?.username || 'A former learner';
    const vote = rv.mine ? null : button(`Helpful (${fmt.num(rv.upvotes)})`, async () => {
      vote.disabled = true;
      try {
        const r = rv.upvoted ? await api.del(`/reviews/${rv.id}/upvote`) : await api.post(`/reviews/${rv.id}/upvote`);
        Object.assign(rv, r);
        vote.textContent = `Helpful (${fmt.num(rv.upvotes)})`;
        vote.setAttribute('aria-pressed', String(!!rv.upvoted));
      } catch (e) { toast(problemText(e), 'error'); } finally { vote.disabled = false; }
    }, 'btn btn-sm btn-ghost', { 'aria-pressed': String(!!rv.upvoted) });
    li.append(
      h('div', { class: 'row between' },
        h('div', {}, stars(rv.rating), ' ', h('strong', {}, name), rv.mine ? ' (you)' : '',
          h('span', { class: 'small muted' }, ` · ${fmt.date(rv.created_at)}${rv.updated_at !== rv.created_at ? ' · edited' : ''}`)),
        rv.hidden ? badge('Hidden', 'warn') : null),
      rv.comment ? h('p', { class: 'review-text' }, rv.comment) : null,
      rv.response ? h('div', { class: 'review-response' },
        h('p', { class: 'small muted' }, `Answer from ${rv.response.by || 'the authors'} · ${fmt.date(rv.response.at)}`),
        h('p', { class: 'review-text' }, rv.response.text)) : null,
      h('div', { class: 'row' }, vote, doc?.role === 'author' ? authorTools(rv, li) : null));
    return li;
  };

  async function load() {
    try {
      doc = await api.get(`/courses/${course.id}/reviews${qs({ sort, limit: 10 })}`);
    } catch (e) {
      clear(box, h('p', { class: 'small muted' }, problemText(e)));
      return;
    }
    const list = h('ul', { class: 'plain-list review-list' }, doc.items.map(item));
    const more = (next) => api.get(`/courses/${course.id}/reviews${qs({ sort, limit: 10, after: next })}`).then((d) => {
      list.append(...d.items.map(item));
      const b = moreButton(d.next, more);
      if (b) list.after(b);
    });
    const sorter = h('select', { 'aria-label': 'Sort the reviews' }, SORTS.map(([v, t]) => h('option', { value: v, selected: v === sort }, t)));
    sorter.addEventListener('change', () => { sort = sorter.value; load(); });
    clear(box,
      h('div', { class: 'row between' }, h('h2', { id: 'course-reviews' }, 'Reviews'), doc.items.length > 1 ? sorter : null),
      summary(doc.rating),
      doc.role === 'learner' ? mineForm(doc.mine) : null,
      doc.role === 'member' ? h('p', { class: 'small muted' }, 'Enroll to review this course.') : null,
      doc.items.length ? list : h('p', { class: 'muted' }, 'Nobody has reviewed this course yet.'),
      moreButton(doc.next, more));
  }

  load();
  return box;
}
