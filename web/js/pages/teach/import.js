// teach/import.js - import questions from a CSV, GIFT or Aiken file (picked
// or pasted) into the bank: POST /questions/import with the raw text as the
// body and the options in the query, then a report of what was created,
// updated or left alone and, line by line, which records were refused.

import { api, ApiError, qs, exams as loadExams } from '../../api.js';
import { h, clear, field, onSubmit, button, badge, pageHeader, fmt, toast } from '../../ui.js';
import { examOptions } from './questions.js';

const FORMATS = [['', 'Detect from the file'], ['csv', 'CSV'], ['gift', 'GIFT (Moodle)'], ['aiken', 'Aiken']];

// The format from a file name, else from the text itself.
function detect(name, text) {
  const ext = (String(name || '').match(/\.([a-z0-9]+)$/i) || [])[1]?.toLowerCase();
  if (ext === 'csv') return 'csv';
  if (ext === 'gift') return 'gift';
  const t = String(text || '');
  if (/^\s*ANSWER\s*:\s*[A-Za-z0-9]+\s*$/m.test(t) && !/[{}]/.test(t)) return 'aiken';
  if (/\{[^}]*\}/.test(t) || /^::/m.test(t) || /^\$CATEGORY:/m.test(t)) return 'gift';
  const first = t.split(/\r?\n/, 1)[0] || '';
  if (/question_text/i.test(first) && first.includes(',')) return 'csv';
  return '';
}

export default async function page(ctx) {
  ctx.title('Import questions');
  const exams = await loadExams();
  if (!ctx.current()) return;

  let fileName = '';
  const fileField = field({ label: 'File', name: 'file', type: 'file', attrs: { accept: '.csv,.gift,.txt,text/csv,text/plain' },
    hint: 'CSV (seed 003 columns), Moodle GIFT or Aiken, in UTF-8.' });
  const textField = field({ label: 'Or paste the questions', name: 'text', type: 'textarea', rows: 10,
    placeholder: '::N10-Q1:: Which port does SSH use by default? {=22 ~23 ~21 ~3389}',
    hint: 'A file you pick is copied here, so you can check it before sending.' });
  const formatField = field({ label: 'Format', name: 'format', type: 'select', options: FORMATS, value: '' });
  const detected = h('p', { class: 'hint', 'aria-live': 'polite' });
  formatField.append(detected);
  const examField = field({ label: 'Exam', name: 'exam', type: 'select', options: examOptions(exams, 'As the file says'),
    hint: 'For records that name no exam (Aiken names none).' });
  const statusField = field({ label: 'Status of new questions', name: 'status', type: 'select', value: 'active',
    options: [['active', 'Active (asked at once)'], ['draft', 'Draft (review first)']] });
  const dryField = field({ label: 'Check only (dry run)', name: 'dry_run', type: 'checkbox', value: true,
    hint: 'Reads and checks every record, and saves nothing.' });

  const fileInput = fileField.querySelector('input');
  const textInput = textField.querySelector('textarea');
  const formatInput = formatField.querySelector('select');
  const showDetected = () => {
    const f = detect(fileName, textInput.value);
    detected.textContent = formatInput.value ? '' : (f ? `Detected: ${FORMATS.find(([k]) => k === f)[1]}` : (textInput.value.trim() ? 'Format not recognized: choose one.' : ''));
  };
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    fileName = file.name;
    try {
      textInput.value = await file.text();
    } catch {
      toast('That file cannot be read.', 'error');
      return;
    }
    showDetected();
  });
  textInput.addEventListener('input', showDetected);
  formatInput.addEventListener('change', showDetected);

  const submit = h('button', { type: 'submit', class: 'btn' }, 'Check file');
  const dryInput = dryField.querySelector('input');
  const label = () => { submit.textContent = dryInput.checked ? 'Check file' : 'Import questions'; };
  dryInput.addEventListener('change', label);

  const report = h('section', { class: 'imp-report', 'aria-live': 'polite', 'aria-label': 'Import report' });
  const form = h('form', { class: 'card stack imp-form', 'aria-label': 'Import questions' },
    fileField, textField,
    h('div', { class: 'grid grid-3' }, formatField, examField, statusField),
    dryField,
    h('div', { class: 'row' }, submit));

  async function send(dry) {
    const text = textInput.value;
    if (!text.trim()) {
      const err = new ApiError(422, { detail: 'Pick a file or paste some questions.', errors: [{ field: 'text', message: 'is empty' }] });
      throw err;
    }
    const format = formatInput.value || detect(fileName, text);
    if (!format) {
      throw new ApiError(422, { detail: 'Choose the file’s format.', errors: [{ field: 'format', message: 'cannot be detected: choose CSV, GIFT or Aiken' }] });
    }
    const v = { format, exam: examField.querySelector('select').value, status: statusField.querySelector('select').value, dry_run: dry ? 'true' : 'false' };
    const res = await api.request('POST', '/questions/import' + qs(v), {
      raw: text, contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'text/plain; charset=utf-8',
    });
    showReport(res.data, text, format);
  }

  function showReport(r, text, format) {
    const lines = text.split(/\r\n|\n|\r/);
    const total = r.records ?? (r.created + r.updated + r.unchanged + r.failed);
    const stat = (value, name, kind) => h('div', { class: ['card', 'stat', 'imp-stat', kind && `imp-${kind}`] },
      h('span', { class: 'value' }, fmt.num(value)), h('span', { class: 'label' }, name));
    const refused = r.errors || [];
    const again = r.dry_run && refused.length < total
      ? button(r.failed ? `Import the ${fmt.num(total - r.failed)} good records` : 'Import for real', async (e) => {
        const b = e.currentTarget;
        b.disabled = true;
        b.setAttribute('aria-busy', 'true');
        try { await send(false); dryInput.checked = false; label(); } catch (err) { toast(err.message, 'error'); b.disabled = false; b.removeAttribute('aria-busy'); }
      }, 'btn', { 'data-testid': 'import-for-real' })
      : null;
    clear(report,
      h('div', { class: 'row between' },
        h('h2', {}, r.dry_run ? 'Check result (nothing saved)' : 'Import result'),
        h('span', {}, badge(format.toUpperCase(), 'accent'), ' ', r.dry_run ? badge('dry run', 'warn') : badge('saved', 'ok'))),
      h('p', { class: 'muted' }, r.dry_run
        ? `${fmt.num(total)} record${total === 1 ? '' : 's'} read. This is what an import would do:`
        : `${fmt.num(total)} record${total === 1 ? '' : 's'} read.`),
      h('div', { class: 'grid grid-4 imp-stats', 'data-testid': 'import-counts' },
        stat(r.created, r.dry_run ? 'would be created' : 'created', 'ok'),
        stat(r.updated, r.dry_run ? 'would be updated' : 'updated', 'accent'),
        stat(r.unchanged, 'unchanged', ''),
        stat(r.failed, 'refused', r.failed ? 'bad' : '')),
      refused.length ? h('div', { class: 'stack' },
        h('h3', {}, `Refused records (${fmt.num(refused.length)})`),
        h('p', { class: 'muted small' }, 'Each record is checked on its own: fix these lines and import the file again. Records already imported are matched and left alone.'),
        h('div', { class: 'table-wrap' }, h('table', { class: 'imp-errors', 'data-testid': 'import-errors' },
          h('caption', { class: 'sr-only' }, 'Refused records'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'num' }, 'Line'), h('th', { scope: 'col' }, 'Reason'), h('th', { scope: 'col' }, 'Starts with'))),
          h('tbody', {}, refused.map((e) => h('tr', {},
            h('td', { class: 'num' }, String(e.line)),
            h('td', {}, e.reason),
            h('td', {}, h('code', { class: 'imp-src' }, (lines[e.line - 1] || '').slice(0, 120))))))))) : h('p', { class: 'imp-allgood' }, r.failed ? '' : 'Every record is fine.'),
      h('div', { class: 'row' }, again,
        !r.dry_run && (r.created || r.updated) ? h('a', { href: '/teach/questions?mine=true', class: 'btn btn-secondary' }, 'Open my questions') : null));
    report.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  }

  onSubmit(form, async () => {
    try {
      await send(dryInput.checked);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'unreadable-file') {
        // The whole file was refused: say where.
        const line = err.problem?.line;
        clear(report, h('div', { class: 'state state-error', role: 'alert' },
          h('p', {}, h('strong', {}, 'The file cannot be read. '), err.message),
          line ? h('p', {}, `Line ${line}: `, h('code', {}, (textInput.value.split(/\r\n|\n|\r/)[line - 1] || '').slice(0, 160))) : null));
        return;
      }
      if (err instanceof ApiError && err.status === 413) {
        throw new ApiError(413, { detail: 'The file is too large to upload here. Split it, or ask an admin to use “ludus import”.' });
      }
      throw err;
    }
  });

  clear(ctx.main,
    pageHeader('Import questions', h('a', { href: '/teach/questions', class: 'btn btn-secondary' }, 'Question bank')),
    h('p', { class: 'muted' }, 'Bring questions in from a spreadsheet (CSV), Moodle (GIFT) or an Aiken file. Records with an external id update the question with that id; others are matched by their text, so importing the same file twice adds nothing.'),
    h('details', { class: 'imp-help card' },
      h('summary', {}, 'What the formats look like'),
      h('div', { class: 'stack small' },
        h('p', {}, h('strong', {}, 'CSV: '), 'a header row, then one question per row. Columns: question_id, exam_type, domain, objectives, type, question_text, option_a … option_j (and option_a_explanation …), correct_answer, explanation, difficulty, tags, status.'),
        h('pre', {}, 'question_id,exam_type,domain,type,question_text,option_a,option_b,correct_answer\nN10-X1,network,1.4,single_choice,Which port does SSH use?,22,23,A'),
        h('p', {}, h('strong', {}, 'GIFT: '), 'questions separated by blank lines; =right ~wrong; {T}/{F}; {=a =b} fill in the blank; {=SSH -> 22 =Telnet -> 23} matching; $CATEGORY: network/1.4 sets the exam and objective.'),
        h('pre', {}, '::N10-X2:: Which port does SSH use? {=22 #Right. ~23 #Telnet. ~21}\n\n::N10-X3:: Telnet encrypts traffic. {F}'),
        h('p', {}, h('strong', {}, 'Aiken: '), 'the question, options A) … and ANSWER: B. Choose an exam above, since Aiken has none.'),
        h('pre', {}, 'Which port does SSH use?\nA) 21\nB) 22\nC) 23\nANSWER: B'))),
    form, report);
}
