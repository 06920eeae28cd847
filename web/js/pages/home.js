// home.js - "/": the dashboard when signed in, else what Ludus is.
import { h, clear } from '../ui.js';

export default async function home(ctx) {
  if (ctx.user) { ctx.navigate('/dashboard', { replace: true }); return; }
  clear(ctx.main, h('section', { class: 'hero' },
    h('h1', {}, 'Get ready for your exam, one lesson at a time'),
    h('p', { class: 'lead' }, 'Ludus teaches CompTIA Network+, Security+ and A+ with short lessons, ' +
      'practice quizzes and full exam simulations. It shows how ready you are in every domain, and keeps ' +
      'you going with XP, streaks and achievements.'),
    h('div', { class: 'row' },
      h('a', { href: '/register', class: 'btn btn-lg' }, 'Create a free account'),
      h('a', { href: '/login', class: 'btn btn-lg btn-secondary' }, 'Sign in'))),
  h('section', { class: 'grid grid-3 features' },
    [['Learn', 'Courses mapped to the exam objectives, with progress saved as you read.'],
      ['Practice', 'Quizzes and timed exams that explain every answer, scored like the real thing.'],
      ['Improve', 'Readiness by domain shows where to spend your next hour.']]
      .map(([t, d]) => h('div', { class: 'card' }, h('h2', {}, t), h('p', {}, d)))));
}
