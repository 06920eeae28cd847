// achievements.js - /achievements: my level, XP and XP history, and every
// achievement grouped as earned, in progress and locked (with a category
// filter); /avatars: the avatar collection, which I wear, how to unlock the
// others, and choosing one to wear.  The two pages share a tab bar.
import { api, ApiError, qs } from '../api.js';
import { h, clear, load, empty, badge, fmt, pageHeader, progressBar, moreButton, toast, field, onSubmit, loading, errorBox } from '../ui.js';

// The seed points image_url at /avatars/<code>.svg, but no such files are
// served yet: loading them would only produce 404s.  Until they exist,
// avatars are drawn as monogram medallions.  Set to true once they do.
const USE_AVATAR_IMAGES = false;

const RARITY = { common: 'Common', rare: 'Rare', epic: 'Epic', legendary: 'Legendary' };

function initials(name) {
  const words = String(name || '?').split(/[\s-]+/).filter(Boolean);
  return (words.length > 1 ? words[0][0] + words[words.length - 1][0] : words[0].slice(0, 2)).toUpperCase();
}

// An avatar picture: its image when there is one to show, else a medallion
// with the name's initials in the rarity's colour.  Decorative unless
// `labelled` (the name is always written next to it).
export function avatarArt(av, { size = 'md', labelled = false } = {}) {
  const name = av?.name || av?.code || 'Avatar';
  const medal = h('span', {
    class: ['pr-avatar', `pr-avatar-${size}`, `pr-rarity-${av?.rarity || 'common'}`],
    role: labelled ? 'img' : null, 'aria-label': labelled ? name : null, 'aria-hidden': labelled ? null : 'true',
  }, h('span', { class: 'pr-avatar-mono' }, initials(name)));
  if (USE_AVATAR_IMAGES && av?.image_url) {
    const img = h('img', { src: av.image_url, alt: labelled ? name : '', loading: 'lazy', class: 'pr-avatar-img' });
    img.addEventListener('error', () => img.remove());
    medal.append(img);
  }
  return medal;
}

// The Achievements / Avatars tab bar (links: each is its own page).
function tabs(current) {
  const tab = (href, text) => h('a', { href, class: 'pr-tab', 'aria-current': current === href ? 'page' : null }, text);
  return h('nav', { class: 'pr-tabs', 'aria-label': 'Achievements and avatars' },
    tab('/achievements', 'Achievements'), tab('/avatars', 'Avatars'));
}

/* ---- Achievements ------------------------------------------------------ */

function statusOf(a) {
  if (a.earned) return 'earned';
  if (a.hidden) return 'locked';
  return (a.progress?.have || 0) > 0 ? 'progress' : 'locked';
}

function achievementCard(a) {
  const status = statusOf(a);
  const have = Math.min(a.progress?.have || 0, a.progress?.need || 0);
  const need = a.progress?.need || 0;
  const pct = need ? (have / need) * 100 : 0;
  const mystery = a.hidden && !a.earned;
  return h('li', { class: ['card', 'pr-ach', `pr-ach-${status}`], id: `ach-${a.id}` },
    h('div', { class: 'pr-ach-icon', 'aria-hidden': 'true' }, a.badge_icon_url
      ? h('img', { src: a.badge_icon_url, alt: '' })
      : (mystery ? '?' : status === 'earned' ? '★' : '☆')),
    h('div', { class: 'pr-ach-body' },
      h('h3', {}, a.name),
      h('p', { class: 'muted small' }, a.description),
      h('div', { class: 'row pr-ach-meta' },
        a.category ? badge(a.category) : null,
        a.xp_reward ? badge(`+${fmt.num(a.xp_reward)} XP`, 'accent') : null,
        a.avatar ? h('a', { href: '/avatars', class: 'badge badge-warn pr-badge-link' }, `Avatar: ${a.avatar.name}`) : null),
      status === 'earned'
        ? h('p', { class: 'pr-earned small' }, badge('Earned', 'ok'), ' ', h('time', { datetime: a.earned_at }, fmt.date(a.earned_at)))
        : mystery
          ? null
          : h('div', { class: 'pr-ach-bar' },
            progressBar(pct, `${a.name}: ${fmt.num(have)} of ${fmt.num(need)}`),
            h('p', { class: 'small muted' }, `${fmt.num(have)} of ${fmt.num(need)}`,
              need && have >= need ? ' · unlocks with your next lesson or quiz' : ''))));
}

function achievementGroups(items, category) {
  const shown = category ? items.filter((a) => a.category === category) : items;
  const groups = [
    ['earned', 'Earned', 'Nothing earned here yet. Finish a lesson or a quiz to get started.'],
    ['progress', 'In progress', 'Nothing under way here right now.'],
    ['locked', 'Locked', 'Nothing left to unlock here: well done!'],
  ];
  if (!shown.length) return empty('No achievements in this category.');
  return h('div', { class: 'stack' }, groups.map(([key, title, none]) => {
    const list = shown.filter((a) => statusOf(a) === key);
    if (key === 'progress') list.sort((x, y) => (y.progress.have / y.progress.need) - (x.progress.have / x.progress.need));
    if (key === 'earned') list.sort((x, y) => String(y.earned_at).localeCompare(String(x.earned_at)));
    return h('section', { class: 'pr-group', 'aria-labelledby': `grp-${key}` },
      h('h2', { id: `grp-${key}` }, title, ' ', h('span', { class: 'muted pr-count' }, `(${list.length})`)),
      list.length ? h('ul', { class: 'grid grid-2 pr-ach-list' }, list.map(achievementCard))
        : h('p', { class: 'muted' }, none));
  }));
}

function xpLink(item) {
  const id = item.entity_id;
  switch (item.entity_type) {
  case 'attempt': return id && `/attempts/${id}`;
  case 'lesson': return id && `/lessons/${id}`;
  case 'achievement': return id && `/achievements#ach-${id}`;
  case 'goal': return '/goals';
  default: return null;
  }
}

function xpRow(item) {
  const href = xpLink(item);
  const reason = item.reason || item.source;
  return h('li', { class: 'pr-xp-row' },
    h('span', { class: 'pr-xp-amount' }, `${item.amount >= 0 ? '+' : ''}${fmt.num(item.amount)} XP`),
    h('span', { class: 'pr-xp-reason' }, href ? h('a', { href }, reason) : reason),
    h('time', { class: 'muted small', datetime: item.occurred_at, title: fmt.datetime(item.occurred_at) }, fmt.ago(item.occurred_at)));
}

function summary(xp, achievements) {
  const earned = achievements.filter((a) => a.earned).length;
  const toNext = Math.max(0, xp.next_level_at - xp.xp);
  return h('section', { class: 'card pr-summary', 'aria-label': 'Your level' },
    h('div', { class: 'pr-level', 'aria-hidden': 'true' }, h('span', {}, 'Level'), h('strong', {}, xp.level)),
    h('div', { class: 'pr-summary-body' },
      h('div', { class: 'grid grid-3' },
        h('div', { class: 'stat' }, h('span', { class: 'value' }, `Level ${xp.level}`), h('span', { class: 'label' }, 'Your level')),
        h('div', { class: 'stat' }, h('span', { class: 'value' }, fmt.num(xp.xp)), h('span', { class: 'label' }, 'Total XP')),
        h('div', { class: 'stat' }, h('span', { class: 'value' }, `${earned} / ${achievements.length}`), h('span', { class: 'label' }, 'Achievements earned'))),
      progressBar(xp.progress_percent, `Progress to level ${xp.level + 1}`),
      h('p', { class: 'small muted pr-next' }, `${fmt.num(toNext)} XP to level ${xp.level + 1}`,
        ` (${fmt.num(xp.xp - xp.level_starts_at)} of ${fmt.num(xp.next_level_at - xp.level_starts_at)} in this level)`)));
}

function xpHistory(xp) {
  const list = h('ol', { class: 'pr-xp-list' }, xp.items.map(xpRow));
  const more = (next) => api.get('/me/xp' + qs({ after: next, limit: 20 })).then((page) => {
    list.append(...page.items.map(xpRow));
    const b = moreButton(page.next, more);
    if (b) wrap.append(b);
  });
  const wrap = h('section', { class: 'card pr-xp', 'aria-labelledby': 'xp-h' },
    h('h2', { id: 'xp-h' }, 'Recent XP'),
    xp.items.length ? list : h('p', { class: 'muted' }, 'No XP yet. Complete a lesson (20 XP) or finish a quiz (10 XP and more) to earn some.'),
    moreButton(xp.next, more));
  return wrap;
}

async function achievementsPage(ctx) {
  ctx.title('Achievements');
  const body = h('div', {});
  clear(ctx.main, pageHeader('Achievements', h('a', { href: '/leaderboard', class: 'btn btn-secondary' }, 'Leaderboard')), tabs('/achievements'), body);
  await load(body, () => Promise.all([api.get('/me/xp?limit=10'), api.get('/me/achievements')]), ([xp, ach]) => {
    const items = ach.items || [];
    const cats = [...new Set(items.map((a) => a.category).filter(Boolean))];
    const groups = h('div', { 'aria-live': 'polite' }, achievementGroups(items, ''));
    const filter = cats.length > 1 ? field({
      label: 'Category', name: 'category', type: 'select', value: '',
      options: [['', `All categories (${items.length})`], ...cats.map((c) => [c, `${c} (${items.filter((a) => a.category === c).length})`])],
    }) : null;
    filter?.querySelector('select').addEventListener('change', (e) => clear(groups, achievementGroups(items, e.target.value)));
    return h('div', { class: 'pr-ach-page' },
      summary(xp, items),
      h('div', { class: 'pr-ach-layout' },
        h('div', { class: 'pr-ach-main' },
          filter ? h('div', { class: 'filters' }, filter) : null,
          items.length ? groups : empty('There are no achievements yet.')),
        h('aside', { class: 'pr-ach-side' }, xpHistory(xp))));
  });
  // A link to one achievement (#ach-<id>, from a notification) scrolls to it.
  const target = location.hash && ctx.current() && document.getElementById(location.hash.slice(1));
  if (target) { target.classList.add('pr-flash'); setTimeout(() => target.scrollIntoView({ block: 'center' }), 50); }
}

/* ---- Avatars ----------------------------------------------------------- */

function avatarOption(av, selected) {
  const id = `av-${av.id}`;
  const how = av.unlocked ? (av.equipped ? 'Wearing now' : 'Yours')
    : av.unlocked_by ? `Earn “${av.unlocked_by}”` : 'Earn a hidden achievement';
  return h('li', { class: ['pr-av', av.unlocked ? 'pr-av-have' : 'pr-av-locked', av.equipped && 'pr-av-worn'] },
    h('input', { type: 'radio', name: 'avatar_id', value: av.id, id, class: 'pr-av-radio', checked: selected, 'aria-describedby': `${id}-how` }),
    h('label', { for: id, class: 'pr-av-label' },
      avatarArt(av, { size: 'lg' }),
      h('span', { class: 'pr-av-name' }, av.name),
      h('span', { class: 'pr-av-tags' },
        h('span', { class: `badge pr-rarity-badge pr-rarity-${av.rarity}` }, RARITY[av.rarity] || av.rarity),
        av.equipped ? badge('Wearing', 'ok') : av.unlocked ? null : badge('Locked')),
      h('span', { class: 'pr-av-how small muted', id: `${id}-how` }, how)));
}

function avatarDetail(av) {
  if (!av) return h('p', { class: 'muted' }, 'Choose an avatar to see it here.');
  return h('div', { class: 'pr-av-detail' },
    avatarArt(av, { size: 'xl', labelled: true }),
    h('div', {},
      h('h2', {}, av.name, ' ', h('span', { class: `badge pr-rarity-badge pr-rarity-${av.rarity}` }, RARITY[av.rarity] || av.rarity)),
      h('p', {}, av.description),
      av.equipped ? h('p', {}, badge('You are wearing it', 'ok'))
        : av.unlocked ? h('p', { class: 'muted small' }, av.unlocked_at ? `Unlocked ${fmt.date(av.unlocked_at)}.` : 'Everybody has this one.')
          : h('p', { class: 'pr-unlock' }, av.unlocked_by
            ? ['Locked. Earn the achievement ', h('a', { href: '/achievements' }, `“${av.unlocked_by}”`), ' to unlock it.']
            : ['Locked. It comes with a hidden achievement: ', h('a', { href: '/achievements' }, 'keep learning'), ' to find out which.'])));
}

function avatarForm(ctx, items, rerender) {
  const worn = items.find((a) => a.equipped);
  let chosen = worn || items[0];
  const detail = h('div', { class: 'card pr-av-side', 'aria-live': 'polite' }, avatarDetail(chosen));
  const submit = h('button', { type: 'submit', class: 'btn' }, 'Wear this avatar');
  const sync = () => {
    clear(detail, avatarDetail(chosen));
    submit.textContent = chosen?.equipped ? 'You are wearing it' : chosen?.unlocked ? `Wear ${chosen.name}` : `${chosen?.name} is locked`;
    submit.disabled = !chosen || chosen.equipped || !chosen.unlocked;
  };
  const groups = ['common', 'rare', 'epic', 'legendary'].map((r) => [r, items.filter((a) => a.rarity === r)])
    .filter(([, list]) => list.length);
  const others = items.filter((a) => !RARITY[a.rarity]);
  if (others.length) groups.push(['other', others]);
  const form = h('form', { class: 'pr-av-form', 'aria-label': 'Choose your avatar' },
    h('div', { class: 'pr-av-layout' },
      h('fieldset', { class: 'pr-av-fieldset', 'data-field': 'avatar_id' },
        h('legend', {}, 'Your avatars ', h('span', { class: 'muted' }, `(${items.filter((a) => a.unlocked).length} of ${items.length} unlocked)`)),
        h('p', { class: 'hint' }, 'Use the arrow keys to look through them, then choose “Wear”.'),
        h('div', { role: 'radiogroup', 'aria-label': 'Avatars', class: 'pr-av-groups' },
          groups.map(([r, list]) => h('div', { class: 'pr-av-rarity' },
            h('h3', { class: 'pr-av-rarity-h' }, RARITY[r] || 'Other'),
            h('ul', { class: 'pr-av-grid' }, list.map((a) => avatarOption(a, a === chosen)))))),
        h('p', { class: 'field-error' })),
      h('div', { class: 'pr-av-aside' }, detail, h('div', { class: 'row' }, submit))));
  form.addEventListener('change', (e) => {
    if (e.target.name !== 'avatar_id') return;
    chosen = items.find((a) => a.id === e.target.value);
    sync();
  });
  onSubmit(form, async () => {
    try {
      await api.put('/me/avatar', { avatar_id: chosen.id });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        throw new ApiError(409, { detail: `${chosen.name} is still locked. ${chosen.unlocked_by ? `Earn “${chosen.unlocked_by}” to unlock it.` : 'Keep learning to unlock it.'}` });
      }
      throw err;
    }
    toast(`You are now wearing ${chosen.name}.`, 'success');
    const keep = chosen.id;
    await rerender(keep);
    ctx.refreshUser().catch(() => {});
  });
  sync();
  return form;
}

async function avatarsPage(ctx) {
  ctx.title('Avatars');
  const body = h('div', {});
  clear(ctx.main, pageHeader('Avatars'), tabs('/avatars'), body);
  const render = async (focusId) => {
    clear(body, loading());
    let data;
    try { data = await api.get('/me/avatars'); } catch (err) { clear(body, errorBox(err, () => render())); return; }
    if (!ctx.current()) return;
    const items = data.items || [];
    if (!items.length) { clear(body, empty('There are no avatars yet.')); return; }
    const worn = items.find((a) => a.equipped);
    clear(body,
      h('p', { class: 'lead pr-av-intro' }, worn ? ['You are wearing ', h('strong', {}, worn.name), '. '] : 'You have not chosen an avatar yet. ',
        'Common avatars are everybody’s; each of the others comes with an achievement.'),
      avatarForm(ctx, items, render));
    if (focusId) body.querySelector(`#av-${CSS.escape(focusId)}`)?.focus();
  };
  await render();
}

export default async function achievements(ctx) {
  if (ctx.path.replace(/\/$/, '') === '/avatars') return avatarsPage(ctx);
  return achievementsPage(ctx);
}
