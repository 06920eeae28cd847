// Single sign-on in the browser, against the test OpenID provider
// (tests/oidc/provider.py, on python3-authlib): an admin adds the provider
// on the organization page; its button appears on the sign-in page; a new
// person signs in through it and gets an account, and signs out there too;
// the owner of an existing account links it with their password; a
// sign-in cancelled at the provider comes back with its reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import {
  ROOT, startServer, startBrowser, freePort, shot, signIn, signOut, checkAccessible, psql,
} from './support.js';

let server, browser, idp;
const CLIENT = 'ludus-e2e';
const SECRET = 'e2e secret';

async function startProvider(redirect) {
  const port = await freePort();
  const proc = spawn('/usr/bin/python3', [path.join(ROOT, 'tests/oidc/provider.py'), '--port', String(port),
    '--client-id', CLIENT, '--client-secret', SECRET, '--redirect-uri', redirect], { stdio: ['ignore', 'pipe', 'ignore'] });
  const lines = readline.createInterface({ input: proc.stdout });
  const first = await new Promise((resolve) => lines.once('line', resolve));
  assert.equal(first, 'ready');
  const issuer = `http://127.0.0.1:${port}`;
  return {
    issuer,
    async user(u) {
      const r = await fetch(issuer + '/control/users', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(u) });
      assert.equal(r.status, 200);
    },
    async log() { return (await fetch(issuer + '/control/log')).json(); },
    async stop() {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

before(async () => {
  server = await startServer({ LUDUS_OIDC_ALLOW_HTTP: '1' });
  idp = await startProvider(`${server.base}/api/v1/auth/sso/callback`);
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await idp?.stop();
  await server?.stop();
});

test('an admin adds an identity provider, and a new person signs in with it', async () => {
  const { page } = browser;
  await signIn(page, server.base, 'admin');
  await page.goto(server.base + '/admin/organization');
  await page.getByRole('heading', { name: 'Single sign-on' }).waitFor();
  await page.getByText(`${server.base}/api/v1/auth/sso/callback`).waitFor();
  await page.getByLabel('Name on the sign-in button').fill('Campus login');
  await page.getByLabel('Issuer').fill(idp.issuer);
  await page.getByLabel('Client ID').fill(CLIENT);
  await page.getByLabel('Client secret').fill(SECRET);
  await page.getByRole('button', { name: 'Add provider' }).click();
  await page.getByRole('cell', { name: 'Campus login', exact: true }).waitFor();
  await checkAccessible(page, 'organization with a provider');
  await shot(page, 'sso-admin');
  await signOut(page);

  await idp.user({ sub: 'e2e-pat', email: 'pat.e2e@campus.test', email_verified: true, name: 'Pat Doe',
    preferred_username: 'pat_e2e' });
  await page.getByRole('link', { name: 'Sign in with Campus login' }).waitFor();
  await checkAccessible(page, 'sign-in with a provider');
  await shot(page, 'sso-login');
  await page.getByRole('link', { name: 'Sign in with Campus login' }).click();
  await page.getByRole('button', { name: 'Sign in as Pat Doe' }).click();
  await page.waitForURL(/\/dashboard$/);
  assert.deepEqual(psql(`SELECT username, role FROM users WHERE email = 'pat.e2e@campus.test'`, server.db),
    [['pat_e2e', 'student']]);

  await page.goto(server.base + '/settings?tab=security');
  await page.getByRole('heading', { name: 'Sign-in providers' }).waitFor();
  await page.getByRole('heading', { name: 'Campus login' }).waitFor();
  // Signing out of Ludus signs out at the provider too, which sends the
  // browser back to the sign-in page.
  const before = (await idp.log()).end_session;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login$/);
  assert.equal((await idp.log()).end_session, before + 1);
  browser.check();
});

test('the owner of an existing account links it with their password', async () => {
  const { page } = browser;
  const [[email]] = psql(`SELECT email FROM users WHERE username = 'sarah_network'`, server.db);
  await idp.user({ sub: 'e2e-sarah', email, email_verified: true, name: 'Sarah at Campus' });
  await page.context().clearCookies();
  await page.goto(server.base + '/login');
  await page.getByRole('link', { name: 'Sign in with Campus login' }).click();
  await page.getByRole('button', { name: 'Sign in as Sarah at Campus' }).click();
  await page.waitForURL(/\/sso\/link$/);
  await page.getByRole('heading', { name: 'Link your account' }).waitFor();
  await page.getByText(email).waitFor();
  await checkAccessible(page, 'link an account');
  await shot(page, 'sso-link');
  await page.getByLabel('Your Ludus password').fill('not it');
  await page.getByRole('button', { name: 'Link and sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'password is wrong' }).waitFor();
  await page.getByLabel('Your Ludus password').fill('password123');
  await page.getByRole('button', { name: 'Link and sign in' }).click();
  await page.waitForURL(/\/dashboard$/);
  assert.deepEqual(psql(`SELECT count(*) FROM user_identities i JOIN users u ON u.id = i.user_id
    WHERE u.username = 'sarah_network'`, server.db), [['1']]);
  await signOut(page);
  browser.check();
});

test('a sign-in cancelled at the provider says so on the sign-in page', async () => {
  const { page } = browser;
  await page.context().clearCookies();
  await page.goto(server.base + '/login');
  await page.getByRole('link', { name: 'Sign in with Campus login' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForURL(/\/login\?sso_error=denied$/);
  await page.getByRole('alert').filter({ hasText: 'cancelled at the identity provider' }).waitFor();
  browser.check();
});
