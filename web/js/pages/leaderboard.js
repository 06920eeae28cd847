// leaderboard.js - /leaderboard: my organization's ranks this week or of all
// time, by XP or by average score, overall or for one exam.  Ties share a
// rank, my own row is marked, and my place is shown even outside the top.
// The choices live in the address (?period=&by=&exam=) so a reload keeps them.
// Each entry shows what its learner allows (settings: leaderboard_visibility):
// the username always, the display name only when the server sends it.
import { api, qs, exams as examTracks } from '../api.js';
import { h, clear, badge, fmt, pageHeader, loading, errorBox, empty, button } from '../ui.js';
import { avatarArt } from './achievements.js';
import { state } from '../app.js';

const PERIODS = [['weekly', 'This week'], ['all', 'All time']];
const BYS = [['xp', 'XP'], ['score', 'Average score']];
const PAGE = 25;

// A segmented control: radio buttons in a fieldset, styled as one bar.
function segmented(legend, name, options, value, onChange) {
  return h('fieldset', { class: 'pr-seg' },
    h('legend', { class: 'pr-seg-legend' }, legend),
    h('div', { class: 'pr-seg-opts' }, options.map(([v, text]) => {
      const id = `seg-${name}-${v}`;
      return [
        h('input', { type: 'radio', name, id, value: v, checked: v === value, class: 'pr-seg-input', onchange: () => onChange(v) }),
        h('label', { for: id, class: 'pr-seg-label' }, text),
      ];
    })));
}

function medal(rank) {
  const names = { 1: 'Gold', 2: 'Silver', 3: 'Bronze' };
  if (rank > 3) return h('span', { class: 'pr-rank' }, rank);
  return h('span', { class: ['pr-rank', 'pr-medal', `pr-medal-${rank}`], title: `${names[rank]} medal` },
    h('span', { 'aria-hidden': 'true' }, rank), h('span', { class: 'sr-only' }, `${rank} (${names[rank]})`));
}

function valueText(by, v) {
  return by === 'score' ? fmt.pct(v, 1) : `${fmt.num(v)} XP`;
}

function learnerCell(row, avatars, isMe) {
  const av = row.avatar && avatars.get(row.avatar);
  const art = av ? avatarArt(av, { size: 'sm' })
    : avatarArt({ name: row.display_name || row.username, rarity: 'none' }, { size: 'sm' });
  return h('div', { class: 'pr-learner' }, art,
    h('div', { class: 'pr-learner-names' },
      h('span', { class: 'pr-learner-name' }, row.display_name || row.username, isMe ? [' ', badge('You', 'accent')] : null),
      row.display_name ? h('span', { class: 'muted small' }, `@${row.username}`) : null));
}

function boardTable(board, me, avatars) {
  const by = board.by;
  const mine = board.items.some((r) => r.user_id === me.id);
  const row = (r, isMe) => h('tr', { class: isMe ? 'pr-me' : null, 'aria-current': isMe ? 'true' : null },
    h('td', { class: 'pr-rank-cell' }, medal(r.rank)),
    h('td', {}, learnerCell(r, avatars, isMe)),
    h('td', { class: 'num pr-value' }, valueText(by, r.value)));
  const rows = board.items.map((r) => row(r, r.user_id === me.id));
  if (!mine && board.me) {
    rows.push(h('tr', { class: 'pr-gap', 'aria-hidden': 'true' }, h('td', { colspan: 3 }, '⋯')));
    rows.push(row({ rank: board.me.rank, value: board.me.value, user_id: me.id, username: me.username,
      display_name: me.showsName ? me.profile?.display_name : null, avatar: me.avatarCode }, true));
  }
  return h('div', { class: 'table-wrap' }, h('table', { class: 'pr-board' },
    h('caption', { class: 'sr-only' }, 'Leaderboard: rank, learner, ' + (by === 'score' ? 'average score' : 'XP')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'pr-rank-cell' }, 'Rank'),
      h('th', { scope: 'col' }, 'Learner'),
      h('th', { scope: 'col', class: 'num' }, by === 'score' ? 'Average score' : 'XP'))),
    h('tbody', {}, rows)));
}

// What others see of me, from my settings; a link to change it.
function privacyNote(visibility) {
  const text = {
    username: 'Others see your username only.',
    full_name: 'Others see your display name and username.',
    hidden: 'You are hidden from leaderboards: others do not see you, and you have no rank.',
  }[visibility];
  if (!text) return null;
  return h('p', { class: 'muted small', 'data-testid': 'lb-privacy' }, text, ' ',
    h('a', { href: '/settings?tab=preferences' }, 'Change this in your settings'), '.');
}

function myPlace(board, by) {
  if (!board.me && state.settings?.leaderboard_visibility === 'hidden') return null;
  if (!board.me) {
    return h('p', { class: 'muted' }, by === 'score'
      ? 'You are not on this board yet: finish a quiz or a practice exam to get a score.'
      : 'You are not on this board yet: complete a lesson or a quiz to earn XP.');
  }
  return h('p', { class: 'pr-my-place' }, 'You are ', h('strong', {}, `#${board.me.rank}`), ` of ${fmt.num(board.entries)}`,
    ` with ${valueText(by, board.me.value)}.`);
}

function emptyText(period, by, exam) {
  const when = period === 'weekly' ? 'this week' : 'yet';
  const what = by === 'score' ? 'finished an attempt' : 'earned XP';
  return `Nobody has ${what}${exam ? ' at this exam' : ''} ${when}. Be the first!`;
}

export default async function leaderboard(ctx) {
  ctx.title('Leaderboard');
  const s = {
    period: PERIODS.some(([v]) => v === ctx.query.get('period')) ? ctx.query.get('period') : 'weekly',
    by: BYS.some(([v]) => v === ctx.query.get('by')) ? ctx.query.get('by') : 'xp',
    exam: ctx.query.get('exam') || '',
    limit: PAGE,
  };
  const [exams, avatarList] = await Promise.all([
    examTracks().catch(() => []),
    api.get('/me/avatars').then((d) => d.items || []).catch(() => []),
  ]);
  if (!ctx.current()) return;
  const avatars = new Map(avatarList.map((a) => [a.code, a]));
  const visibility = state.settings?.leaderboard_visibility;
  const me = { ...ctx.user, avatarCode: avatarList.find((a) => a.equipped)?.code || null,
    showsName: visibility === 'full_name' };

  const result = h('div', { class: 'pr-board-wrap', 'aria-live': 'polite' });
  const note = h('p', { class: 'muted small pr-board-note' });
  let seq = 0;

  const refresh = async () => {
    const mine = ++seq;
    history.replaceState(null, '', '/leaderboard' + qs({ period: s.period, by: s.by, exam: s.exam }));
    clear(result, loading('Loading the leaderboard…'));
    let board;
    try {
      board = await api.get('/leaderboards' + qs({ period: s.period, by: s.by, exam: s.exam, limit: s.limit }));
    } catch (err) {
      if (mine === seq && ctx.current()) clear(result, errorBox(err, refresh));
      return;
    }
    if (mine !== seq || !ctx.current()) return;
    note.textContent = (s.period === 'weekly' && board.since ? `Since ${fmt.datetime(board.since)} (Monday 00:00 UTC). ` : '') +
      (s.by === 'score' ? 'Average percentage of finished quizzes and exams. ' : '') + 'Learners with the same value share a rank.';
    if (!board.items.length) { clear(result, empty(emptyText(s.period, s.by, s.exam))); return; }
    clear(result, myPlace(board, s.by), boardTable(board, me, avatars),
      board.entries > board.items.length && s.limit < 200
        ? button(`Show more (${fmt.num(board.entries)} in all)`, () => { s.limit = Math.min(200, s.limit * 4); refresh(); }, 'btn btn-secondary more')
        : null);
  };
  const set = (k) => (v) => { s[k] = v; s.limit = PAGE; refresh(); };

  const examSelect = h('select', { id: 'lb-exam', name: 'exam', onchange: (e) => set('exam')(e.target.value) },
    h('option', { value: '' }, 'All exams'),
    exams.map((x) => h('option', { value: x.code, selected: x.code === s.exam }, `${x.name} (${x.exam_number})`)));

  clear(ctx.main,
    pageHeader('Leaderboard', h('a', { href: '/achievements', class: 'btn btn-secondary' }, 'My achievements')),
    h('div', { class: 'filters pr-board-filters' },
      segmented('Period', 'period', PERIODS, s.period, set('period')),
      segmented('Rank by', 'by', BYS, s.by, set('by')),
      exams.length ? h('div', { class: 'field' }, h('label', { for: 'lb-exam' }, 'Exam'), examSelect) : null),
    note, privacyNote(visibility), result);
  await refresh();
}
