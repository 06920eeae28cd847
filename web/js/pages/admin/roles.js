// admin/roles.js - the organization's roles (/admin/roles, role.manage):
// each role with its permissions and how many accounts have it; a form to
// define a role of one's own (key, name, description, the permissions it
// grants, as checkboxes); and, for those roles, changing and deleting them.
// The built-in three are shown, not editable.  Permissions the admin does
// not hold are shown but cannot be ticked: the server refuses them too.
import { api } from '../../api.js';
import {
  h, clear, field, onSubmit, loading, errorBox, toast, confirmDialog, badge, pageHeader, button,
} from '../../ui.js';
import { state } from '../../app.js';

function permissionBoxes(all, chosen, mine) {
  return h('fieldset', { class: 'perm-boxes', 'data-field': 'permissions' },
    h('legend', {}, 'Permissions'),
    h('ul', { class: 'perm-list' }, all.map((p) => {
      const id = `perm-${p.code.replace('.', '-')}-${Math.random().toString(36).slice(2, 7)}`;
      const held = mine.includes(p.code);
      return h('li', {},
        h('input', {
          type: 'checkbox', id, value: p.code, 'data-perm': '1', checked: chosen.includes(p.code),
          disabled: !held, 'aria-describedby': `${id}-d`,
        }),
        h('label', { for: id }, h('code', {}, p.code)),
        h('span', { class: 'hint', id: `${id}-d` }, p.description + (held ? '' : ' (your role does not hold it)')));
    })),
    h('p', { class: 'field-error' }));
}

function chosenPermissions(form) {
  return [...form.querySelectorAll('input[data-perm]')].filter((x) => x.checked).map((x) => x.value);
}

function roleForm(all, role, done) {
  const mine = state.user?.permissions || [];
  const form = h('form', { class: 'stack role-form' },
    role ? null : field({ label: 'Key', name: 'key', required: true, maxlength: 32,
      hint: 'What the API calls it: a lowercase letter, then lowercase letters, digits or _ (e.g. ta).' }),
    field({ label: 'Name', name: 'name', required: true, maxlength: 100, value: role?.name }),
    field({ label: 'Description', name: 'description', type: 'textarea', rows: 2, value: role?.description }),
    permissionBoxes(all, role?.permissions || ['account.self', 'learn'], mine),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, role ? 'Save role' : 'Create role')));
  for (const el of form.querySelectorAll('input[data-perm]')) el.name = '';
  onSubmit(form, async (v) => {
    const body = { name: v.name, description: v.description || '', permissions: chosenPermissions(form) };
    const saved = role
      ? await api.patch(`/admin/roles/${role.key}`, body)
      : await api.post('/admin/roles', { key: v.key, ...body });
    toast(`${saved.name} ${role ? 'saved' : 'created'}.`, 'success');
    await done();
  });
  return form;
}

function roleCard(all, role, refresh) {
  const body = h('div', { class: 'stack' });
  const show = () => clear(body,
    h('p', {}, role.description || h('span', { class: 'muted' }, 'No description.')),
    h('ul', { class: 'chips', 'aria-label': `Permissions of ${role.name}` },
      role.permissions.map((p) => h('li', { class: 'chip' }, h('code', {}, p)))),
    role.builtin ? h('p', { class: 'muted small' }, 'Built in: it does not change.')
      : h('div', { class: 'row' },
        button('Edit', () => clear(body, roleForm(all, role, refresh)), 'btn btn-secondary'),
        button('Delete', async () => {
          if (role.members > 0) { toast(`${role.members} account(s) have this role: give them another one first.`, 'error'); return; }
          if (!await confirmDialog(`Delete the role ${role.name}?`, { ok: 'Delete', danger: true })) return;
          try {
            await api.del(`/admin/roles/${role.key}`);
            toast(`${role.name} deleted.`, 'success');
            await refresh();
          } catch (err) { toast(err.message, 'error'); }
        }, 'btn btn-danger')));
  show();
  return h('section', { class: 'card role-card', 'aria-labelledby': `role-${role.key}` },
    h('h2', { id: `role-${role.key}` }, role.name, ' ', h('code', { class: 'muted small' }, role.key), ' ',
      role.builtin ? badge('Built in') : null,
      badge(`${role.members} ${role.members === 1 ? 'member' : 'members'}`, 'ok')),
    body);
}

export default async function roles(ctx) {
  ctx.title('Roles');
  const main = ctx.main;
  const render = async () => {
    clear(main, loading('Loading roles…'));
    try {
      const [list, perms] = await Promise.all([api.get('/roles'), api.get('/permissions')]);
      const all = perms.items;
      const create = h('section', { class: 'card', 'aria-labelledby': 'new-role-h', hidden: true },
        h('h2', { id: 'new-role-h' }, 'New role'), roleForm(all, null, render));
      clear(main,
        pageHeader('Roles', button('New role', () => { create.hidden = false; create.querySelector('input')?.focus(); })),
        h('p', { class: 'muted' }, 'A role is a set of permissions. Every route checks one; the built-in ',
          'student, instructor and admin cannot change, and you may define more (a teaching assistant ',
          'who grades but does not author). A change applies at each member\'s next request.'),
        create,
        ...list.items.map((r) => roleCard(all, r, render)));
    } catch (err) {
      clear(main, errorBox(err, render));
    }
  };
  await render();
}
