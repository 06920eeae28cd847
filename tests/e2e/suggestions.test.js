// A suggested edit in the browser: a learner of the course changes a
// lesson's text and sends it with a note; the instructor sees the change as
// a diff in the lesson editor and accepts it; the lesson then reads as the
// learner suggested and credits them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, shot, signIn, checkAccessible, apiCall, tokenFor } from './support.js';

let server, browser;

serverAndBrowser((s, b) => { server = s; browser = b; });

test('a learner suggests an edit and the instructor accepts it', async () => {
  const { page } = browser;
  // A course of the instructor's with one lesson, and a learner in it.
  const ins = await tokenFor(server.base, 'instructor');
  const c = await apiCall(server.base, 'POST', '/courses', { title: 'Suggested in the browser' }, ins);
  assert.equal(c.status, 201, JSON.stringify(c.data));
  const u = await apiCall(server.base, 'POST', `/courses/${c.data.id}/units`, { title: 'Basics' }, ins);
  const unit = u.data.units.at(-1).id;
  const l = await apiCall(server.base, 'POST', `/units/${unit}/lessons`,
    { title: 'Well-known ports', kind: 'lesson', content: { markdown: 'SSH uses port 22.\n\nTelnet uses port 25.' } }, ins);
  assert.equal(l.status, 201, JSON.stringify(l.data));
  for (const path of [`/lessons/${l.data.id}/publish`, `/courses/${c.data.id}/publish`]) {
    assert.equal((await apiCall(server.base, 'POST', path, {}, ins)).status, 200);
  }
  const learner = await tokenFor(server.base, 'jane_tech');
  assert.ok([200, 201].includes((await apiCall(server.base, 'POST', `/courses/${c.data.id}/enroll`, {}, learner)).status));

  await signIn(page, server.base, 'jane_tech');
  await page.goto(`${server.base}/lessons/${l.data.id}`);
  const box = page.getByRole('region', { name: 'Improve this lesson' });
  await box.getByRole('button', { name: 'Suggest an edit' }).click();
  const form = page.getByRole('form', { name: 'Suggest an edit' });
  await form.getByLabel('The lesson’s text, as you would have it').fill('SSH uses port 22.\n\nTelnet uses port 23.');
  await form.getByLabel('A note for the authors').fill('Telnet is 23; 25 is SMTP.');
  await form.getByRole('button', { name: 'Send the suggestion' }).click();
  await page.locator('.toast', { hasText: 'the authors will look at your suggestion' }).waitFor();
  await page.getByText(/is waiting for the authors/).waitFor();
  await checkAccessible(page, 'lesson with a suggestion');

  await signIn(page, server.base, 'instructor');
  await page.goto(`${server.base}/teach/lessons/${l.data.id}`);
  const s = page.getByTestId('suggestion').first();
  await s.waitFor();
  assert.match(await s.innerText(), /Telnet is 23; 25 is SMTP\./);
  await s.locator('.diff-del', { hasText: 'Telnet uses port 25.' }).waitFor();
  await s.locator('.diff-add', { hasText: 'Telnet uses port 23.' }).waitFor();
  await shot(page, 'suggested-edit-diff');
  await s.getByRole('button', { name: 'Accept' }).click();
  await page.locator('.toast', { hasText: 'the lesson now reads as jane_tech suggested' }).waitFor();
  await page.getByText('No suggestions are waiting.').waitFor();

  await signIn(page, server.base, 'jane_tech');
  await page.goto(`${server.base}/lessons/${l.data.id}`);
  await page.locator('#lesson-text', { hasText: 'Telnet uses port 23.' }).waitFor();
  await page.getByText('Improved with suggestions from jane_tech.').waitFor();
  browser.check();
});
