// ui.js - small building blocks shared by every page: elements, forms with
// per-field errors, loading, empty and error states, toasts, dialogs,
// progress bars, bar charts and formatting.  Text is always set as text;
// only HTML the server renders itself (lessons, search snippets) goes in
// through trustedHtml().

import { ApiError } from './api.js';

// h('div', {class: 'card', onclick: fn, 'aria-label': 'x'}, 'text', child, [more])
export function h(tag, attrs, ...children) {
  const el = tag.startsWith('svg:')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2).toLowerCase(), v);
    } else if (k === 'class') {
      el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k === 'style' && typeof v === 'object') {
      for (const [p, val] of Object.entries(v)) el.style.setProperty(p, val);
    } else if (k === 'value' && 'value' in el) {
      el.value = v;
    } else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'hidden' || k === 'multiple' || k === 'required' || k === 'open') {
      el[k] = !!v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

// HTML made by the server from Markdown it sanitized (lessons, snippets).
export function trustedHtml(el, html) {
  el.innerHTML = html || '';
  for (const a of el.querySelectorAll('a[href^="http"]')) {
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
  }
  return el;
}

let uid = 0;
export const nextId = (prefix = 'f') => `${prefix}-${++uid}`;

// A labelled form field with room for its error message.
// field({label, name, type, value, required, hint, options: [[value, text]],
//        rows, min, max, step, placeholder, autocomplete, attrs})
export function field(o) {
  const id = nextId(o.name || 'field');
  const hintId = o.hint ? id + '-hint' : null;
  const errId = id + '-err';
  const common = {
    id, name: o.name, required: o.required, placeholder: o.placeholder,
    autocomplete: o.autocomplete, 'aria-describedby': [hintId, errId].filter(Boolean).join(' '),
    ...o.attrs,
  };
  let input;
  if (o.type === 'select') {
    input = h('select', common, (o.options || []).map(([v, t]) =>
      h('option', { value: v, selected: String(o.value ?? '') === String(v) }, t)));
  } else if (o.type === 'textarea') {
    input = h('textarea', { ...common, rows: o.rows || 4 });
    input.value = o.value ?? '';
  } else if (o.type === 'checkbox') {
    input = h('input', { ...common, type: 'checkbox', checked: !!o.value });
    return h('div', { class: 'field field-check' }, input,
      h('label', { for: id }, o.label),
      o.hint && h('p', { class: 'hint', id: hintId }, o.hint),
      h('p', { class: 'field-error', id: errId }));
  } else {
    input = h('input', {
      ...common, type: o.type || 'text', min: o.min, max: o.max, step: o.step,
      minlength: o.minlength, maxlength: o.maxlength,
    });
    if (o.value !== undefined && o.value !== null) input.value = o.value;
  }
  return h('div', { class: 'field' },
    h('label', { for: id }, o.label, o.required && h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    input,
    o.hint && h('p', { class: 'hint', id: hintId }, o.hint),
    h('p', { class: 'field-error', id: errId }));
}

// The form's values by name: checkboxes as booleans, numbers as numbers
// (type=number), empty strings left out unless keepEmpty.
export function formValues(form, { keepEmpty = false } = {}) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.type === 'number') { if (el.value !== '') out[el.name] = Number(el.value); else if (keepEmpty) out[el.name] = null; }
    else if (el.value !== '' || keepEmpty) out[el.name] = el.value;
  }
  return out;
}

// Shows an API error on a form: each 422 field message under its input
// (matched by name, with any "body." prefix dropped, or by data-field; a
// nested path falls back to the nearest enclosing one, see fieldTarget),
// and the detail in the form's alert box.
// The input (or the data-field wrapper) for an API field path: the path
// itself, else its nearest enclosing path ("options[2].text", then
// "options[2]", then "options"), else a wrapper for the whole "body".
function fieldTarget(form, path) {
  const find = (n) => form.querySelector(`[data-field="${CSS.escape(n)}"]`) ||
    (form.elements.namedItem ? form.elements.namedItem(n) : null);
  let name = String(path || '').replace(/^body\./, '');
  while (name) {
    const t = find(name);
    if (t) return t;
    const cut = Math.max(name.lastIndexOf('.'), name.lastIndexOf('['));
    name = cut > 0 ? name.slice(0, cut) : '';
  }
  return find('body');
}

export function showErrors(form, err) {
  clearErrors(form);
  const box = form.querySelector('.form-alert') || form.prepend(h('div', { class: 'form-alert', role: 'alert' })) || form.querySelector('.form-alert');
  const unplaced = [];
  let first = null;
  for (const e of (err instanceof ApiError ? err.errors : [])) {
    const name = String(e.field || '').replace(/^body\./, '');
    const input = fieldTarget(form, e.field);
    const target = input && (input.length && !input.tagName ? input[0] : input);
    const wrap = target && target.closest('.field, [data-field]');
    const slot = wrap && wrap.querySelector('.field-error');
    if (slot) {
      slot.textContent = e.message;
      if (target.setAttribute) target.setAttribute('aria-invalid', 'true');
      if (!first) first = target;
    } else {
      unplaced.push(`${name}: ${e.message}`);
    }
  }
  const msg = err instanceof Error ? err.message : String(err);
  clear(box, h('p', {}, msg), unplaced.length ? h('ul', {}, unplaced.map((m) => h('li', {}, m))) : null);
  box.hidden = false;
  (first || box).focus?.();
  if (!first) { box.tabIndex = -1; box.focus(); }
}

export function clearErrors(form) {
  for (const s of form.querySelectorAll('.field-error')) s.textContent = '';
  for (const i of form.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
  const box = form.querySelector('.form-alert');
  if (box) { box.hidden = true; box.replaceChildren(); }
}

// Wires a form: on submit, runs action(values, form) with the button busy,
// and shows any error in place.  Returns the form.
export function onSubmit(form, action) {
  if (!form.querySelector('.form-alert')) form.prepend(h('div', { class: 'form-alert', role: 'alert', hidden: true }));
  form.noValidate = true;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const btn = form.querySelector('button[type=submit], button:not([type])');
    if (btn?.disabled) return;
    clearErrors(form);
    if (btn) { btn.disabled = true; btn.setAttribute('aria-busy', 'true'); }
    try {
      await action(formValues(form), form);
    } catch (err) {
      if (err?.name === 'AbortError') return;
      showErrors(form, err);
    } finally {
      if (btn) { btn.disabled = false; btn.removeAttribute('aria-busy'); }
    }
  });
  return form;
}

export function button(text, onclick, cls = 'btn', attrs = {}) {
  return h('button', { type: 'button', class: cls, onclick, ...attrs }, text);
}

export function loading(text = 'Loading…') {
  return h('div', { class: 'state state-loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

export function empty(text, action) {
  return h('div', { class: 'state state-empty' }, h('p', {}, text), action || null);
}

export function errorBox(err, retry) {
  return h('div', { class: 'state state-error', role: 'alert' },
    h('p', {}, err instanceof Error ? err.message : String(err)),
    retry ? button('Try again', retry, 'btn btn-secondary') : null);
}

// Fills el with a loading state, then with what render(data) returns, or an
// error with a retry button.
export async function load(el, fetcher, render) {
  const run = async () => {
    clear(el, loading());
    try {
      const data = await fetcher();
      clear(el, await render(data));
    } catch (err) {
      if (err?.name === 'AbortError') return;
      clear(el, errorBox(err, run));
    }
  };
  await run();
}

// Removes every toast still shown (a change of who is signed in makes them
// stale).
export function clearToasts() {
  document.getElementById('toasts')?.replaceChildren();
}

export function toast(text, kind = 'info', ms = 4000) {
  const box = document.getElementById('toasts');
  const t = h('div', { class: `toast toast-${kind}` }, text);
  box.append(t);
  setTimeout(() => t.remove(), ms);
}

// A modal question; resolves true when confirmed.
export function confirmDialog(message, { ok = 'OK', cancel = 'Cancel', danger = false } = {}) {
  return new Promise((resolve) => {
    const d = h('dialog', { class: 'dialog', 'aria-label': message },
      h('form', { method: 'dialog' },
        h('p', {}, message),
        h('div', { class: 'row end' },
          h('button', { value: 'cancel', class: 'btn btn-secondary' }, cancel),
          h('button', { value: 'ok', class: danger ? 'btn btn-danger' : 'btn' }, ok))));
    d.addEventListener('close', () => { resolve(d.returnValue === 'ok'); d.remove(); });
    document.body.append(d);
    d.showModal();
  });
}

export function progressBar(percent, label) {
  const p = Math.max(0, Math.min(100, Number(percent) || 0));
  const bar = h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(p), 'aria-label': label || 'Progress' },
    h('div', { class: 'progress-fill' }));
  bar.firstChild.style.width = p + '%';
  return bar;
}

// A horizontal bar chart: rows of {label, value (0..max), note}.  It is a
// list a screen reader reads as text, drawn with CSS.
export function barChart(rows, { max = 100, unit = '%', label = 'Chart', mark } = {}) {
  return h('figure', { class: 'chart' },
    h('figcaption', { class: 'sr-only' }, label),
    h('ul', { class: 'chart-rows' }, rows.map((r) => {
      const v = Number(r.value) || 0;
      const fill = h('span', { class: ['chart-fill', r.kind && `chart-${r.kind}`] });
      fill.style.width = Math.max(0, Math.min(100, (v / max) * 100)) + '%';
      const track = h('span', { class: 'chart-track', 'aria-hidden': 'true' }, fill);
      if (mark !== undefined) {
        const m = h('span', { class: 'chart-mark' });
        m.style.left = (mark / max) * 100 + '%';
        track.append(m);
      }
      return h('li', { class: 'chart-row' },
        h('span', { class: 'chart-label' }, r.label),
        track,
        h('span', { class: 'chart-value' }, r.text ?? `${Math.round(v * 10) / 10}${unit}`));
    })));
}

export function badge(text, kind = '') {
  return h('span', { class: ['badge', kind && `badge-${kind}`] }, text);
}

export const fmt = {
  date(s) { return s ? new Date(s).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }) : ''; },
  datetime(s) { return s ? new Date(s).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : ''; },
  ago(s) {
    if (!s) return '';
    const sec = (Date.now() - new Date(s).getTime()) / 1000;
    const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
    if (Math.abs(sec) < 60) return rtf.format(-Math.round(sec), 'second');
    if (Math.abs(sec) < 3600) return rtf.format(-Math.round(sec / 60), 'minute');
    if (Math.abs(sec) < 86400) return rtf.format(-Math.round(sec / 3600), 'hour');
    return rtf.format(-Math.round(sec / 86400), 'day');
  },
  // 3725 -> "1:02:05"; 65 -> "1:05"
  clock(sec) {
    sec = Math.max(0, Math.floor(sec));
    const hh = Math.floor(sec / 3600), mm = Math.floor((sec % 3600) / 60), ss = sec % 60;
    const two = (n) => String(n).padStart(2, '0');
    return hh ? `${hh}:${two(mm)}:${two(ss)}` : `${mm}:${two(ss)}`;
  },
  minutes(sec) { const m = Math.round((Number(sec) || 0) / 60); return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`; },
  pct(v, digits = 0) { return v === null || v === undefined ? '–' : `${Number(v).toFixed(digits)}%`; },
  num(v) { return Number(v || 0).toLocaleString(); },
};

// A page heading with an optional row of actions.
export function pageHeader(title, ...actions) {
  return h('div', { class: 'page-header' }, h('h1', {}, title),
    actions.length ? h('div', { class: 'page-actions' }, actions) : null);
}

// A table from rows: cols is [{label, cell: (row) => node|string, class}].
export function table(cols, rows, { caption } = {}) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    caption ? h('caption', { class: 'sr-only' }, caption) : null,
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col', class: c.class }, c.label)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, cols.map((c) => h('td', { class: c.class }, c.cell(r))))))));
}

// A link that the router handles (no full page load).
export function link(href, text, attrs = {}) {
  return h('a', { href, ...attrs }, text);
}

// Keyset paging: a "Load more" button that calls more() until next is null.
export function moreButton(next, more) {
  if (!next) return null;
  const b = button('Load more', async () => {
    b.disabled = true;
    try { await more(next); b.remove(); } catch (e) { b.disabled = false; toast(e.message, 'error'); }
  }, 'btn btn-secondary more');
  return b;
}

export function debounce(fn, ms = 250) {
  let t;
  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
}
