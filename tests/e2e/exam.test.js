// The exam screen: saves while the network is down wait instead of
// flooding the server, an ordering question can be answered with the order
// shown, the question is in the address (Back, reload) and leaving asks
// first, the time left shows before continuing, and an author's preview
// says so and leads back to the builder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, shot, signIn, signOut, apiCall, tokenFor, nav } from './support.js';

let server, browser;

serverAndBrowser((s, b) => {
  server = s; browser = b;
  // A reload or leaving an open attempt asks (beforeunload): say yes.
  b.page.on('dialog', (d) => (d.type() === 'beforeunload' ? d.accept() : d.dismiss()));
});

const PRACTICE_EXAM = '4e700009-0000-4000-8000-000000000905';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Gives an answer to the question on screen, whatever its type; pick
// chooses another one (to change an answer).
async function answerCurrent(page, pick = 0) {
  const card = page.locator('.at-q-card');
  await card.waitFor();
  const radios = card.locator('input[type=radio]');
  if (await radios.count()) return radios.nth(pick % await radios.count()).check();
  const boxes = card.locator('input[type=checkbox]');
  if (await boxes.count()) return boxes.nth(pick % await boxes.count()).click();
  const text = card.getByLabel('Your answer');
  if (await text.count()) return text.fill(String(42 + pick));
  const selects = card.locator('select');
  const n = await selects.count();
  if (n) {
    for (let i = 0; i < n; i++) await selects.nth(i).selectOption({ index: 1 + ((i + pick) % n) });
    return undefined;
  }
  const down = card.locator('button[data-move$=":1"]:not([disabled])');
  if (await down.count()) return down.nth(pick % await down.count()).click();
  throw new Error(`no way to answer: ${await card.innerHTML()}`);
}

async function startFromDetail(page, assessmentId) {
  await page.goto(`${server.base}/assessments/${assessmentId}`);
  await page.locator('#start-attempt').click();
  const dialog = page.locator('dialog');
  await dialog.waitFor({ timeout: 2000 }).catch(() => {});
  if (await dialog.count()) await dialog.getByRole('button').last().click();
  await page.waitForURL(/\/attempts\//);
  await page.locator('.at-q-card').waitFor();
  return new URL(page.url()).pathname.split('/').pop();
}

const question = (page, n, total) => page.getByRole('heading', { name: `Question ${n} of ${total}` });

async function getAttempt(login, id) {
  const token = await tokenFor(server.base, login);
  const r = await apiCall(server.base, 'GET', `/attempts/${id}`, undefined, token);
  assert.equal(r.status, 200, JSON.stringify(r.data));
  return r.data;
}

test('offline, a failed save waits for the network instead of retrying at once', async (t) => {
  const { page, context } = browser;
  await signIn(page, server.base, 'mike_netplus');
  const attempt = await startFromDetail(page, PRACTICE_EXAM);
  await answerCurrent(page);
  await page.locator('#save-status').filter({ hasText: /All answers saved/ }).waitFor();

  let puts = 0;
  const count = (req) => { if (req.method() === 'PUT' && req.url().includes('/answers/')) puts += 1; };
  page.on('request', count);
  await context.setOffline(true);
  const offlineAt = Date.now();
  // Answers given and changed while offline: two questions, one changed.
  await page.getByRole('button', { name: 'Next →' }).click();
  await question(page, 2, 15).waitFor();
  await answerCurrent(page, 0);
  await page.getByRole('button', { name: 'Next →' }).click();
  await question(page, 3, 15).waitFor();
  await answerCurrent(page, 0);
  await page.getByRole('button', { name: '← Previous' }).click();
  await question(page, 2, 15).waitFor();
  await answerCurrent(page, 1);
  await page.locator('#save-status').filter({ hasText: /Offline/ }).waitFor();
  await sleep(Math.max(0, 3000 - (Date.now() - offlineAt)));
  const offlinePuts = puts;
  page.off('request', count);
  t.diagnostic(`${offlinePuts} answer saves tried in 3 s offline`);
  await shot(page, 'exam-offline');
  assert.ok(offlinePuts >= 1, 'a save was tried while offline');
  assert.ok(offlinePuts <= 5, `${offlinePuts} saves were sent in 3 s offline`);
  // The page shows question 2 with its changed answer: keep that to compare.
  const want = await page.evaluate(() => {
    const c = document.querySelector('.at-q-card');
    const checked = [...c.querySelectorAll('input:checked')].map((i) => i.value);
    const text = c.querySelector('input[type=text], input:not([type])')?.value;
    return { checked, text };
  });

  await context.setOffline(false);
  await page.locator('#save-status').filter({ hasText: /All answers saved/ }).waitFor({ timeout: 15000 });
  const doc = await getAttempt('mike_netplus', attempt);
  const answered = doc.questions.filter((q) => q.answer !== null && q.answer !== undefined);
  assert.equal(answered.length, 3, JSON.stringify(doc.questions.map((q) => q.answer)));
  const q2 = doc.questions[1].answer;
  if (q2.choice) assert.deepEqual([q2.choice], want.checked);
  else if (q2.choices) assert.deepEqual([...q2.choices].sort(), [...want.checked].sort());
  else if (q2.text !== undefined) assert.equal(q2.text, want.text);
  browser.check();
});

test('the question is in the address: Back goes to the question before, a reload stays', async () => {
  const { page } = browser;
  // mike's practice exam from the test before is still open: continue it.
  await page.goto(`${server.base}/assessments/${PRACTICE_EXAM}`);
  await page.locator('#start-attempt').filter({ hasText: 'Continue attempt' }).waitFor();
  // An open timed attempt shows its time left before it is continued.
  assert.match(await page.locator('#time-left').textContent(), /Time left: \d+:\d\d/);
  await page.getByRole('link', { name: /^Continue attempt \d+ \(\d+:\d\d left\)$/ }).waitFor();
  await page.locator('#start-attempt').click();
  await page.waitForURL(/\/attempts\/[^?]+\?q=\d+$/);

  await page.locator('.at-nav-btn[data-index="0"]').click();
  await question(page, 1, 15).waitFor();
  assert.match(page.url(), /\?q=1$/);
  await page.getByRole('button', { name: 'Next →' }).click();
  await question(page, 2, 15).waitFor();
  assert.match(page.url(), /\?q=2$/);
  await page.getByRole('button', { name: 'Next →' }).click();
  await question(page, 3, 15).waitFor();
  assert.match(page.url(), /\?q=3$/);

  await page.goBack();
  await question(page, 2, 15).waitFor();
  assert.match(page.url(), /\?q=2$/);
  await page.goForward();
  await question(page, 3, 15).waitFor();

  await page.reload();
  await question(page, 3, 15).waitFor();
  assert.match(page.url(), /\?q=3$/);

  // The review screen has an address too.
  await page.getByRole('button', { name: 'Review and submit' }).click();
  await page.getByRole('heading', { name: 'Review before you submit' }).waitFor();
  assert.match(page.url(), /\?q=review$/);
  await page.goBack();
  await question(page, 3, 15).waitFor();

  // Leaving through the navigation asks; Stay keeps the exam.
  await nav(page, 'Dashboard');
  const ask = page.locator('dialog');
  await ask.waitFor();
  assert.match(await ask.textContent(), /Leave this attempt\?.*timer keeps running/);
  await ask.getByRole('button', { name: 'Stay' }).click();
  await question(page, 3, 15).waitFor();
  assert.match(page.url(), /\/attempts\/.*\?q=3$/);

  // Back through the questions, then past the first address of the
  // attempt to the assessment's page: that asks too.
  let backs = 0;
  while (!await ask.isVisible()) {
    assert.ok(++backs <= 10, 'Back never left the attempt');
    assert.match(page.url(), /\/attempts\/.*\?q=/);
    await page.goBack();
    await sleep(150);
  }
  assert.ok(backs >= 4, `left after ${backs} steps back`);
  await ask.getByRole('button', { name: 'Stay' }).click();
  await page.locator('.at-q-card').waitFor();
  assert.match(page.url(), /\/attempts\/.*\?q=/);
  // Back again, and Leave: the assessment's page it was started from.
  await page.goBack();
  await ask.waitFor();
  await ask.getByRole('button', { name: 'Leave' }).click();
  await page.waitForURL(new RegExp(`/assessments/${PRACTICE_EXAM}$`));
  await page.locator('#start-attempt').filter({ hasText: 'Continue attempt' }).waitFor();
  await nav(page, 'Practice');
  await page.waitForURL(/\/practice$/);
  // The practice page lists the open attempt with its time left.
  assert.match(await page.locator('.pr-resume').textContent(), /\d+:\d\d left/);
  browser.check();
  await signOut(page);
});

// An instructor's assessment of one ordering question and one choice.
async function orderingAssessment(token, status) {
  const mk = async (q) => {
    const r = await apiCall(server.base, 'POST', '/questions', { exam: 'network', status: 'active', objectives: ['5.1'], explanation: 'Because.', ...q }, token);
    assert.equal(r.status, 201, JSON.stringify(r.data));
    return r.data.id;
  };
  const order = await mk({
    type: 'ordering', stem: `Order the layers from the bottom ${Date.now()}`,
    body: { items: [{ key: 'P', text: 'Physical' }, { key: 'D', text: 'Data link' }, { key: 'N', text: 'Network' }] },
  });
  const single = await mk({
    type: 'single_choice', stem: `Which port is SSH? ${Date.now()}`,
    body: { options: [{ key: 'a', text: '21', correct: false }, { key: 'b', text: '22', correct: true }] },
  });
  const a = await apiCall(server.base, 'POST', '/assessments', {
    title: `Layers ${Date.now()}`, status, shuffle_questions: false, exam: 'network',
  }, token);
  assert.equal(a.status, 201, JSON.stringify(a.data));
  const put = await apiCall(server.base, 'PUT', `/assessments/${a.data.id}/questions`,
    { questions: [{ question_id: order }, { question_id: single }] }, token);
  assert.equal(put.status, 200, JSON.stringify(put.data));
  return { id: a.data.id, order };
}

test('an ordering question can be answered with the order shown', async () => {
  const { page } = browser;
  const ins = await tokenFor(server.base, 'instructor');
  const quiz = await orderingAssessment(ins, 'published');
  await signIn(page, server.base, 'jane_tech');
  const attempt = await startFromDetail(page, quiz.id);
  await question(page, 1, 2).waitFor();
  const keep = page.getByRole('button', { name: 'Keep this order' });
  const shown = await page.locator('.at-order-item .at-text').allTextContents();
  assert.equal(shown.length, 3);
  assert.equal(await page.locator('.at-nav-btn.is-answered').count(), 0);
  await keep.click();
  await keep.waitFor({ state: 'hidden' });
  await page.locator('.at-nav-btn[data-index="0"].is-answered').waitFor();
  assert.match(await page.locator('.at-nav-summary').textContent(), /1 of 2 answered/);
  await page.locator('#save-status').filter({ hasText: /All answers saved/ }).waitFor();
  await shot(page, 'exam-keep-order');

  // On the server: the labels in the order shown.
  const doc = await getAttempt('jane_tech', attempt);
  const item = doc.questions.find((q) => q.question_id === quiz.order);
  const text = new Map(item.items.map((i) => [i.label, i.text]));
  assert.deepEqual(item.answer.order.map((l) => text.get(l)), shown);

  // Answer the other one: the review and the submit confirmation count both.
  await page.getByRole('button', { name: 'Next →' }).click();
  await question(page, 2, 2).waitFor();
  await answerCurrent(page);
  await page.getByRole('button', { name: 'Review answers →' }).click();
  await page.getByRole('heading', { name: 'Not answered (0)' }).waitFor();
  await page.locator('#submit-attempt').click();
  const confirm = page.locator('dialog');
  await confirm.waitFor();
  assert.doesNotMatch(await confirm.textContent(), /not answered/);
  await confirm.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Your order' }).waitFor();
  browser.check();
  await signOut(page);
});

test('a preview says it is one, leads back to the builder and awards nothing', async () => {
  const { page } = browser;
  const ins = await tokenFor(server.base, 'instructor');
  const draft = await orderingAssessment(ins, 'draft');
  const xpBefore = (await apiCall(server.base, 'GET', '/me/xp', undefined, ins)).data.xp;
  const unreadBefore = (await apiCall(server.base, 'GET', '/me/notifications?limit=1', undefined, ins)).data.unread;
  await signIn(page, server.base, 'instructor');
  await page.goto(`${server.base}/teach/assessments/${draft.id}`);
  await page.getByTestId('assessment-preview').click();
  await page.waitForURL(/\/attempts\//);
  const banner = page.getByTestId('preview-banner');
  await banner.waitFor();
  assert.match(await banner.textContent(), /Preview.*counts in no results/);
  await shot(page, 'exam-preview');

  // Answer and submit: the results say it was a preview, with the way back.
  await page.getByRole('button', { name: 'Keep this order' }).click();
  await page.getByRole('button', { name: 'Next →' }).click();
  await answerCurrent(page);
  await page.getByRole('button', { name: 'Review answers →' }).click();
  await page.locator('#submit-attempt').click();
  await page.locator('dialog').getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'This was a preview' }).waitFor();
  await shot(page, 'exam-preview-results');
  await page.getByRole('link', { name: 'Back to the assessment builder' }).click();
  await page.waitForURL(new RegExp(`/teach/assessments/${draft.id}$`));
  await page.getByTestId('assessment-preview').waitFor();

  // Nothing was awarded: no XP, no achievement or other notification, no
  // toast on the way, no place on the board.
  assert.equal((await apiCall(server.base, 'GET', '/me/xp', undefined, ins)).data.xp, xpBefore);
  assert.equal((await apiCall(server.base, 'GET', '/me/notifications?limit=1', undefined, ins)).data.unread, unreadBefore);
  assert.equal(await page.getByText(/Achievement unlocked|XP earned|\+\d+ XP/).count(), 0);
  const board = await apiCall(server.base, 'GET', '/leaderboards?period=all', undefined, ins);
  assert.equal(board.data.me, null);

  // A learner's attempt is no preview.
  const own = await apiCall(server.base, 'GET', '/me/attempts?limit=5', undefined, ins);
  assert.equal(own.data.items[0].preview, true);
  const learner = await tokenFor(server.base, 'jane_tech');
  const mine = await apiCall(server.base, 'GET', '/me/attempts?limit=5', undefined, learner);
  assert.ok(mine.data.items.length > 0 && mine.data.items.every((a) => a.preview === false));
  browser.check();
  await signOut(page);
});
