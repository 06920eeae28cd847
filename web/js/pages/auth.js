// auth.js - sign in (with a password or an identity provider), create an
// account, confirm the email address, reset a forgotten password (ask for
// the link, then choose a new one), and link an account to a provider.
import { api } from '../api.js';
import { h, clear, field, onSubmit, toast } from '../ui.js';
import { state } from '../app.js';

function card(title, ...body) {
  return h('section', { class: 'auth card' }, h('h1', {}, title), body);
}

// Only paths inside the app: never an open redirect.
function nextPath(ctx) {
  const n = ctx.query.get('next') || '';
  return /^\/(?!\/)[^\\]*$/.test(n) && !n.startsWith('/login') ? n : '/dashboard';
}

// Why a sign-in with an identity provider came back here (?sso_error=).
const SSO_ERRORS = {
  'state-invalid': 'That sign-in had expired or was used already. Start again.',
  'state-mismatch': 'That sign-in was started in another browser or tab. Start again here.',
  denied: 'The sign-in was cancelled at the identity provider.',
  'code-missing': 'The identity provider sent no answer Ludus can use.',
  'token-refused': 'The identity provider refused to confirm the sign-in. Ask your administrator.',
  'token-invalid': 'The identity provider\'s answer did not check out, so nobody was signed in.',
  'provider-unreachable': 'Ludus cannot reach the identity provider right now. Try again later.',
  'provider-disabled': 'This identity provider is switched off.',
  domain: 'Your address at the identity provider is not one this organization accepts.',
  'no-account': 'There is no account for you here yet. Ask your administrator for an invitation.',
  'email-missing': 'The identity provider did not share your email address.',
  'email-unverified': 'The identity provider has not confirmed your email address, so Ludus cannot use it. Confirm it there, or sign in with your password.',
  'email-taken': 'Your address belongs to an account of another organization.',
  'account-disabled': 'This account is disabled. Ask your administrator.',
  'account-locked': 'This account is locked for now after failed sign-ins. Try again later.',
  'try-again': 'Something went wrong. Try again.',
};

// The organization's identity providers as buttons that start a sign-in.
async function ssoButtons(ctx) {
  const org = ctx.query.get('organization');
  try {
    const { items } = await api.get('/auth/sso/providers' + (org ? `?organization=${encodeURIComponent(org)}` : ''));
    if (!items.length) return null;
    const next = encodeURIComponent(nextPath(ctx));
    return h('div', { class: 'stack sso' },
      h('p', { class: 'muted sso-or' }, 'or'),
      items.map((p) => h('a', { class: 'btn btn-secondary btn-block', href: `/api/v1/auth/sso/${p.id}/start?next=${next}` },
        `Sign in with ${p.name}`)));
  } catch {
    return null; // the password form still works
  }
}

async function login(ctx) {
  const error = ctx.query.get('sso_error');
  const form = h('form', { class: 'stack', 'aria-label': 'Sign in' },
    field({ label: 'Email or username', name: 'login', required: true, autocomplete: 'username' }),
    field({ label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' }),
    h('button', { type: 'submit', class: 'btn btn-block' }, 'Sign in'));
  onSubmit(form, async (v) => {
    try {
      await api.post('/auth/login', { login: v.login || '', password: v.password || '' });
    } catch (err) {
      // A password that failed is not left in its field to be sent again.
      form.elements.password.value = '';
      throw err;
    }
    await ctx.refreshUser();
    ctx.navigate(nextPath(ctx), { replace: true });
  });
  clear(ctx.main, card('Sign in',
    error ? h('p', { class: 'form-alert', role: 'alert' }, SSO_ERRORS[error] || SSO_ERRORS['try-again']) : null,
    form, await ssoButtons(ctx),
    h('p', { class: 'muted' }, h('a', { href: '/reset-password' }, 'Forgot your password?')),
    h('p', { class: 'muted' }, 'New here? ', h('a', { href: '/register' }, 'Create an account'))));
  ctx.title('Sign in');
  form.elements.login.focus();
}

// An invitation's link (/register?invitation=TOKEN): what it invites to,
// or null with a note when it is not valid any more.
async function invitationOf(token) {
  if (!token) return { invite: null, note: null };
  try {
    return { invite: await api.post('/auth/invitation', { invitation: token }), note: null };
  } catch (err) {
    return { invite: null, note: err.message };
  }
}

async function register(ctx) {
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const token = ctx.query.get('invitation');
  const { invite, note } = await invitationOf(token);
  const form = h('form', { class: 'stack', 'aria-label': 'Create an account' },
    h('div', { class: 'grid grid-2' },
      field({ label: 'First name', name: 'first_name', autocomplete: 'given-name' }),
      field({ label: 'Last name', name: 'last_name', autocomplete: 'family-name' })),
    field({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'email' }),
    field({ label: 'Username', name: 'username', required: true, autocomplete: 'username',
      hint: '3 to 32 letters, digits, dots, dashes or underscores; others see it on leaderboards.' }),
    field({ label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'new-password',
      hint: 'At least 10 characters; not a common password.' }),
    h('input', { type: 'hidden', name: 'timezone', value: tz }),
    invite ? h('input', { type: 'hidden', name: 'invitation', value: token }) : null,
    h('button', { type: 'submit', class: 'btn btn-block' }, 'Create account'));
  if (invite) {
    form.elements.email.value = invite.email;
    form.elements.email.readOnly = true;
  }
  onSubmit(form, async (v) => {
    await api.post('/auth/register', v);
    // The account can be used at once; the mailed link confirms the address.
    try {
      await api.post('/auth/login', { login: v.username, password: v.password });
      await ctx.refreshUser();
      toast('Welcome to Ludus! We sent you a link to confirm your email address.', 'success', 6000);
      ctx.navigate('/dashboard', { replace: true });
    } catch {
      clear(ctx.main, card('Check your email',
        h('p', {}, `We sent a message to ${v.email}. Follow its link to confirm your address, then sign in.`),
        h('a', { href: '/login', class: 'btn' }, 'Sign in')));
    }
  });
  const banner = invite
    ? h('p', { class: 'invite-note', role: 'status' }, `You are invited to join ${invite.organization.name} as `,
      h('strong', {}, invite.role.name), '. Create your account with the address the invitation went to.')
    : note ? h('p', { class: 'form-alert', role: 'alert' }, `This invitation cannot be used: ${note}`) : null;
  clear(ctx.main, card('Create your account', banner, form,
    h('p', { class: 'muted' }, 'Already have one? ', h('a', { href: '/login' }, 'Sign in'))));
  ctx.title('Create account');
  form.elements.first_name.focus();
}

async function verify(ctx) {
  const token = ctx.query.get('token');
  ctx.title('Confirm email');
  if (!token) {
    const form = h('form', { class: 'stack' },
      h('button', { type: 'submit', class: 'btn' }, 'Send me a new link'));
    onSubmit(form, async () => {
      await api.post('/auth/verify-email/resend');
      toast('A new link is on its way.', 'success');
    });
    clear(ctx.main, card('Confirm your email',
      h('p', {}, 'Open the link in the message we sent you.'),
      state.user && !state.user.email_verified ? form : null));
    return;
  }
  const box = card('Confirming your email…', h('p', { role: 'status' }, 'One moment.'));
  clear(ctx.main, box);
  try {
    await api.post('/auth/verify-email', { token });
    if (state.user) await ctx.refreshUser();
    clear(ctx.main, card('Email confirmed', h('p', {}, 'Thank you: your address is confirmed.'),
      h('a', { href: state.user ? '/dashboard' : '/login', class: 'btn' }, state.user ? 'Go to your dashboard' : 'Sign in')));
  } catch (err) {
    // A link opened again after it worked: if the signed-in user's address
    // is confirmed, that is all there is to say.
    if (state.user) await ctx.refreshUser().catch(() => null);
    if (!ctx.current()) return;
    if (state.user?.email_verified) {
      clear(ctx.main, card('Email confirmed', h('p', {}, 'Your address is confirmed. There is nothing more to do.'),
        h('a', { href: '/dashboard', class: 'btn' }, 'Go to your dashboard')));
      return;
    }
    clear(ctx.main, card('This link does not work', h('p', { role: 'alert' }, err.message),
      h('p', {}, 'Links last 48 hours and work once. Sign in to ask for a new one.'),
      h('a', { href: state.user ? '/verify-email' : '/login', class: 'btn' }, state.user ? 'Ask for a new link' : 'Sign in')));
  }
}

async function reset(ctx) {
  const token = ctx.query.get('token');
  ctx.title('Reset password');
  if (!token) {
    const form = h('form', { class: 'stack', 'aria-label': 'Ask for a reset link' },
      field({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'email' }),
      h('button', { type: 'submit', class: 'btn btn-block' }, 'Send me a reset link'));
    onSubmit(form, async (v) => {
      await api.post('/auth/password-reset', { email: v.email || '' });
      clear(ctx.main, card('Check your email', h('p', {}, `If ${v.email} has an account, a link to choose a new password is on its way. It works for an hour.`),
        h('a', { href: '/login', class: 'btn btn-secondary' }, 'Back to sign in')));
    });
    clear(ctx.main, card('Reset your password', h('p', {}, 'We will mail you a link to choose a new one.'), form));
    form.elements.email.focus();
    return;
  }
  const form = h('form', { class: 'stack', 'aria-label': 'Choose a new password' },
    field({ label: 'New password', name: 'password', type: 'password', required: true, autocomplete: 'new-password',
      hint: 'At least 10 characters. Every session of your account ends.' }),
    h('button', { type: 'submit', class: 'btn btn-block' }, 'Set the new password'));
  onSubmit(form, async (v) => {
    await api.post('/auth/password-reset/confirm', { token, password: v.password || '' });
    state.user = null;
    await ctx.refreshUser();
    toast('Your password is changed. Sign in with it.', 'success');
    ctx.navigate('/login', { replace: true });
  });
  clear(ctx.main, card('Choose a new password', form));
  form.elements.password.focus();
}

// /sso/link#TOKEN: an identity provider vouched for the address of an
// existing account; its owner links the two with the account's password.
async function ssoLink(ctx) {
  const token = location.hash.slice(1);
  // The token stays out of the history and of anything shared later.
  if (token) history.replaceState(null, '', '/sso/link');
  ctx.title('Link your account');
  let offer;
  try {
    offer = await api.post('/auth/sso/link/show', { token });
  } catch (err) {
    clear(ctx.main, card('This link does not work', h('p', { role: 'alert' }, err.message),
      h('a', { href: '/login', class: 'btn' }, 'Back to sign in')));
    return;
  }
  const form = h('form', { class: 'stack', 'aria-label': 'Link your account' },
    field({ label: 'Your Ludus password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' }),
    h('button', { type: 'submit', class: 'btn btn-block' }, `Link and sign in`));
  onSubmit(form, async (v) => {
    try {
      await api.post('/auth/sso/link', { token, password: v.password || '' });
    } catch (err) {
      form.elements.password.value = '';
      throw err;
    }
    await ctx.refreshUser();
    toast(`From now on you can sign in with ${offer.provider}.`, 'success', 6000);
    ctx.navigate(offer.next === '/' ? '/dashboard' : offer.next, { replace: true });
  });
  clear(ctx.main, card('Link your account',
    h('p', {}, `${offer.provider} says you are `, h('strong', {}, offer.email),
      '. An account with this address exists here. To link it to ', offer.provider,
      ', confirm with the account\'s password; it works once, for 15 minutes.'),
    form,
    h('p', { class: 'muted' }, 'Not yours? ', h('a', { href: '/login' }, 'Sign in another way'))));
  form.elements.password.focus();
}

export default async function auth(ctx) {
  switch (ctx.path.replace(/\/$/, '')) {
  case '/sso/link': return ssoLink(ctx);
  case '/register': return register(ctx);
  case '/verify-email': return verify(ctx);
  case '/reset-password': return reset(ctx);
  default: return login(ctx);
  }
}
