// The app's shell in the browser (issue 12): the 404 page of a mistyped
// address, a confirmation link opened twice, no stale toast after signing
// in again, the password cleared after a failed sign-in, the phone menu,
// the bookmarks page, a long display name, the dark theme on a reload
// before any script runs, and a video lesson whose media plays or, when it
// cannot, says so and points to the lesson text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverAndBrowser, startBrowser, shot, signIn, signOut, checkAccessible, apiCall, tokenFor, psql, nav, PASSWORD,
} from './support.js';

let server, browser;

serverAndBrowser((s, b) => { server = s; browser = b; });

const VIDEO_LESSON = '4e700009-0000-4000-8000-000000000102';

test('a mistyped address shows the app\'s 404 page with a way home', async () => {
  const { page } = browser;
  await page.context().clearCookies();
  let res = await page.goto(server.base + '/dashbord');
  assert.equal(res.status(), 404);
  await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
  await checkAccessible(page, '/dashbord');
  await page.getByRole('link', { name: 'Go home' }).click();
  await page.waitForURL(server.base + '/');

  await signIn(page, server.base, 'sarah_network');
  res = await page.goto(server.base + '/courses-old/42');
  assert.equal(res.status(), 404);
  await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
  await shot(page, 'shell-404');
  await page.getByRole('link', { name: 'Go home' }).click();
  await page.waitForURL(/\/dashboard$/);
  browser.check();
});

test('a confirmation link opened again says the address is confirmed', async () => {
  const { page } = browser;
  const r = await apiCall(server.base, 'POST', '/auth/register', {
    email: 'ola@example.test', username: 'ola_twice', password: 'a long passphrase 42', timezone: 'UTC',
  });
  assert.equal(r.status, 202, JSON.stringify(r.data));
  const link = await server.mailedLink(/https?:\/\/\S+\/verify-email\?token=[\w-]+/);
  await signIn(page, server.base, 'ola_twice', 'a long passphrase 42');
  await page.goto(server.base + link);
  await page.getByRole('heading', { name: 'Email confirmed' }).waitFor();
  // The same link again, as from the mail a second time.
  await page.goto(server.base + link);
  await page.getByRole('heading', { name: 'Email confirmed' }).waitFor();
  assert.match(await page.locator('main').textContent(), /Your address is confirmed/);
  assert.equal(await page.getByText('This link does not work').count(), 0);
  await page.getByRole('link', { name: 'Go to your dashboard' }).waitFor();
  browser.check();
});

test('signing in again clears the sign-out message and a failed password', async () => {
  const { page } = browser;
  await signIn(page, server.base, 'sarah_network');
  await signOut(page);
  const toasts = page.locator('#toasts .toast');
  await toasts.filter({ hasText: 'You are signed out.' }).waitFor();

  // A wrong password: the error shows and the field is empty again.
  await page.getByLabel('Email or username').fill('sarah_network');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();
  assert.equal(await page.getByLabel('Password').inputValue(), '');
  assert.equal(await page.getByLabel('Email or username').inputValue(), 'sarah_network');

  await page.getByLabel('Password').fill(PASSWORD);
  const started = Date.now();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/dashboard$/);
  await page.getByRole('heading', { level: 1 }).waitFor();
  // Toasts last 4 s: the check means something only if we are quicker.
  assert.ok(Date.now() - started < 3000, 'signing in took too long for this check');
  assert.equal(await toasts.filter({ hasText: 'You are signed out.' }).count(), 0);
  browser.check();
});

test('the phone menu has the search, settings and bookmarks; the sidebar has settings', async () => {
  const phone = await startBrowser({ width: 390, height: 844 });
  try {
    const { page } = phone;
    await signIn(page, server.base, 'sarah_network');
    const side = page.locator('#sidebar');
    // The drawer is off the screen until the menu opens it.
    const onScreen = () => side.evaluate((el) => el.getBoundingClientRect().right > 0);
    assert.equal(await onScreen(), false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.waitForFunction(() => document.getElementById('sidebar').getBoundingClientRect().left >= 0);
    assert.ok(await side.getByRole('link', { name: 'Bookmarks', exact: true }).isVisible());
    const search = side.getByRole('searchbox', { name: 'Search courses and lessons' });
    assert.ok(await search.isVisible());
    await shot(page, 'shell-phone-menu');
    await search.fill('subnet');
    await search.press('Enter');
    await page.waitForURL(/\/search\?q=subnet$/);
    await page.getByRole('button', { name: 'Menu' }).click();
    await side.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.waitForURL(/\/settings$/);
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wide <= 1, `the page is ${wide}px wider than the phone`);
    phone.check();
  } finally {
    await phone.close();
  }
  // At desktop width the sidebar shows Settings at once.
  const { page } = browser;
  await signIn(page, server.base, 'sarah_network');
  await nav(page, 'Settings');
  await page.waitForURL(/\/settings$/);
  browser.check();
});

test('my bookmarks are listed on their own page', async () => {
  const { page } = browser;
  await signIn(page, server.base, 'sarah_network');
  await nav(page, 'Bookmarks');
  await page.waitForURL(/\/bookmarks$/);
  await page.getByText('No bookmarks yet.').waitFor();
  await checkAccessible(page, '/bookmarks (empty)');

  await page.goto(server.base + '/lessons/' + VIDEO_LESSON);
  await page.getByTestId('bookmark-toggle').click();
  await page.getByLabel('Bookmark note (optional)').fill('Ports for the exam');
  await page.getByRole('button', { name: 'Save note' }).click();
  await page.getByText('Note saved.').waitFor();

  await nav(page, 'Bookmarks');
  const item = page.getByTestId('bookmark');
  await item.waitFor();
  assert.equal(await item.count(), 1);
  assert.match(await item.textContent(), /TCP, UDP and the Ports to Know/);
  assert.match(await item.textContent(), /Ports for the exam/);
  await checkAccessible(page, '/bookmarks');
  await shot(page, 'shell-bookmarks');
  await item.getByRole('link', { name: 'TCP, UDP and the Ports to Know' }).click();
  await page.waitForURL(new RegExp(`/lessons/${VIDEO_LESSON}$`));
  await page.goBack();
  await page.getByRole('button', { name: /Remove the bookmark of TCP/ }).click();
  await page.getByText('No bookmarks yet.').waitFor();
  const left = await apiCall(server.base, 'GET', '/me/bookmarks', undefined, await tokenFor(server.base, 'sarah_network'));
  assert.deepEqual(left.data.items, []);
  browser.check();
});

test('a 100-character display name ends in an ellipsis in the top bar', async () => {
  const { page } = browser;
  const token = await tokenFor(server.base, 'sarah_network');
  const long = 'Sarah Elisabeth Margareta Lindqvist-Johansson of the Northern Network Operations Centre, Stockholm';
  const name = (long + ' xyz').slice(0, 100);
  let r = await apiCall(server.base, 'PATCH', '/me', { display_name: name }, token);
  assert.equal(r.status, 200, JSON.stringify(r.data));
  try {
    await signIn(page, server.base, 'sarah_network');
    const who = page.locator('.topbar .who-name');
    assert.equal(await who.textContent(), name);
    const fit = await who.evaluate((el) => ({
      cut: el.scrollWidth > el.clientWidth, overflow: getComputedStyle(el).textOverflow,
      width: el.getBoundingClientRect().width,
    }));
    assert.ok(fit.cut && fit.overflow === 'ellipsis', JSON.stringify(fit));
    assert.ok(fit.width < 300, `the name takes ${fit.width}px`);
    // The search and Sign out keep their room.
    const search = await page.locator('#top-q').boundingBox();
    assert.ok(search.width > 200, `the search box is ${search.width}px wide`);
    assert.ok(await page.getByRole('button', { name: 'Sign out' }).isVisible());
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wide <= 1);
    await shot(page, 'shell-long-name');
  } finally {
    r = await apiCall(server.base, 'PATCH', '/me', { display_name: '' }, token);
    assert.equal(r.status, 200, JSON.stringify(r.data));
  }
  browser.check();
});

test('a reload in the dark theme is dark before any script runs', async () => {
  const { page } = browser;
  await signIn(page, server.base, 'sarah_network');
  await page.goto(server.base + '/settings?tab=preferences');
  await page.locator('label[for=theme-dark]').click();
  await page.getByText('Saved.').waitFor();
  const cookies = await page.context().cookies();
  assert.equal(cookies.find((c) => c.name === 'ludus_theme')?.value, 'dark');

  // The theme the page was parsed with, and the background of its first
  // frame, recorded by a script that runs before the app's own.
  await page.addInitScript(() => {
    window.__firstPaint = null;
    const seen = () => {
      if (window.__firstPaint || !document.body) return;
      window.__firstPaint = { theme: document.documentElement.dataset.theme };
      requestAnimationFrame(() => {
        window.__firstPaint.background = getComputedStyle(document.body).backgroundColor;
      });
    };
    new MutationObserver(seen).observe(document, { childList: true, subtree: true });
  });
  // Without the app's settings call, only the server can make it dark.
  await page.route('**/api/v1/me/settings', (route) => route.abort());
  try {
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const first = await page.evaluate(() => window.__firstPaint);
    assert.equal(first.theme, 'dark');
    assert.equal(first.background, 'rgb(15, 18, 25)');
  } finally {
    await page.unroute('**/api/v1/me/settings');
  }
  await page.reload();
  await page.locator('label[for=theme-light]').click();
  await page.getByText('Saved.').waitFor();
  assert.equal((await page.context().cookies()).find((c) => c.name === 'ludus_theme')?.value, 'light');
  await page.locator('label[for=theme-system]').click();
  await page.getByText('Saved.').waitFor();
  assert.equal((await page.context().cookies()).find((c) => c.name === 'ludus_theme'), undefined);
  browser.check();
});

test('the video lesson plays its video, and a broken one points to the text', async () => {
  const { page } = browser;
  await signIn(page, server.base, 'sarah_network');
  await page.goto(server.base + '/lessons/' + VIDEO_LESSON);
  const video = page.locator('video.media-player');
  await video.waitFor();
  await page.waitForFunction(() => document.querySelector('video.media-player').readyState >= 1);
  assert.equal(Math.round(await video.evaluate((v) => v.duration)), 900);
  await page.getByRole('button', { name: /Well-known ports/ }).click();
  await page.waitForFunction(() => document.querySelector('video.media-player').currentTime >= 520);
  assert.equal(await page.getByTestId('media-failed').isVisible(), false);

  // An address that fails: the error, and the way to the lesson text.
  const setUrl = (url) => psql(`UPDATE lessons SET content = jsonb_set(content, '{media,0,url}', '"${url}"')
    WHERE id = '${VIDEO_LESSON}'`, server.db);
  setUrl('/media/missing.webm');
  try {
    await page.reload();
    const failed = page.getByTestId('media-failed');
    await failed.waitFor();
    assert.match(await failed.textContent(), /This video cannot be played\..*lesson text below/);
    // No player left spinning in its place.
    assert.equal(await video.isVisible(), false);
    await shot(page, 'shell-video-failed');
    await failed.getByRole('link', { name: 'Read the lesson text' }).click();
    await page.waitForFunction(() => location.hash === '#lesson-text');
    await page.locator('#lesson-text').waitFor({ state: 'visible' });
    assert.match(await page.locator('#lesson-text').textContent(), /three-way handshake/);

    // An address that never answers: no endless spinner either.
    setUrl('/media/never.webm');
    await page.route('**/media/never.webm', () => { /* never answered */ });
    await page.goto(server.base + '/lessons/' + VIDEO_LESSON);
    await failed.filter({ hasText: 'This video is not loading.' }).waitFor({ timeout: 15000 });
    await page.unroute('**/media/never.webm');
  } finally {
    setUrl('/media/tcp-udp-and-ports.webm');
  }
  browser.check();
});
