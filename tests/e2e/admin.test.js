// Administration in the browser: an admin finds a learner and locks them
// out; the learner then cannot sign in; the admin unlocks them and reads
// it all in the audit trail.  Another role does not get the admin pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, shot, signIn, signOut, checkAccessible, nav, apiCall, tokenFor } from './support.js';

let server, browser;

serverAndBrowser((s, b) => { server = s; browser = b; });

test('an admin locks a user, who then cannot sign in', async () => {
  const { page } = browser;
  await signIn(page, server.base, 'admin');
  await nav(page, 'Users');
  await page.waitForURL(/\/admin\/users/);
  await page.getByLabel('Search users').fill('mike');
  await page.getByRole('link', { name: 'mike_netplus' }).click();
  await page.getByRole('heading', { name: 'Access' }).waitFor();
  await checkAccessible(page, 'admin user');
  await page.getByRole('button', { name: 'Lock user' }).click();
  await page.locator('dialog').getByRole('button', { name: 'Lock user' }).click();
  await page.getByRole('button', { name: 'Unlock user' }).waitFor();
  await shot(page, 'admin-user-locked');
  await signOut(page);

  await page.getByLabel('Email or username').fill('mike_netplus');
  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();
  assert.match(page.url(), /\/login$/);

  // Unlocked, the user is let in again.
  await signIn(page, server.base, 'admin');
  await page.goto(server.base + '/admin/users?q=mike');
  await page.getByRole('link', { name: 'mike_netplus' }).click();
  await page.getByRole('button', { name: 'Unlock user' }).click();
  await page.getByRole('button', { name: 'Lock user' }).waitFor();

  await nav(page, 'Audit trail');
  await page.waitForURL(/\/admin\/audit/);
  const rows = page.locator('#audit-results');
  await rows.getByText('user.lock').first().waitFor();
  await rows.getByText('user.unlock').first().waitFor();
  await checkAccessible(page, 'audit');
  await shot(page, 'admin-audit');
  await signOut(page);

  await signIn(page, server.base, 'mike_netplus');
  await signOut(page);
  browser.check();
});

test('the admin pages are not for other roles', async () => {
  const { page } = browser;
  await signIn(page, server.base, 'instructor');
  await page.goto(server.base + '/admin/users');
  await page.getByRole('heading', { name: 'Not for your role' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Users' }).count(), 0);
  await signOut(page);
  browser.check();
});

test('the audit trail shows a content change as a diff of its old and new values', async () => {
  const { page } = browser;
  const token = await tokenFor(server.base, 'instructor');
  const title = `Diffed course ${Date.now()}`;
  const c = await apiCall(server.base, 'POST', '/courses', { title, summary: 'Old summary' }, token);
  assert.equal(c.status, 201);
  const r = await apiCall(server.base, 'PATCH', `/courses/${c.data.id}`, { title: `${title} (2)`, summary: null, tags: ['diff'] }, token);
  assert.equal(r.status, 200);

  await signIn(page, server.base, 'admin');
  await page.goto(server.base + `/admin/audit?entity_id=${c.data.id}&action=course.updated`);
  const event = page.locator('#audit-results tbody.audit-event');
  await event.first().waitFor();
  assert.equal(await event.count(), 1);
  await event.locator('summary', { hasText: 'Details' }).click();
  const row = (key) => event.locator(`.audit-diff-row[data-key="${key}"]`);
  assert.equal(await row('title').getAttribute('data-change'), 'changed');
  assert.equal((await row('title').locator('.audit-old').textContent()).replace('Old value: ', ''), title);
  assert.equal((await row('title').locator('.audit-new').textContent()).replace('New value: ', ''), `${title} (2)`);
  assert.equal(await row('summary').getAttribute('data-change'), 'changed');
  assert.equal(await row('tags').getAttribute('data-change'), 'changed');
  assert.match(await row('tags').locator('.audit-new').textContent(), /\["diff"\]/, 'nested values as compact JSON');
  assert.equal(await row('slug').getAttribute('data-change'), 'same');
  // Changed fields come first, marked; old in red, new in green.
  assert.equal(await event.locator('.audit-diff-row').first().getAttribute('data-change'), 'changed');
  const colour = (loc) => loc.evaluate((el) => getComputedStyle(el).color);
  const [bad, ok] = await page.evaluate(() => {
    const probe = (v) => { const d = document.createElement('div'); d.style.color = `var(${v})`; document.body.append(d); const c = getComputedStyle(d).color; d.remove(); return c; };
    return [probe('--bad'), probe('--ok')];
  });
  assert.equal(await colour(row('title').locator('.audit-old')), bad);
  assert.equal(await colour(row('title').locator('.audit-new')), ok);
  assert.match(await row('title').textContent(), /\(changed\)/);
  await checkAccessible(page, 'audit diff');
  await shot(page, 'admin-audit-diff');

  // A creation has only new values: every field is added.
  await page.goto(server.base + `/admin/audit?entity_id=${c.data.id}&action=course.created`);
  await event.first().waitFor();
  await event.locator('summary', { hasText: 'Details' }).click();
  assert.equal(await row('title').getAttribute('data-change'), 'added');
  assert.equal(await event.locator('.audit-diff-row:not([data-change="added"])').count(), 0);
  await signOut(page);
  browser.check();
});
