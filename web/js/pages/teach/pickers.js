// teach/pickers.js - choosing people and lessons by name instead of typing
// their ids: a typeahead over GET /users/lookup (people of the caller's
// organization; a hidden input carries the id), and a select of the lessons
// of the courses the caller may edit, grouped by course (from the course
// APIs).
import { api, qs } from '../../api.js';
import { h, clear, field, nextId, debounce } from '../../ui.js';

const personName = (u) => (u.display_name && u.display_name !== u.username
  ? `${u.display_name} (${u.username})` : u.username);

// A combobox (WAI-ARIA 1.2 pattern with a list box) that looks people up
// as one types two characters or more.  userPicker({label, name, hint,
// staff, exclude}) returns the field; its hidden input `name` holds the
// chosen id, and el.clearChoice() empties it.
export function userPicker({ label, name = 'user_id', hint, staff = false, exclude = () => [] }) {
  const wrap = field({ label, name: `${name}-search`, hint, autocomplete: 'off',
    attrs: { role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', spellcheck: 'false' } });
  wrap.classList.add('picker');
  wrap.dataset.field = name;
  const input = wrap.querySelector('input');
  const hidden = h('input', { type: 'hidden', name });
  const listId = nextId('picker-list');
  const list = h('ul', { class: 'picker-list', role: 'listbox', id: listId, hidden: true, 'aria-label': label });
  const status = h('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  input.setAttribute('aria-controls', listId);
  input.after(hidden, list, status);
  let items = [];
  let active = -1;
  let token = 0;

  const close = () => { list.hidden = true; input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant'); active = -1; };
  const highlight = (i) => {
    active = i;
    [...list.children].forEach((li, k) => li.setAttribute('aria-selected', String(k === i)));
    if (i >= 0 && list.children[i]) {
      input.setAttribute('aria-activedescendant', list.children[i].id);
      list.children[i].scrollIntoView?.({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const choose = (u) => {
    hidden.value = u.id;
    input.value = personName(u);
    close();
    status.textContent = `${personName(u)} chosen.`;
  };
  const show = (found, text) => {
    items = found;
    clear(list, found.length ? found.map((u, i) => h('li', {
      id: `${listId}-${i}`, role: 'option', class: 'picker-option', 'aria-selected': 'false',
      onmousedown: (e) => { e.preventDefault(); choose(u); },
    }, h('span', {}, u.display_name || u.username), h('span', { class: 'muted small' }, ` ${u.username} · ${u.role}`)))
      : h('li', { class: 'picker-none muted small', role: 'option', 'aria-disabled': 'true' }, text));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(-1);
    status.textContent = found.length ? `${found.length} ${found.length === 1 ? 'person' : 'people'} found.` : text;
  };
  const search = debounce(async () => {
    const q = input.value.trim();
    const mine = ++token;
    if (q.length < 2) { close(); return; }
    try {
      const d = await api.get('/users/lookup' + qs({ q, staff: staff ? 'true' : '', limit: 10 }));
      if (mine !== token) return;
      const skip = new Set(exclude());
      show(d.items.filter((u) => !skip.has(u.id)), 'Nobody of your organization matches.');
    } catch (e) {
      if (mine === token) show([], e.message);
    }
  }, 250);
  input.addEventListener('input', () => { hidden.value = ''; search(); });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (list.hidden || !items.length) return;
      e.preventDefault();
      const n = items.length;
      highlight(e.key === 'ArrowDown' ? (active + 1) % n : (active - 1 + n) % n);
    } else if (e.key === 'Enter' && !list.hidden && active >= 0) {
      e.preventDefault();
      choose(items[active]);
    } else if (e.key === 'Escape' && !list.hidden) {
      e.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
  wrap.clearChoice = () => { hidden.value = ''; input.value = ''; close(); };
  return wrap;
}

// The lessons of the courses the caller may edit, as [course, lessons].
async function editableLessons() {
  const courses = [];
  let after;
  for (let page = 0; page < 5; page++) {
    const d = await api.get('/courses' + qs({ status: 'all', limit: 100, after }));
    courses.push(...d.items.filter((c) => c.can_edit));
    if (!d.next) break;
    after = d.next;
  }
  const outlines = await Promise.all(courses.slice(0, 40).map((c) => api.get(`/courses/${c.id}`).catch(() => null)));
  return outlines.filter(Boolean).map((c) => [c, (c.units || []).flatMap((u) => (u.lessons || []).map((l) => ({ ...l, unit: u.title })))])
    .filter(([, ls]) => ls.length);
}

// A select of lessons by course and title.  lessonPicker({label, name,
// value, hint}) returns the field; the lessons load in the background, and
// a value that is not among them stays as it is.
export function lessonPicker({ label, name = 'lesson_id', value = '', hint }) {
  const wrap = field({ label, name, type: 'select', value, hint,
    options: [['', 'None'], ...(value ? [[value, 'Loading the lesson…']] : [])] });
  const sel = wrap.querySelector('select');
  sel.setAttribute('aria-busy', 'true');
  editableLessons().then((groups) => {
    const keep = sel.value;
    const known = groups.some(([, ls]) => ls.some((l) => l.id === keep));
    clear(sel, h('option', { value: '' }, 'None'),
      keep && !known ? h('option', { value: keep }, 'A lesson you cannot edit') : null,
      groups.map(([c, ls]) => h('optgroup', { label: c.title },
        ls.map((l) => h('option', { value: l.id }, `${l.title} (${l.unit})`)))));
    sel.value = keep;
  }).catch(() => {
    const p = wrap.querySelector('.hint');
    if (p) p.textContent = 'The lessons could not be loaded; reload the page to choose one.';
  }).finally(() => sel.removeAttribute('aria-busy'));
  return wrap;
}
