// A learner's first day in the browser: sign up, enroll, read a lesson and
// complete it, take a quiz, see the score and a new achievement, and find
// oneself on the leaderboard.  Then an exam whose network drops midway:
// nothing is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, shot, signIn, signOut, checkAccessible, apiCall, tokenFor, nav } from './support.js';

let server, browser;

serverAndBrowser((s, b) => { server = s; browser = b; });

// Gives some answer to the question on screen, whatever its type.
async function answerCurrent(page) {
  const card = page.locator('.at-q-card');
  await card.waitFor();
  const radios = card.locator('input[type=radio]');
  if (await radios.count()) return radios.first().check();
  const boxes = card.locator('input[type=checkbox]');
  if (await boxes.count()) return boxes.first().check();
  const text = card.getByLabel('Your answer');
  if (await text.count()) return text.fill('42');
  const selects = card.locator('select');
  const n = await selects.count();
  if (n) {
    for (let i = 0; i < n; i++) await selects.nth(i).selectOption({ index: 1 });
    return undefined;
  }
  const down = card.locator('button[data-move$=":1"]:not([disabled])');
  if (await down.count()) return down.first().click();
  throw new Error(`no way to answer: ${await card.innerHTML()}`);
}

test('a new learner reads a lesson, passes through a quiz and is on the leaderboard', async () => {
  const { page } = browser;
  await page.goto(server.base + '/register');
  await page.getByLabel('Email').fill('lena@example.test');
  await page.getByLabel('Username').fill('lena_learns');
  await page.getByLabel('Password').fill('learning every day 9');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/dashboard$/);
  await checkAccessible(page, 'dashboard');
  await shot(page, 'dashboard-new-learner');

  // Catalog, course, first lesson.
  await nav(page, 'Courses');
  await page.waitForURL(/\/catalog/);
  await checkAccessible(page, 'catalog');
  await page.getByRole('link', { name: /Network\+ \(N10-009\) Essentials/ }).first().click();
  await page.waitForURL(/\/courses\//);
  await page.getByTestId('course-enroll').click();
  await page.getByTestId('course-leave').waitFor();
  await checkAccessible(page, 'course');
  await shot(page, 'course');
  await page.getByTestId('course-continue').click();
  await page.waitForURL(/\/lessons\//);
  await page.locator('article.prose, .prose').first().waitFor();
  await checkAccessible(page, 'lesson');
  await page.mouse.wheel(0, 4000);
  await shot(page, 'lesson');
  await page.getByTestId('lesson-complete').click();
  await page.locator('.xp-gain').waitFor();
  assert.match(await page.locator('.xp-gain').textContent(), /\+\d+ XP/);

  // A quiz, answered however, submitted.
  await nav(page, 'Practice');
  await page.waitForURL(/\/practice/);
  await checkAccessible(page, 'practice');
  await page.getByRole('link', { name: 'Quiz: 1.0 Networking Concepts' }).first().click();
  await page.waitForURL(/\/assessments\//);
  await page.locator('#start-attempt').click();
  const dialog = page.locator('dialog');
  if (await dialog.count()) await dialog.getByRole('button').last().click();
  await page.waitForURL(/\/attempts\//);
  for (let i = 0; i < 10; i++) {
    await page.getByRole('heading', { name: `Question ${i + 1} of 10` }).waitFor();
    await answerCurrent(page);
    if (i === 0) {
      await checkAccessible(page, 'attempt');
      await shot(page, 'attempt-question');
    }
    if (i < 9) await page.getByRole('button', { name: 'Next →' }).click();
  }
  await page.getByRole('button', { name: 'Review answers →' }).click();
  await page.locator('#submit-attempt').click();
  await page.locator('dialog').getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Rewards' }).waitFor();
  await page.getByText('New achievement').first().waitFor();
  assert.match(await page.locator('main').textContent(), /First Handshake/);
  assert.match(await page.locator('main').textContent(), /\d+(\.\d+)?\s*%/);
  await checkAccessible(page, 'results');
  await shot(page, 'attempt-results');

  // On the leaderboard, marked as me.
  await nav(page, 'Leaderboard');
  await page.waitForURL(/\/leaderboard/);
  const me = page.locator('tr[aria-current="true"]');
  await me.waitFor();
  assert.match(await me.textContent(), /lena_learns/);
  await checkAccessible(page, 'leaderboard');
  await shot(page, 'leaderboard');

  await nav(page, 'Achievements');
  await page.waitForURL(/\/achievements/);
  await checkAccessible(page, 'achievements');
  await shot(page, 'achievements');
  await signOut(page);
  browser.check();
});

test('answers given while the network is down reach the server once it is back', async () => {
  const { page, context } = browser;
  await signIn(page, server.base, 'mike_netplus');
  await page.goto(server.base + '/assessments/4e700009-0000-4000-8000-000000000905');
  await page.locator('#start-attempt').click();
  const dialog = page.locator('dialog');
  await dialog.waitFor({ timeout: 2000 }).catch(() => {});
  if (await dialog.count()) await dialog.getByRole('button').last().click();
  await page.waitForURL(/\/attempts\//);
  const attempt = page.url().split('/').pop();
  await page.locator('[role=timer]').waitFor();

  await answerCurrent(page);
  await page.getByRole('button', { name: 'Next →' }).click();
  await page.locator('#save-status').filter({ hasText: /All answers saved/ }).waitFor();
  await context.setOffline(true);
  for (let i = 1; i < 4; i++) {
    await answerCurrent(page);
    await page.getByRole('button', { name: 'Next →' }).click();
  }
  await page.locator('#save-status').filter({ hasText: /Offline/ }).waitFor();
  await shot(page, 'attempt-offline');
  await context.setOffline(false);
  await page.locator('#save-status').filter({ hasText: /All answers saved/ }).waitFor({ timeout: 30000 });

  const token = await tokenFor(server.base, 'mike_netplus');
  const a = await apiCall(server.base, 'GET', `/attempts/${attempt}`, undefined, token);
  assert.equal(a.status, 200);
  const answered = a.data.questions.filter((q) => q.answer !== null && q.answer !== undefined);
  assert.equal(answered.length, 4, JSON.stringify(a.data.questions.map((q) => q.answer)));
  await signOut(page);
});
