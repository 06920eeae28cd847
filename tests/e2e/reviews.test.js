// Course reviews in the browser: a learner of the course rates it with the
// star picker and writes a review; another learner finds it helpful; the
// course's instructor answers it in public; the learner reads the answer,
// changes the review, and the catalog shows the course's rating.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, shot, signIn, checkAccessible, apiCall, tokenFor } from './support.js';

let server, browser;

serverAndBrowser((s, b) => { server = s; browser = b; });

const COURSE = '4e700009-0000-4000-8000-000000000001';

test('a learner reviews a course, another finds it helpful, the instructor answers', async () => {
  const { page } = browser;
  for (const who of ['mike_netplus', 'sarah_network']) {
    const r = await apiCall(server.base, 'POST', `/courses/${COURSE}/enroll`, {}, await tokenFor(server.base, who));
    assert.ok([200, 201].includes(r.status), JSON.stringify(r.data));
  }

  await signIn(page, server.base, 'mike_netplus');
  await page.goto(`${server.base}/courses/${COURSE}`);
  const form = page.getByRole('form', { name: 'Review this course' });
  await form.waitFor();
  await form.getByLabel('4 ★').check();
  await form.getByLabel('Your review').fill('The port tables made it stick.\nMore labs, please.');
  await form.getByRole('button', { name: 'Post my review' }).click();
  await page.locator('.toast', { hasText: 'Thank you for your review.' }).waitFor();
  const mine = page.getByTestId('review').filter({ hasText: '(you)' });
  await mine.waitFor();
  assert.match(await mine.innerText(), /More labs, please\./);
  assert.equal(await page.getByRole('img', { name: '4 out of 5 stars' }).count() >= 1, true);
  await checkAccessible(page, 'course with reviews');

  await signIn(page, server.base, 'sarah_network');
  await page.goto(`${server.base}/courses/${COURSE}`);
  const theirs = page.getByTestId('review').filter({ hasText: 'The port tables made it stick.' });
  await theirs.getByRole('button', { name: 'Helpful (0)' }).click();
  await theirs.getByRole('button', { name: 'Helpful (1)' }).waitFor();
  assert.equal(await theirs.getByRole('button', { name: 'Helpful (1)' }).getAttribute('aria-pressed'), 'true');

  await signIn(page, server.base, 'instructor');
  await page.goto(`${server.base}/courses/${COURSE}`);
  const seen = page.getByTestId('review').filter({ hasText: 'The port tables made it stick.' });
  await seen.getByRole('button', { name: 'Answer' }).click();
  await seen.getByLabel('Your answer').fill('Thanks! Labs for unit 3 are coming.');
  await seen.getByRole('button', { name: 'Post the answer' }).click();
  await page.locator('.toast', { hasText: 'Your answer is posted.' }).waitFor();
  await page.getByTestId('review').filter({ hasText: 'Labs for unit 3 are coming.' }).waitFor();
  await shot(page, 'course-reviews-instructor');

  await signIn(page, server.base, 'mike_netplus');
  await page.goto(`${server.base}/courses/${COURSE}`);
  await page.getByTestId('review').filter({ hasText: 'Answer from instructor' }).waitFor();
  const edit = page.getByRole('form', { name: 'Your review' });
  await edit.getByLabel('5 ★').check();
  await edit.getByRole('button', { name: 'Save my review' }).click();
  await page.locator('.toast', { hasText: 'Your review is saved.' }).waitFor();
  await page.getByTestId('review').filter({ hasText: '(you)' }).getByRole('img', { name: '5 out of 5 stars' }).waitFor();

  await page.goto(`${server.base}/catalog`);
  const card = page.locator('.course-card', { hasText: 'Network+ (N10-009) Essentials' });
  await card.getByRole('img', { name: /out of 5 stars/ }).waitFor();
  assert.match(await card.innerText(), /\(1 review\)/);
  await shot(page, 'catalog-with-ratings');
  browser.check();
});
