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

test('an admin defines a teaching assistant role and gives it to a learner', async () => {
  const { page } = browser;
  await signIn(page, server.base, 'admin');
  await nav(page, 'Roles');
  await page.waitForURL(/\/admin\/roles/);
  await page.getByRole('heading', { name: /Instructor/ }).waitFor();
  await page.getByRole('button', { name: 'New role' }).click();
  const form = page.locator('form.role-form').first();
  await form.getByLabel('Key').fill('ta');
  await form.getByLabel('Name').fill('Teaching assistant');
  await form.getByLabel('grade.write').check();
  await form.getByLabel('user.lookup').check();
  await form.getByRole('button', { name: 'Create role' }).click();
  await page.getByRole('heading', { name: /Teaching assistant/ }).waitFor();
  await checkAccessible(page, 'roles');
  await shot(page, 'admin-roles');

  // A bad key is shown next to its field.
  await page.getByRole('button', { name: 'New role' }).click();
  await form.getByLabel('Key').fill('Bad Key');
  await form.getByLabel('Name').fill('Bad');
  await form.getByRole('button', { name: 'Create role' }).click();
  await form.locator('.field-error').filter({ hasText: /lowercase letter/ }).waitFor();

  // The new role is offered on a user's page.
  await page.goto(server.base + '/admin/users?q=jane_tech');
  await page.getByRole('link', { name: 'jane_tech' }).click();
  await page.getByLabel('New role').selectOption('ta');
  await page.getByRole('button', { name: 'Save role' }).click();
  await page.locator('dialog').getByRole('button', { name: 'Change role' }).click();
  await page.getByText('now has the role Teaching assistant').waitFor();
  await signOut(page);

  // jane may look people up, but the teaching pages are not hers.
  await signIn(page, server.base, 'jane_tech');
  const me = await apiCall(server.base, 'GET', '/me', undefined, await tokenFor(server.base, 'jane_tech'));
  assert.deepEqual(me.data.permissions, ['account.self', 'learn', 'user.lookup', 'grade.write']);
  await page.goto(server.base + '/teach');
  await page.getByRole('heading', { name: 'Not for your role' }).waitFor();
  await signOut(page);
  browser.check();
});

test('an admin invites a teacher by email, who signs up with the link as an instructor', async () => {
  const { page } = browser;
  await signIn(page, server.base, 'admin');
  await nav(page, 'Organization');
  await page.waitForURL(/\/admin\/organization/);
  await page.getByLabel('Who may sign up').selectOption('invite');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Settings saved.').waitFor();
  const invite = page.locator('form[aria-labelledby="invite-h"]');
  await invite.getByLabel('Email').fill('new.teacher@example.test');
  await invite.getByLabel('Role').selectOption('instructor');
  await invite.getByRole('button', { name: 'Send invitation' }).click();
  await page.getByRole('cell', { name: 'new.teacher@example.test', exact: true }).waitFor();
  await checkAccessible(page, 'organization');
  await shot(page, 'admin-organization');
  await signOut(page);

  // Without the invitation the organization is closed; with it, open.
  const link = await server.mailedLink(/https?:\/\/[^\s]+\/register\?invitation=[A-Za-z0-9_-]+/);
  await page.goto(server.base + link);
  await page.getByText('You are invited to join').waitFor();
  assert.equal(await page.getByLabel('Email').inputValue(), 'new.teacher@example.test');
  await page.getByLabel('Username').fill('new_teacher');
  await page.getByLabel('Password').fill('a long secret phrase');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/dashboard/);
  await nav(page, 'My courses');
  await page.waitForURL(/\/teach$/);
  assert.equal(await page.getByRole('heading', { name: 'Not for your role' }).count(), 0);
  await signOut(page);
  browser.check();
});

test('an instructor makes an access token, sees it once, uses it and revokes it', async () => {
  const { page } = browser;
  await signIn(page, server.base, 'instructor');
  await page.goto(server.base + '/settings?tab=tokens');
  await page.getByRole('heading', { name: 'Make a token' }).waitFor();
  await page.getByLabel('Name').fill('CI import');
  await page.getByLabel('question.manage').check();
  await page.getByRole('button', { name: 'Make token' }).click();
  const token = (await page.locator('.token-value').textContent()).trim();
  assert.match(token, /^lpat_[A-Za-z0-9_-]{43}$/);
  await checkAccessible(page, 'tokens');
  await shot(page, 'settings-tokens');
  const r = await apiCall(server.base, 'GET', '/questions?limit=1', undefined, token);
  assert.equal(r.status, 200);
  await page.reload();
  await page.getByText('CI import', { exact: true }).waitFor();
  assert.equal(await page.getByText(token).count(), 0);
  await page.getByRole('button', { name: 'Revoke the token CI import' }).click();
  await page.locator('dialog').getByRole('button', { name: 'Revoke' }).click();
  await page.getByText('Token revoked.').waitFor();
  assert.equal((await apiCall(server.base, 'GET', '/questions?limit=1', undefined, token)).status, 401);
  await signOut(page);
  browser.check();
});
