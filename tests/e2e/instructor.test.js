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

// Regression (issue 12): a new question had option 1 pre-marked correct, so
// saving without choosing made A the answer; and the status badge kept
// "draft" after saving as active until a reload.
test('a new question has no answer until one is chosen; the status badge follows a save', async () => {
  const { page } = browser;
  await signIn(page, server.base, 'instructor');
  await page.goto(server.base + '/teach/questions/new');
  const stem = `Zebra check ${Date.now()}: which of these is a routing protocol?`;
  await page.locator('textarea[name=stem]').fill(stem);
  for (const [i, t] of ['HTTP', 'OSPF', 'SMTP', 'SNMP'].entries()) await page.getByLabel(`Option ${i + 1} text`).fill(t);
  assert.equal(await page.locator('.q-options input[type=radio]:checked').count(), 0);
  await page.getByRole('button', { name: 'Create question' }).click();
  const err = page.locator('[data-field="options"] > .field-error');
  await page.waitForFunction(() => document.querySelector('[data-field="options"] > .field-error')?.textContent.trim());
  assert.match(await err.textContent(), /Choose the correct option/);
  assert.match(page.url(), /\/teach\/questions\/new$/, 'nothing is created without a correct option');
  await shot(page, 'question-editor-no-answer');

  await page.getByLabel('Correct').nth(1).check();
  await page.getByRole('button', { name: 'Create question' }).click();
  await page.waitForURL(/\/teach\/questions\/[0-9a-f-]{36}$/);
  const status = page.getByTestId('question-status');
  assert.equal((await status.textContent()).trim(), 'draft');
  await page.getByLabel('Status').selectOption('active');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=question-status]')?.textContent.trim() === 'active');
  const id = page.url().split('/').pop();
  const q = await apiCall(server.base, 'GET', `/questions/${id}`, undefined, await tokenFor(server.base, 'instructor'));
  assert.equal(q.data.status, 'active');
  assert.deepEqual(q.data.body.options.map((o) => o.correct), [false, true, false, false]);
  await signOut(page);
  browser.check();
});

// A course of the instructor's with one unit and one lesson, by the API.
async function courseWithLesson(token, title) {
  const c = await apiCall(server.base, 'POST', '/courses', { title }, token);
  assert.equal(c.status, 201);
  const u = await apiCall(server.base, 'POST', `/courses/${c.data.id}/units`, { title: 'Unit A' }, token);
  const unit = u.data.units.at(-1).id;
  const l = await apiCall(server.base, 'POST', `/units/${unit}/lessons`,
    { title: `${title} lesson`, content: { markdown: 'The saved text.' } }, token);
  assert.equal(l.status, 201);
  return { course: c.data.id, lesson: l.data.id, lessonTitle: `${title} lesson` };
}

test('the lesson preview shows what is typed, before saving', async () => {
  const { page } = browser;
  const token = await tokenFor(server.base, 'instructor');
  const { lesson } = await courseWithLesson(token, `Preview course ${Date.now()}`);
  await signIn(page, server.base, 'instructor');
  await page.goto(server.base + `/teach/lessons/${lesson}`);
  await page.getByLabel('Content (Markdown)').fill('## Typed heading\n\nSome *new* words.');
  await page.getByRole('tab', { name: 'Preview' }).click();
  const preview = page.locator('.tc-preview');
  await preview.locator('h2', { hasText: 'Typed heading' }).waitFor();
  assert.equal(await preview.locator('em').textContent(), 'new');
  assert.doesNotMatch(await page.locator('.tc-preview-panel').textContent(), /last saved text/);
  await checkAccessible(page, 'lesson preview');
  await shot(page, 'lesson-preview-typed');
  const l = await apiCall(server.base, 'GET', `/lessons/${lesson}`, undefined, token);
  assert.equal(l.data.content.markdown, 'The saved text.', 'the preview saves nothing');
  // Back to the saved text, the preview shows it again.
  await page.getByRole('tab', { name: 'Write' }).click();
  await page.getByLabel('Content (Markdown)').fill('The saved text.');
  await page.getByRole('tab', { name: 'Preview' }).click();
  await preview.getByText('The saved text.').waitFor();
  await page.getByRole('tab', { name: 'Write' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await signOut(page);
  browser.check();
});

test('collaborators and the lesson an assessment completes are chosen by name', async () => {
  const { page } = browser;
  const token = await tokenFor(server.base, 'instructor');
  const title = `Picked course ${Date.now()}`;
  const { course, lesson, lessonTitle } = await courseWithLesson(token, title);
  await signIn(page, server.base, 'instructor');
  await page.goto(server.base + `/teach/courses/${course}`);
  const who = page.getByRole('combobox', { name: 'Instructor' });
  await who.fill('Alex');
  const option = page.getByRole('option', { name: /Alex Morgan/ });
  await option.waitFor();
  await checkAccessible(page, 'collaborator picker');
  await shot(page, 'collaborator-picker');
  await who.press('ArrowDown');
  await who.press('Enter');
  assert.match(await who.inputValue(), /Alex Morgan/);
  await page.getByLabel('Role').selectOption('reviewer');
  await page.getByRole('button', { name: 'Add or change role' }).click();
  await page.getByText('Reviewer added').waitFor();
  await page.getByTestId('collaborators').getByText('Reviewer').waitFor();
  const admin = await tokenFor(server.base, 'admin');
  const ev = await apiCall(server.base, 'GET', `/admin/audit?action=course.collaborator_added&entity_id=${course}`, undefined, admin);
  const me = await apiCall(server.base, 'GET', '/me', undefined, admin);
  assert.deepEqual(ev.data.items.map((e) => e.new_values), [{ collaborator: me.data.id, role: 'reviewer' }]);

  await page.goto(server.base + '/teach/assessments/new');
  await page.getByLabel('Title').fill(`Completes ${title}`);
  const sel = page.getByLabel('Completes lesson');
  await page.waitForFunction(() => !document.querySelector('select[name=lesson_id]')?.hasAttribute('aria-busy'));
  await sel.selectOption({ label: `${lessonTitle} (Unit A)` });
  await page.getByRole('button', { name: 'Create assessment' }).click();
  await page.waitForURL(/\/teach\/assessments\/[0-9a-f-]{36}$/);
  const a = await apiCall(server.base, 'GET', `/assessments/${page.url().split('/').pop()}`, undefined, token);
  assert.equal(a.data.lesson_id, lesson);
  assert.equal(await page.getByLabel('Completes lesson').inputValue(), lesson);
  await signOut(page);
  browser.check();
});
