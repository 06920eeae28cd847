// settings.js - /settings: my account in tabs (profile, preferences with
// the theme, email and password, sessions, my data and deleting the
// account); /goals: my study goals with their progress, set new ones,
// change, complete or abandon them.
import { api, ApiError, qs, exams as examTracks } from '../api.js';
import {
  h, clear, field, onSubmit, showErrors, formValues, toast, confirmDialog, load, loading, errorBox, empty,
  badge, fmt, pageHeader, progressBar, button,
} from '../ui.js';
import { state, applyTheme } from '../app.js';

/* ---- Tabs (ARIA tab pattern; the open tab is ?tab= in the address) ---- */

function tabSet(ctx, tabs, initial) {
  const list = h('div', { role: 'tablist', 'aria-label': 'Settings sections', class: 'pr-tablist' });
  const panels = h('div', { class: 'pr-panels' });
  const made = new Map();
  const btns = tabs.map((t) => h('button', {
    type: 'button', role: 'tab', id: `tab-${t.id}`, 'aria-controls': `panel-${t.id}`, class: 'pr-tabbtn',
    onclick: () => select(t.id, true),
  }, t.label));
  list.append(...btns);
  list.addEventListener('keydown', (e) => {
    const i = btns.indexOf(document.activeElement);
    if (i < 0) return;
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: btns.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const j = (to + btns.length) % btns.length;
    select(tabs[j].id, true);
    btns[j].focus();
  });
  function select(id, user) {
    tabs.forEach((t, i) => {
      const on = t.id === id;
      btns[i].setAttribute('aria-selected', String(on));
      btns[i].tabIndex = on ? 0 : -1;
      if (on && !made.has(id)) {
        const p = h('section', { role: 'tabpanel', id: `panel-${id}`, 'aria-labelledby': `tab-${id}`, class: 'pr-panel', tabindex: '-1' });
        made.set(id, p);
        panels.append(p);
        t.render(p);
      }
      const p = made.get(t.id);
      if (p) p.hidden = !on;
    });
    if (user) history.replaceState(null, '', `${ctx.path}?tab=${id}`);
  }
  select(tabs.some((t) => t.id === initial) ? initial : tabs[0].id, false);
  return h('div', { class: 'pr-tabs-wrap' }, list, panels);
}

/* ---- Profile ---------------------------------------------------------- */

const LOCALES = [
  ['en', 'English'], ['en-US', 'English (United States)'], ['en-GB', 'English (United Kingdom)'],
  ['de', 'Deutsch'], ['es', 'Español'], ['fr', 'Français'], ['it', 'Italiano'], ['nl', 'Nederlands'],
  ['pl', 'Polski'], ['pt', 'Português'], ['pt-BR', 'Português (Brasil)'], ['sv', 'Svenska'],
  ['fi', 'Suomi'], ['da', 'Dansk'], ['nb', 'Norsk bokmål'], ['tr', 'Türkçe'], ['uk', 'Українська'],
  ['ja', '日本語'], ['ko', '한국어'], ['zh', '中文'],
];

function timezones(current) {
  let zones = [];
  try { zones = Intl.supportedValuesOf('timeZone'); } catch { zones = []; }
  if (!zones.includes('UTC')) zones = ['UTC', ...zones];
  if (current && !zones.includes(current)) zones = [current, ...zones];
  return zones.map((z) => [z, z.replace(/_/g, ' ')]);
}

function profilePanel(ctx, panel) {
  const p = ctx.user.profile || {};
  const locales = LOCALES.some(([v]) => v === p.locale) ? LOCALES : [[p.locale || 'en', p.locale || 'en'], ...LOCALES];
  const form = h('form', { class: 'stack pr-form', 'aria-labelledby': 'profile-h' },
    h('div', { class: 'grid grid-2' },
      field({ label: 'First name', name: 'first_name', value: p.first_name, autocomplete: 'given-name', maxlength: 100 }),
      field({ label: 'Last name', name: 'last_name', value: p.last_name, autocomplete: 'family-name', maxlength: 100 })),
    field({ label: 'Display name', name: 'display_name', value: p.display_name, maxlength: 100,
      hint: 'Shown on leaderboards and in the top bar. Leave it empty to use your first and last name.' }),
    field({ label: 'About you', name: 'bio', type: 'textarea', value: p.bio, rows: 3, attrs: { maxlength: 2000 } }),
    field({ label: 'Picture URL', name: 'avatar_url', type: 'url', value: p.avatar_url, placeholder: 'https://…',
      hint: 'Optional: a link to a picture of you. Your Ludus avatar is chosen on the Avatars page.' }),
    h('div', { class: 'grid grid-2' },
      field({ label: 'Time zone', name: 'timezone', type: 'select', value: p.timezone || 'UTC', options: timezones(p.timezone),
        hint: 'Days, streaks and daily goals follow it.' }),
      field({ label: 'Language', name: 'locale', type: 'select', value: p.locale || 'en', options: locales })),
    h('div', { class: 'row' },
      h('button', { type: 'submit', class: 'btn' }, 'Save profile'),
      h('a', { href: '/avatars', class: 'btn btn-ghost' }, 'Choose an avatar')));
  const before = (name) => (name === 'timezone' ? p.timezone || 'UTC' : name === 'locale' ? p.locale || 'en' : p[name] ?? '');
  onSubmit(form, async () => {
    // Only what changed: "" clears a field.
    const v = formValues(form, { keepEmpty: true });
    const changed = Object.fromEntries(Object.entries(v).filter(([k, val]) => String(val ?? '') !== String(before(k))));
    if (!Object.keys(changed).length) { toast('Nothing to save: your profile is as it was.'); return; }
    await api.patch('/me', changed);
    Object.assign(p, changed);
    await ctx.refreshUser();
    ctx.user = state.user || ctx.user;
    toast('Your profile is saved.', 'success');
  });
  clear(panel, h('div', { class: 'card' },
    h('h2', { id: 'profile-h' }, 'Profile'),
    h('p', { class: 'muted' }, `Signed in as @${ctx.user.username}. Your username cannot be changed.`),
    form));
}

/* ---- Preferences ------------------------------------------------------ */

const LEADERBOARD_VISIBILITY = [
  ['username', 'My username only (the default)'],
  ['full_name', 'My display name and my username'],
  ['hidden', 'Nothing: hide me from leaderboards'],
];

function themeControl(settings) {
  const status = h('p', { class: 'hint', 'aria-live': 'polite' });
  const choices = [['light', 'Light'], ['dark', 'Dark'], ['system', 'Same as my device']];
  const save = async (theme) => {
    const before = settings.theme;
    applyTheme(theme);
    settings.theme = theme;
    status.textContent = 'Saving…';
    try {
      const s = await api.patch('/me/settings', { theme });
      Object.assign(settings, s);
      state.settings = settings;
      status.textContent = 'Saved.';
    } catch (err) {
      settings.theme = before;
      applyTheme(before);
      for (const i of fs.querySelectorAll('input')) i.checked = i.value === before;
      status.textContent = '';
      toast(err.message, 'error');
    }
  };
  const fs = h('fieldset', { class: 'pr-seg', 'data-field': 'theme' },
    h('legend', { class: 'pr-seg-legend' }, 'Theme'),
    h('div', { class: 'pr-seg-opts' }, choices.map(([v, text]) => [
      h('input', { type: 'radio', name: 'theme', value: v, id: `theme-${v}`, class: 'pr-seg-input', checked: settings.theme === v,
        onchange: () => save(v) }),
      h('label', { for: `theme-${v}`, class: 'pr-seg-label' }, text)])),
    h('p', { class: 'hint' }, 'Applied and saved as soon as you choose.'), status);
  return fs;
}

async function preferencesPanel(ctx, panel) {
  await load(panel, () => api.get('/me/settings'), (settings) => {
    state.settings = settings;
    const form = h('form', { class: 'stack pr-form', 'aria-labelledby': 'prefs-h' },
      field({ label: 'Daily study goal (minutes)', name: 'daily_goal_minutes', type: 'number', min: 1, max: 1440, step: 1,
        value: settings.daily_goal_minutes, hint: 'Reaching it earns 15 XP a day. An active daily goal on the Goals page takes its place.' }),
      // The leaderboard privacy setting, where the server has it.
      'leaderboard_visibility' in settings ? h('fieldset', { class: 'stack' }, h('legend', {}, 'Leaderboards'),
        field({ label: 'What others see of you on leaderboards', name: 'leaderboard_visibility', type: 'select',
          value: settings.leaderboard_visibility || 'username', options: LEADERBOARD_VISIBILITY,
          hint: 'Your username is shown unless you choose otherwise. Hidden: you are on no leaderboard and have no rank.' })) : null,
      h('fieldset', { class: 'stack' }, h('legend', {}, 'Notifications and sounds'),
        field({ label: 'Email me about my progress and reminders', name: 'email_notifications', type: 'checkbox', value: settings.email_notifications }),
        field({ label: 'Push notifications on this device', name: 'push_notifications', type: 'checkbox', value: settings.push_notifications }),
        field({ label: 'Sound effects', name: 'sound_effects', type: 'checkbox', value: settings.sound_effects })),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, 'Save preferences')));
    onSubmit(form, async (v) => {
      const body = {
        daily_goal_minutes: v.daily_goal_minutes ?? null, email_notifications: v.email_notifications,
        push_notifications: v.push_notifications, sound_effects: v.sound_effects,
      };
      if (v.leaderboard_visibility) body.leaderboard_visibility = v.leaderboard_visibility;
      const s = await api.patch('/me/settings', body);
      Object.assign(settings, s);
      state.settings = settings;
      toast('Your preferences are saved.', 'success');
    });
    return h('div', { class: 'stack' },
      h('div', { class: 'card' }, h('h2', {}, 'Appearance'), themeControl(settings)),
      h('div', { class: 'card' }, h('h2', { id: 'prefs-h' }, 'Study and notifications'), form,
        h('p', { class: 'small muted' }, 'Set weekly lesson goals or an exam date on ', h('a', { href: '/goals' }, 'your goals page'), '.')));
  });
}

/* ---- Email and password ----------------------------------------------- */

function emailCard(ctx) {
  const u = ctx.user;
  const resend = button('Send a new confirmation link', async () => {
    resend.disabled = true;
    resend.setAttribute('aria-busy', 'true');
    try {
      await api.post('/auth/verify-email/resend');
      toast(`A new link is on its way to ${u.email}.`, 'success');
    } catch (err) {
      toast(err.message, 'error');
    } finally {
      resend.disabled = false;
      resend.removeAttribute('aria-busy');
    }
  }, 'btn btn-secondary', { id: 'resend-verification' });
  return h('div', { class: 'card', 'aria-labelledby': 'email-h', role: 'region' },
    h('h2', { id: 'email-h' }, 'Email'),
    h('p', { class: 'row' }, h('strong', { class: 'pr-break' }, u.email),
      u.email_verified ? badge('Confirmed', 'ok') : badge('Not confirmed', 'warn')),
    u.email_verified
      ? h('p', { class: 'muted small' }, 'Your address is confirmed.')
      : [h('p', { class: 'muted small' }, 'Open the link we mailed you to confirm your address. It works for 48 hours; a new link replaces the old one.'), resend]);
}

function passwordCard(ctx, onChanged) {
  const form = h('form', { class: 'stack pr-form', 'aria-labelledby': 'pw-h' },
    h('input', { type: 'text', name: 'username', value: ctx.user.username, autocomplete: 'username', hidden: true, disabled: true }),
    field({ label: 'Current password', name: 'current_password', type: 'password', required: true, autocomplete: 'current-password' }),
    field({ label: 'New password', name: 'new_password', type: 'password', required: true, autocomplete: 'new-password',
      hint: 'At least 10 characters; not a common password, your username or your email.' }),
    field({ label: 'Repeat the new password', name: 'new_password_again', type: 'password', required: true, autocomplete: 'new-password' }),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, 'Change password')));
  onSubmit(form, async (v) => {
    if ((v.new_password || '') !== (v.new_password_again || '')) {
      throw new ApiError(422, { detail: 'The two new passwords differ.', errors: [{ field: 'new_password_again', message: 'does not match the new password' }] });
    }
    await api.post('/me/password', { current_password: v.current_password || '', new_password: v.new_password || '' });
    form.reset();
    toast('Your password is changed. Your other sessions have ended.', 'success', 6000);
    onChanged?.();
  });
  return h('div', { class: 'card' },
    h('h2', { id: 'pw-h' }, 'Password'),
    h('p', { class: 'muted small' }, 'Changing it signs you out everywhere else; this session stays.'),
    form);
}

/* ---- Sessions --------------------------------------------------------- */

// "Firefox on Windows" from a user agent string, or the string itself.
function device(ua) {
  if (!ua) return 'Unknown device';
  const browser = /Edg\//.test(ua) ? 'Edge' : /OPR\//.test(ua) ? 'Opera' : /Firefox\//.test(ua) ? 'Firefox'
    : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : /curl\//.test(ua) ? 'curl'
      : /python|node|okhttp|Go-http/i.test(ua) ? 'A script or app' : null;
  const os = /Windows/.test(ua) ? 'Windows' : /iPhone|iPad/.test(ua) ? 'iOS' : /Android/.test(ua) ? 'Android'
    : /Mac OS X|Macintosh/.test(ua) ? 'macOS' : /CrOS/.test(ua) ? 'ChromeOS' : /Linux/.test(ua) ? 'Linux' : null;
  if (browser && os) return `${browser} on ${os}`;
  return browser || os || ua.slice(0, 60);
}

async function signOutEverywhere(ctx) {
  const ok = await confirmDialog('Sign out of every session, this one included?', { ok: 'Sign out everywhere', danger: true });
  if (!ok) return;
  try {
    await api.post('/auth/logout-all');
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) { toast(err.message, 'error'); return; }
  }
  await leaveAccount(ctx, '/login', 'You are signed out everywhere.');
}

// After the session ended on purpose: forget the user, go elsewhere.
async function leaveAccount(ctx, to, message) {
  state.user = null;
  state.settings = null;
  applyTheme('system');
  try { await ctx.refreshUser(); } catch { /* signed out either way */ }
  ctx.navigate(to, { replace: true });
  toast(message, 'success');
}

function sessionsPanel(ctx, panel) {
  const body = h('div', {});
  const reload = () => load(body, () => api.get('/me/sessions'), (data) => {
    const items = (data.items || []).slice().sort((a, b) => (b.current - a.current) || String(b.last_seen_at).localeCompare(String(a.last_seen_at)));
    if (!items.length) return empty('No sessions.');
    return h('ul', { class: 'pr-sessions' }, items.map((s) => {
      const li = h('li', { class: ['pr-session', s.current && 'pr-session-current'] },
        h('div', { class: 'pr-session-main' },
          h('h3', {}, device(s.user_agent), s.current ? [' ', badge('This session', 'accent')] : null),
          h('p', { class: 'small muted pr-break', title: s.user_agent || '' }, s.user_agent || 'No user agent given'),
          h('p', { class: 'small' },
            h('span', {}, `IP ${s.ip || 'unknown'}`), ' · ',
            h('span', {}, 'Last used ', h('time', { datetime: s.last_seen_at, title: fmt.datetime(s.last_seen_at) }, fmt.ago(s.last_seen_at))), ' · ',
            h('span', {}, 'Signed in ', fmt.date(s.created_at)), ' · ',
            h('span', {}, 'Expires ', fmt.date(s.expires_at)))),
        s.current ? null : button('End session', async (e) => {
          const ok = await confirmDialog(`End the session on ${device(s.user_agent)}? It will have to sign in again.`, { ok: 'End session', danger: true });
          if (!ok) return;
          e.target.disabled = true;
          try {
            await api.del(`/me/sessions/${s.id}`);
            toast('The session has ended.', 'success');
            li.remove();
          } catch (err) {
            e.target.disabled = false;
            if (err instanceof ApiError && err.status === 404) { li.remove(); return; }
            toast(err.message, 'error');
          }
        }, 'btn btn-secondary btn-sm', { 'aria-label': `End session: ${device(s.user_agent)}, last used ${fmt.ago(s.last_seen_at)}` }));
      return li;
    }));
  });
  clear(panel, h('div', { class: 'card' },
    h('div', { class: 'row between' },
      h('h2', { id: 'sessions-h' }, 'Where you are signed in'),
      button('Sign out everywhere', () => signOutEverywhere(ctx), 'btn btn-danger', { id: 'logout-all' })),
    h('p', { class: 'muted small' }, 'End a session you do not recognise, then change your password.'),
    body));
  reload();
  return reload;
}

// The identity providers I sign in with, each removable (my password
// still works, and a reset by mail sets one).
function identitiesCard() {
  const body = h('div', { 'aria-live': 'polite' });
  const reload = () => load(body, () => api.get('/me/identities'), (data) => {
    if (!data.items.length) return empty('You sign in with your password only.');
    return h('ul', { class: 'pr-sessions' }, data.items.map((i) => h('li', { class: 'pr-session' },
      h('div', { class: 'pr-session-main' }, h('h3', {}, i.provider.name),
        h('p', { class: 'small muted' }, i.email || '', ' · linked ', fmt.date(i.created_at),
          i.last_login_at ? [' · last used ', fmt.ago(i.last_login_at)] : null)),
      button('Unlink', async () => {
        if (!await confirmDialog(`Stop signing in with ${i.provider.name}?`, { ok: 'Unlink', danger: true })) return;
        try {
          await api.del(`/me/identities/${i.id}`);
          toast(`${i.provider.name} is unlinked.`, 'success');
          reload();
        } catch (err) { toast(err.message, 'error'); }
      }, 'btn btn-secondary btn-sm', { 'aria-label': `Unlink ${i.provider.name}` }))));
  });
  reload();
  return h('section', { class: 'card' }, h('h2', {}, 'Sign-in providers'), body);
}

/* ---- Your data and deleting the account ------------------------------- */

function exportCard(ctx) {
  const btn = button('Download my data', async () => {
    btn.disabled = true;
    btn.setAttribute('aria-busy', 'true');
    try {
      const data = await api.get('/me/export');
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: `ludus-${ctx.user.username}-${new Date().toISOString().slice(0, 10)}.json`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      toast('Your data is downloading.', 'success');
    } catch (err) {
      toast(err.message, 'error');
    } finally {
      btn.disabled = false;
      btn.removeAttribute('aria-busy');
    }
  }, 'btn btn-secondary', { id: 'export-data' });
  return h('div', { class: 'card' },
    h('h2', {}, 'Your data'),
    h('p', {}, 'Everything Ludus keeps about you as one JSON file: account, profile, settings, sessions, study activity and time, enrollments, lesson progress, bookmarks, attempts with their answers, XP, achievements, avatars, goals and notifications.'),
    btn);
}

function deleteCard(ctx) {
  const form = h('form', { class: 'stack pr-form', 'aria-labelledby': 'del-h' },
    field({ label: 'Your password', name: 'password', type: 'password', required: true, autocomplete: 'current-password',
      hint: 'To make sure it is you.' }),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn btn-danger' }, 'Delete my account')));
  onSubmit(form, async (v) => {
    if (!v.password) throw new ApiError(422, { detail: 'Enter your password.', errors: [{ field: 'password', message: 'is required' }] });
    const ok = await confirmDialog('Delete your account? You are signed out at once and can no longer sign in.', { ok: 'Delete my account', danger: true });
    if (!ok) return;
    await api.del('/me', { password: v.password });
    await leaveAccount(ctx, '/', 'Your account is deleted. Goodbye!');
  });
  return h('div', { class: 'card pr-danger-zone' },
    h('h2', { id: 'del-h' }, 'Delete your account'),
    h('p', {}, 'Your account stops working at once. An administrator of your organization can restore it for a while; after that your name and email are removed for good and your learning history stays only under an anonymous name.'),
    form);
}

/* ---- Access tokens ---------------------------------------------------- */

// Personal access tokens: made with some of my permissions for 1 to 365
// days, shown once, listed with their last use, revocable.
function tokensPanel(ctx, panel) {
  const mine = state.user?.permissions || [];
  const list = h('div', { 'aria-live': 'polite' });
  const shown = h('div');
  const reload = () => load(list, () => api.get('/me/tokens'), (data) => {
    if (!data.items.length) return empty('No tokens yet.');
    return h('ul', { class: 'pr-sessions' }, data.items.map((t) => h('li', {},
      h('div', {}, h('strong', {}, t.name), ' ', h('code', { class: 'muted' }, `${t.prefix}…`), ' ',
        badge(t.status, t.status === 'active' ? 'ok' : '')),
      h('p', { class: 'muted small' }, t.permissions.join(', '), ' · expires ', fmt.datetime(t.expires_at),
        ' · ', t.last_used_at ? `last used ${fmt.ago(t.last_used_at)} from ${t.last_used_ip || '?'}` : 'never used'),
      t.status === 'active' ? button('Revoke', async () => {
        if (!await confirmDialog(`Revoke the token ${t.name}? Scripts using it stop working.`, { ok: 'Revoke', danger: true })) return;
        try {
          await api.post(`/me/tokens/${t.id}/revoke`);
          toast('Token revoked.', 'success');
          reload();
        } catch (err) { toast(err.message, 'error'); }
      }, 'btn btn-secondary', { 'aria-label': `Revoke the token ${t.name}` }) : null)));
  });
  const form = h('form', { class: 'stack', 'aria-labelledby': 'token-new-h' },
    field({ label: 'Name', name: 'name', required: true, maxlength: 100, hint: 'What it is for, e.g. CI import.' }),
    h('fieldset', { class: 'perm-boxes', 'data-field': 'permissions' }, h('legend', {}, 'Permissions'),
      h('ul', { class: 'perm-list' }, mine.filter((p) => p !== 'token.create').map((p) => {
        const id = `tok-${p.replace('.', '-')}`;
        return h('li', {}, h('input', { type: 'checkbox', id, value: p, 'data-perm': '1' }),
          h('label', { for: id }, h('code', {}, p)));
      })), h('p', { class: 'field-error' })),
    field({ label: 'Valid for (days)', name: 'days', type: 'number', min: 1, max: 365, value: 30 }),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, 'Make token')));
  onSubmit(form, async (v) => {
    const permissions = [...form.querySelectorAll('input[data-perm]')].filter((x) => x.checked).map((x) => x.value);
    const t = await api.post('/me/tokens', { name: v.name, permissions, days: v.days });
    clear(shown, h('div', { class: 'card token-once', role: 'status' },
      h('p', {}, h('strong', {}, 'Copy it now: '), 'this token is shown only once.'),
      h('code', { class: 'token-value' }, t.token)));
    form.reset();
    reload();
  });
  clear(panel, h('div', { class: 'stack' },
    mine.includes('token.create')
      ? h('section', { class: 'card' }, h('h2', { id: 'token-new-h' }, 'Make a token'),
        h('p', { class: 'muted' }, 'For scripts and integrations: send it as Authorization: Bearer. It can do what you can, within the permissions you tick.'),
        shown, form)
      : h('p', { class: 'muted' }, 'Your role does not let you make tokens.'),
    h('section', { class: 'card' }, h('h2', {}, 'Your tokens'), list)));
  reload();
}

async function settingsPage(ctx) {
  ctx.title('Settings');
  let reloadSessions = null;
  clear(ctx.main, pageHeader('Settings', h('a', { href: '/goals', class: 'btn btn-secondary' }, 'Study goals')),
    tabSet(ctx, [
      { id: 'profile', label: 'Profile', render: (p) => profilePanel(ctx, p) },
      { id: 'preferences', label: 'Preferences', render: (p) => preferencesPanel(ctx, p) },
      { id: 'security', label: 'Email & password', render: (p) => clear(p, h('div', { class: 'stack' }, emailCard(ctx), passwordCard(ctx, () => reloadSessions?.()), identitiesCard())) },
      { id: 'sessions', label: 'Sessions', render: (p) => { reloadSessions = sessionsPanel(ctx, p); } },
      { id: 'tokens', label: 'Access tokens', render: (p) => tokensPanel(ctx, p) },
      { id: 'data', label: 'Your data', render: (p) => clear(p, h('div', { class: 'stack' }, exportCard(ctx), deleteCard(ctx))) },
    ], ctx.query.get('tab')));
}

/* ---- Goals ------------------------------------------------------------ */

const GOAL_KIND = {
  daily_minutes: 'Study every day',
  weekly_lessons: 'Lessons every week',
  exam_date: 'Be ready for an exam',
};

function daysLeft(n) {
  if (n === null || n === undefined) return '';
  if (n === 0) return 'today';
  if (n === 1) return 'tomorrow';
  if (n > 0) return `in ${n} days`;
  return n === -1 ? 'yesterday' : `${-n} days ago`;
}

function goalProgress(g, exam) {
  if (g.kind === 'exam_date') {
    const pass = exam?.passing_score;
    const best = g.progress;
    return h('div', { class: 'pr-goal-progress' },
      pass && best !== null && best !== undefined ? progressBar(Math.min(100, ((best - (exam.scale_min || 0)) / (pass - (exam.scale_min || 0))) * 100), `Best simulation score toward the pass mark`) : null,
      h('p', { class: 'small' }, best === null || best === undefined
        ? ['No exam simulation finished yet. ', h('a', { href: `/practice${qs({ exam: g.exam })}` }, 'Take one'), ' to see where you stand.']
        : `Best simulation: ${fmt.num(best)}${pass ? ` of the ${fmt.num(pass)} needed to pass` : ''}.`));
  }
  const unit = g.kind === 'daily_minutes' ? 'minutes today' : 'lessons this week';
  const have = Number(g.progress) || 0;
  return h('div', { class: 'pr-goal-progress' },
    progressBar(g.target ? (have / g.target) * 100 : 0, `${GOAL_KIND[g.kind]}: ${have} of ${g.target} ${unit}`),
    h('p', { class: 'small' }, `${fmt.num(have)} of ${fmt.num(g.target)} ${unit}`));
}

function goalTitle(g, exam) {
  if (g.kind === 'daily_minutes') return `Study ${g.target} minutes a day`;
  if (g.kind === 'weekly_lessons') return `Complete ${g.target} lesson${g.target === 1 ? '' : 's'} a week`;
  return `Ready for ${exam ? exam.name : g.exam} by ${fmt.date(g.target_date)}`;
}

function goalEditForm(g, onSaved, onCancel) {
  const today = new Date().toISOString().slice(0, 10);
  const form = h('form', { class: 'pr-goal-edit stack', 'aria-label': 'Change the goal' },
    h('div', { class: 'grid grid-2' },
      g.kind === 'exam_date'
        ? field({ label: 'Exam date', name: 'target_date', type: 'date', value: g.target_date, min: today, required: true })
        : field({ label: g.kind === 'daily_minutes' ? 'Minutes a day' : 'Lessons a week', name: 'target', type: 'number', min: 1, max: g.kind === 'daily_minutes' ? 1440 : 10000, value: g.target, required: true }),
      field({ label: 'Status', name: 'status', type: 'select', value: g.status, options: [['active', 'Active'], ['completed', 'Completed']] })),
    h('div', { class: 'row' },
      h('button', { type: 'submit', class: 'btn btn-sm' }, 'Save'),
      button('Cancel', onCancel, 'btn btn-ghost btn-sm')));
  onSubmit(form, async (v) => {
    const body = { status: v.status };
    if (g.kind === 'exam_date') body.target_date = v.target_date;
    else body.target = v.target;
    try {
      onSaved(await api.patch(`/me/goals/${g.id}`, body));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) throw new ApiError(409, { detail: 'You already have an active goal of this kind: abandon or complete it first.' });
      throw err;
    }
  });
  return form;
}

function goalCard(g, exams, redraw) {
  const exam = exams.find((x) => x.code === g.exam);
  const li = h('li', { class: ['card', 'pr-goal', g.met && 'pr-goal-met'], id: `goal-${g.id}` });
  const view = () => clear(li,
    h('div', { class: 'row between pr-goal-head' },
      h('h3', {}, goalTitle(g, exam)),
      h('div', { class: 'row' },
        g.status === 'completed' ? badge('Completed', 'ok') : g.met ? badge(g.kind === 'daily_minutes' ? 'Met today' : 'Met this week', 'ok') : badge('Active', 'accent'))),
    g.kind === 'exam_date' && g.days_left !== null
      ? h('p', { class: ['small', g.days_left < 0 ? 'pr-late' : 'muted'] }, `Exam ${daysLeft(g.days_left)}`) : null,
    goalProgress(g, exam),
    h('div', { class: 'row pr-goal-actions' },
      button('Change', () => {
        clear(li, h('h3', {}, goalTitle(g, exam)), goalEditForm(g, (data) => { toast('The goal is saved.', 'success'); redraw(data); }, () => { view(); li.querySelector('button')?.focus(); }));
        li.querySelector('input, select')?.focus();
      }, 'btn btn-secondary btn-sm', { 'aria-label': `Change goal: ${goalTitle(g, exam)}` }),
      button('Abandon', async (e) => {
        const ok = await confirmDialog(`Abandon the goal “${goalTitle(g, exam)}”?`, { ok: 'Abandon goal', danger: true });
        if (!ok) return;
        e.target.disabled = true;
        try {
          const data = await api.del(`/me/goals/${g.id}`);
          toast('The goal is abandoned.', 'success');
          redraw(data);
        } catch (err) {
          e.target.disabled = false;
          toast(err.message, 'error');
        }
      }, 'btn btn-ghost btn-sm pr-abandon', { 'aria-label': `Abandon goal: ${goalTitle(g, exam)}` })),
    h('p', { class: 'small muted' }, `Set ${fmt.date(g.created_at)}`, g.completed_at ? ` · completed ${fmt.date(g.completed_at)}` : ''));
  view();
  return li;
}

function newGoalForm(exams, onCreated) {
  const today = new Date();
  const inMonths = new Date(today.getFullYear(), today.getMonth() + 2, today.getDate()).toISOString().slice(0, 10);
  const kind = field({ label: 'Goal', name: 'kind', type: 'select', value: 'daily_minutes',
    options: [['daily_minutes', 'Minutes every day'], ['weekly_lessons', 'Lessons every week'], ['exam_date', 'Ready for an exam by a date']] });
  const target = field({ label: 'Minutes a day', name: 'target', type: 'number', min: 1, max: 1440, value: 20, required: true });
  const exam = field({ label: 'Exam', name: 'exam', type: 'select', required: true, options: exams.map((x) => [x.code, `${x.name} (${x.exam_number})`]) });
  const date = field({ label: 'Exam date', name: 'target_date', type: 'date', value: inMonths, min: today.toISOString().slice(0, 10), required: true });
  const hint = h('p', { class: 'hint' });
  const sync = () => {
    const k = kind.querySelector('select').value;
    const isExam = k === 'exam_date';
    target.hidden = isExam;
    target.querySelector('input').disabled = isExam;
    exam.hidden = !isExam;
    exam.querySelector('select').disabled = !isExam;
    date.hidden = !isExam;
    date.querySelector('input').disabled = !isExam;
    const label = target.querySelector('label');
    label.firstChild.textContent = k === 'daily_minutes' ? 'Minutes a day' : 'Lessons a week';
    const input = target.querySelector('input');
    if (k === 'weekly_lessons' && Number(input.value) > 50) input.value = 3;
    if (k === 'daily_minutes' && Number(input.value) < 5) input.value = 20;
    input.max = k === 'daily_minutes' ? 1440 : 10000;
    hint.textContent = isExam ? 'Passing an exam simulation at this exam completes the goal (50 XP).'
      : k === 'daily_minutes' ? 'Study time counts while a lesson is open. Reaching it earns 15 XP a day.'
        : 'Lessons you complete from Monday to Sunday, in your time zone.';
  };
  kind.querySelector('select').addEventListener('change', sync);
  const form = h('form', { class: 'stack pr-form', 'aria-labelledby': 'new-goal-h' },
    h('div', { class: 'grid grid-3 pr-goal-fields' }, kind, target, exam, date), hint,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, 'Set goal')));
  onSubmit(form, async (v) => {
    try {
      const data = await api.post('/me/goals', v);
      toast('Your goal is set. Good luck!', 'success');
      onCreated(data);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        throw new ApiError(409, { detail: v.kind === 'exam_date'
          ? 'You already have an active goal for this exam: change its date below instead.'
          : `You already have an active ${v.kind === 'daily_minutes' ? 'daily study' : 'weekly lessons'} goal: change its target below instead.` });
      }
      throw err;
    }
  });
  sync();
  return form;
}

async function goalsPage(ctx) {
  ctx.title('Study goals');
  const listBox = h('div', { 'aria-live': 'polite' });
  let exams = [];
  const draw = (data) => {
    const items = data.items || [];
    if (!items.length) {
      clear(listBox, empty('No goals yet. A small daily goal is the easiest way to build a streak.'));
      return;
    }
    const active = items.filter((g) => g.status === 'active');
    const done = items.filter((g) => g.status !== 'active');
    clear(listBox,
      h('h2', { id: 'goals-h' }, 'Your goals'),
      active.length ? h('ul', { class: 'grid grid-2 pr-goals' }, active.map((g) => goalCard(g, exams, draw))) : h('p', { class: 'muted' }, 'No active goals.'),
      done.length ? [h('h2', { class: 'section' }, 'Completed'), h('ul', { class: 'grid grid-2 pr-goals' }, done.map((g) => goalCard(g, exams, draw)))] : null);
  };
  clear(ctx.main, pageHeader('Study goals', h('a', { href: '/settings?tab=preferences', class: 'btn btn-secondary' }, 'Preferences')), loading());
  let data;
  [exams, data] = await Promise.all([examTracks().catch(() => []), api.get('/me/goals')]);
  if (!ctx.current()) return;
  clear(ctx.main, pageHeader('Study goals', h('a', { href: '/settings?tab=preferences', class: 'btn btn-secondary' }, 'Preferences')),
    h('section', { class: 'card', 'aria-labelledby': 'new-goal-h' },
      h('h2', { id: 'new-goal-h' }, 'Set a new goal'), newGoalForm(exams, draw)),
    h('section', { class: 'section' }, listBox));
  draw(data);
}

export default async function settings(ctx) {
  if (ctx.path.replace(/\/$/, '') === '/goals') return goalsPage(ctx);
  return settingsPage(ctx);
}
