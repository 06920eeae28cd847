// lesson.js - studying one lesson (/lessons/:id): the content the server
// rendered, media with chapters, a learning session kept alive by
// heartbeats while the tab is visible, reading progress saved as the
// learner scrolls (and restored on return), "Mark as complete" with the XP
// it earned and the next lesson, a bookmark with a note, the lesson's
// quizzes, and, for a locked lesson, the lessons to finish first.
import { api, ApiError } from '../api.js';
import { h, clear, trustedHtml, badge, button, toast, progressBar, fmt, nextId } from '../ui.js';
import { breadcrumb, difficultyBadge, flatLessons, kindText, minutesText, pctText, KINDS } from './course.js';
import { suggestBox } from './suggest.js';

const HEARTBEAT_MS = 30000;
const SAVE_EVERY_MS = 10000;

function cookie(name) {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return '';
}

// A write that outlives the page (pagehide): fetch with keepalive and the
// CSRF header, which navigator.sendBeacon cannot send.
function beacon(path, body) {
  try {
    fetch('/api/v1' + path, {
      method: 'POST', keepalive: true, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': cookie('ludus_csrf') },
      body: JSON.stringify(body || {}),
    }).catch(() => {});
  } catch { /* the page is going away */ }
}

// The server's HTML starts with the lesson's title as <h1>: the page has
// its own h1, so drop a duplicate and move the other headings one level down.
function fitHeadings(article, title) {
  const first = article.firstElementChild;
  if (first && first.tagName === 'H1' && first.textContent.trim() === title.trim()) first.remove();
  // Wide tables scroll on their own instead of the page.
  for (const t of article.querySelectorAll('table')) {
    const wrap = h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Table' });
    t.replaceWith(wrap);
    wrap.append(t);
  }
  if (!article.querySelector('h1')) return;
  for (const el of article.querySelectorAll('h1, h2, h3, h4, h5')) {
    const n = h(`h${Number(el.tagName[1]) + 1}`, {});
    n.append(...el.childNodes);
    for (const a of el.attributes) n.setAttribute(a.name, a.value);
    el.replaceWith(n);
  }
}

// A player that cannot play (an address that fails or never answers) says
// so, instead of spinning, and points to the lesson's text, which is the
// media's text alternative.
const STALL_MS = 8000;

function watchMedia(el, failed, what) {
  const msg = failed.querySelector('strong');
  let timer = 0;
  const show = (text) => { msg.textContent = text; failed.hidden = false; };
  el.addEventListener('error', () => {
    clearTimeout(timer);
    // Chromium keeps spinning in a player whose source failed: the
    // message takes its place.
    el.hidden = true;
    show(`This ${what} cannot be played.`);
  });
  // Waiting for data: give up (for now) after STALL_MS; any progress ends
  // the wait, and once it plays, a note about slowness goes away.
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => { if (!el.error) show(`This ${what} is not loading.`); }, STALL_MS);
  };
  const ok = () => {
    clearTimeout(timer);
    if (!el.error) failed.hidden = true;
  };
  el.addEventListener('loadstart', arm);
  el.addEventListener('waiting', arm);
  for (const ev of ['loadedmetadata', 'canplay', 'playing', 'pause', 'emptied']) el.addEventListener(ev, ok);
}

function mediaBlock(content, hasText) {
  const media = content?.media || [];
  const chapters = content?.chapters || [];
  if (!media.length) return null;
  let player = null;
  const items = media.map((m) => {
    const url = String(m.url || '');
    if (!/^https?:\/\//.test(url) && !url.startsWith('/')) return null;
    const yt = /(?:youtube\.com\/watch\?v=|youtu\.be\/|youtube(?:-nocookie)?\.com\/embed\/)([\w-]{6,})/.exec(url);
    let el;
    if (yt) {
      el = h('iframe', { src: `https://www.youtube-nocookie.com/embed/${yt[1]}`, title: m.title || 'Video', allowfullscreen: true, loading: 'lazy', class: 'media-frame' });
    } else if (m.type === 'video' || m.type === 'audio') {
      const what = m.type === 'video' ? 'video' : 'recording';
      const failed = h('div', { class: 'media-failed', role: 'alert', hidden: true, 'data-testid': 'media-failed' },
        h('p', {}, h('strong', {}), ' ', hasText
          ? ['Its content is in the lesson text below. ', h('a', { href: '#lesson-text' }, 'Read the lesson text')]
          : 'Try again later.'),
        h('p', { class: 'small' }, h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, `Open the ${what} in a new tab`)));
      // Metadata at once: a broken address shows before anyone presses play,
      // and the chapters can seek.
      el = h(m.type, { src: url, controls: true, preload: 'metadata', class: 'media-player', 'aria-label': m.title || kindText(m.type) });
      watchMedia(el, failed, what);
      if (!player && m.type === 'video') player = el;
      return h('figure', { class: 'media' }, el, failed, m.title ? h('figcaption', { class: 'small muted' }, m.title) : null);
    } else if (m.type === 'image') {
      el = h('img', { src: url, alt: m.title || '' });
    } else {
      el = h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, m.title || url);
    }
    return h('figure', { class: 'media' }, el, m.title && m.type !== 'link' ? h('figcaption', { class: 'small muted' }, m.title) : null);
  });
  const chapterList = chapters.length ? h('nav', { class: 'chapters', 'aria-label': 'Chapters' },
    h('h2', { class: 'small-heading' }, 'Chapters'),
    h('ol', {}, chapters.map((ch) => h('li', {},
      player
        ? button([h('span', { class: 'chapter-time' }, fmt.clock(ch.start_seconds || 0)), ' ', ch.title], () => {
          player.currentTime = ch.start_seconds || 0;
          player.play().catch(() => {});
        }, 'btn btn-ghost btn-sm chapter-btn')
        : h('span', {}, h('span', { class: 'chapter-time' }, fmt.clock(ch.start_seconds || 0)), ' ', ch.title))))) : null;
  return h('div', { class: 'lesson-media' }, items, chapterList);
}

function lockedView(ctx, lesson, missing) {
  const list = missing?.length ? missing : (lesson.prerequisites || []).filter((p) => !p.completed);
  return h('section', { class: 'card locked-card', role: 'region', 'aria-labelledby': 'locked-h', 'data-testid': 'lesson-locked' },
    h('h2', { id: 'locked-h' }, '🔒 This lesson is locked'),
    h('p', {}, list.length === 1 ? 'Finish this lesson first, then come back:' : 'Finish these lessons first, then come back:'),
    h('ul', { class: 'prereq-list' }, list.map((p) => h('li', {}, h('a', { href: `/lessons/${p.id}` }, p.title)))),
    h('p', {}, h('a', { href: `/courses/${lesson.course.id}` }, 'Back to the course outline')));
}

// ---- bookmark ------------------------------------------------------------

function bookmarkBox(lesson) {
  let mark = lesson.bookmark;
  const box = h('div', { class: 'bookmark-box' });
  const render = () => {
    const toggle = button(mark ? '★ Bookmarked' : '☆ Bookmark', async () => {
      toggle.disabled = true;
      try {
        if (mark) {
          await api.del(`/lessons/${lesson.id}/bookmark`);
          mark = null;
          toast('Bookmark removed.');
        } else {
          mark = await api.put(`/lessons/${lesson.id}/bookmark`, { note: null });
          toast('Bookmarked. Add a note if you like.', 'success');
        }
        render();
        box.querySelector('button')?.focus();
      } catch (e) { toggle.disabled = false; toast(e.message, 'error'); }
    }, mark ? 'btn btn-secondary btn-sm' : 'btn btn-ghost btn-sm', { 'aria-pressed': String(!!mark), 'data-testid': 'bookmark-toggle' });
    if (!mark) { clear(box, toggle); return; }
    const id = nextId('bm-note');
    const note = h('textarea', { id, name: 'note', rows: 3, maxlength: 2000, placeholder: 'Why is this lesson worth coming back to?' });
    note.value = mark.note || '';
    const status = h('span', { class: 'small muted', role: 'status' });
    const form = h('form', { class: 'bookmark-note' },
      h('label', { for: id, class: 'small' }, 'Bookmark note (optional)'), note,
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn btn-sm btn-secondary' }, 'Save note'), status));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const btn = form.querySelector('button[type=submit]');
      btn.disabled = true;
      try {
        mark = await api.put(`/lessons/${lesson.id}/bookmark`, { note: note.value.trim() || null });
        status.textContent = 'Note saved.';
      } catch (e) { status.textContent = e.message; } finally { btn.disabled = false; }
    });
    clear(box, toggle, form);
  };
  render();
  return box;
}

// ---- quizzes linked to the lesson ---------------------------------------

async function quizList(lessonId) {
  try {
    const data = await api.get(`/assessments?lesson=${encodeURIComponent(lessonId)}&limit=20`);
    const items = data.items || [];
    if (!items.length) return null;
    return h('section', { class: 'card lesson-quizzes', 'aria-labelledby': 'lq-h' },
      h('h2', { id: 'lq-h' }, 'Test yourself'),
      h('ul', { class: 'plain-list' }, items.map((a) => h('li', {},
        h('a', { href: `/assessments/${a.id}` }, a.title),
        h('div', { class: 'small muted' }, [kindText(a.kind), `${a.question_count} questions`,
          a.my_best_percent != null ? `your best ${pctText(a.my_best_percent)}` : null].filter(Boolean).join(' · '))))));
  } catch { return null; }
}

// ---- the study session: heartbeats and reading progress -----------------

function studySession(ctx, lesson, article, onLocked) {
  let sid = null;
  let timer = null;
  let stopped = false;
  let maxPct = Math.round(Number(lesson.progress?.progress_percent) || 0);
  let sentPct = maxPct;
  let lastPos = null;
  let sentPos = JSON.stringify(lesson.progress?.last_position || null);
  let lastSave = 0;
  let saveTimer = null;
  const completed = () => lesson.progress?.status === 'completed';

  async function start() {
    try {
      const s = await api.post(`/lessons/${lesson.id}/sessions`);
      sid = s.id;
      if (stopped || document.hidden) { end(); return; }
      schedule();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) { detach(false); onLocked(e.problem?.missing_prerequisites || []); }
    }
  }
  function schedule() {
    clearInterval(timer);
    timer = setInterval(beat, HEARTBEAT_MS);
  }
  async function beat() {
    if (!sid || document.hidden || stopped) return;
    try {
      await api.post(`/learning-sessions/${sid}/heartbeat`);
    } catch (e) {
      // Closed by the server (idle for long): open a new one.
      if (e instanceof ApiError && e.status === 404) { sid = null; start(); }
    }
  }
  function end() {
    clearInterval(timer);
    if (sid) { const id = sid; sid = null; api.post(`/learning-sessions/${id}/end`).catch(() => {}); }
  }
  // Hidden tab: end the session (which credits the time up to now), so
  // the time away is never counted; a new one starts on return.
  function onVisibility() {
    if (stopped) return;
    if (document.hidden) {
      saveProgress(true);
      end();
    } else if (!sid) {
      start();
    }
  }

  // Reading progress: how far the article's end is through the viewport.
  function measure() {
    const r = article.getBoundingClientRect();
    const total = r.height || 1;
    const seen = Math.min(total, Math.max(0, window.innerHeight - r.top));
    const pct = Math.round((100 * seen) / total);
    const scroll = Math.max(0, Math.min(1, (-r.top) / total));
    maxPct = Math.max(maxPct, Math.min(100, pct));
    lastPos = { scroll: Math.round(scroll * 1000) / 1000 };
    ctx.main.querySelector('[data-read]')?.replaceChildren(document.createTextNode(`${maxPct}% read`));
  }
  function saveProgress(now = false, keep = false) {
    if (!lastPos) return;
    const pos = JSON.stringify(lastPos);
    if (maxPct <= sentPct && pos === sentPos) return;
    const since = Date.now() - lastSave;
    if (!now && since < SAVE_EVERY_MS) {
      if (!saveTimer) saveTimer = setTimeout(() => { saveTimer = null; saveProgress(true); }, SAVE_EVERY_MS - since);
      return;
    }
    lastSave = Date.now();
    const body = { last_position: lastPos };
    if (!completed() && maxPct > sentPct) body.progress_percent = maxPct;
    sentPct = Math.max(sentPct, maxPct);
    sentPos = pos;
    if (keep) beacon(`/lessons/${lesson.id}/progress`, body);
    else api.post(`/lessons/${lesson.id}/progress`, body).catch(() => {});
  }
  let raf = 0;
  function onScroll() {
    if (raf) return;
    raf = requestAnimationFrame(() => { raf = 0; measure(); saveProgress(); });
  }
  function onPageHide() {
    saveProgress(true, true);
    if (sid) beacon(`/learning-sessions/${sid}/end`);
    sid = null;
  }

  window.addEventListener('scroll', onScroll, { passive: true });
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('pagehide', onPageHide);
  function detach(save = true) {
    if (stopped) return;
    stopped = true;
    window.removeEventListener('scroll', onScroll);
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('pagehide', onPageHide);
    clearTimeout(saveTimer);
    if (raf) cancelAnimationFrame(raf);
    if (save) saveProgress(true);
    end();
  }
  ctx.onLeave(() => detach(true));
  start();

  // Back to where the learner stopped reading (after the router's own
  // scroll to the top).
  const at = Number(lesson.progress?.last_position?.scroll);
  setTimeout(() => requestAnimationFrame(() => {
    if (!ctx.current() || stopped) return;
    if (at > 0.02 && !completed()) {
      const r = article.getBoundingClientRect();
      window.scrollTo({ top: window.scrollY + r.top + at * r.height, behavior: 'auto' });
      toast('Picked up where you left off.');
    }
    measure();
    saveProgress();
  }), 50);

  return { flush: () => saveProgress(true) };
}

// ---- completion and the next lesson --------------------------------------

async function xpNow() {
  try { return await api.get('/me/xp?limit=1'); } catch { return null; }
}

function finishCard(ctx, lesson, outline, session, onDone) {
  const lessons = flatLessons(outline);
  const i = lessons.findIndex((l) => l.id === lesson.id);
  const next = i >= 0 ? lessons[i + 1] : null;
  const live = h('div', { class: 'finish-result', 'aria-live': 'polite' });
  const nextLink = (primary) => next
    ? h('a', { href: `/lessons/${next.id}`, class: primary ? 'btn' : 'btn btn-secondary', 'data-testid': 'next-lesson' }, `Next lesson: ${next.title} →`)
    : h('a', { href: `/courses/${lesson.course.id}`, class: primary ? 'btn' : 'btn btn-secondary' }, 'Back to the course');
  const card = h('section', { class: 'card finish-card', 'aria-labelledby': 'finish-h' });
  const done = () => {
    clear(card, h('h2', { id: 'finish-h' }, '✓ You completed this lesson'), live,
      h('div', { class: 'row' }, nextLink(true),
        next ? h('a', { href: `/courses/${lesson.course.id}`, class: 'btn btn-ghost' }, 'Course outline') : null));
  };
  if (lesson.progress?.status === 'completed') { done(); return card; }
  const btn = button('Mark as complete', async () => {
    btn.disabled = true;
    btn.setAttribute('aria-busy', 'true');
    session?.flush();
    const before = await xpNow();
    try {
      const r = await api.post(`/lessons/${lesson.id}/complete`);
      lesson.progress = r.progress;
      if (!ctx.current()) return;
      const after = r.newly_completed ? await xpNow() : null;
      done();
      const gained = before && after ? after.xp - before.xp : 0;
      append2(live,
        h('p', { class: 'xp-gain' }, gained > 0 ? `+${gained} XP` : 'Nice work!',
          after && before && after.level > before.level ? h('span', { class: 'badge badge-accent' }, `Level ${after.level}!`) : null),
        r.enrollment ? h('p', { class: 'small muted' }, `Course progress: ${pctText(r.enrollment.progress_percent)}`) : null);
      ctx.main.querySelector('[data-lesson-status]')?.replaceChildren(badge('Completed', 'ok'));
      card.querySelector('a.btn')?.focus();
      ctx.refreshUnread();
      onDone?.();
    } catch (e) {
      btn.disabled = false;
      btn.removeAttribute('aria-busy');
      toast(e.message, 'error');
    }
  }, 'btn btn-lg', { 'data-testid': 'lesson-complete' });
  clear(card, h('h2', { id: 'finish-h' }, 'Finished reading?'),
    h('p', { class: 'muted' }, 'Mark the lesson as complete to record it and earn XP.'),
    h('div', { class: 'row' }, btn, next && next.state !== 'locked' ? nextLink(false) : null));
  return card;
}

function append2(el, ...kids) { for (const k of kids.flat()) if (k) el.append(k); }

function neighbours(lesson, outline) {
  const lessons = flatLessons(outline);
  const i = lessons.findIndex((l) => l.id === lesson.id);
  if (i < 0) return null;
  const prev = lessons[i - 1];
  const next = lessons[i + 1];
  if (!prev && !next) return null;
  return h('nav', { class: 'pager', 'aria-label': 'Lessons' },
    prev ? h('a', { href: `/lessons/${prev.id}`, class: 'pager-prev' }, h('span', { class: 'small muted' }, '← Previous'), h('span', {}, prev.title)) : h('span', {}),
    next ? h('a', { href: `/lessons/${next.id}`, class: 'pager-next' }, h('span', { class: 'small muted' }, 'Next →'), h('span', {}, next.title)) : h('span', {}));
}

function unitOutline(lesson, outline) {
  const unit = outline?.units?.find((u) => u.lessons.some((l) => l.id === lesson.id));
  if (!unit) return null;
  return h('section', { class: 'card unit-outline', 'aria-labelledby': 'uo-h' },
    h('h2', { id: 'uo-h' }, unit.title),
    h('ol', { class: 'plain-list' }, unit.lessons.map((l) => h('li', { class: ['uo-item', `is-${l.state}`] },
      h('span', { class: 'uo-icon', 'aria-hidden': 'true' }, l.state === 'completed' ? '✓' : l.state === 'locked' ? '🔒' : l.state === 'in_progress' ? '◐' : '○'),
      l.id === lesson.id
        ? h('strong', { 'aria-current': 'page' }, l.title)
        : l.state === 'locked' ? h('span', { class: 'muted' }, l.title, h('span', { class: 'sr-only' }, ' (locked)'))
          : h('a', { href: `/lessons/${l.id}` }, l.title, l.state === 'completed' ? h('span', { class: 'sr-only' }, ' (completed)') : null)))));
}

export default async function lessonPage(ctx) {
  const lesson = await api.get(`/lessons/${encodeURIComponent(ctx.params.id)}`);
  if (!ctx.current()) return;
  const outlineP = api.get(`/courses/${lesson.course.id}`).catch(() => null);
  ctx.title(lesson.title);

  const status = lesson.progress?.status === 'completed' ? badge('Completed', 'ok')
    : lesson.locked ? badge('Locked', 'warn') : null;
  const readPct = Math.round(Number(lesson.progress?.progress_percent) || 0);
  const head = h('header', { class: 'lesson-head' },
    h('div', { class: 'row lesson-badges' },
      badge(`${(KINDS[lesson.kind] || ['', '📖'])[1]} ${kindText(lesson.kind)}`, 'accent'),
      lesson.estimated_minutes ? badge(`${minutesText(lesson.estimated_minutes)}`) : null,
      difficultyBadge(lesson.difficulty),
      (lesson.objective_codes || []).length ? badge(`Objective ${lesson.objective_codes.join(', ')}`) : null,
      h('span', { 'data-lesson-status': '' }, status)),
    h('h1', {}, lesson.title),
    lesson.summary ? h('p', { class: 'lead' }, lesson.summary) : null,
    lesson.can_edit ? h('a', { href: `/teach/lessons/${lesson.id}`, class: 'btn btn-ghost btn-sm' }, 'Edit lesson') : null);

  const crumbs = breadcrumb([['/catalog', 'Courses'], [`/courses/${lesson.course.id}`, lesson.course.title], [null, lesson.title]]);
  const aside = h('aside', { class: 'lesson-aside', 'aria-label': 'About this lesson' });
  const body = h('div', { class: 'lesson-main' });
  clear(ctx.main, h('div', { class: 'lesson-page' }, crumbs, head, h('div', { class: 'lesson-layout' }, body, aside)));

  const outline = await outlineP;
  if (!ctx.current()) return;

  const progressCard = (o) => h('section', { class: 'card', 'aria-labelledby': 'lp-h', 'data-testid': 'lesson-progress' },
    h('h2', { id: 'lp-h' }, 'Your progress'),
    lesson.progress?.status === 'completed'
      ? h('p', {}, `✓ Completed ${fmt.date(lesson.progress.completed_at)}`)
      : h('p', { class: 'small', 'data-read': '', 'aria-live': 'off' }, `${readPct}% read`),
    lesson.progress?.time_spent_seconds ? h('p', { class: 'small muted' }, `Time spent: ${fmt.minutes(lesson.progress.time_spent_seconds)}`) : null,
    o?.enrollment ? [h('p', { class: 'small muted' }, `Course: ${pctText(o.enrollment.progress_percent)} complete`),
      progressBar(o.enrollment.progress_percent, 'Course progress')] : null,
    h('div', { class: 'bookmark-wrap' }, bookmark));
  const bookmark = bookmarkBox(lesson);
  let progressEl = progressCard(outline);
  let outlineEl = unitOutline(lesson, outline) || h('div', {});
  // After completing: the course's percentage and the unit's states change.
  const refreshAside = async () => {
    const o = await api.get(`/courses/${lesson.course.id}`).catch(() => null);
    if (!o || !ctx.current()) return;
    const p = progressCard(o);
    progressEl.replaceWith(p);
    progressEl = p;
    const u = unitOutline(lesson, o) || h('div', {});
    outlineEl.replaceWith(u);
    outlineEl = u;
  };
  const quizSlot = h('div', {});
  append2(aside, progressEl, outlineEl, quizSlot, suggestBox(ctx, lesson));

  const showLocked = (missing) => {
    if (!ctx.current()) return;
    clear(body, lockedView(ctx, lesson, missing));
    ctx.main.querySelector('[data-lesson-status]')?.replaceChildren(badge('Locked', 'warn'));
  };

  if (lesson.locked) {
    showLocked();
  } else {
    const article = h('article', { class: 'prose lesson-content', id: 'lesson-text', tabindex: '-1', 'aria-label': lesson.title });
    trustedHtml(article, lesson.content_html || '');
    fitHeadings(article, lesson.title);
    const hasText = article.textContent.trim() !== '';
    if (!article.childNodes.length) article.append(h('p', { class: 'muted' }, 'This lesson has no text yet.'));
    const session = studySession(ctx, lesson, article, showLocked);
    append2(body, mediaBlock(lesson.content, hasText), article,
      finishCard(ctx, lesson, outline, session, refreshAside),
      outline ? neighbours(lesson, outline) : null);
  }
  quizList(lesson.id).then((q) => { if (q && ctx.current()) clear(quizSlot, q); });
}
