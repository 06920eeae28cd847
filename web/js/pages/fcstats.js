// fcstats.js - /flashcards/stats (?deck=): my flashcard statistics (GET
// /flashcards/stats) drawn as charts that read as lists: cards by state,
// the review heatmap of the last year, true retention, the 30-day
// forecast, difficulty, stability and recall now, the weakest cards; and
// the workload simulator (GET /flashcards/workload): what each desired
// retention would cost a day, to choose one knowing the price.
import { api, qs } from '../api.js';
import { h, clear, load, barChart, fmt, pageHeader, table, button, toast } from '../ui.js';

function heatmap(days) {
  const byDay = new Map(days.map((d) => [d.day, d.reviews]));
  const max = Math.max(1, ...days.map((d) => d.reviews));
  const end = new Date();
  const cells = [];
  for (let i = 364; i >= 0; i--) {
    const t = new Date(end.getFullYear(), end.getMonth(), end.getDate() - i);
    const key = `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}`;
    const n = byDay.get(key) || 0;
    const level = n === 0 ? 0 : Math.min(4, 1 + Math.floor((3 * n) / max));
    cells.push(h('span', { class: `fc-heat fc-heat-${level}`, title: `${key}: ${n} reviews` }));
  }
  return h('figure', { class: 'fc-heatmap-wrap' },
    h('figcaption', {}, `${fmt.num(days.reduce((s, d) => s + d.reviews, 0))} reviews on ${days.length} days in the last year`),
    h('div', { class: 'fc-heatmap', role: 'img', 'aria-label': 'Reviews by day over the last year' }, cells));
}

function section(title, ...body) {
  return h('section', { class: 'card fc-stat' }, h('h2', {}, title), ...body);
}

async function workload(box, deck, current) {
  await load(box, () => api.get(`/flashcards/workload${qs({ deck })}`), (w) => {
    const rows = w.retentions.map((x) => ({
      label: `${Math.round(x.desired_retention * 100)} %`, value: x.minutes_per_day,
      text: `${x.minutes_per_day} min · ${fmt.num(x.memorized)} kept`,
      kind: Math.abs(x.desired_retention - current) < 0.005 ? 'ok' : '',
    }));
    const max = Math.max(1, ...rows.map((r) => r.value));
    return h('div', {},
      h('p', { class: 'small muted' }, `Simulated over ${w.days} days from your ${fmt.num(w.cards)} learned cards and `,
        `${fmt.num(w.new_cards)} new ones, at your own pace (${Math.round(w.seconds.pass)} s a review).`),
      barChart(rows, { max, unit: ' min', label: 'Minutes a day by desired retention' }),
      h('div', { class: 'row' }, w.retentions.map((x) => button(`Use ${Math.round(x.desired_retention * 100)} %`, async () => {
        await api.patch('/me/flashcard-settings', { desired_retention: x.desired_retention });
        toast(`Desired retention set to ${Math.round(x.desired_retention * 100)} %.`, 'success');
      }, 'btn btn-sm btn-secondary'))));
  });
}

export default async function fcstats(ctx) {
  const deck = ctx.query.get('deck') || '';
  ctx.title('Flashcard statistics');
  const box = h('div', {});
  clear(ctx.main, h('p', { class: 'crumbs' }, h('a', { href: '/flashcards' }, 'Flashcards'), ' › '),
    pageHeader('Flashcard statistics'), box);
  await load(box, () => Promise.all([api.get(`/flashcards/stats${qs({ deck })}`),
    api.get('/me/flashcard-settings')]), ([s, settings]) => {
    const c = s.counts, m = s.memory;
    const passed = s.retention.reduce((n, d) => n + d.passed, 0);
    const reviewed = s.retention.reduce((n, d) => n + d.reviews, 0);
    const wl = h('div', {});
    workload(wl, deck, settings.desired_retention);
    return h('div', { class: 'fc-stats' },
      section('Cards', barChart([
        { label: 'New', value: c.new, text: fmt.num(c.new) },
        { label: 'Learning', value: c.learning + c.relearning, text: fmt.num(c.learning + c.relearning) },
        { label: 'Review', value: c.review, text: fmt.num(c.review) },
        { label: 'Suspended', value: c.suspended, text: fmt.num(c.suspended) },
      ], { max: Math.max(1, c.cards), label: 'Cards by state' })),
      section('Reviews', heatmap(s.heatmap), h('p', { class: 'small muted' },
        `${s.minutes_last_30_days} minutes of review in the last 30 days.`)),
      section('True retention', h('p', { 'data-testid': 'true-retention' }, reviewed
        ? `${fmt.pct((100 * passed) / reviewed, 1)} of ${fmt.num(reviewed)} review cards remembered in the last 30 days (you asked for ${Math.round(settings.desired_retention * 100)} %).`
        : 'No review cards in the last 30 days yet.')),
      section('Due in the next 30 days', barChart(s.forecast.map((d, i) => ({
        label: i === 0 ? 'Today' : fmt.date(d.day), value: d.due, text: fmt.num(d.due) })),
      { max: Math.max(1, ...s.forecast.map((d) => d.due)), label: 'Cards due by day' })),
      section('Memory', h('p', {}, `${fmt.num(m.cards)} learned cards, ${fmt.pct(100 * m.average_retrievability, 1)} recalled on average right now.`),
        h('h3', {}, 'Recall now'), barChart(m.retrievability.map((b) => ({ label: b.label, value: b.cards, text: fmt.num(b.cards) })),
          { max: Math.max(1, m.cards), label: 'Cards by recall probability' }),
        h('h3', {}, 'Stability'), barChart(m.stability.map((b) => ({ label: b.label, value: b.cards, text: fmt.num(b.cards) })),
          { max: Math.max(1, m.cards), label: 'Cards by stability' }),
        h('h3', {}, 'Difficulty'), barChart(m.difficulty.map((b) => ({ label: b.label, value: b.cards, text: fmt.num(b.cards) })),
          { max: Math.max(1, m.cards), label: 'Cards by difficulty' }),
        m.weakest.length ? h('div', {}, h('h3', {}, 'Likeliest forgotten'), table([
          { label: 'Card', cell: (r) => r.front },
          { label: 'Recall', cell: (r) => fmt.pct(100 * r.retrievability, 0) },
          { label: 'Stability', cell: (r) => `${Math.round(r.stability * 10) / 10} d` },
          { label: 'Difficulty', cell: (r) => String(Math.round(r.difficulty * 10) / 10) },
        ], m.weakest, { caption: 'The cards likeliest forgotten' })) : null),
      section('What a retention costs', wl));
  });
}
