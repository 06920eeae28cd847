// fcmedia.js - a deck's images, sounds and videos, on the deck page:
//   the list (a thumbnail or a player for each, its size, the Markdown a
//   card uses to show it), uploads (one or many files; a picture pasted or
//   dropped into a note's text is uploaded and its Markdown put where the
//   cursor is), and removal.  The server decides what a file is from its
//   bytes; a type a card cannot show comes back as a 415 and is said so.
import { api, ApiError } from '../api.js';
import { h, clear, button, toast, confirmDialog, fmt } from '../ui.js';

const FC = '/flashcards';

// The characters a media name may not hold (Anki's rule, as the server's).
const BAD = /[[\]<>:"/?*^\\|\u0000-\u001f\u007f]/g;

// A file's name made fit for a deck: forbidden characters as '-', no
// leading dot or space, at most 120 bytes (the extension kept).
export function mediaName(name) {
  let s = (name || 'file').replace(BAD, '-').replace(/^[.\s]+/, '').trim() || 'file';
  const enc = new TextEncoder();
  while (enc.encode(s).length > 120) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 8 ? s.slice(dot) : '';
    s = s.slice(0, s.length - ext.length - 1) + ext;
  }
  return s;
}

const url = (deck, name) => `/api/v1${FC}/decks/${deck.id}/media/${encodeURIComponent(name)}`;

// Uploads a File under its own name (made fit); the server's answer.
export async function uploadMedia(deck, file, name = mediaName(file.name)) {
  const r = await api.request('PUT', `${FC}/decks/${deck.id}/media/${encodeURIComponent(name)}`,
    { raw: file, contentType: file.type || 'application/octet-stream' });
  return r.data;
}

function problemText(e) {
  return e instanceof ApiError && e.problem?.detail ? e.problem.detail : e.message;
}

// Puts text into a textarea at its cursor, as typing would.
export function insertAtCursor(area, text) {
  const at = area.selectionStart ?? area.value.length;
  const to = area.selectionEnd ?? at;
  const before = area.value.slice(0, at);
  const pad = before && !/\s$/.test(before) ? ' ' : '';
  area.setRangeText(pad + text, at, to, 'end');
  area.dispatchEvent(new Event('input', { bubbles: true }));
  area.focus();
}

// Lets a note's textarea take pictures and sounds pasted or dropped into it.
export function acceptMedia(area, deck, uploaded) {
  const take = async (files) => {
    for (const f of files) {
      try {
        const m = await uploadMedia(deck, f);
        insertAtCursor(area, m.markdown);
        uploaded?.(m);
      } catch (e) {
        toast(`${f.name}: ${problemText(e)}`, 'error', 8000);
      }
    }
  };
  area.addEventListener('paste', (ev) => {
    const files = [...(ev.clipboardData?.files || [])];
    if (!files.length) return;
    ev.preventDefault();
    take(files);
  });
  area.addEventListener('dragover', (ev) => { if (ev.dataTransfer?.types?.includes('Files')) ev.preventDefault(); });
  area.addEventListener('drop', (ev) => {
    const files = [...(ev.dataTransfer?.files || [])];
    if (!files.length) return;
    ev.preventDefault();
    take(files);
  });
}

function preview(deck, m) {
  const src = url(deck, m.name);
  if (m.media_type.startsWith('image/')) {
    return h('img', { src, alt: m.name, loading: 'lazy', class: 'fc-media-thumb' });
  }
  if (m.media_type.startsWith('video/')) return h('video', { src, controls: '', preload: 'none', class: 'fc-media-thumb' });
  return h('audio', { src, controls: '', preload: 'none' });
}

// The deck's media panel.  insert(markdown) puts a file's Markdown into the
// note being written (null for a learner, who only sees the files).
export function mediaTools(deck, insert) {
  const writer = deck.role !== 'learner';
  const list = h('ul', { class: 'plain-list fc-media-list', 'data-testid': 'media-list' });
  const room = h('p', { class: 'small muted' });
  const status = h('p', { class: 'small muted', role: 'status' });

  const row = (m) => h('li', { class: 'fc-media', 'data-testid': 'media' },
    preview(deck, m),
    h('div', { class: 'fc-media-text' },
      h('code', {}, m.name),
      h('span', { class: 'small muted' }, ` ${m.media_type}, ${fmt.num(Math.ceil(m.size / 1024))} KiB`)),
    h('div', { class: 'row' },
      writer && insert ? button('Insert', () => insert(markdownOf(m)), 'btn btn-sm btn-secondary',
        { 'aria-label': `Insert ${m.name} into the note` }) : null,
      button('Copy', async () => {
        try {
          await navigator.clipboard.writeText(markdownOf(m));
          toast('Copied.');
        } catch { toast(markdownOf(m)); }
      }, 'btn btn-sm btn-ghost', { 'aria-label': `Copy the Markdown of ${m.name}` }),
      writer ? button('Remove', async () => {
        if (!await confirmDialog(`Remove “${m.name}”? Cards that show it will show nothing in its place.`,
          { ok: 'Remove', danger: true })) return;
        await api.del(`${FC}/decks/${deck.id}/media/${encodeURIComponent(m.name)}`);
        toast('File removed.');
        refresh();
      }, 'btn btn-sm btn-ghost', { 'aria-label': `Remove ${m.name}` }) : null));

  async function refresh() {
    try {
      const r = await api.get(`${FC}/decks/${deck.id}/media`);
      clear(list, r.media.length ? r.media.map(row) : h('li', { class: 'small muted' }, 'No images or sounds yet.'));
      room.textContent = writer ? `Room for ${fmt.num(r.room.files)} more files and ${fmt.num(Math.floor(r.room.bytes / 1048576))} MiB.` : '';
    } catch (e) {
      clear(list, h('li', { class: 'small muted' }, problemText(e)));
    }
  }

  const file = h('input', { type: 'file', multiple: '', accept: 'image/*,audio/*,video/mp4,video/webm',
    'aria-label': 'Images, sounds or videos to add' });
  const go = button('Upload', async () => {
    const files = [...(file.files || [])];
    if (!files.length) { toast('Choose one or more files first.'); return; }
    go.disabled = true;
    let done = 0;
    for (const f of files) {
      status.textContent = `Uploading ${f.name}…`;
      try {
        await uploadMedia(deck, f);
        done++;
      } catch (e) {
        toast(`${f.name}: ${problemText(e)}`, 'error', 8000);
      }
    }
    status.textContent = '';
    go.disabled = false;
    file.value = '';
    if (done) toast(`${done} file${done === 1 ? '' : 's'} added.`, 'success');
    refresh();
  }, 'btn btn-secondary');

  refresh();
  return {
    refresh,
    el: h('section', { class: 'card fc-tools', 'aria-label': 'Images and sounds' },
      h('h2', {}, 'Images and sounds'),
      writer ? h('p', { class: 'small muted' },
        'A card shows a file of its deck by name: ', h('code', {}, '![a diagram](osi.png)'), ' for a picture, ',
        h('code', {}, '[sound:port-22.mp3]'), ' for a sound or a video. Paste or drop a picture into a note to add it.') : null,
      writer ? h('div', { class: 'row' }, file, go) : null, status, room, list),
  };
}

function markdownOf(m) {
  if (!m.media_type.startsWith('image/')) return `[sound:${m.name}]`;
  // An image's address is read with %XX decoded: a '%' is written %25.
  const name = m.name.replace(/%/g, '%25');
  return /[\s()]/.test(m.name) ? `![](<${name}>)` : `![](${name})`;
}
