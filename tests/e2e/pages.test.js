// Every main page, for each role, at desktop and phone widths and in the
// dark theme: it loads without a script error, has its heading, labels on
// every control, nothing wider than the screen; a screenshot of each is
// kept in tests/e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startBrowser, shot, signIn, checkAccessible, apiCall, tokenFor } from './support.js';

let server;

const PAGES = {
  sarah_network: ['/dashboard', '/catalog', '/courses/4e700009-0000-4000-8000-000000000001',
    '/lessons/4e700009-0000-4000-8000-000000000203', '/practice',
    '/assessments/4e700009-0000-4000-8000-000000000909', '/history', '/achievements', '/avatars',
    '/leaderboard', '/notifications', '/bookmarks', '/settings', '/goals', '/search?q=subnet', '/dashbord',
    '/flashcards', '/flashcards/review', '/flashcards/stats', '/flashcards/settings',
    '/materials', '/materials/progress', '/forum', '/forum/course/4e700009-0000-4000-8000-000000000001',
    '/forum/search?q=trunk'],
  instructor: ['/teach', '/teach/courses/4e700009-0000-4000-8000-000000000001', '/teach/questions',
    '/teach/questions/new', '/teach/import', '/teach/assessments', '/teach/assessments/new', '/teach/stats',
    '/materials', '/forum/moderation'],
  admin: ['/admin/users', '/admin/audit', '/admin/messages'],
};

// A material of sarah's, processed, and a session of it: their pages too.
async function addMaterial() {
  const token = await tokenFor(server.base, 'sarah_network');
  const m = await apiCall(server.base, 'POST', '/materials', { title: 'Ports to know', text:
    '# Ports\n\nSecure Shell (SSH) is a protocol for encrypted remote logins. SSH uses port 22.\n\n' +
    'The Domain Name System (DNS) is the service that translates host names into IP addresses. DNS uses port 53.\n' }, token);
  assert.equal(m.status, 202, JSON.stringify(m.data));
  for (let i = 0; ; i++) {
    const r = await apiCall(server.base, 'GET', `/materials/${m.data.id}`, undefined, token);
    if (r.data.status === 'ready') break;
    assert.ok(r.data.status === 'processing' && i < 600, JSON.stringify(r.data));
    await new Promise((res) => setTimeout(res, 100));
  }
  const s = await apiCall(server.base, 'POST', `/materials/${m.data.id}/sessions`, { session_type: 'study' }, token);
  assert.equal(s.status, 201, JSON.stringify(s.data));
  PAGES.sarah_network.push(`/materials/${m.data.id}`, `/materials/sessions/${s.data.id}`);
}

// A thread of sarah's in the course's forum with a nested reply of mike's
// and one flagged: the category's, the thread's pages, and the thread as
// its moderator sees it.
async function addThread() {
  const sarah = await tokenFor(server.base, 'sarah_network');
  const mike = await tokenFor(server.base, 'mike_netplus');
  const f = await apiCall(server.base, 'GET', '/forum?course=4e700009-0000-4000-8000-000000000001', undefined, sarah);
  assert.equal(f.status, 200, JSON.stringify(f.data));
  const k = f.data.categories[0].id;
  const t = await apiCall(server.base, 'POST', `/forum/categories/${k}/threads`,
    { title: 'Trunks and the native VLAN', body: '## Why\n\nWhich VLAN crosses a **trunk** untagged? @mike_netplus' }, sarah);
  assert.equal(t.status, 201, JSON.stringify(t.data));
  const r1 = await apiCall(server.base, 'POST', `/forum/threads/${t.data.id}/replies`, { body: 'The native one: VLAN 1 by default.' }, mike);
  const r2 = await apiCall(server.base, 'POST', `/forum/threads/${t.data.id}/replies`,
    { body: 'Thanks!\n\n| port | mode |\n|---|---|\n| Gi0/1 | trunk |', parent_id: r1.data.id }, sarah);
  assert.equal(r2.status, 201, JSON.stringify(r2.data));
  assert.equal((await apiCall(server.base, 'POST', `/forum/replies/${r2.data.id}/flag`, { reason: 'off_topic', note: 'A table?' }, mike)).status, 201);
  PAGES.sarah_network.push(`/forum/c/${k}`, `/forum/t/${t.data.id}`);
  PAGES.instructor.push(`/forum/t/${t.data.id}`);
}

// A conversation of sarah's with the instructor, a message of hers on
// two lines and his answer, which she reports: her messages, the
// conversation, his messages and the admins' reported messages.
async function addConversation() {
  const sarah = await tokenFor(server.base, 'sarah_network');
  const staff = await tokenFor(server.base, 'instructor');
  const me = await apiCall(server.base, 'GET', '/me', undefined, staff);
  const c = await apiCall(server.base, 'POST', '/conversations',
    { user_ids: [me.data.id], body: 'Good morning!\nIs the lab on VLANs graded?' }, sarah);
  assert.equal(c.status, 201, JSON.stringify(c.data));
  const m = await apiCall(server.base, 'POST', `/conversations/${c.data.id}/messages`,
    { body: 'It is not: it is there for practice. A long word to wrap: ' + 'trunking'.repeat(12) }, staff);
  assert.equal(m.status, 201, JSON.stringify(m.data));
  const r = await apiCall(server.base, 'POST', `/messages/${m.data.id}/report`, { reason: 'other', note: 'Just checking the page.' }, sarah);
  assert.equal(r.status, 201, JSON.stringify(r.data));
  PAGES.sarah_network.push('/messages', `/messages/${c.data.id}`);
  PAGES.instructor.push('/messages', `/messages/${c.data.id}`);
}

before(async () => { server = await startServer(); await addMaterial(); await addThread(); await addConversation(); });
after(async () => { await server?.stop(); });

const name = (p) => p.replace(/^\//, '').replace(/[^a-z0-9]+/gi, '-').replace(/-4e700009[-0-9]*/g, '')
  .replace(/-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/g, '-one') || 'home';

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
