// Every main page, for each role, at desktop and phone widths and in the
// dark theme: it loads without a script error, has its heading, labels on
// every control, nothing wider than the screen; a screenshot of each is
// kept in tests/e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startBrowser, shot, signIn, checkAccessible } from './support.js';

let server;

const PAGES = {
  sarah_network: ['/dashboard', '/catalog', '/courses/4e700009-0000-4000-8000-000000000001',
    '/lessons/4e700009-0000-4000-8000-000000000203', '/practice',
    '/assessments/4e700009-0000-4000-8000-000000000909', '/history', '/achievements', '/avatars',
    '/leaderboard', '/notifications', '/bookmarks', '/settings', '/goals', '/search?q=subnet', '/dashbord',
    '/flashcards', '/flashcards/review', '/flashcards/stats', '/flashcards/settings'],
  instructor: ['/teach', '/teach/courses/4e700009-0000-4000-8000-000000000001', '/teach/questions',
    '/teach/questions/new', '/teach/import', '/teach/assessments', '/teach/assessments/new', '/teach/stats'],
  admin: ['/admin/users', '/admin/audit'],
};

before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

const name = (p) => p.replace(/^\//, '').replace(/[^a-z0-9]+/gi, '-').replace(/-4e700009[-0-9]*/g, '') || 'home';

for (const [who, paths] of Object.entries(PAGES)) {
  for (const [label, opts] of [['desktop', {}], ['phone', { width: 390, height: 844 }], ['dark', { colorScheme: 'dark' }]]) {
    test(`${who}'s pages at ${label}`, async () => {
      const browser = await startBrowser(opts);
      try {
        const { page } = browser;
        await signIn(page, server.base, who);
        for (const p of paths) {
          await page.goto(server.base + p);
          await checkAccessible(page, `${p} (${label})`);
          const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(wide <= 1, `${p} is ${wide}px wider than the ${label} screen`);
          if (label !== 'dark' || who === 'sarah_network') await shot(page, `${label}-${name(p)}`);
        }
        browser.check();
      } finally {
        await browser.close();
      }
    });
  }
}
