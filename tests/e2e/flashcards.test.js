// Flashcards in the browser: a learner makes a deck, writes a basic and a
// cloze note with the live preview, studies with the keyboard (Space shows
// the answer, 1-4 rate, each button showing its interval), loses the
// network midway and keeps reviewing, then gets the offline reviews synced
// with their own times; undoes one; looks at the statistics and changes a
// setting.
import { test } from 'node:test';
import zlib from 'node:zlib';
import assert from 'node:assert/strict';
import { serverAndBrowser, shot, signIn, checkAccessible, apiCall, tokenFor, nav } from './support.js';

let server, browser;

serverAndBrowser((s, b) => { server = s; browser = b; });

async function reveal(page) {
  const card = page.getByTestId('flashcard');
  await card.waitFor();
  await page.keyboard.press('Space');
  await page.locator('.fc-ratings:not([hidden])').waitFor();
  return card.getAttribute('data-card');
}

test('a learner writes cards, reviews them, offline too, and sees the statistics', async () => {
  const { page, context } = browser;
  await signIn(page, server.base, 'mike_netplus');
  const token = await tokenFor(server.base, 'mike_netplus');

  await nav(page, 'Flashcards');
  await page.waitForURL(/\/flashcards$/);
  await checkAccessible(page, 'flashcards');
  const newDeck = page.getByRole('form', { name: 'New deck' });
  await newDeck.getByLabel('Title').fill('Well-known ports');
  await newDeck.getByRole('button', { name: 'Make the deck' }).click();
  await page.waitForURL(/\/flashcards\/decks\//);

  // A basic note, with its preview.
  const form = page.getByRole('form', { name: 'New note' });
  await form.getByLabel('Front').fill('Which port does **SSH** use?');
  await form.getByLabel('Back', { exact: true }).fill('22');
  await page.getByTestId('preview-card').first().waitFor();
  assert.match(await page.getByTestId('preview-card').first().innerHTML(), /<strong>SSH<\/strong>/);
  await form.getByRole('button', { name: 'Add the note' }).click();
  await page.getByTestId('note').first().waitFor();

  // A cloze note makes a card per deletion.
  await form.getByLabel('Kind').selectOption('cloze');
  await form.getByLabel('Front').fill('{{c1::DNS}} answers on port {{c2::53}}.');
  await form.getByLabel('Back', { exact: true }).fill('');
  await page.getByTestId('preview-card').nth(1).waitFor();
  assert.equal(await page.getByTestId('preview-card').count(), 2);
  await form.getByRole('button', { name: 'Add the note' }).click();
  await page.getByTestId('note').nth(1).waitFor();
  await checkAccessible(page, 'deck');
  await shot(page, 'flashcards-deck');

  // Study: the first card, Space, then Good.
  await page.getByRole('link', { name: 'Study this deck' }).click();
  await page.waitForURL(/\/flashcards\/review/);
  const first = await reveal(page);
  const good = page.locator('.fc-rate-3');
  assert.match(await good.innerText(), /Good\s+10 min/);
  assert.match(await page.locator('.fc-rate-1').innerText(), /Again\s+1 min/);
  await checkAccessible(page, 'review');
  await shot(page, 'flashcards-review');
  await page.keyboard.press('3');
  await page.locator(`[data-testid=flashcard]:not([data-card="${first}"])`).waitFor();

  // The network goes: two more reviews are kept on the phone.
  await context.setOffline(true);
  const second = await reveal(page);
  await page.keyboard.press('4');
  await page.getByTestId('offline-note').filter({ hasText: '1 review made offline' }).waitFor();
  await page.locator(`[data-testid=flashcard]:not([data-card="${second}"])`).waitFor();
  await reveal(page);
  await page.keyboard.press('4');
  await page.getByTestId('offline-note').filter({ hasText: '2 reviews made offline' }).waitFor();
  await shot(page, 'flashcards-offline');

  // Back online: they are sent, in order, with the time they were made.
  await context.setOffline(false);
  await page.getByTestId('offline-note').waitFor({ state: 'hidden' });
  const q = await apiCall(server.base, 'GET', '/flashcards/queue', undefined, token);
  assert.equal(q.status, 200);
  assert.equal(q.data.today.reviews, 3);
  const card = await apiCall(server.base, 'GET', `/flashcards/cards/${second}`, undefined, token);
  assert.equal(card.data.reviews.length, 1);
  assert.equal(card.data.reviews[0].rating, 4);
  assert.ok(Date.now() - Date.parse(card.data.reviews[0].reviewed_at) < 120000);

  // Undo takes the last one back.
  await page.getByTestId('undo').click();
  await page.locator('.toast', { hasText: 'Last review undone.' }).waitFor();
  const after = await apiCall(server.base, 'GET', '/flashcards/queue', undefined, token);
  assert.equal(after.data.today.reviews, 2);

  // The statistics, and a setting.
  await page.goto(server.base + '/flashcards/stats');
  await page.getByTestId('true-retention').waitFor();
  await page.locator('.fc-heatmap').waitFor();
  await checkAccessible(page, 'flashcard statistics');
  await shot(page, 'flashcards-stats');
  await page.goto(server.base + '/flashcards/settings');
  await page.getByLabel('New cards a day').fill('5');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('.toast', { hasText: 'Settings saved.' }).waitFor();
  await checkAccessible(page, 'flashcard settings');
  const s = await apiCall(server.base, 'GET', '/me/flashcard-settings', undefined, token);
  assert.equal(s.data.new_per_day, 5);

  // The dashboard points to what is due.
  await page.goto(server.base + '/dashboard');
  await page.getByTestId('cards-due').waitFor();
  browser.check();
});

test('the review screen works on a phone', async () => {
  const { startBrowser } = await import('./support.js');
  const phone = await startBrowser({ width: 390, height: 760 });
  try {
    const { page } = phone;
    await signIn(page, server.base, 'mike_netplus');
    await page.goto(server.base + '/flashcards/review');
    await page.getByTestId('flashcard').waitFor();
    await page.getByTestId('show-answer').click();
    const buttons = page.locator('.fc-rate');
    assert.equal(await buttons.count(), 4);
    const box = await buttons.nth(3).boundingBox();
    assert.ok(box && box.x + box.width <= 390, 'the ratings fit on the screen');
    await checkAccessible(page, 'review on a phone');
    await shot(page, 'flashcards-review-phone');
    await buttons.nth(2).click();
    phone.check();
  } finally {
    await phone.close();
  }
});

test('an instructor makes a course deck from a lesson\'s key terms', async () => {
  const { page } = browser;
  await signIn(page, server.base, 'instructor');
  await page.goto(server.base + '/flashcards');
  const form = page.getByRole('form', { name: 'New deck' });
  await form.getByLabel('Title').fill('Ports for the course');
  const pick = async (select, text) => select.selectOption(
    await select.locator('option', { hasText: text }).first().getAttribute('value'));
  await pick(form.getByLabel('For'), 'Network+ (N10-009) Essentials');
  await form.getByLabel('Exam').selectOption('network');
  await form.getByRole('button', { name: 'Make the deck' }).click();
  await page.waitForURL(/\/flashcards\/decks\//);
  const tools = page.getByRole('region', { name: 'Make notes from the course' });
  await tools.getByLabel('Lesson').locator('option', { hasText: 'TCP, UDP and the Ports to Know' }).waitFor({ state: 'attached' });
  await pick(tools.getByLabel('Lesson'), 'TCP, UDP and the Ports to Know');
  await tools.getByRole('button', { name: 'Add its key terms' }).click();
  await page.locator('.toast', { hasText: /notes? added/ }).waitFor();
  await page.getByTestId('note').nth(5).waitFor();
  await checkAccessible(page, 'course deck');
  await shot(page, 'flashcards-course-deck');
  browser.check();
});

test('a deck goes out to Anki and comes back in', async () => {
  const { page } = browser;
  await signIn(page, server.base, 'mike_netplus');
  await page.goto(server.base + '/flashcards');
  await page.getByTestId('deck').filter({ hasText: 'Well-known ports' }).getByRole('link', { name: 'Edit' }).click();
  await page.waitForURL(/\/flashcards\/decks\//);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export as .apkg' }).click(),
  ]);
  const file = await download.path();
  assert.match(download.suggestedFilename(), /Well-known-ports\.apkg$/);

  await page.goto(server.base + '/flashcards');
  const form = page.getByRole('form', { name: 'New deck' });
  await form.getByLabel('Title').fill('Back from Anki');
  await form.getByRole('button', { name: 'Make the deck' }).click();
  await page.waitForURL(/\/flashcards\/decks\//);
  await page.getByLabel('Anki package (.apkg or .colpkg)').setInputFiles(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('.toast', { hasText: /2 notes, 3 cards, \d+ reviews and 0 images or sounds imported/ }).waitFor();
  await page.getByTestId('note').nth(1).waitFor();
  await checkAccessible(page, 'imported deck');
  browser.check();
});

// A 2x2 PNG (red), made here so that the test carries no binary file.
function png() {
  const crc = (buf) => {
    let c = ~0;
    for (const b of buf) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return (~c) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = [0, 255, 0, 0, 255, 0, 0];
  const raw = Buffer.from([...row, ...row]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

test('a card shows a picture uploaded to its deck', async () => {
  const { page } = browser;
  await signIn(page, server.base, 'mike_netplus');
  await page.goto(server.base + '/flashcards');
  const newDeck = page.getByRole('form', { name: 'New deck' });
  await newDeck.getByLabel('Title').fill('Topologies');
  await newDeck.getByRole('button', { name: 'Make the deck' }).click();
  await page.waitForURL(/\/flashcards\/decks\//);

  // Uploaded from the media panel: listed with its thumbnail.
  const panel = page.getByRole('region', { name: 'Images and sounds' });
  await panel.getByLabel('Images, sounds or videos to add').setInputFiles({
    name: 'star topology.png', mimeType: 'image/png', buffer: png() });
  await panel.getByRole('button', { name: 'Upload' }).click();
  await panel.getByTestId('media').filter({ hasText: 'star topology.png' }).waitFor();
  const thumb = panel.locator('img.fc-media-thumb');
  await thumb.waitFor();
  assert.equal(await thumb.evaluate((i) => i.complete && i.naturalWidth), 2);
  // A file that is not a picture is refused, and said so.
  await panel.getByLabel('Images, sounds or videos to add').setInputFiles({
    name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('only text\n') });
  await panel.getByRole('button', { name: 'Upload' }).click();
  await page.locator('.toast', { hasText: /notes\.png: The file is text\/plain/ }).waitFor();
  assert.equal(await panel.getByTestId('media').count(), 1);

  // Inserted into the note: the preview shows the picture.
  const form = page.getByRole('form', { name: 'New note' });
  await form.getByLabel('Front').fill('Which topology is this? ');
  await panel.getByRole('button', { name: 'Insert star topology.png into the note' }).click();
  assert.equal(await form.getByLabel('Front').inputValue(), 'Which topology is this? ![](<star topology.png>)');
  await form.getByLabel('Back', { exact: true }).fill('Star');
  const img = page.getByTestId('preview-card').first().locator('img');
  await img.waitFor();
  await page.waitForFunction((el) => el.complete && el.naturalWidth === 2, await img.elementHandle());
  await form.getByRole('button', { name: 'Add the note' }).click();
  await page.getByTestId('note').first().waitFor();
  await checkAccessible(page, 'deck with media');

  // And the review shows it.
  await page.getByRole('link', { name: 'Study this deck' }).click();
  await page.waitForURL(/\/flashcards\/review/);
  const q = page.locator('.fc-question img');
  await q.waitFor();
  await page.waitForFunction((el) => el.complete && el.naturalWidth === 2, await q.elementHandle());
  await shot(page, 'flashcards-media-review');
  browser.check();
});
