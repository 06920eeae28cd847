// Teaching in the browser: an instructor imports questions (a GIFT file
// with one broken record, reported with its line), then builds a quiz from
// them, publishes it, and a learner finds it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, shot, signIn, signOut, checkAccessible, apiCall, tokenFor, nav } from './support.js';

let server, browser;

const GIFT = `// Three questions for the browser test, and one that is broken.
::e2e-ssh::Zebra check: which port does SSH listen on by default? {
=22
~23
~25
~443
}

::e2e-dns::Zebra check: DNS answers queries over UDP port 53. {T}

::e2e-broken::Zebra check: this one has no answer at all. {
}

::e2e-https::Zebra check: which port does HTTPS use? {
=443
~80
~8080
~21
}
`;

serverAndBrowser((s, b) => { server = s; browser = b; });

test('an instructor imports questions and builds a quiz', async () => {
  const { page } = browser;
  await signIn(page, server.base, 'instructor');
  await nav(page, 'Import');
  await page.waitForURL(/\/teach\/import$/);
  await checkAccessible(page, 'import');
  await page.getByLabel('Or paste the questions').fill(GIFT);
  await page.getByLabel('Format').selectOption('gift');
  await page.getByLabel('Exam').selectOption({ label: /N10-009/ }).catch(async () => {
    // The exam select may list exams by name; pick Network+ by its text.
    const opts = await page.getByLabel('Exam').locator('option').allTextContents();
    await page.getByLabel('Exam').selectOption({ label: opts.find((o) => /Network\+/.test(o)) });
  });
  const dry = page.getByLabel('Check only (dry run)');
  if (!(await dry.isChecked())) await dry.check();
  await page.getByRole('button', { name: 'Check file' }).click();
  const counts = page.getByTestId('import-counts');
  await counts.waitFor();
  assert.match(await counts.textContent(), /3\s*would be created/);
  const errors = page.getByTestId('import-errors');
  const refused = errors.locator('tbody tr');
  assert.equal(await refused.count(), 1);
  assert.equal((await refused.locator('td').first().textContent()).trim(), '11');
  assert.match(await refused.textContent(), /no answer at all/);
  await shot(page, 'import-dry-run');
  await page.getByTestId('import-for-real').click();
  await page.getByRole('heading', { name: 'Import result' }).waitFor();
  assert.match(await page.getByTestId('import-counts').textContent(), /3\s*created/);

  // A quiz from the three new questions.
  await nav(page, 'Assessments');
  await page.getByRole('link', { name: 'New assessment' }).click();
  await page.waitForURL(/\/teach\/assessments\/new$/);
  await page.getByLabel('Title').fill('Zebra ports check');
  await page.getByLabel('Kind').selectOption('quiz');
  await page.getByLabel('Time limit (minutes)').fill('10');
  await page.getByLabel('Search the bank').fill('Zebra');
  const add = page.locator('button[data-qid]');
  await add.first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('button[data-qid]').length === 3);
  for (let i = 0; i < 3; i++) await add.nth(i).click();
  await page.waitForFunction(() => [...document.querySelectorAll('button[data-qid]')].every((b) => b.disabled));
  await checkAccessible(page, 'assessment builder');
  await page.getByRole('button', { name: 'Create assessment' }).click();
  await page.waitForURL(/\/teach\/assessments\/[0-9a-f-]{36}$/);
  await page.getByTestId('assessment-publish').click();
  await page.getByRole('button', { name: 'Unpublish' }).waitFor();
  await shot(page, 'assessment-builder');
  const id = page.url().split('/').pop();
  await signOut(page);

  // A learner sees it, with its three questions.
  const token = await tokenFor(server.base, 'jane_tech');
  const a = await apiCall(server.base, 'GET', `/assessments/${id}`, undefined, token);
  assert.equal(a.status, 200);
  assert.equal(a.data.title, 'Zebra ports check');
  assert.equal(a.data.status, 'published');
  assert.equal(a.data.time_limit_seconds, 600);
  assert.equal(a.data.question_count ?? a.data.questions?.length, 3);
  browser.check();
});

test('the question editor shows an error next to the empty option', async () => {
  const { page } = browser;
  await signIn(page, server.base, 'instructor');
  await page.goto(server.base + '/teach/questions/new');
  await page.locator('textarea[name=stem]').fill('Zebra check: which of these is a routing protocol?');
  await page.getByLabel('Option 1 text').fill('OSPF');
  await page.getByLabel('Option 2 text').fill('');
  await page.getByRole('button', { name: 'Create question' }).click();
  const wrap = page.locator('[data-field="options[1].text"]');
  await wrap.locator('.field-error:not(:empty)').first().waitFor();
  await shot(page, 'question-editor-error');
  await signOut(page);
  browser.check();
});
