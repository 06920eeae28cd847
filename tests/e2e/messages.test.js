// Direct messages in the browser: a learner opens Messages and writes to
// another learner of her course, picked among those she may write to; he,
// with the page open in his own browser, sees the conversation come with
// its unread count (and the top bar's), opens it and answers (Enter
// sends, Shift+Enter breaks the line); she sees his answer without a
// reload.  She deletes a message of hers; he reports one, and an admin
// removes it from the reported messages.  A group is started and left;
// he blocks her and unblocks her; with messaging turned off for the
// organization the Messages entries are gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, startBrowser, shot, signIn, nav, checkAccessible, apiCall, tokenFor } from './support.js';

let server, browser;

serverAndBrowser((s, b) => { server = s; browser = b; });

const COURSE = '4e700009-0000-4000-8000-000000000001';
const PW = 'direct messages 42';

// The top bar's count of unread messages.
// The header's unread count reaching n (a function, not a string: the
// app's CSP refuses eval, which a string predicate needs when polled).
const unreadIs = (p, n) => p.waitForFunction((k) => Number(document.getElementById('msg-unread-count')?.textContent || 0) === k, n);

// Waits until the page's live stream (web/js/live.js) is open.
async function streaming(page) {
  await page.evaluate(async () => { window.ludusLive = (await import('/js/live.js')).live; });
  await page.waitForFunction(() => window.ludusLive.status().state === 'open');
}

test('a conversation live between two browsers; delete, report and remove; a group; blocking; messaging off', async () => {
  const { page } = browser;
  // Two new learners of one course: they may write to each other.
  const learner = async (name) => {
    const r = await apiCall(server.base, 'POST', '/auth/register', { email: `${name}@example.test`, username: name, password: PW });
    assert.equal(r.status, 202, JSON.stringify(r.data));
    const token = await tokenFor(server.base, name, PW);
    const e = await apiCall(server.base, 'POST', `/courses/${COURSE}/enroll`, {}, token);
    assert.ok([200, 201].includes(e.status), JSON.stringify(e.data));
    return token;
  };
  await learner('ana_dm');
  const ben = await learner('ben_dm');

  // Ana opens Messages: nothing yet.
  await signIn(page, server.base, 'ana_dm', PW);
  await nav(page, 'Messages');
  await page.waitForURL(/\/messages$/);
  await page.getByText('No conversations yet.').waitFor();
  await checkAccessible(page, 'the messages, none yet');

  const other = await startBrowser();
  try {
    // Ben has Messages open in his own browser.
    const bp = other.page;
    await signIn(bp, server.base, 'ben_dm', PW);
    await nav(bp, 'Messages');
    await bp.waitForURL(/\/messages$/);
    await bp.getByText('No conversations yet.').waitFor();
    await streaming(bp);
    await bp.evaluate(() => { window.notReloaded = true; });

    // Ana writes to him, found by name in the picker.
    await page.getByRole('button', { name: 'New message' }).click();
    const form = page.getByRole('form', { name: 'New message' });
    await form.getByRole('searchbox', { name: 'To' }).fill('ben');
    await form.getByRole('button', { name: /^Add .*@ben_dm\)$/ }).click();
    await form.getByRole('button', { name: /^Remove / }).waitFor();
    await checkAccessible(page, 'a new message');
    await form.getByLabel('Message').fill('Hello Ben,\nare you ready for the exam?');
    await form.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(/\/messages\/[0-9a-f-]+$/);
    const convId = new URL(page.url()).pathname.split('/').pop();
    const hello = page.getByTestId('message').filter({ hasText: 'are you ready' });
    await hello.waitFor();
    // Her own message: hers, its line break kept.
    assert.equal(await hello.locator('.msg-body').textContent(), 'Hello Ben,\nare you ready for the exam?');
    assert.equal(await hello.locator('.msg-body').evaluate((el) => getComputedStyle(el).whiteSpace), 'pre-wrap');
    assert.ok((await hello.getAttribute('class')).includes('msg-mine'));
    await streaming(page);
    await page.evaluate(() => { window.notReloaded = true; });

    // His list takes the conversation in, unread, and so does his top bar.
    const row = bp.getByTestId('conversation').filter({ hasText: 'are you ready' });
    await row.waitFor();
    assert.equal(await row.getByTestId('unread').textContent(), '1 new');
    await unreadIs(bp, 1);
    assert.equal(await bp.getByTestId('conversation').count(), 1);
    await checkAccessible(bp, 'the messages, one come live');
    await shot(bp, 'messages-live');

    // He opens it: read, so the count goes; he answers on two lines.
    await row.getByRole('link').click();
    await bp.waitForURL(new RegExp(`/messages/${convId}$`));
    await bp.getByTestId('message').filter({ hasText: 'are you ready' }).waitFor();
    await unreadIs(bp, 0);
    assert.equal(await bp.locator('#msg-unread-count').isHidden(), true);
    const box = bp.getByRole('textbox', { name: 'Your message' });
    await box.click();
    await box.pressSequentially('Yes!');
    await box.press('Shift+Enter');
    await box.pressSequentially('See you there.');
    await box.press('Enter');
    const answer = bp.getByTestId('message').filter({ hasText: 'See you there.' });
    await answer.waitFor();
    assert.equal(await answer.locator('.msg-body').textContent(), 'Yes!\nSee you there.');
    assert.equal(await box.inputValue(), '');
    await checkAccessible(bp, 'a conversation');

    // Ana sees it come, last, without a reload; the conversation shown is
    // read as it comes.
    const his = page.getByTestId('message').filter({ hasText: 'See you there.' });
    await his.waitFor();
    assert.equal(await his.locator('.msg-body').textContent(), 'Yes!\nSee you there.');
    assert.ok((await his.getAttribute('class')).includes('msg-theirs'));
    const order = await page.getByTestId('message').locator('.msg-body').allTextContents();
    assert.deepEqual(order, ['Hello Ben,\nare you ready for the exam?', 'Yes!\nSee you there.']);
    await unreadIs(page, 0);
    await page.waitForFunction(() => !document.querySelector('[data-testid="conversation"] [data-testid="unread"]'));
    assert.equal(await page.evaluate(() => window.notReloaded), true, 'her page was never reloaded');
    await shot(page, 'messages-conversation');

    // She sends one by mistake and deletes it: its place stays.
    const mine = page.getByRole('textbox', { name: 'Your message' });
    await mine.fill('Oops, that was for someone else.');
    await page.getByRole('button', { name: 'Send' }).click();
    const oops = page.getByTestId('message').filter({ hasText: 'Oops' });
    await oops.getByRole('button', { name: 'Delete this message' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('message').filter({ hasText: 'This message was deleted.' }).waitFor();
    assert.equal(await page.getByText('Oops').count(), 0);
    // It came to Ben live, and is gone for him too once read again.
    await bp.getByTestId('message').filter({ hasText: 'Oops' }).waitFor();
    await bp.reload();
    await bp.getByTestId('message').filter({ hasText: 'This message was deleted.' }).waitFor();
    assert.equal(await bp.getByText('Oops').count(), 0);

    // He reports her first message.
    const hers = bp.getByTestId('message').filter({ hasText: 'are you ready' });
    await hers.getByRole('button', { name: /^Report this message/ }).click();
    const dialog = bp.getByRole('dialog', { name: 'Report this message' });
    await dialog.getByLabel('Harassment').check();
    await dialog.getByLabel('A note for the admins').fill('She keeps asking.');
    await dialog.getByRole('button', { name: 'Report it' }).click();
    await bp.locator('.toast', { hasText: 'the admins will look at it' }).waitFor();

    // He blocks her: no more writing; the block is listed, and undone.
    await bp.getByRole('button', { name: /^Block / }).click();
    await bp.getByRole('dialog').getByRole('button', { name: 'Block' }).click();
    await bp.getByText(/You blocked .*: unblock them to write again\./).waitFor();
    assert.equal(await bp.getByRole('textbox', { name: 'Your message' }).count(), 0);
    await bp.getByRole('link', { name: 'Messages', exact: true }).first().click();
    await bp.waitForURL(/\/messages$/);
    const blocked = bp.locator('.msg-blocks');
    await blocked.getByText('@ana_dm').waitFor();
    await blocked.getByRole('button', { name: 'Unblock @ana_dm' }).click();
    await blocked.getByText('Nobody.').waitFor();

    // An admin removes the reported message.
    await signIn(page, server.base, 'admin');
    await nav(page, 'Reported messages');
    await page.waitForURL(/\/admin\/messages$/);
    const report = page.getByTestId('message-report').filter({ hasText: 'are you ready' });
    await report.getByText('She keeps asking.').waitFor();
    await report.getByText('Harassment').waitFor();
    await checkAccessible(page, 'the reported messages');
    await shot(page, 'admin-messages');
    await report.getByRole('button', { name: 'Remove the message' }).click();
    await page.locator('.toast', { hasText: 'Removed' }).waitFor();
    await page.getByText('Nothing is waiting').waitFor();
    await page.locator('.pr-seg').getByText('Removed', { exact: true }).click();
    await page.getByTestId('message-report').filter({ hasText: 'She keeps asking.' }).waitFor();

    // Ben sees it removed.
    await bp.getByTestId('conversation').first().getByRole('link').click();
    await bp.getByTestId('message').filter({ hasText: 'This message was removed by an admin.' }).waitFor();
    assert.equal(await bp.getByText('are you ready').count(), 0);

    // Ben starts a group with Ana and the instructor, then leaves it.
    await bp.getByRole('link', { name: 'New message' }).click();
    await bp.waitForURL(/\/messages\?new$/);
    const group = bp.getByRole('form', { name: 'New message' });
    await group.getByRole('searchbox', { name: 'To' }).fill('ana');
    await group.getByRole('button', { name: /^Add .*@ana_dm\)$/ }).click();
    await group.getByRole('searchbox', { name: 'To' }).fill('instructor');
    await group.getByRole('button', { name: /^Add .*@instructor\)$/ }).click();
    await group.getByRole('button', { name: 'Send' }).click();
    await group.getByText('a group needs a title').waitFor();
    await group.getByLabel('Group title').fill('Exam study group');
    await group.getByLabel('Message').fill('Shall we meet on Friday?');
    await group.getByRole('button', { name: 'Send' }).click();
    await bp.getByRole('heading', { level: 1, name: 'Exam study group' }).waitFor();
    await bp.getByText(/With .*\bana_dm\b/).waitFor();
    await bp.getByRole('button', { name: 'Leave the group' }).click();
    await bp.getByRole('dialog').getByRole('button', { name: 'Leave' }).click();
    await bp.waitForURL(/\/messages$/);
    await bp.getByTestId('conversation').first().waitFor();
    assert.equal(await bp.getByTestId('conversation').filter({ hasText: 'Exam study group' }).count(), 0);
    const groups = await apiCall(server.base, 'GET', '/conversations', undefined, ben);
    assert.equal(groups.data.items.length, 1, JSON.stringify(groups.data));

    // Messaging off: the entries go, and the page says why.
    const admin = await tokenFor(server.base, 'admin');
    const off = await apiCall(server.base, 'PATCH', '/admin/organization', { messaging_enabled: false }, admin);
    assert.equal(off.status, 200, JSON.stringify(off.data));
    try {
      await bp.reload();
      await bp.getByText('Your organization has turned messages off.').waitFor();
      await bp.waitForFunction(() => [...document.querySelectorAll('[data-messaging]')].every((el) => el.hidden));
      assert.equal(await bp.locator('#sidebar').getByRole('link', { name: 'Messages', exact: true }).count(), 0);
    } finally {
      const on = await apiCall(server.base, 'PATCH', '/admin/organization', { messaging_enabled: true }, admin);
      assert.equal(on.status, 200, JSON.stringify(on.data));
    }
    other.check();
  } finally {
    await other.close();
  }
  browser.check();
});
