// Study materials in the browser: a new learner has a file that is not one
// (a .docx, an empty file) refused with the server's reason, then uploads
// a Markdown document with the progress bar showing, lands on its page,
// waits for it to be processed, sees its sections and the proposed cards,
// each with the sentence it comes from (a click shows that sentence in the
// text); accepts a card (it is then in the deck "Cards: <title>" of
// /flashcards), sees an edit refused field by field, accepts two
// questions, rates one; takes the quiz (one answer right by the keyboard,
// one wrong), finishes and sees the score, which /materials/progress then
// shows.  The search finds the text too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, shot, signIn, checkAccessible, apiCall, tokenFor, nav } from './support.js';

let server, browser;

serverAndBrowser((s, b) => { server = s; browser = b; });

// The learner, new: her account is made by the first test that needs it.
let account = null;
function learner() {
  account ||= apiCall(server.base, 'POST', '/auth/register', {
    email: 'nora@example.test', username: USER, password: PW, timezone: 'UTC',
  }).then((r) => assert.equal(r.status, 202, JSON.stringify(r.data)));
  return account;
}

const USER = 'nora_notes';
const PW = 'reading my own notes 7';
const TITLE = 'Network services';
const NOTES = `# Network services

## Addressing

Dynamic Host Configuration Protocol (DHCP) is a protocol that assigns IP
addresses to hosts automatically. A DHCP lease is the time a host may keep
its address before it must renew it.

The Domain Name System (DNS) is the service that translates host names into
IP addresses. DNS uses port 53.

## Remote access

Secure Shell (SSH) is a protocol for encrypted remote logins. SSH uses port 22.
Telnet uses port 23. Remote Desktop Protocol (RDP) uses port 3389.

- **NTP**: keeps the clocks of hosts in step.
- **SNMP**: monitors and manages network devices.
`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function upload(page, file) {
  const form = page.getByRole('form', { name: 'Upload a file' });
  await form.getByLabel('File').setInputFiles(file);
  await form.getByRole('button', { name: 'Upload' }).click();
  return form;
}

test('a learner uploads notes, keeps what was proposed, takes the quiz and sees her progress', async () => {
  const { page } = browser;
  await learner();
  const token = await tokenFor(server.base, USER, PW);
  await signIn(page, server.base, USER, PW);

  await nav(page, 'Materials');
  await page.waitForURL(/\/materials$/);
  await page.getByText('No materials yet').waitFor();
  await checkAccessible(page, 'materials');

  // Files the server does not take: its reason shows, and we stay.
  let form = await upload(page, { name: 'notes.docx', buffer: Buffer.from('PK\x03\x04 not really a document'),
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
  await form.getByRole('alert').filter({ hasText: 'Files of this type are not taken' }).waitFor();
  form = await upload(page, { name: 'empty.md', buffer: Buffer.alloc(0), mimeType: 'text/markdown' });
  await form.getByRole('alert').filter({ hasText: 'The file is empty.' }).waitFor();
  assert.match(page.url(), /\/materials$/);
  await shot(page, 'materials-bad-upload');

  // The notes, uploaded with the bar showing (the server's answer is held
  // back a moment so that there is time to see it).
  await page.route(/\/api\/v1\/materials\/upload/, async (route) => { await sleep(800); await route.continue(); });
  await form.getByLabel('Title').fill(TITLE);
  await form.getByLabel('Tags').fill('networking ports');
  form = await upload(page, { name: 'network.md', buffer: Buffer.from(NOTES), mimeType: 'text/markdown' });
  const bar = page.getByTestId('upload-progress');
  await bar.waitFor();
  assert.equal(await bar.getAttribute('max'), '100');
  await page.waitForURL(/\/materials\/[0-9a-f-]{36}$/);
  await page.unroute(/\/api\/v1\/materials\/upload/);
  const materialUrl = page.url();
  const id = materialUrl.split('/').pop();

  // Processed: the sections, and cards each with the sentence it comes from.
  await page.getByTestId('chunk').first().waitFor({ timeout: 60000 });
  assert.ok(await page.getByTestId('chunk').count() >= 2);
  assert.match(await page.getByTestId('chunk').first().innerText(), /Dynamic Host Configuration Protocol/);
  const cards = page.locator('[data-testid=asset][data-type=flashcard]');
  await cards.first().waitFor();
  const nCards = await cards.count();
  assert.ok(nCards >= 3, `${nCards} cards`);
  for (let i = 0; i < nCards; i++) {
    const src = cards.nth(i).getByTestId('asset-source');
    assert.match(await src.innerText(), /From the text:\s*“.+”/s);
  }
  await checkAccessible(page, 'material');
  await shot(page, 'material-ready');

  // A source sentence shows where it is in the text.
  const quote = cards.first().locator('.mt-quote').first();
  const sentence = (await quote.innerText()).replace(/^“|”$/g, '');
  await quote.click();
  await page.locator('.mt-chunk.mt-lit mark.mt-lit-text', { hasText: sentence }).waitFor();

  // A card accepted goes into the material's deck.
  const cardId = await cards.first().getAttribute('data-asset');
  await cards.first().getByRole('button', { name: 'Accept' }).click();
  await page.locator('.toast', { hasText: 'the card is in the material\'s deck' }).waitFor();
  const accepted = page.locator(`[data-asset="${cardId}"]`);
  await accepted.locator('.badge', { hasText: 'Accepted' }).waitFor();
  assert.equal(await accepted.getByRole('button', { name: 'Edit' }).count(), 0);

  // An edit the server refuses says which field is wrong.
  const other = cards.nth(1);
  await other.getByRole('button', { name: 'Edit' }).click();
  const edit = other.getByRole('form', { name: 'Edit the card' });
  await edit.getByLabel('Front').fill('   ');
  await edit.getByRole('button', { name: 'Save' }).click();
  await edit.locator('.field-error', { hasText: 'must not be empty' }).waitFor();
  assert.equal(await edit.getByLabel('Front').getAttribute('aria-invalid'), 'true');
  await edit.getByRole('button', { name: 'Cancel' }).click();

  // Two questions accepted make the quiz; the owner sees the right options.
  const questions = page.locator('[data-testid=asset][data-type=quiz]');
  assert.ok(await questions.count() >= 2);
  const qids = [await questions.nth(0).getAttribute('data-asset'), await questions.nth(1).getAttribute('data-asset')];
  assert.equal(await questions.nth(0).locator('.mt-options .mt-right').count(), 1);
  for (const q of qids) {
    await page.locator(`[data-asset="${q}"]`).getByRole('button', { name: 'Accept' }).click();
    await page.locator(`[data-asset="${q}"] .badge`, { hasText: 'Accepted' }).waitFor();
  }

  // A rating of one of them.
  const rated = page.locator(`[data-asset="${qids[0]}"]`);
  await rated.getByRole('button', { name: 'Rate' }).click();
  const rate = rated.getByRole('form', { name: 'Rate it' });
  await rate.locator('label.mt-star').nth(3).click();
  assert.ok(await rate.getByLabel('4 stars').isChecked());
  await rate.getByLabel('Comment').fill('Clear and to the point.');
  await checkAccessible(page, 'material with the rating form');
  await rate.getByRole('button', { name: 'Save my rating' }).click();
  await page.locator('.toast', { hasText: 'your rating is saved' }).waitFor();
  const fb = await apiCall(server.base, 'GET', `/assets/${qids[0]}`, undefined, token);
  assert.equal(fb.data.my_feedback.rating, 4);
  assert.equal(fb.data.my_feedback.comment, 'Clear and to the point.');
  await shot(page, 'material-decided');

  // The deck is in Flashcards.
  await nav(page, 'Flashcards');
  await page.getByTestId('deck').filter({ hasText: `Cards: ${TITLE}` }).waitFor();

  // The search finds the text.
  await nav(page, 'Materials');
  await page.getByLabel('Search my materials').fill('Telnet');
  await page.getByRole('search', { name: 'My materials' }).getByRole('button', { name: 'Search' }).click();
  const hit = page.getByTestId('search-hit').first();
  await hit.locator('mark', { hasText: 'Telnet' }).first().waitFor();
  await hit.getByRole('link', { name: TITLE }).click();
  await page.waitForURL(/\/materials\/[0-9a-f-]{36}\?chunk=/);
  await page.getByTestId('chunk').first().waitFor();

  // The quiz: one right (with the keyboard), one wrong.
  const answers = new Map();
  for (const q of qids) {
    const a = (await apiCall(server.base, 'GET', `/assets/${q}`, undefined, token)).data.content;
    answers.set(a.stem, a);
  }
  await page.getByRole('button', { name: 'Take the quiz' }).click();
  await page.waitForURL(/\/materials\/sessions\//);
  const item = page.getByTestId('study-item');
  await item.waitFor();
  await checkAccessible(page, 'quiz');
  let q = answers.get(await item.locator('legend').innerText());
  assert.ok(q, 'the question is one of those accepted');
  await page.keyboard.press(String(q.answer + 1));
  await page.keyboard.press('Enter');
  await page.getByTestId('verdict').filter({ hasText: 'Right.' }).waitFor();
  await page.getByTestId('session-status').filter({ hasText: '1 of 1 right' }).waitFor();
  await page.getByTestId('next').click();
  await page.getByTestId('verdict').waitFor({ state: 'detached' });
  q = answers.get(await item.locator('legend').innerText());
  assert.ok(q, 'the second question is one of those accepted');
  const wrong = (q.answer + 1) % q.options.length;
  await item.locator('label').nth(wrong).click();
  await page.getByTestId('check').click();
  await page.getByTestId('verdict').filter({ hasText: `Not quite: the answer is “${q.options[q.answer]}”` }).waitFor();
  assert.match(await item.getByTestId('asset-source').innerText(), /From the text:/);
  await shot(page, 'material-quiz-wrong');
  await page.getByTestId('next').click();
  await page.getByTestId('finish').click();
  const summary = page.getByTestId('session-summary');
  await summary.waitFor();
  assert.equal(await summary.getByTestId('session-answered').innerText(), '2');
  assert.equal(await summary.getByTestId('session-correct').innerText(), '1');
  assert.equal(await summary.getByTestId('session-score').innerText(), '50%');
  await checkAccessible(page, 'quiz summary');
  await shot(page, 'material-quiz-score');

  // Progress shows the session.
  await summary.getByRole('link', { name: 'My progress' }).click();
  await page.waitForURL(/\/materials\/progress$/);
  const row = page.locator('tr', { hasText: TITLE }).first();
  await row.waitFor();
  assert.match(await row.innerText(), /1 of 2 right/);
  assert.match(await row.innerText(), /50%/);
  const mine = page.locator('section', { hasText: 'My materials' }).locator('tr', { hasText: TITLE });
  assert.equal(await mine.locator('td').nth(2).innerText(), '3'); // accepted: a card and two questions
  await checkAccessible(page, 'materials progress');
  await shot(page, 'materials-progress');

  const p = await apiCall(server.base, 'GET', `/me/material-progress?material=${id}`, undefined, token);
  assert.equal(p.data.items[0].sessions, 1);
  browser.check();
});

// A new learner signs in and asks for a web page by its address: the form.
async function addByUrl(page, title, url) {
  await learner();
  await signIn(page, server.base, USER, PW);
  await page.goto(server.base + '/materials');
  await page.getByRole('tab', { name: 'URL' }).click();
  const byUrl = page.getByRole('form', { name: 'Add a web page' });
  await byUrl.getByLabel('Title').fill(title);
  await byUrl.getByLabel('Address').fill(url);
  await byUrl.getByRole('button', { name: 'Fetch the page' }).click();
  return byUrl;
}

test('pasted text is studied card by card with the keyboard; a private URL is refused', async () => {
  const { page } = browser;
  const byUrl = await addByUrl(page, 'Loopback', 'http://127.0.0.1/notes.html');
  await byUrl.locator('.field-error', { hasText: 'public address' }).waitFor();

  // The arrow keys move between the tabs.
  await page.getByRole('tab', { name: 'URL' }).focus();
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getByRole('tab', { name: 'Paste' }).getAttribute('aria-selected'), 'true');
  const paste = page.getByRole('form', { name: 'Paste text' });
  await paste.getByLabel('Title').fill('Remote access');
  await paste.getByLabel('Format').selectOption('text/plain');
  await paste.getByLabel('Text').fill('Secure Shell (SSH) is a protocol for encrypted remote logins. SSH uses port 22. ' +
    'Telnet uses port 23. Remote Desktop Protocol (RDP) uses port 3389.');
  await paste.getByRole('button', { name: 'Add the text' }).click();
  await page.waitForURL(/\/materials\/[0-9a-f-]{36}$/);
  await page.getByTestId('chunk').first().waitFor({ timeout: 60000 });

  await page.getByRole('button', { name: 'Study cards' }).click();
  await page.waitForURL(/\/materials\/sessions\//);
  const item = page.getByTestId('study-item');
  // Summaries are read (Enter goes on) until the first card.
  for (let i = 0; i < 10 && await item.getAttribute('data-type') === 'summary'; i++) {
    const before = await item.innerText();
    await page.keyboard.press('Enter');
    await page.waitForFunction((t) => document.querySelector('[data-testid=study-item]')?.innerText !== t, before);
  }
  assert.equal(await item.getAttribute('data-type'), 'flashcard');
  await page.keyboard.press('Space');
  await page.getByTestId('knew-it').waitFor();
  assert.match(await item.getByTestId('asset-source').innerText(), /From the text:/);
  await checkAccessible(page, 'a card revealed');
  await shot(page, 'material-study-card');
  await page.keyboard.press('2');
  await page.getByTestId('session-status').filter({ hasText: '1 of 1 right' }).waitFor();
  await page.getByRole('button', { name: 'Finish now' }).click();
  const summary = page.getByTestId('session-summary');
  await summary.waitFor();
  assert.equal(await summary.getByTestId('session-answered').innerText(), '1');
  assert.equal(await summary.getByTestId('session-score').innerText(), '100%');

  // Back on the material: no model on this server says so; the details
  // change; the material goes.
  await summary.getByRole('link', { name: 'Back to the material' }).click();
  await page.getByTestId('chunk').first().waitFor();
  await page.getByRole('button', { name: 'Generate with the model' }).click();
  await page.getByRole('region', { name: 'Study it' }).getByRole('status').filter({ hasText: 'no language model is set up' }).waitFor();
  await page.getByRole('button', { name: 'Edit details' }).click();
  const details = page.getByRole('form', { name: 'Edit the details' });
  await details.getByLabel('Title').fill('Remote access notes');
  await details.getByLabel('Difficulty').selectOption('beginner');
  await details.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { level: 1, name: 'Remote access notes' }).waitFor();
  await page.getByText('beginner level').waitFor();
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.waitForURL(/\/materials$/);
  await page.getByTestId('material').first().waitFor();
  assert.equal(await page.getByTestId('material').filter({ hasText: 'Remote access notes' }).count(), 0);
  browser.check();
});

test('a page that cannot be fetched shows why, and its job can be cancelled', async () => {
  const { page } = browser;
  await addByUrl(page, 'Nowhere', 'http://notes.invalid/ports.html');
  await page.waitForURL(/\/materials\/[0-9a-f-]{36}$/);
  // No such host: the job waits to try again, saying why.
  const status = page.getByTestId('material-status');
  await status.filter({ hasText: 'Waiting to try again' }).filter({ hasText: 'notes.invalid' }).waitFor({ timeout: 30000 });
  await checkAccessible(page, 'a material waiting');
  await shot(page, 'material-waiting');
  await status.getByRole('button', { name: 'Cancel' }).click();
  await status.getByRole('alert').filter({ hasText: 'It could not be processed: Cancelled.' }).waitFor();
  await page.locator('.mt-facts .badge', { hasText: 'Failed' }).waitFor();
  await page.getByRole('link', { name: 'Materials', exact: true }).first().click();
  await page.getByTestId('material').filter({ hasText: 'Nowhere' }).locator('.badge', { hasText: 'Failed' }).waitFor();
  browser.check();
});
