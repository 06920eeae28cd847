// Administration in the browser: an admin finds a learner and locks them
// out; the learner then cannot sign in; the admin unlocks them and reads
// it all in the audit trail.  Another role does not get the admin pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, shot, signIn, signOut, checkAccessible, nav } from './support.js';

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
