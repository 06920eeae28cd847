// course.js - one course for a learner (/courses/:id): its header with the
// overall progress, enroll / leave, a "Continue" button to the next lesson
// to study, the units with their lessons and my state in each (locked
// lessons say which lessons to finish first), the course's quizzes, its
// forum's latest threads (for its learners and authors) and its reviews.
// It also exports small helpers the other learning pages share.
import { api } from '../api.js';
import { h, clear, badge, button, toast, confirmDialog, progressBar, fmt } from '../ui.js';
import { reviewsSection, ratingLine } from './reviews.js';
import { courseForumSection } from './forum_ui.js';

// ---- shared helpers (also used by catalog.js, lesson.js, dashboard.js) ----

export const KINDS = {
  lesson: ['Lesson', '📖'], video: ['Video', '🎬'], flashcards: ['Flashcards', '🗂'],
  quiz: ['Quiz', '❓'], lab: ['Lab', '🧪'], simulation: ['Simulation', '🖥'],
  practice_exam: ['Practice exam', '📝'], study_guide: ['Study guide', '📚'],
};
export const kindText = (k) => (KINDS[k] || [k || 'Lesson'])[0];

export const STATES = {
  completed: { icon: '✓', text: 'Completed', kind: 'ok' },
  in_progress: { icon: '◐', text: 'In progress', kind: 'accent' },
  not_started: { icon: '○', text: 'Not started', kind: '' },
  locked: { icon: '🔒', text: 'Locked', kind: 'warn' },
};

const DIFFICULTY = { beginner: 'ok', intermediate: 'accent', advanced: 'warn' };
export function difficultyBadge(d) {
  return d ? badge(d[0].toUpperCase() + d.slice(1), DIFFICULTY[d] || '') : null;
}

export function minutesText(m) {
  m = Math.round(Number(m) || 0);
  if (m < 60) return `${m} min`;
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m / 60} h`;
}

export function pctText(p) {
  const v = Math.round((Number(p) || 0) * 10) / 10;
  return `${v}%`;
}

// A tiny, safe Markdown-ish renderer for plain text fields (course
// descriptions): paragraphs, numbered and bulleted lists, **bold**,
// *italic* and `code`, built as nodes (never as HTML).
function inline(text) {
  const out = [];
  const re = /(\*\*[^*]+\*\*|`[^`]+`|\*[^*\s][^*]*\*)/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const t = m[0];
    if (t.startsWith('**')) out.push(h('strong', {}, t.slice(2, -2)));
    else if (t.startsWith('`')) out.push(h('code', {}, t.slice(1, -1)));
    else out.push(h('em', {}, t.slice(1, -1)));
    last = m.index + t.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
export function richText(text) {
  const blocks = String(text || '').split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean);
  return blocks.map((b) => {
    const lines = b.split('\n');
    if (lines.every((l) => /^\d+[.)]\s/.test(l))) return h('ol', {}, lines.map((l) => h('li', {}, inline(l.replace(/^\d+[.)]\s+/, '')))));
    if (lines.every((l) => /^[-*]\s/.test(l))) return h('ul', {}, lines.map((l) => h('li', {}, inline(l.replace(/^[-*]\s+/, '')))));
    return h('p', {}, inline(lines.join(' ')));
  });
}

// The lessons of an outline in course order, each with its unit.
export function flatLessons(course) {
  const out = [];
  for (const u of course?.units || []) for (const l of u.lessons || []) out.push({ ...l, unit: u });
  return out;
}

// The lesson to study next: the first one not completed and not locked.
export function nextToStudy(course) {
  return flatLessons(course).find((l) => l.state !== 'completed' && l.state !== 'locked') || null;
}

export function breadcrumb(items) {
  return h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
    h('ol', {}, items.map(([href, text], i) => h('li', {},
      href && i < items.length - 1 ? h('a', { href }, text) : h('span', { 'aria-current': i === items.length - 1 ? 'page' : null }, text)))));
}

// ---- the page ----------------------------------------------------------

function header(ctx, c, rerender) {
  const lessons = flatLessons(c);
  const done = lessons.filter((l) => l.state === 'completed').length;
  const total = lessons.length;
  const minutes = lessons.reduce((s, l) => s + (Number(l.estimated_minutes) || 0), 0);
  const percent = c.enrollment?.progress_percent ?? (total ? (100 * done) / total : 0);
  const enrolled = c.enrollment?.status === 'active';
  const next = nextToStudy(c);
  const complete = total > 0 && done === total;

  let primary = null;
  if (next) {
    primary = h('a', { href: `/lessons/${next.id}`, class: 'btn btn-lg', 'data-testid': 'course-continue' },
      done || next.state === 'in_progress' ? 'Continue' : 'Start the course');
  } else if (complete && lessons[0]) {
    primary = h('a', { href: `/lessons/${lessons[0].id}`, class: 'btn btn-secondary btn-lg', 'data-testid': 'course-continue' }, 'Review from the start');
  }

  const enrollBtn = enrolled
    ? button('Leave course', async () => {
      const ok = await confirmDialog('Leave this course? Your progress is kept, and you can enroll again any time.', { ok: 'Leave course', danger: true });
      if (!ok) return;
      enrollBtn.disabled = true;
      try {
        await api.del(`/courses/${c.id}/enroll`);
        toast('You left the course. Your progress is kept.');
        await rerender();
      } catch (e) { enrollBtn.disabled = false; toast(e.message, 'error'); }
    }, 'btn btn-ghost', { 'data-testid': 'course-leave' })
    : button('Enroll', async () => {
      enrollBtn.disabled = true;
      enrollBtn.setAttribute('aria-busy', 'true');
      try {
        await api.post(`/courses/${c.id}/enroll`);
        toast('You are enrolled. Enjoy the course!', 'success');
        await rerender();
      } catch (e) { enrollBtn.disabled = false; enrollBtn.removeAttribute('aria-busy'); toast(e.message, 'error'); }
    }, 'btn btn-secondary', { 'data-testid': 'course-enroll' });

  return h('section', { class: 'course-hero card' },
    h('div', { class: 'row course-badges' },
      c.exam ? badge(c.exam.name, 'accent') : null,
      difficultyBadge(c.difficulty),
      badge(`${total} lesson${total === 1 ? '' : 's'}`),
      minutes ? badge(`≈ ${minutesText(minutes)}`) : null,
      enrolled ? badge('Enrolled', 'ok') : null,
      c.status !== 'published' ? badge(c.status, 'warn') : null),
    h('h1', {}, c.title),
    ratingLine(c.rating),
    c.summary ? h('p', { class: 'lead' }, c.summary) : null,
    h('div', { class: 'course-progress' },
      h('div', { class: 'row between' },
        h('span', { class: 'small' }, complete ? 'Course completed 🎉' : `${done} of ${total} lessons completed`),
        h('strong', { class: 'small' }, pctText(percent))),
      progressBar(percent, 'Course progress')),
    h('div', { class: 'row' }, primary, enrollBtn,
      enrolled || c.can_edit ? h('a', { href: `/forum/course/${c.id}`, class: 'btn btn-ghost', 'data-testid': 'course-forum' }, 'Forum') : null,
      c.can_edit ? h('a', { href: `/teach/courses/${c.id}`, class: 'btn btn-ghost' }, 'Edit course') : null));
}

function lessonItem(l) {
  const st = STATES[l.state] || STATES.not_started;
  const meta = h('span', { class: 'lesson-meta small muted' },
    `${kindText(l.kind)}${l.estimated_minutes ? ' · ' + minutesText(l.estimated_minutes) : ''}`,
    l.state === 'in_progress' && l.progress_percent ? ` · ${Math.round(l.progress_percent)}% read` : '');
  const title = l.state === 'locked'
    ? h('span', { class: 'lesson-title' }, l.title)
    : h('a', { href: `/lessons/${l.id}`, class: 'lesson-title' }, l.title);
  const why = l.state === 'locked'
    ? h('p', { class: 'lesson-why small', 'data-lesson': l.id }, 'Locked until you finish its prerequisites.')
    : null;
  return h('li', { class: ['lesson-item', `is-${l.state}`], 'data-state': l.state },
    h('span', { class: ['state-icon', `state-${l.state}`], 'aria-hidden': 'true' }, st.icon),
    h('div', { class: 'lesson-body' }, title, meta, why),
    badge(st.text, st.kind));
}

function units(c) {
  if (!c.units?.length) return h('div', { class: 'state state-empty' }, h('p', {}, 'This course has no lessons yet. Check back soon.'));
  return h('div', { class: 'stack' }, c.units.map((u) => {
    const done = u.lessons.filter((l) => l.state === 'completed').length;
    return h('section', { class: 'unit card', 'aria-labelledby': `unit-${u.id}` },
      h('div', { class: 'row between unit-head' },
        h('h2', { id: `unit-${u.id}` }, u.title),
        h('span', { class: 'small muted' }, `${done} / ${u.lessons.length} done`)),
      u.summary ? h('p', { class: 'muted small' }, u.summary) : null,
      u.lessons.length
        ? h('ol', { class: 'lesson-list' }, u.lessons.map(lessonItem))
        : h('p', { class: 'muted small' }, 'No lessons in this unit yet.'));
  }));
}

// Locked lessons: ask each one which prerequisites are missing and name them.
async function explainLocks(ctx, root, c) {
  const locked = flatLessons(c).filter((l) => l.state === 'locked').slice(0, 12);
  await Promise.all(locked.map(async (l) => {
    try {
      const full = await api.get(`/lessons/${l.id}`);
      if (!ctx.current()) return;
      const missing = (full.prerequisites || []).filter((p) => !p.completed);
      const slot = root.querySelector(`[data-lesson="${CSS.escape(l.id)}"]`);
      if (!slot || !missing.length) return;
      clear(slot, 'Finish first: ', missing.map((p, i) => [i ? ', ' : '', h('a', { href: `/lessons/${p.id}` }, p.title)]));
    } catch { /* the generic text stays */ }
  }));
}

async function quizzes(c) {
  const ids = new Set(flatLessons(c).map((l) => l.id));
  if (!ids.size) return null;
  let items = [];
  try {
    const data = await api.get(`/assessments?limit=100${c.exam ? '&exam=' + encodeURIComponent(c.exam.code) : ''}`);
    items = (data.items || []).filter((a) => a.lesson_id && ids.has(a.lesson_id));
  } catch { return null; }
  if (!items.length) return null;
  return h('section', { class: 'section', 'aria-labelledby': 'course-quizzes' },
    h('h2', { id: 'course-quizzes' }, 'Quizzes in this course'),
    h('ul', { class: 'quiz-list' }, items.map((a) => h('li', { class: 'card quiz-card' },
      h('div', {},
        h('a', { href: `/assessments/${a.id}`, class: 'quiz-title' }, a.title),
        h('p', { class: 'small muted' }, [
          kindText(a.kind), `${a.question_count} questions`,
          a.time_limit_seconds ? `${Math.round(a.time_limit_seconds / 60)} min` : 'untimed',
          a.passing_percent != null ? `pass at ${pctText(a.passing_percent)}` : null,
        ].filter(Boolean).join(' · '))),
      a.my_best_percent != null
        ? badge(`Best ${pctText(a.my_best_percent)}`, a.my_best_percent >= (a.passing_percent ?? 70) ? 'ok' : 'warn')
        : badge('Not tried yet')))),
    c.exam ? h('p', {}, h('a', { href: '/practice' }, `More ${c.exam.name} practice →`)) : null);
}

export default async function course(ctx) {
  const id = ctx.params.id;
  const render = async () => {
    const c = await api.get(`/courses/${encodeURIComponent(id)}`);
    if (!ctx.current()) return;
    ctx.title(c.title);
    const quizBox = h('div', {});
    const root = h('div', { class: 'course-page' },
      breadcrumb([['/catalog', 'Courses'], [null, c.title]]),
      header(ctx, c, render),
      c.description ? h('details', { class: 'card about', open: !c.enrollment },
        h('summary', {}, h('h2', {}, 'About this course')),
        h('div', { class: 'prose' }, richText(c.description)),
        c.owner ? h('p', { class: 'small muted' }, `By ${c.owner.username}${c.updated_at ? ' · updated ' + fmt.date(c.updated_at) : ''}`) : null) : null,
      h('section', { class: 'section', 'aria-labelledby': 'course-outline' },
        h('h2', { id: 'course-outline', class: 'sr-only' }, 'Course outline'),
        units(c)),
      quizBox,
      c.enrollment?.status === 'active' || c.can_edit ? courseForumSection(c) : null,
      c.status === 'published' ? reviewsSection(c) : null);
    clear(ctx.main, root);
    explainLocks(ctx, root, c);
    quizzes(c).then((q) => { if (q && ctx.current()) clear(quizBox, q); });
  };
  await render();
}
