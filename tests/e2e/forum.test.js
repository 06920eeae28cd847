// The forums in the browser: a learner starts a thread in her course's
// forum (from the course page) mentioning another; he gets the mention,
// opens it and answers under a reply (nested); she sees his reply after a
// reload, likes it and accepts it as the answer, and every view of the
// replies (nested, threaded, flat, newest first) shows them all, the
// choice kept in the browser; a reply he flagged is hidden by the course's
// instructor from the moderation queue, and the others see it hidden.
// Live updates: a reply and a mention posted in another browser reach an
// open thread page and the top bar's count without a reload, each reply
// where its view puts it; the stream follows the page from thread to
// thread, and comes back after the server refused it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, startBrowser, shot, signIn, nav, checkAccessible, apiCall, tokenFor } from './support.js';

let server, browser;

serverAndBrowser((s, b) => { server = s; browser = b; });

const COURSE = '4e700009-0000-4000-8000-000000000001';

// The replies the page shows, by their number.
async function shownReplies(page) {
  const list = page.getByTestId('reply');
  const out = [];
  for (let i = 0; i < await list.count(); i++) {
    const r = list.nth(i);
    if (await r.isVisible()) out.push(Number(await r.getAttribute('data-n')));
  }
  return out.sort((a, b) => a - b);
}

// The replies' numbers in the order the page shows them.
function replyOrder(page) {
  return page.evaluate(() => [...document.querySelectorAll('[data-testid="reply"]')].map((li) => Number(li.dataset.n)));
}

// Waits until the page's live stream (web/js/live.js) is open on that
// thread.
async function following(page, thread) {
  await page.evaluate(async () => { window.ludusLive = (await import('/js/live.js')).live; });
  await page.waitForFunction((t) => {
    const s = window.ludusLive.status();
    return s.state === 'open' && s.thread === t;
  }, thread);
}

// The top bar's count of unread notifications.
const bellCount = () => Number(document.getElementById('unread-count')?.textContent || 0);

test('a thread, a mention, a nested reply, a like and the answer; the views; a flag and its moderation', async () => {
  const { page } = browser;
  const jane = await tokenFor(server.base, 'jane_tech');
  for (const who of ['sarah_network', 'mike_netplus', 'jane_tech']) {
    const r = await apiCall(server.base, 'POST', `/courses/${COURSE}/enroll`, {}, who === 'jane_tech' ? jane : await tokenFor(server.base, who));
    assert.ok([200, 201].includes(r.status), JSON.stringify(r.data));
  }

  // Sarah: the course page's Forum link, the General category, a new thread.
  await signIn(page, server.base, 'sarah_network');
  await page.goto(`${server.base}/courses/${COURSE}`);
  await page.getByTestId('course-forum').click();
  await page.waitForURL(new RegExp(`/forum/course/${COURSE}$`));
  await checkAccessible(page, 'a course forum');
  await page.getByTestId('category').getByRole('link', { name: 'General' }).click();
  await page.waitForURL(/\/forum\/c\/[0-9a-f-]+$/);
  await page.getByRole('button', { name: 'New thread' }).click();
  const compose = page.getByRole('form', { name: 'New thread' });
  await compose.getByLabel('Title').fill('Which VLAN crosses a trunk untagged?');
  await compose.getByLabel('Your post').fill('The **native VLAN** confuses me. @mike_netplus, you passed: how does it work?');
  await compose.getByRole('button', { name: 'Post the thread' }).click();
  await page.waitForURL(/\/forum\/t\/[0-9a-f-]+$/);
  const threadPath = new URL(page.url()).pathname;
  const threadId = threadPath.split('/').pop();
  await page.getByTestId('post').locator('strong', { hasText: 'native VLAN' }).waitFor();
  await page.getByRole('heading', { level: 1, name: 'Which VLAN crosses a trunk untagged?' }).waitFor();
  await checkAccessible(page, 'a new thread');

  // Jane answers the thread (#1), then posts something no one asked for.
  const j1 = await apiCall(server.base, 'POST', `/forum/threads/${threadId}/replies`, { body: 'It is VLAN 1 unless you change it.' }, jane);
  assert.equal(j1.status, 201, JSON.stringify(j1.data));
  assert.equal(j1.data.n, 1);
  const j2 = await apiCall(server.base, 'POST', `/forum/threads/${threadId}/replies`, { body: 'CHEAP EXAM DUMPS, write to me!!!' }, jane);
  assert.equal(j2.status, 201, JSON.stringify(j2.data));

  // Mike: the mention, opened from the notifications; his reply under Jane's.
  await signIn(page, server.base, 'mike_netplus');
  await page.goto(`${server.base}/notifications`);
  const note = page.locator('.pr-note', { hasText: 'sarah_network mentioned you' });
  await note.getByRole('link', { name: 'See where' }).click();
  await page.waitForURL(new RegExp(`/forum/t/${threadId}`));
  const janes = page.getByTestId('reply').filter({ hasText: 'VLAN 1 unless' });
  await janes.getByRole('button', { name: 'Reply to #1' }).click();
  const form = page.getByRole('form', { name: 'Reply to #1' });
  await form.getByLabel(/Your reply to Jane Tanaka/).fill('And its frames cross the trunk untagged: both ends must agree on it.');
  await form.getByRole('button', { name: 'Post the reply' }).click();
  await page.locator('.toast', { hasText: 'Your reply is posted.' }).waitFor();
  const his = page.getByTestId('reply').filter({ hasText: 'cross the trunk untagged' });
  await his.waitFor();
  assert.equal(await his.getAttribute('data-depth'), '1');
  const hisN = Number(await his.getAttribute('data-n'));
  assert.equal(hisN, 3);

  // He flags Jane's advertisement.
  const spam = page.getByTestId('reply').filter({ hasText: 'CHEAP EXAM DUMPS' });
  await spam.getByRole('button', { name: 'Flag' }).click();
  const flag = page.getByRole('dialog', { name: 'Flag this post' });
  await flag.getByLabel('Spam').check();
  await flag.getByLabel('A note for the moderators').fill('An advertisement.');
  await flag.getByRole('button', { name: 'Flag it' }).click();
  await page.locator('.toast', { hasText: 'the moderators will look at it' }).waitFor();
  await checkAccessible(page, 'a thread with replies');

  // Sarah, after a reload: his reply nested under Jane's; she likes it and
  // accepts it as the answer.
  await signIn(page, server.base, 'sarah_network');
  await page.goto(server.base + threadPath);
  await page.reload();
  const reply = page.getByTestId('reply').filter({ hasText: 'cross the trunk untagged' });
  await reply.waitFor();
  assert.equal(await reply.getAttribute('data-depth'), '1');
  assert.deepEqual(await shownReplies(page), [1, 2, 3]);
  await reply.getByRole('button', { name: 'Like (0)' }).click();
  await reply.getByRole('button', { name: 'Like (1)' }).waitFor();
  assert.equal(await reply.getByRole('button', { name: 'Like (1)' }).getAttribute('aria-pressed'), 'true');
  await reply.getByRole('button', { name: 'Accept as the answer' }).click();
  await page.locator('.toast', { hasText: 'Marked as the answer.' }).waitFor();
  await reply.getByText('✓ Answer').waitFor();
  await page.reload();
  const again = page.getByTestId('reply').filter({ hasText: 'cross the trunk untagged' });
  await again.getByText('✓ Answer').waitFor();
  await again.getByRole('button', { name: 'Like (1)' }).waitFor();
  await page.locator('.fo-thread-badges').getByText('Answered').waitFor();
  await shot(page, 'forum-thread-nested');

  // Every view shows every reply; the threaded one opens a line into its
  // post; the choice survives a reload.
  const VIEWS = { Threaded: 'threaded', 'Flat, oldest first': 'flat', 'Newest first': 'newest', Nested: 'nested' };
  for (const [view, key] of Object.entries(VIEWS)) {
    await page.locator('.fo-views').getByText(view, { exact: true }).click();
    await page.waitForFunction((k) => document.querySelectorAll(`.fo-view-${k} [data-testid="reply"]`).length === 3, key);
    assert.deepEqual(await shownReplies(page), [1, 2, 3], `the ${view} view`);
    if (view === 'Threaded') {
      const line = page.getByTestId('reply').filter({ hasText: 'Mike Okafor' }).getByRole('button', { expanded: false });
      await line.click();
      await page.getByTestId('reply').filter({ hasText: 'Mike Okafor' }).getByRole('button', { name: 'Like (1)' }).waitFor();
      await shot(page, 'forum-thread-threaded');
    }
    if (view === 'Flat, oldest first') {
      await page.getByTestId('reply').filter({ hasText: 'cross the trunk untagged' }).getByText('In reply to #1 by Jane Tanaka').waitFor();
    }
    if (view === 'Newest first') {
      assert.equal(await page.getByTestId('reply').first().getAttribute('data-n'), '3');
    }
  }
  await page.locator('.fo-views').getByText('Flat, oldest first', { exact: true }).click();
  await page.reload();
  await page.getByTestId('reply').first().waitFor();
  assert.equal(await page.getByLabel('Flat, oldest first').isChecked(), true);
  await page.locator('.fo-views').getByText('Nested', { exact: true }).click();

  // Mike is told his answer was accepted, and the link opens it.
  await signIn(page, server.base, 'mike_netplus');
  await page.goto(`${server.base}/notifications`);
  await page.locator('.pr-note', { hasText: 'Your answer was accepted' }).getByRole('link', { name: 'See your answer' }).click();
  // (By its number, which the notification has; else by its id.)
  await page.waitForURL(new RegExp(`/forum/t/${threadId}\\?(n|reply)=`));
  await page.locator(`#r-${hisN}.fo-target`).waitFor();

  // The instructor moderates the course's forum: the flagged reply, hidden.
  await signIn(page, server.base, 'instructor');
  await nav(page, 'Forum moderation');
  await page.waitForURL(/\/forum\/moderation$/);
  const flagged = page.getByTestId('flagged').filter({ hasText: 'CHEAP EXAM DUMPS' });
  await flagged.getByText('An advertisement.').waitFor();
  await checkAccessible(page, 'the moderation queue');
  await shot(page, 'forum-moderation');
  await flagged.getByRole('button', { name: 'Agree: hide it' }).click();
  await page.locator('.toast', { hasText: 'Agreed: the post is hidden.' }).waitFor();
  await page.getByText('Nothing is waiting').waitFor();
  await page.goto(server.base + threadPath);
  const hidden = page.getByTestId('reply').filter({ hasText: 'CHEAP EXAM DUMPS' });
  await hidden.getByText('Hidden', { exact: true }).waitFor();
  await hidden.getByRole('button', { name: 'Show again' }).waitFor();

  // Sarah sees it no more; Jane still sees hers, with the reason.
  await signIn(page, server.base, 'sarah_network');
  await page.goto(server.base + threadPath);
  await page.getByText('This reply was hidden by a moderator.').waitFor();
  assert.equal(await page.getByText('CHEAP EXAM DUMPS').count(), 0);
  assert.deepEqual(await shownReplies(page), [1, 2, 3]);
  const theirs = await apiCall(server.base, 'GET', `/forum/threads/${threadId}/replies`, undefined, jane);
  const ad = theirs.data.items.find((x) => x.n === 2);
  assert.ok(ad.hidden && ad.body && ad.hidden_reason, JSON.stringify(ad));
  browser.check();
});

test('the forum index, search and the organization\'s forum rules', async () => {
  const { page } = browser;
  await signIn(page, server.base, 'sarah_network');
  await nav(page, 'Forums');
  await page.waitForURL(/\/forum$/);
  await page.getByRole('heading', { name: 'Your standing' }).waitFor();
  await page.getByRole('link', { name: 'CompTIA Network+ (N10-009) Essentials' }).waitFor();
  await checkAccessible(page, 'the forums');
  await page.getByLabel('Search the forums').fill('untagged');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/\/forum\/search\?q=untagged/);
  const hit = page.getByTestId('forum-hit').filter({ has: page.locator('mark') }).first();
  await hit.locator('mark').first().waitFor();
  await checkAccessible(page, 'a forum search');
  await hit.getByRole('link').click();
  await page.waitForURL(/\/forum\/t\//);
  await page.locator('.fo-target').waitFor();

  await signIn(page, server.base, 'admin');
  await nav(page, 'Organization');
  const rules = page.getByRole('form', { name: 'Forum rules' });
  await rules.getByLabel('Flags from different members that hide a post').fill('2');
  await rules.getByRole('button', { name: 'Save the forum rules' }).click();
  await page.locator('.toast', { hasText: 'Forum rules saved.' }).waitFor();
  const r = await apiCall(server.base, 'GET', '/forum/settings', undefined, await tokenFor(server.base, 'admin'));
  assert.equal(r.data.flags_to_hide, 2);
  browser.check();
});

test('editing with its history and a stale edit; a Q&A category; the moderator\'s menu', async () => {
  const { page } = browser;
  const tokens = {};
  for (const who of ['sarah_network', 'mike_netplus', 'jane_tech', 'instructor']) tokens[who] = await tokenFor(server.base, who);
  const forum = await apiCall(server.base, 'GET', `/forum?course=${COURSE}`, undefined, tokens.instructor);
  assert.equal(forum.data.role, 'staff');

  // The instructor adds a Q&A category to the course's forum.
  await signIn(page, server.base, 'instructor');
  await page.goto(`${server.base}/forum/course/${COURSE}`);
  await page.getByText('Add a category').click();
  const add = page.getByRole('form', { name: 'Add a category' });
  await add.getByLabel('Name').fill('Exam questions');
  await add.getByLabel('Kind').selectOption('qa');
  await add.getByLabel('Description').fill('Answer first, then read the others.');
  await add.getByRole('button', { name: 'Add the category' }).click();
  await page.locator('.toast', { hasText: 'The category is added.' }).waitFor();
  const qa = page.getByTestId('category').filter({ hasText: 'Exam questions' });
  await qa.getByText('Q&A').waitFor();
  const qaId = new URL(await qa.getByRole('link').getAttribute('href'), server.base).pathname.split('/').pop();

  // Sarah asks there; Mike answers; Jane sees no answer until she answers.
  const t = await apiCall(server.base, 'POST', `/forum/categories/${qaId}/threads`,
    { title: 'Port of LDAPS?', body: 'Which **port** does LDAPS use?' }, tokens.sarah_network);
  assert.equal(t.status, 201, JSON.stringify(t.data));
  const path = `/forum/t/${t.data.id}`;
  const m = await apiCall(server.base, 'POST', `/forum/threads/${t.data.id}/replies`, { body: 'It is 636.' }, tokens.mike_netplus);
  assert.equal(m.status, 201, JSON.stringify(m.data));
  await signIn(page, server.base, 'jane_tech');
  await page.goto(server.base + path);
  await page.getByText('answer first to see the others’ answers').waitFor();
  assert.equal(await page.getByText('It is 636.').count(), 0);
  await page.getByRole('form', { name: 'Reply to the thread' }).getByLabel('Your reply').fill('I think 636 too.');
  await page.getByRole('button', { name: 'Post the reply' }).click();
  await page.getByText('It is 636.').waitFor();
  assert.equal(await page.getByText('answer first to see the others’ answers').isVisible(), false);

  // Sarah edits her question: "edited", and the history has the old text.
  await signIn(page, server.base, 'sarah_network');
  await page.goto(server.base + path);
  const post = page.getByTestId('post');
  await post.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('form', { name: 'Edit the thread' });
  await edit.getByLabel('Title').fill('Port of LDAP over TLS?');
  await edit.getByLabel('Text').fill('Which **port** does LDAP over TLS (LDAPS) use?');
  await edit.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { level: 1, name: 'Port of LDAP over TLS?' }).waitFor();
  await post.getByRole('button', { name: 'Edited: see the history' }).click();
  const history = page.getByRole('dialog', { name: 'Edit history' });
  await history.getByText('Which **port** does LDAPS use?').waitFor();
  await history.getByText('Port of LDAPS?').waitFor();
  await history.getByRole('button', { name: 'Close' }).click();

  // Mike edits his answer while someone else's edit lands first: 412, his
  // text kept, said in words.
  await signIn(page, server.base, 'mike_netplus');
  await page.goto(server.base + path);
  const answer = page.getByTestId('reply').filter({ hasText: 'It is 636.' });
  await answer.getByRole('button', { name: 'Edit' }).click();
  const again = await apiCall(server.base, 'GET', `/forum/threads/${t.data.id}/replies`, undefined, tokens.mike_netplus);
  const mine = again.data.items.find((x) => x.id === m.data.id);
  const r = await fetch(`${server.base}/api/v1/forum/replies/${m.data.id}`, { method: 'PATCH',
    headers: { Authorization: `Bearer ${tokens.mike_netplus}`, 'Content-Type': 'application/json', 'If-Match': `"v${mine.version}"` },
    body: JSON.stringify({ body: 'It is 636 (TCP).' }) });
  assert.equal(r.status, 200);
  const form = page.getByRole('form', { name: 'Edit the reply' });
  await form.getByLabel('Text').fill('It is TCP 636; plain LDAP is 389.');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByText('Someone changed this post since you opened it').waitFor();
  assert.equal(await form.getByLabel('Text').inputValue(), 'It is TCP 636; plain LDAP is 389.');

  // The instructor pins, locks and moves the thread; members may not
  // reply to a locked one.
  await signIn(page, server.base, 'instructor');
  await page.goto(server.base + path);
  const menu = async (action) => {
    await page.getByText('Moderate', { exact: true }).click();
    await page.locator('.fo-menu-list').getByRole('button', { name: action }).click();
  };
  await menu('Pin');
  await page.locator('.fo-thread-badges').getByText('Pinned').waitFor();
  await menu('Lock');
  await page.locator('.fo-thread-badges').getByText('Locked').waitFor();
  await menu('Move…');
  const move = page.getByRole('dialog', { name: 'Move the thread' });
  await move.getByLabel('To the category').selectOption({ label: 'General' });
  await move.getByRole('button', { name: 'Move it' }).click();
  await page.locator('.crumbs').getByRole('link', { name: 'General' }).waitFor();
  await checkAccessible(page, 'a thread as its moderator sees it');
  await signIn(page, server.base, 'jane_tech');
  await page.goto(server.base + path);
  await page.getByText('This thread is locked: only moderators reply to it.').waitFor();
  assert.equal(await page.getByRole('form', { name: 'Reply to the thread' }).count(), 0);
  browser.check();
});

test('live: replies and mentions reach the open pages without a reload; the stream follows the page and comes back', async () => {
  const { page } = browser;
  const PW = 'live updates 42';
  // Two new learners: no notification, post or stream of the tests before
  // is theirs.
  const learner = async (name) => {
    const r = await apiCall(server.base, 'POST', '/auth/register', { email: `${name}@example.test`, username: name, password: PW });
    assert.equal(r.status, 202, JSON.stringify(r.data));
    const token = await tokenFor(server.base, name, PW);
    const e = await apiCall(server.base, 'POST', `/courses/${COURSE}/enroll`, {}, token);
    assert.ok([200, 201].includes(e.status), JSON.stringify(e.data));
    return token;
  };
  const ana = await learner('ana_live');
  const ben = await learner('ben_live');
  const staff = await tokenFor(server.base, 'instructor');
  const forum = await apiCall(server.base, 'GET', `/forum?course=${COURSE}`, undefined, ana);
  const general = forum.data.categories.find((k) => k.name === 'General');
  const newThread = async (title, body, token) => {
    const r = await apiCall(server.base, 'POST', `/forum/categories/${general.id}/threads`, { title, body }, token);
    assert.equal(r.status, 201, JSON.stringify(r.data));
    return r.data.id;
  };
  const reply = async (thread, body, token, parent) => {
    const r = await apiCall(server.base, 'POST', `/forum/threads/${thread}/replies`, { body, ...(parent ? { parent_id: parent } : {}) }, token);
    assert.equal(r.status, 201, JSON.stringify(r.data));
    return r.data;
  };
  const t1 = await newThread('Is the native VLAN tagged on a trunk?', 'I have read both.', ana);

  // Ana reads her thread, nested; the top bar counts what she has unread.
  await signIn(page, server.base, 'ana_live', PW);
  await page.goto(`${server.base}/forum/t/${t1}`);
  await page.getByText('No replies yet.').waitFor();
  await page.locator('.fo-views').getByText('Nested', { exact: true }).click();
  await following(page, t1);
  await page.evaluate(() => { window.notReloaded = true; });
  const unread = (await apiCall(server.base, 'GET', '/me/notifications?limit=1&unread=true', undefined, ana)).data.unread;
  await page.waitForFunction((n) => (Number(document.getElementById('unread-count')?.textContent || 0) === n), unread);

  const other = await startBrowser();
  try {
    // Ben answers in his own browser, naming her: his reply shows on her
    // page, lit up, and her count goes up, without a reload.
    const bp = other.page;
    await signIn(bp, server.base, 'ben_live', PW);
    await bp.goto(`${server.base}/forum/t/${t1}`);
    const form = bp.getByRole('form', { name: 'Reply to the thread' });
    await form.getByLabel('Your reply').fill('Untagged, @ana_live: that is what native means.');
    await form.getByRole('button', { name: 'Post the reply' }).click();
    await bp.locator('.toast', { hasText: 'Your reply is posted.' }).waitFor();
    const his = page.getByTestId('reply').filter({ hasText: 'that is what native means' });
    await his.waitFor();
    assert.equal(await his.getAttribute('data-live'), 'new');
    await page.getByRole('heading', { name: '1 reply', exact: true }).waitFor();
    await page.waitForFunction(`(${bellCount})() > ${unread}`);
    await shot(page, 'forum-live-reply');

    // Each reply where the nested view puts it: under its parent, after
    // the parent's earlier answers.
    const first = (await apiCall(server.base, 'GET', `/forum/threads/${t1}/replies`, undefined, ben)).data.items[0];
    await reply(t1, 'Under the first, once.', ben, first.id);
    await reply(t1, 'To the thread again.', ben);
    await reply(t1, 'Under the first, twice.', ben, first.id);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="reply"]').length === 4);
    assert.deepEqual(await replyOrder(page), [1, 2, 4, 3]);
    assert.equal(await page.locator('#r-4').getAttribute('data-depth'), '1');
    await page.getByRole('heading', { name: '4 replies', exact: true }).waitFor();

    // Her own reply shows once: the page shows it as it posts it, and its
    // event (before Ben's next, which is waited for) adds nothing.
    const mine = page.getByRole('form', { name: 'Reply to the thread' });
    await mine.getByLabel('Your reply').fill('Thank you both.');
    await mine.getByRole('button', { name: 'Post the reply' }).click();
    await page.locator('.toast', { hasText: 'Your reply is posted.' }).waitFor();
    await reply(t1, 'You are welcome.', ben);
    await page.getByTestId('reply').filter({ hasText: 'You are welcome.' }).waitFor();
    assert.equal(await page.getByTestId('reply').filter({ hasText: 'Thank you both.' }).count(), 1);
    assert.deepEqual(await replyOrder(page), [1, 2, 4, 3, 5, 6]);

    // Newest first: on top.
    await page.locator('.fo-views').getByText('Newest first', { exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('.fo-view-newest [data-testid="reply"]').length === 6);
    await reply(t1, 'Newest, on top.', ben);
    await page.locator('.fo-view-newest [data-testid="reply"][data-n="7"]').waitFor();
    assert.deepEqual(await replyOrder(page), [7, 6, 5, 4, 3, 2, 1]);
    await page.locator('.fo-views').getByText('Nested', { exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('.fo-view-nested [data-testid="reply"]').length === 7);

    // The notifications page takes a new one in as it comes, and so does
    // the count.
    await nav(page, 'Notifications');
    await page.waitForURL(/\/notifications$/);
    const mentions = page.locator('.pr-note', { hasText: 'ben_live mentioned you' });
    await mentions.first().waitFor();
    assert.equal(await mentions.count(), 1);
    const count = await page.evaluate(bellCount);
    const t2 = await newThread('Which VLAN is native by default?', '@ana_live, do you know?', ben);
    const note = page.locator('.pr-note', { hasText: 'Which VLAN is native by default?' });
    await note.waitFor();
    assert.equal(await mentions.count(), 2);
    await page.waitForFunction(`(${bellCount})() > ${count}`);
    await checkAccessible(page, 'the notifications, one come live');

    // Its link opens the other thread: the stream follows it instead.
    await note.getByRole('link', { name: 'See where' }).click();
    await page.waitForURL(new RegExp(`/forum/t/${t2}$`));
    await following(page, t2);
    await reply(t2, 'VLAN 1, unless it is changed.', staff);
    await page.getByTestId('reply').filter({ hasText: 'VLAN 1, unless it is changed.' }).waitFor();

    // The server refuses the next stream (503 here): the page opens another
    // a moment later, and reads what was posted meanwhile.
    let refused = 0;
    const isLive = (url) => url.pathname === '/api/v1/live';
    const refuse = (route) => {
      refused++;
      return route.fulfill({ status: 503, contentType: 'application/problem+json', headers: { 'Retry-After': '1' },
        body: JSON.stringify({ type: '/problems/live-unavailable', title: 'Service Unavailable', status: 503 }) });
    };
    await page.route(isLive, refuse);
    await page.locator('.crumbs').getByRole('link', { name: 'General' }).click();
    await page.getByRole('link', { name: 'Is the native VLAN tagged on a trunk?' }).click();
    await page.waitForURL(new RegExp(`/forum/t/${t1}$`));
    await page.waitForFunction(() => window.ludusLive.status().state === 'waiting');
    assert.ok(refused >= 1);
    await reply(t1, 'Posted while her stream was refused.', ben);
    await page.unroute(isLive, refuse);
    await following(page, t1);
    await page.getByTestId('reply').filter({ hasText: 'Posted while her stream was refused.' }).waitFor();
    assert.equal(await page.getByTestId('reply').filter({ hasText: 'Posted while her stream was refused.' }).count(), 1);

    // Past the replies loaded (a page is 50): a notice, which shows them.
    for (let i = 1; i <= 50; i++) await reply(t2, `More on it, part ${i}.`, staff);
    await page.locator('.crumbs').getByRole('link', { name: 'General' }).click();
    await page.getByRole('link', { name: 'Which VLAN is native by default?' }).click();
    await page.waitForURL(new RegExp(`/forum/t/${t2}$`));
    await following(page, t2);
    await page.getByRole('button', { name: 'Load more replies' }).waitFor();
    await reply(t2, 'The last word.', staff);
    const notice = page.locator('.fo-live-note');
    await notice.getByText('1 new reply further on.').waitFor();
    await page.getByRole('heading', { name: '52 replies', exact: true }).waitFor();
    assert.equal(await page.getByText('The last word.').count(), 0);
    await notice.getByRole('button', { name: 'Show it' }).click();
    await page.getByTestId('reply').filter({ hasText: 'The last word.' }).waitFor();
    await page.locator('.fo-live-note:empty').waitFor({ state: 'attached' });

    // Past a member's streams, the server ends her oldest (this page's):
    // the browser comes back by itself with the id of the last event it
    // had, and is sent what was posted meanwhile.
    const held = [];
    try {
      for (let i = 0; i < 8; i++) {
        const ac = new AbortController();
        held.push(ac);
        const r = await fetch(`${server.base}/api/v1/live`, { headers: { Authorization: `Bearer ${ana}` }, signal: ac.signal });
        assert.equal(r.status, 200);
      }
      await reply(t2, 'Sent while her page was away.', staff);
      const away = page.getByTestId('reply').filter({ hasText: 'Sent while her page was away.' });
      await away.waitFor();
      assert.equal(await away.getAttribute('data-live'), 'new');
      await following(page, t2);
    } finally {
      for (const ac of held) ac.abort();
    }

    assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was never reloaded');
    other.check();
  } finally {
    await other.close();
  }
  browser.check();
});
