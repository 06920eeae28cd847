// admin/organization.js - the organization's settings and invitations
// (/admin/organization, org.manage): its name, who may sign up (anyone,
// the invited, or addresses at its own domains, one per line), the time
// zone and language new members start with, messaging and leaderboards on
// or off, whether staff appear on leaderboards; then the invite form
// (email, role, days) and the invitations with their status, the open
// ones revocable; then single sign-on: the identity providers, switched
// on or off, removed, and the form to add one; then the forum rules: the
// flags that hide a post, what each trust level asks, and what a member
// may do in a day at each.
import { api } from '../../api.js';
import {
  h, clear, field, onSubmit, loading, errorBox, toast, confirmDialog, badge, pageHeader, button, fmt,
} from '../../ui.js';

const SIGNUPS = [['open', 'Anyone may sign up'], ['invite', 'By invitation only'],
  ['domains', 'Addresses at our domains (and the invited)']];
const STATUS = { pending: ['Pending', 'warn'], accepted: ['Accepted', 'ok'], revoked: ['Revoked', ''], expired: ['Expired', 'bad'] };

function settingsForm(org, roles, refresh) {
  const form = h('form', { class: 'stack', 'aria-labelledby': 'org-settings-h' },
    field({ label: 'Name', name: 'name', required: true, maxlength: 200, value: org.name }),
    field({ label: 'Who may sign up', name: 'signup', type: 'select', value: org.signup, options: SIGNUPS }),
    field({ label: 'Email domains', name: 'signup_domains', type: 'textarea', rows: 3,
      value: org.signup_domains.join('\n'), hint: 'One per line, e.g. school.edu; used when sign-up is by domain.' }),
    h('div', { class: 'grid grid-2' },
      field({ label: 'Default time zone', name: 'default_timezone', value: org.default_timezone,
        hint: 'New members start in it, e.g. Europe/Paris.' }),
      field({ label: 'Default language', name: 'default_language', value: org.default_language, maxlength: 5,
        hint: 'A code such as en or pt-BR.' })),
    field({ label: 'Default role', name: 'default_role', type: 'select', value: org.default_role,
      options: roles.map((r) => [r.key, r.name]),
      hint: 'What people who sign up, or arrive through an identity provider, start as.' }),
    field({ label: 'Leaderboards', name: 'leaderboards_enabled', type: 'checkbox', value: org.leaderboards_enabled }),
    field({ label: 'Staff appear on leaderboards', name: 'leaderboard_include_staff', type: 'checkbox',
      value: org.leaderboard_include_staff }),
    field({ label: 'Messaging', name: 'messaging_enabled', type: 'checkbox', value: org.messaging_enabled }),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, 'Save settings')));
  onSubmit(form, async (v) => {
    const domains = String(v.signup_domains || '').split(/\s+/).map((d) => d.trim().toLowerCase()).filter(Boolean);
    await api.patch('/admin/organization', {
      name: v.name, signup: v.signup, signup_domains: domains,
      default_timezone: v.default_timezone, default_language: v.default_language, default_role: v.default_role,
      leaderboards_enabled: v.leaderboards_enabled, leaderboard_include_staff: v.leaderboard_include_staff,
      messaging_enabled: v.messaging_enabled,
    });
    toast('Settings saved.', 'success');
    await refresh();
  });
  return h('section', { class: 'card' }, h('h2', { id: 'org-settings-h' }, 'Settings'), form);
}

function inviteForm(roles, refresh) {
  const form = h('form', { class: 'stack', 'aria-labelledby': 'invite-h' },
    h('div', { class: 'grid grid-2' },
      field({ label: 'Email', name: 'email', type: 'email', required: true }),
      field({ label: 'Role', name: 'role', type: 'select', value: 'student', options: roles.map((r) => [r.key, r.name]) })),
    field({ label: 'Valid for (days)', name: 'days', type: 'number', min: 1, max: 30, value: 7 }),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, 'Send invitation')));
  onSubmit(form, async (v) => {
    const inv = await api.post('/admin/invitations', { email: v.email, role: v.role, days: v.days });
    toast(`Invitation sent to ${inv.email}.`, 'success');
    await refresh();
  });
  return h('section', { class: 'card' }, h('h2', { id: 'invite-h' }, 'Invite someone'), form);
}

function invitationsCard(items, roles, refresh) {
  const name = (key) => (roles.find((r) => r.key === key) || { name: key }).name;
  return h('section', { class: 'card', 'aria-labelledby': 'invitations-h' },
    h('h2', { id: 'invitations-h' }, 'Invitations'),
    items.length === 0 ? h('p', { class: 'muted' }, 'Nobody has been invited yet.')
      : h('div', { class: 'table-wrap' }, h('table', { class: 'admin-table' },
        h('thead', {}, h('tr', {}, ['Email', 'Role', 'Status', 'Expires', ''].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, items.map((i) => h('tr', {},
          h('td', { 'data-label': 'Email' }, i.email),
          h('td', { 'data-label': 'Role' }, name(i.role)),
          h('td', { 'data-label': 'Status' }, badge(...(STATUS[i.status] || [i.status, '']))),
          h('td', { 'data-label': 'Expires' }, fmt.datetime(i.expires_at)),
          h('td', {}, i.status === 'pending' ? button('Revoke', async () => {
            if (!await confirmDialog(`Revoke the invitation to ${i.email}?`, { ok: 'Revoke', danger: true })) return;
            try {
              await api.post(`/admin/invitations/${i.id}/revoke`);
              toast('Invitation revoked.', 'success');
              await refresh();
            } catch (err) { toast(err.message, 'error'); }
          }, 'btn btn-secondary', { 'aria-label': `Revoke the invitation to ${i.email}` }) : null)))))));
}

// Identity providers (OpenID Connect): each with its issuer, switch and
// members; the form to add one, with the redirect URI to register there.
function providersCard(data, refresh) {
  const form = h('form', { class: 'stack', 'aria-labelledby': 'idp-new-h' },
    h('div', { class: 'grid grid-2' },
      field({ label: 'Name on the sign-in button', name: 'name', required: true, maxlength: 100, hint: 'e.g. Campus login' }),
      field({ label: 'Issuer', name: 'issuer', type: 'url', required: true, maxlength: 500,
        hint: 'The provider\'s issuer URL; its discovery document is read now.' })),
    h('div', { class: 'grid grid-2' },
      field({ label: 'Client ID', name: 'client_id', required: true, maxlength: 255, autocomplete: 'off' }),
      field({ label: 'Client secret', name: 'client_secret', type: 'password', required: true, maxlength: 500,
        autocomplete: 'new-password', hint: 'Kept for the provider; never shown again.' })),
    field({ label: 'Allowed email domains', name: 'allowed_domains', type: 'textarea', rows: 2,
      hint: 'One per line; empty: any address the provider vouches for.' }),
    field({ label: 'Create accounts for new people', name: 'create_accounts', type: 'checkbox', value: true }),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, 'Add provider')));
  onSubmit(form, async (v) => {
    const domains = String(v.allowed_domains || '').split(/\s+/).map((d) => d.trim().toLowerCase()).filter(Boolean);
    const p = await api.post('/admin/identity-providers', {
      name: v.name, issuer: v.issuer, client_id: v.client_id, client_secret: v.client_secret,
      allowed_domains: domains, create_accounts: v.create_accounts,
    });
    toast(`${p.name} added: its button is on the sign-in page.`, 'success');
    await refresh();
  });
  const toggle = (p) => button(p.enabled ? 'Switch off' : 'Switch on', async () => {
    try {
      await api.patch(`/admin/identity-providers/${p.id}`, { enabled: !p.enabled });
      toast(`${p.name} is ${p.enabled ? 'off' : 'on'}.`, 'success');
      await refresh();
    } catch (err) { toast(err.message, 'error'); }
  }, 'btn btn-secondary', { 'aria-label': `${p.enabled ? 'Switch off' : 'Switch on'} ${p.name}` });
  const remove = (p) => button('Remove', async () => {
    if (!await confirmDialog(`Remove ${p.name}? Its ${p.members} linked account(s) keep their passwords; the links go.`,
      { ok: 'Remove', danger: true })) return;
    try {
      await api.del(`/admin/identity-providers/${p.id}`);
      toast(`${p.name} removed.`, 'success');
      await refresh();
    } catch (err) { toast(err.message, 'error'); }
  }, 'btn btn-secondary', { 'aria-label': `Remove ${p.name}` });
  return h('section', { class: 'card', 'aria-labelledby': 'idp-h' },
    h('h2', { id: 'idp-h' }, 'Single sign-on'),
    h('p', { class: 'muted' }, 'Register Ludus at your identity provider as a web application with this redirect URI: ',
      h('code', { class: 'pr-break' }, data.redirect_uri), '. Sign-in uses OpenID Connect (code flow with PKCE).'),
    data.items.length === 0 ? h('p', { class: 'muted' }, 'No identity provider yet.')
      : h('div', { class: 'table-wrap' }, h('table', { class: 'admin-table' },
        h('thead', {}, h('tr', {}, ['Name', 'Issuer', 'State', 'Members', ''].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, data.items.map((p) => h('tr', {},
          h('td', { 'data-label': 'Name' }, p.name),
          h('td', { 'data-label': 'Issuer' }, h('code', { class: 'pr-break' }, p.issuer)),
          h('td', { 'data-label': 'State' }, badge(p.enabled ? 'On' : 'Off', p.enabled ? 'ok' : '')),
          h('td', { 'data-label': 'Members' }, String(p.members)),
          h('td', {}, h('div', { class: 'row' }, toggle(p), remove(p)))))))),
    h('h3', { id: 'idp-new-h' }, 'Add an identity provider'), form);
}

// The forum rules (GET and PATCH /forum/settings): whole numbers, each
// field named as the API names it, so that a 422 lands under its input.
const FORUM_RULES = [
  [null, 'Moderation', [['flags_to_hide', 'Flags from different members that hide a post', 1, 100]]],
  ['tl1', 'Trust level 1 (basic) asks for', [['tl1_threads_entered', 'Threads entered'], ['tl1_posts_read', 'Posts read']]],
  ['tl2', 'Trust level 2 (member) asks for', [['tl2_days_visited', 'Days visited'], ['tl2_posts_read', 'Posts read'],
    ['tl2_likes_given', 'Likes given'], ['tl2_likes_received', 'Likes received'], ['tl2_replies', 'Replies']]],
  ['tl3', 'Trust level 3 (regular) asks for', [['tl3_days_visited', 'Days visited'], ['tl3_posts_read', 'Posts read'],
    ['tl3_likes_given', 'Likes given'], ['tl3_likes_received', 'Likes received'], ['tl3_replies', 'Replies']]],
  ['tl0d', 'A day at level 0 (new members)', [['tl0_posts_a_day', 'Posts', 0, 10000], ['tl0_likes_a_day', 'Likes', 0, 10000], ['tl0_flags_a_day', 'Flags', 0, 10000]]],
  ['tl1d', 'A day at level 1', [['tl1_posts_a_day', 'Posts', 0, 10000], ['tl1_likes_a_day', 'Likes', 0, 10000], ['tl1_flags_a_day', 'Flags', 0, 10000]]],
  ['tld', 'A day at level 2 and above', [['posts_a_day', 'Posts', 0, 10000], ['likes_a_day', 'Likes', 0, 10000], ['flags_a_day', 'Flags', 0, 10000]]],
];

function forumRulesCard(rules, refresh) {
  const form = h('form', { class: 'stack', 'aria-labelledby': 'forum-rules-h' },
    FORUM_RULES.map(([, legend, fields]) => h('fieldset', {}, h('legend', {}, legend),
      h('div', { class: 'grid grid-3' }, fields.map(([name, label, min = 0, max = 100000]) =>
        field({ label, name, type: 'number', min, max, step: 1, required: true, value: rules[name] }))))),
    h('p', { class: 'hint' }, 'New members (level 0) post no links or pictures. Moderators are held to no daily limit.'),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, 'Save the forum rules')));
  onSubmit(form, async (v) => {
    const body = {};
    for (const [, , fields] of FORUM_RULES) for (const [name] of fields) if (v[name] !== undefined) body[name] = v[name];
    await api.patch('/forum/settings', body);
    toast('Forum rules saved.', 'success');
    await refresh();
  });
  return h('section', { class: 'card', 'aria-labelledby': 'forum-rules-h' },
    h('h2', { id: 'forum-rules-h' }, 'Forum rules'),
    h('p', { class: 'muted' }, 'Members earn trust levels by taking part; each level may do more in a day.'), form);
}

export default async function organization(ctx) {
  ctx.title('Organization');
  const main = ctx.main;
  const render = async () => {
    clear(main, loading('Loading the organization…'));
    try {
      const [org, roles, invitations, providers, forumRules] = await Promise.all([
        api.get('/admin/organization'), api.get('/roles'), api.get('/admin/invitations'),
        api.get('/admin/identity-providers'),
        // Without org.manage's forum half (a role of one's own), no card;
        // any other failure shows, with its retry, rather than hiding it.
        api.get('/forum/settings').catch((e) => (e.status === 403 ? null : Promise.reject(e)))]);
      clear(main, pageHeader(org.name),
        h('p', { class: 'muted' }, `Its address in Ludus: ${org.slug}.`),
        settingsForm(org, roles.items, render), inviteForm(roles.items, render),
        invitationsCard(invitations.items, roles.items, render), providersCard(providers, render),
        forumRules ? forumRulesCard(forumRules, render) : null);
    } catch (err) {
      clear(main, errorBox(err, render));
    }
  };
  await render();
}
