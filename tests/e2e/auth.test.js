// Accounts in the browser: sign up, confirm the email from the mailed
// link, sign out and in, a wrong password, field errors, a reset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, shot, checkAccessible, signOut } from './support.js';

let server, browser;

serverAndBrowser((s, b) => { server = s; browser = b; });

test('the signed-out home page offers to sign up', async () => {
  const { page } = browser;
  await page.goto(server.base + '/');
  await page.getByRole('heading', { level: 1 }).waitFor();
  await checkAccessible(page, 'home');
  await shot(page, 'home');
  // A learner page asks for a session and comes back after it.
  await page.goto(server.base + '/dashboard');
  await page.waitForURL(/\/login\?next=%2Fdashboard$/);
  browser.check();
});

test('registration shows each field error under its field', async () => {
  const { page } = browser;
  await page.goto(server.base + '/register');
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Username').fill('x');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  const email = page.getByLabel('Email');
  await assert.doesNotReject(email.and(page.locator('[aria-invalid="true"]')).waitFor());
  const described = await email.evaluate((el) => el.getAttribute('aria-describedby').split(' ')
    .map((id) => document.getElementById(id)?.textContent).join(' '));
  assert.match(described, /email address/);
  assert.match(await page.getByRole('form', { name: 'Create an account' }).textContent(), /at least 10 characters/);
  await shot(page, 'register-errors');
  browser.check();
});

test('a new learner signs up, confirms the email and signs in again', async () => {
  const { page } = browser;
  await page.goto(server.base + '/register');
  await page.getByLabel('First name').fill('Nora');
  await page.getByLabel('Last name').fill('Quist');
  await page.getByLabel('Email').fill('nora@example.test');
  await page.getByLabel('Username').fill('nora_q');
  await page.getByLabel('Password').fill('a long passphrase 42');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/dashboard$/);
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.match(await page.locator('.topbar').textContent(), /Nora Quist/);

  // The mailed link confirms the address.
  await page.goto(server.base + await server.mailedLink(/https?:\/\/\S+\/verify-email\?token=[\w-]+/));
  await page.getByRole('heading', { name: 'Email confirmed' }).waitFor();

  await signOut(page);
  await page.getByLabel('Email or username').fill('nora_q');
  await page.getByLabel('Password').fill('the wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();
  await shot(page, 'login-failed');
  await page.getByLabel('Password').fill('a long passphrase 42');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/dashboard$/);
  await signOut(page);
  browser.check();
});

test('a forgotten password is reset from the mailed link', async () => {
  const { page } = browser;
  await page.goto(server.base + '/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Email').fill('nora@example.test');
  await page.getByRole('button', { name: 'Send me a reset link' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  await page.goto(server.base + await server.mailedLink(/https?:\/\/\S+\/reset-password\?token=[\w-]+/));
  await page.locator('input[autocomplete=new-password]').fill('another passphrase 7');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await page.waitForURL(/\/login$/);
  await page.getByLabel('Email or username').fill('nora@example.test');
  await page.getByLabel('Password').fill('another passphrase 7');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/dashboard$/);
  await signOut(page);
  browser.check();
});
