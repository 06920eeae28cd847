// support.js - what every browser test needs: a fresh database copied from
// the test template, a real `ludus serve` on a free loopback port, and
// Debian's Chromium driven by playwright-core, with screenshots kept under
// tests/e2e/artifacts/ (ignored by git).
//
// scripts/test.sh sets LUDUS_BIN, LUDUS_TEST_PG_HOST, LUDUS_TEST_PG_PORT and
// LUDUS_TEST_TEMPLATE, as for the API tests.  Everything a test starts is
// stopped by it, by process id.

import { before, after } from 'node:test';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
const BIN = process.env.LUDUS_BIN || path.join(ROOT, 'build/ludus');
const PGHOST = process.env.LUDUS_TEST_PG_HOST || '';
const PGPORT = process.env.LUDUS_TEST_PG_PORT || '5439';
const TEMPLATE = process.env.LUDUS_TEST_TEMPLATE || 'ludus_template';
const SANITIZED = process.env.LUDUS_SANITIZED === '1';
const PSQL = '/usr/lib/postgresql/15/bin/psql';
const CHROMIUM = process.env.LUDUS_CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'tests/e2e/artifacts');
export const PASSWORD = 'password123';

let dbCount = 0;

export function psql(sql, db = 'postgres') {
  const out = execFileSync(PSQL, ['-X', '-q', '-A', '-t', '-F', '\x1f', '-v', 'ON_ERROR_STOP=1',
    '-h', PGHOST, '-p', PGPORT, '-U', 'postgres', '-d', db, '-c', sql], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\x1f'));
}

export function createDb() {
  const name = `e2e_${process.pid}_${++dbCount}`;
  psql(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE} OWNER ludus`);
  return name;
}

export function dropDb(name) {
  psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A `ludus serve` on its own database.  stop() ends it by pid and checks
// that it exited cleanly, with no sanitizer report in its log.
export async function startServer(env = {}) {
  const db = createDb();
  const port = await freePort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ludus-e2e-'));
  const logPath = path.join(tmp, 'ludus.log');
  const mailDir = path.join(tmp, 'mail');
  const log = fs.openSync(logPath, 'w');
  const proc = spawn(BIN, ['serve', '--port', String(port)], {
    env: {
      ...process.env,
      LUDUS_DATABASE_URL: `host=${PGHOST} port=${PGPORT} dbname=${db} user=ludus`,
      LUDUS_PUBLIC_URL: `http://127.0.0.1:${port}`,
      LUDUS_MAIL_DIR: mailDir, LUDUS_WORKERS: '4', LUDUS_BCRYPT_COST: '10',
      LUDUS_LOGIN_RATE: '100000', LUDUS_REGISTER_RATE: '100000',
      LUDUS_LOGIN_FAILURES_PER_IP: '1000000', ...env,
    },
    stdio: ['ignore', log, log],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (SANITIZED ? 30000 : 10000);
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`ludus exited at start:\n${fs.readFileSync(logPath, 'utf8')}`);
    try {
      const r = await fetch(base + '/healthz');
      if (r.ok) break;
    } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error('ludus did not start');
    await sleep(50);
  }
  return {
    base, db, mailDir, pid: proc.pid,
    logText: () => fs.readFileSync(logPath, 'utf8'),
    // The text of every mail sent so far, oldest first.
    mails() {
      if (!fs.existsSync(mailDir)) return [];
      return fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml'))
        .map((f) => fs.statSync(path.join(mailDir, f)).mtimeMs + '\0' + fs.readFileSync(path.join(mailDir, f), 'utf8'))
        .sort().map((s) => s.slice(s.indexOf('\0') + 1));
    },
    // The first link in the mail sent so far that matches re (waits up to 5 s
    // for the mailer, which delivers in the background).
    async mailedLink(re) {
      for (let i = 0; i < 50; i++) {
        const hit = this.mails().map((m) => m.match(re)).find(Boolean);
        if (hit) { const u = new URL(hit[0]); return u.pathname + u.search; }
        await sleep(100);
      }
      throw new Error(`no mail with a link like ${re}`);
    },
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        process.kill(proc.pid, 'SIGTERM');
        await Promise.race([exited, sleep(15000)]);
        if (proc.exitCode === null) { process.kill(proc.pid, 'SIGKILL'); await exited; }
      }
      fs.closeSync(log);
      const text = fs.readFileSync(logPath, 'utf8');
      for (const mark of ['ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:']) {
        assert.ok(!text.includes(mark), `sanitizer report in the server log:\n${text.slice(-4000)}`);
      }
      assert.equal(proc.exitCode, 0, `ludus exited with ${proc.exitCode}:\n${text.slice(-2000)}`);
      dropDb(db);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

// A server and a browser for the tests of one file: ready(server, browser)
// gets them before the first test; both are stopped after the last.
export function serverAndBrowser(ready) {
  let server, browser;
  before(async () => {
    server = await startServer();
    browser = await startBrowser();
    ready(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
}

// A Chromium with a fresh profile.  Every page it opens records uncaught
// errors and console errors; check() fails the test on any of them.
export async function startBrowser({ width = 1280, height = 860, colorScheme = 'light' } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ludus-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width, height }, colorScheme,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  const problems = [];
  const watch = (page) => {
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      // A failed request is an expected part of some tests (a 401, a 422);
      // what matters is that the page handles it.  Scripts must not throw.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
    });
  };
  context.on('page', watch);
  for (const p of context.pages()) watch(p);
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(SANITIZED ? 20000 : 10000);
  return {
    context, page, problems,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
    check() { assert.deepEqual(problems, [], 'the pages logged errors'); },
  };
}

export async function shot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function signIn(page, base, login, password = PASSWORD) {
  await page.context().clearCookies(); // whoever was signed in before
  await page.goto(base + '/login');
  await page.getByLabel('Email or username').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/dashboard$/);
}

// Follows a link of the side navigation.
export async function nav(page, name) {
  await page.locator('#sidebar').getByRole('link', { name, exact: true }).click();
}

export async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login$/);
}

// A JSON API call outside the browser, with a bearer token.
export async function apiCall(base, method, urlPath, body, token) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const r = await fetch(base + '/api/v1' + urlPath, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, data: text ? JSON.parse(text) : null };
}

export async function tokenFor(base, login, password = PASSWORD) {
  const r = await apiCall(base, 'POST', '/auth/login', { login, password });
  assert.equal(r.status, 200, JSON.stringify(r.data));
  return r.data.token;
}

// Pages must be usable without a mouse and by screen readers: every control
// has a name, there is one h1, and images have alt text.
export async function checkAccessible(page, where) {
  await page.locator('main h1').first().waitFor();
  await page.locator('main .state-loading').first().waitFor({ state: 'detached' }).catch(() => {});
  const issues = await page.evaluate(() => {
    const out = [];
    const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden' || !visible(el)) continue;
      const named = el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.title;
      if (!named) out.push(`unlabelled ${el.tagName.toLowerCase()} name=${el.name || ''}`);
    }
    for (const el of document.querySelectorAll('button, a[href]')) {
      if (!visible(el)) continue;
      if (!(el.textContent.trim() || el.getAttribute('aria-label') || el.title || el.querySelector('img[alt]'))) out.push(`nameless ${el.tagName.toLowerCase()}`);
    }
    for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) out.push(`img without alt: ${img.src}`);
    const h1 = document.querySelectorAll('main h1').length;
    if (h1 !== 1) out.push(`${h1} h1 elements in main`);
    return out;
  });
  assert.deepEqual(issues, [], `accessibility problems on ${where}`);
}
