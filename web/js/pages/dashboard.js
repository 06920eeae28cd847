// dashboard.js - the learner's home (/dashboard), from GET /me/dashboard:
// XP and level, streak, today's study time against the goal, lessons to
// continue, readiness per exam domain (GET /me/attempts/trends, drawn as a
// bar chart with the pass mark), attempts in progress and a suggested
// quiz, recent achievements and goals, the flashcards due today.  A
// banner asks an unconfirmed address to be confirmed.
import { api, exams } from '../api.js';
import { h, clear, badge, button, toast, progressBar, barChart, fmt, pageHeader } from '../ui.js';
import { pctText } from './course.js';

function verifyBanner(ctx) {
  if (!ctx.user || ctx.user.email_verified !== false) return null;
  const btn = button('Resend link', async () => {
    btn.disabled = true;
    btn.setAttribute('aria-busy', 'true');
    try {
      await api.post('/auth/verify-email/resend');
      btn.removeAttribute('aria-busy');
      btn.textContent = 'Link sent';
      toast(`A new link is on its way to ${ctx.user.email}.`, 'success');
    } catch (e) {
      btn.disabled = false;
      btn.removeAttribute('aria-busy');
      toast(e.message, 'error');
    }
  }, 'btn btn-sm btn-secondary', { 'data-testid': 'resend-verification' });
  return h('div', { class: 'banner', role: 'note' },
    h('span', { 'aria-hidden': 'true' }, '✉️'),
    h('p', {}, h('strong', {}, 'Please confirm your email address. '),
      `We sent a link to ${ctx.user.email || 'your address'}; it keeps your account recoverable.`),
    btn);
}

function statCards(d) {
  const nextLevel = d.level + 1;
  const toGo = Math.max(0, (d.next_level_at ?? 0) - d.xp);
  const s = d.streak || {};
  const t = d.today || {};
  const goal = Number(t.goal_minutes) || 0;
  const todayPct = goal ? Math.min(100, (100 * (t.study_minutes || 0)) / goal) : 0;
  return h('section', { class: 'grid grid-3 dash-stats', 'aria-label': 'Your stats' },
    h('div', { class: 'card stat', 'data-testid': 'stat-xp' },
      h('span', { class: 'label' }, 'Level'),
      h('span', { class: 'value' }, `Level ${d.level}`),
      h('span', { class: 'small' }, `${fmt.num(d.xp)} XP · ${fmt.num(toGo)} XP to level ${nextLevel}`),
      progressBar(d.level_progress_percent, `Progress to level ${nextLevel}`)),
    h('div', { class: 'card stat', 'data-testid': 'stat-streak' },
      h('span', { class: 'label' }, 'Study streak'),
      h('span', { class: 'value' }, h('span', { class: ['flame', !s.current && 'flame-off'], 'aria-hidden': 'true' }, '🔥'),
        ` ${s.current || 0} day${s.current === 1 ? '' : 's'}`),
      h('span', { class: 'small' }, `Longest: ${s.longest || 0} day${s.longest === 1 ? '' : 's'}`,
        s.freezes ? ` · ${s.freezes} freeze${s.freezes === 1 ? '' : 's'} saved` : ''),
      h('span', { class: 'small muted' }, s.studied_today ? 'You studied today. Keep it going!'
        : s.current ? 'Study today to keep your streak.' : 'Study today to start a streak.')),
    h('div', { class: 'card stat', 'data-testid': 'stat-today' },
      h('span', { class: 'label' }, 'Today'),
      h('span', { class: 'value' }, `${t.study_minutes || 0} / ${goal} min`),
      h('span', { class: 'small' }, t.goal_met ? 'Daily goal reached 🎉' : goal ? `${Math.max(0, goal - (t.study_minutes || 0))} min to your daily goal` : 'No daily goal set'),
      progressBar(todayPct, 'Daily goal progress')));
}

// Cards due today: the way into the review screen.
function flashcardsLink(f) {
  if (!f || (!f.due && !f.new)) return null;
  return h('a', { href: '/flashcards/review', class: 'btn', 'data-testid': 'cards-due' },
    f.due ? `🗂 ${fmt.num(f.due)} card${f.due === 1 ? '' : 's'} due today` : `🗂 ${fmt.num(f.new)} new cards`);
}

function continueSection(d) {
  const items = d.continue || [];
  return h('section', { class: 'dash-section', 'aria-labelledby': 'dash-continue' },
    h('div', { class: 'row between' }, h('h2', { id: 'dash-continue' }, 'Continue learning'), h('a', { href: '/catalog', class: 'small' }, 'All courses')),
    items.length
      ? h('ul', { class: 'card-grid continue-grid' }, items.map((l) => h('li', { class: 'card continue-card' },
        h('p', { class: 'small muted course-name' }, l.course_title),
        h('h3', {}, h('a', { href: `/lessons/${l.lesson_id}`, class: 'stretched' }, l.title)),
        h('div', { class: 'row between small' }, h('span', {}, `${Math.round(l.progress_percent || 0)}% read`),
          h('span', { class: 'muted' }, fmt.ago(l.updated_at))),
        progressBar(l.progress_percent, `Progress in ${l.title}`))))
      : h('div', { class: 'state state-empty' }, h('p', {}, 'Nothing in progress. Pick a course and start your first lesson.'),
        h('a', { href: '/catalog', class: 'btn' }, 'Browse courses')));
}

function readiness(trends, examList) {
  const head = h('div', { class: 'row between' }, h('h2', { id: 'dash-ready' }, 'Readiness by domain'), h('a', { href: '/history', class: 'small' }, 'History'));
  const box = h('section', { class: 'card dash-section', 'aria-labelledby': 'dash-ready' }, head);
  if (!trends || !trends.attempts || !trends.domains?.length) {
    box.append(h('div', { class: 'state state-empty' },
      h('p', {}, 'Take a practice quiz to see how ready you are in each exam domain.'),
      h('a', { href: '/practice', class: 'btn' }, 'Start practicing')));
    return box;
  }
  const exam = examList.find((e) => e.code === trends.exam);
  const pass = exam && exam.scale_max > exam.scale_min
    ? Math.round((1000 * (exam.passing_score - exam.scale_min)) / (exam.scale_max - exam.scale_min)) / 10 : undefined;
  const byCode = new Map(trends.domains.map((x) => [x.code, x]));
  const domains = exam?.domains?.length ? exam.domains.map((dm) => byCode.get(dm.code) || { code: dm.code, name: dm.name, average_percent: null })
    : trends.domains;
  const rows = domains.map((x) => {
    const v = x.average_percent;
    const trend = x.change > 0 ? ['▲', 'improving', 'up'] : x.change < 0 ? ['▼', 'slipping', 'down'] : null;
    return {
      label: h('span', {}, `${x.code} ${x.name || ''}`.trim(),
        trend ? [' ', h('span', { class: `trend trend-${trend[2]}`, 'aria-hidden': 'true' }, trend[0]), h('span', { class: 'sr-only' }, ` (${trend[1]})`)] : null),
      value: v ?? 0,
      text: v == null ? '–' : `${Math.round(v)}%`,
      kind: v == null ? null : pass !== undefined ? (v >= pass ? 'ok' : v >= pass - 15 ? 'warn' : 'bad') : null,
    };
  });
  box.append(
    h('p', { class: 'small muted' }, `Your average in each domain over your last ${trends.attempts} attempt${trends.attempts === 1 ? '' : 's'}`,
      exam ? ` at ${exam.name}` : '', pass !== undefined ? `. The line marks the pass mark (${pctText(pass)}).` : '.'),
    barChart(rows, { max: 100, mark: pass, label: `Average score per domain${exam ? ' for ' + exam.name : ''}` }),
    h('p', { class: 'small muted chart-legend' }, '▲ / ▼ : better or worse lately. – : no questions from this domain yet.'));
  return box;
}

function practiceSection(d) {
  const inProgress = d.practice?.in_progress || [];
  const suggested = d.practice?.suggested || [];
  return h('section', { class: 'card dash-section', 'aria-labelledby': 'dash-practice' },
    h('div', { class: 'row between' }, h('h2', { id: 'dash-practice' }, 'Practice'), h('a', { href: '/practice', class: 'small' }, 'All quizzes')),
    inProgress.length ? [h('h3', { class: 'small-heading' }, 'In progress'),
      h('ul', { class: 'plain-list' }, inProgress.map((a) => h('li', { class: 'row between' },
        h('a', { href: `/attempts/${a.attempt_id}` }, a.title),
        a.deadline_at ? badge(`Ends ${fmt.ago(a.deadline_at).replace(/^in /, 'in ')}`, 'warn') : badge('Resume', 'accent'))))] : null,
    suggested.length ? [h('h3', { class: 'small-heading' }, 'Suggested for your weakest domains'),
      h('ul', { class: 'plain-list' }, suggested.map((a) => h('li', { class: 'row between' },
        h('a', { href: `/assessments/${a.assessment_id}` }, a.title),
        a.domain_percent === null || a.domain_percent === undefined
          ? badge('Not tried yet', 'accent')
          : badge(`Your average: ${pctText(Number(a.domain_percent))}`, Number(a.domain_percent) < 70 ? 'warn' : ''))))] : null,
    !inProgress.length && !suggested.length
      ? h('p', { class: 'muted small' }, 'No quiz in progress. ', h('a', { href: '/practice' }, 'Try a quiz'), ' to find your weak spots.')
      : null);
}

function achievementsSection(d) {
  const items = d.recent_achievements || [];
  return h('section', { class: 'card dash-section', 'aria-labelledby': 'dash-ach' },
    h('div', { class: 'row between' }, h('h2', { id: 'dash-ach' }, 'Recent achievements'), h('a', { href: '/achievements', class: 'small' }, 'All achievements')),
    items.length
      ? h('ul', { class: 'plain-list ach-list' }, items.map((a) => h('li', {},
        h('span', { class: 'ach-icon', 'aria-hidden': 'true' }, '🏆'),
        h('div', {}, h('strong', {}, a.name), h('div', { class: 'small muted' }, a.description),
          h('div', { class: 'small muted' }, `Earned ${fmt.ago(a.earned_at)}`)))))
      : h('p', { class: 'muted small' }, 'Complete a lesson or a quiz to earn your first achievement.'));
}

function goalText(g, examList) {
  switch (g.kind) {
  case 'daily_minutes': return `Study ${g.target} minutes a day`;
  case 'weekly_lessons': return `Complete ${g.target} lesson${g.target === 1 ? '' : 's'} a week`;
  case 'exam_date': {
    const e = examList.find((x) => x.code === g.exam);
    return `Pass ${e ? e.name : 'the exam'} by ${fmt.date(g.target_date)}`;
  }
  default: return g.kind;
  }
}

function goalsSection(goals, d, examList) {
  return h('section', { class: 'card dash-section', 'aria-labelledby': 'dash-goals' },
    h('div', { class: 'row between' }, h('h2', { id: 'dash-goals' }, 'Goals'), h('a', { href: '/goals', class: 'small' }, goals.length ? 'Manage goals' : 'Set a goal')),
    goals.length ? h('ul', { class: 'plain-list goal-list' }, goals.map((g) => {
      let detail = null;
      let pct = null;
      if (g.kind === 'daily_minutes') {
        const have = g.progress ?? d.today?.study_minutes ?? 0;
        pct = g.target ? (100 * have) / g.target : 0;
        detail = `${have} of ${g.target} min today`;
      } else if (g.kind === 'weekly_lessons') {
        const have = g.progress ?? 0;
        pct = g.target ? (100 * have) / g.target : 0;
        detail = `${have} of ${g.target} this week`;
      } else if (g.kind === 'exam_date' && g.days_left != null) {
        detail = g.days_left > 0 ? `${g.days_left} day${g.days_left === 1 ? '' : 's'} left` : 'Exam day has come';
      }
      return h('li', {},
        h('div', { class: 'row between' }, h('span', {}, goalText(g, examList)), g.met ? badge('Met', 'ok') : null),
        detail ? h('div', { class: 'small muted' }, detail) : null,
        pct != null ? progressBar(Math.min(100, pct), goalText(g, examList)) : null);
    })) : h('p', { class: 'muted small' }, 'Set a daily or weekly goal, or the date of your exam, to stay on track.'));
}

export default async function dashboard(ctx) {
  const [d, trends, examList, goals] = await Promise.all([
    api.get('/me/dashboard'),
    api.get('/me/attempts/trends').catch(() => null),
    exams().catch(() => []),
    api.get('/me/goals').then((x) => x.items || null).catch(() => null),
  ]);
  if (!ctx.current()) return;
  const name = ctx.user?.profile?.display_name || ctx.user?.username || 'there';
  const hour = new Date().getHours();
  const hello = hour < 5 ? 'Good evening' : hour < 12 ? 'Good morning' : hour < 18 ? 'Good afternoon' : 'Good evening';
  ctx.title('Dashboard');
  const unread = d.unread_notifications || 0;
  clear(ctx.main,
    verifyBanner(ctx),
    pageHeader(`${hello}, ${name}`,
      unread ? h('a', { href: '/notifications', class: 'btn btn-ghost' }, `🔔 ${unread} unread`) : null,
      flashcardsLink(d.flashcards),
      h('a', { href: '/catalog', class: 'btn btn-secondary' }, 'Browse courses')),
    statCards(d),
    h('div', { class: 'dash-grid' },
      h('div', { class: 'dash-col' }, continueSection(d), readiness(trends, examList)),
      h('div', { class: 'dash-col' }, practiceSection(d), goalsSection(goals || d.goals || [], d, examList), achievementsSection(d))));
}
