// The page for clerks: the form is built from the format's description
// (GET /v1/formats/{id}/form), every edit is checked by the server
// (/v1/reports/validate) and previewed (/v1/reports/export?format=png).
// Nothing here knows a format: labels, tables, rules and sections come
// from the server.
import { Num, obj, parse, stringify, get, set } from './json.js';

const $ = (id) => document.getElementById(id);
const DRAFT_KEY = 'govreport.draft';
const TOKEN_KEY = 'govreport.token';
const DEBOUNCE_MS = 300;

// The page's state: the format's description, the report being edited
// (JSON with numbers kept as written), the inputs by pointer.
const state = {
  formats: [],
  form: null,
  doc: null,
  fields: new Map(), // pointer → element that edits it
  page: 1,
  pages: 1,
  computed: new Map(), // pointer → value shown for a total left empty
  validating: null, // AbortController of the check in flight
  previewing: null, // AbortController of the preview in flight
  previewURL: '',
  timer: 0,
  edits: 0, // counts edits: an answer to an older edit is dropped
};

// Words for a field by its role or kind: the roles are the format files'
// vocabulary, shared by every format.
const roleNames = {
  agency: '填报机关', title: '报告标题（留空则自动生成）', signature_agency: '落款机关（留空则同填报机关）',
  signature_date: '成文日期（YYYY-MM-DD）',
};
const kindNames = { year: '报告年度', date: '日期（YYYY-MM-DD）' };

// ---- requests ----

function headers(extra = {}) {
  const h = { ...extra };
  const t = sessionStorage.getItem(TOKEN_KEY);
  if (t) h.Authorization = 'Bearer ' + t;
  return h;
}

async function api(path, opt = {}) {
  const resp = await fetch(path, { ...opt, headers: headers(opt.headers) });
  if (resp.status === 401) {
    $('auth').open = true;
    status('服务器要求访问令牌：请在“访问令牌”中填写后重试。', true);
  }
  return resp;
}

// getJSON fetches path's JSON. Its error carries the answer's status: a
// 401 has asked for the token already (api), and that request must stay
// on the status line rather than the error it causes.
async function getJSON(path) {
  const resp = await api(path);
  if (!resp.ok) {
    const e = new Error(`${path}: ${resp.status} ${await resp.text()}`);
    e.status = resp.status;
    throw e;
  }
  return resp.json();
}

function status(msg, bad = false) {
  const s = $('status');
  s.textContent = msg;
  s.classList.toggle('bad', bad);
}

// ---- start ----

async function start() {
  try {
    state.formats = (await getJSON('/v1/formats')).formats;
  } catch (e) {
    if (e.status !== 401) status('无法读取报告格式：' + e.message, true);
    return;
  }
  const pick = $('format');
  pick.replaceChildren(...state.formats.map((f) => {
    const o = document.createElement('option');
    o.value = f.id;
    o.textContent = `${f.source}（${f.id}）` + (f.years.until ? ' 试行' : '');
    return o;
  }));
  let draft = null;
  try {
    draft = JSON.parse(localStorage.getItem(DRAFT_KEY) || 'null');
  } catch { /* a broken draft is dropped */ }
  if (draft && draft.text) {
    try {
      await load(parse(draft.text), '已恢复上次的草稿。');
      return;
    } catch (e) {
      if (e.status === 401) return; // api asked for the token
      status('草稿无法恢复：' + e.message, true);
    }
  }
  const latest = state.formats.filter((f) => !f.years.until).pop() || state.formats[state.formats.length - 1];
  await fresh(latest.id);
}

// fresh starts a new report in format id from govreport init's skeleton.
async function fresh(id) {
  const f = state.formats.find((x) => x.id === id);
  const resp = await api(f.skeleton);
  if (!resp.ok) {
    if (resp.status !== 401) status('无法读取报告模板：' + resp.status, true);
    return;
  }
  await load(parse(await resp.text()), '已新建报告：请逐项填写，带“（请填写…）”的文字为待填内容。');
}

// load shows doc in the form of its format.
async function load(doc, msg) {
  const id = doc && typeof doc === 'object' ? doc.format : undefined;
  const f = state.formats.find((x) => x.id === id);
  if (!f) throw new Error(`未知的报告格式 ${JSON.stringify(id)}；可用的格式：${state.formats.map((x) => x.id).join('、')}`);
  if (!state.form || state.form.id !== id) state.form = await getJSON(f.form);
  state.doc = doc;
  $('format').value = id;
  state.page = 1;
  build();
  status(msg);
  edited(true);
}

// ---- the form ----

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  e.append(...kids.filter((k) => k !== null && k !== undefined));
  return e;
}

const idOf = (ptr) => 'f' + ptr.replace(/[^A-Za-z0-9_-]/g, (c) => '.' + c.charCodeAt(0).toString(16));

function build() {
  const form = state.form;
  state.fields.clear();
  const root = $('form');
  root.replaceChildren();
  // The pointers the sections show; the other fields go before the first
  // section (agency, year, title) or after the last (the signature), in
  // the contract's order.
  const inSections = new Set();
  for (const s of form.sections) {
    if (s.blocks) inSections.add('/' + s.blocks);
    if (s.notes) inSections.add(s.notes);
  }
  if (form.preamble) inSections.add('/' + form.preamble);
  const first = form.fields.findIndex((f) => inSections.has(f.pointer));
  let last = -1;
  form.fields.forEach((f, i) => { if (inSections.has(f.pointer)) last = i; });
  const head = form.fields.slice(0, first).filter((f) => f.kind !== 'format');
  const tail = form.fields.slice(last + 1).filter((f) => f.kind !== 'format' && !inSections.has(f.pointer));

  const top = el('fieldset', { class: 'meta' }, el('legend', { text: form.title + '（' + form.source + '）' }));
  for (const f of head) top.append(scalar(f));
  root.append(top);
  if (form.preamble) {
    const p = form.fields.find((f) => f.pointer === '/' + form.preamble);
    root.append(blocks('/' + form.preamble, '前言（“一、”之前的段落）', p && p.required));
  }
  for (const s of form.sections) {
    const sec = el('section', { class: 'sec', 'aria-labelledby': 'h-' + s.number });
    sec.append(el('h2', { id: 'h-' + s.number, text: s.heading }));
    if (s.blocks) {
      const f = form.fields.find((x) => x.pointer === '/' + s.blocks);
      sec.append(blocks('/' + s.blocks, s.heading, f && f.required, true));
    } else if (s.table) {
      const t = form.tables.find((x) => x.id === s.table);
      if (s.notes) sec.append(blocks(s.notes, `表${t.number}前的说明（可不填）`, false));
      sec.append(grid(t));
    }
    root.append(sec);
  }
  const end = el('fieldset', { class: 'meta' }, el('legend', { text: '落款' }));
  for (const f of tail) end.append(scalar(f));
  root.append(end);
  placeholders();
  refreshComputed();
  document.body.dataset.built = String(Number(document.body.dataset.built || 0) + 1);
}

function register(ptr, e) {
  e.dataset.pointer = ptr;
  e.id = idOf(ptr);
  state.fields.set(ptr, e);
}

// scalar is one line of text: agency, title, year, date.
function scalar(f) {
  const name = roleNames[f.role] || kindNames[f.kind] || f.description || f.pointer;
  const v = get(state.doc, f.pointer);
  const input = el('input', {
    type: 'text', value: v === undefined || v === null ? '' : String(v),
    inputmode: f.kind === 'year' ? 'numeric' : undefined, maxlength: f.max_len || undefined,
    autocomplete: 'off', 'aria-required': f.required ? 'true' : undefined,
  });
  register(f.pointer, input);
  input.addEventListener('input', () => {
    const t = input.value.trim();
    let x = t === '' ? undefined : t;
    if (x !== undefined && f.kind === 'year' && /^\d+$/.test(x)) x = new Num(x);
    set(state.doc, f.pointer, x);
    if (f.role === 'agency' || f.kind === 'year') placeholders();
    edited();
  });
  const label = el('label', { class: 'field', for: input.id }, el('span', { text: name }));
  return el('div', { class: 'row' }, label, input);
}

// placeholders shows the default title and signature agency.
function placeholders() {
  const agency = get(state.doc, '/agency') || '';
  const year = get(state.doc, '/year');
  for (const f of state.form.fields) {
    const e = state.fields.get(f.pointer);
    if (!e) continue;
    if (f.role === 'title') e.placeholder = state.form.title_template.replace('{agency}', agency).replace('{year}', year === undefined ? '' : String(year));
    if (f.role === 'signature_agency') e.placeholder = String(agency);
  }
}

// blocks edits a text section: paragraphs and （一） headings with their
// paragraphs, each added or removed here.
function blocks(ptr, title, required, hideLegend = false) {
  const box = el('fieldset', { class: 'blocks' });
  const draw = () => {
    // A section's heading stands above; its legend is for screen readers.
    box.replaceChildren(el('legend', { text: title, class: hideLegend ? 'visually-hidden' : undefined }));
    state.fields.set(ptr, box);
    box.dataset.pointer = ptr;
    box.id = idOf(ptr);
    let list = get(state.doc, ptr);
    if (!Array.isArray(list)) list = [];
    let n = 0;
    list.forEach((b, i) => {
      const bp = `${ptr}/${i}`;
      if (b !== null && typeof b === 'object' && !Array.isArray(b)) {
        n++;
        const num = /^（[一二三四五六七八九十]+）/.test(b.heading || '') ? '' : `（${cn(n)}）`;
        const wrap = el('div', { class: 'hblock', role: 'group', 'aria-label': `${title} 小标题${num}` });
        const h = el('input', { type: 'text', value: b.heading || '', 'aria-label': `${title} 小标题${num}`, autocomplete: 'off' });
        register(bp + '/heading', h);
        h.addEventListener('input', () => { b.heading = h.value; edited(); });
        const run = el('input', { type: 'checkbox', 'aria-label': `小标题${num}与第一段接排` });
        run.checked = !!b.run_in;
        register(bp + '/run_in', run);
        run.addEventListener('change', () => { if (run.checked) b.run_in = true; else delete b.run_in; edited(); });
        wrap.append(el('div', { class: 'hline' }, el('span', { class: 'num', 'aria-hidden': 'true', text: num }), h,
          el('label', { class: 'runin' }, run, el('span', { text: '接排' }))));
        if (!Array.isArray(b.paragraphs)) b.paragraphs = [];
        b.paragraphs.forEach((p, j) => {
          wrap.append(para(`${bp}/paragraphs/${j}`, `${title} 小标题${num} 第 ${j + 1} 段`, () => { b.paragraphs.splice(j, 1); draw(); edited(); }));
        });
        wrap.append(el('div', { class: 'tools' },
          button('添加段落', `在小标题${num}下添加段落`, () => { b.paragraphs.push(''); draw(); edited(); focusLast(wrap, 'textarea'); }),
          button('删除小标题', `删除小标题${num}及其段落`, () => { list.splice(i, 1); draw(); edited(); })));
        box.append(wrap);
      } else {
        box.append(para(bp, `${title} 第 ${i + 1} 段`, () => { list.splice(i, 1); draw(); edited(); }));
      }
    });
    const ensure = () => {
      if (!Array.isArray(get(state.doc, ptr))) set(state.doc, ptr, []);
      return get(state.doc, ptr);
    };
    box.append(el('div', { class: 'tools' },
      button('添加段落', `在${title}中添加段落`, () => { ensure().push(''); draw(); edited(); focusLast(box, 'textarea'); }),
      button('添加小标题', `在${title}中添加小标题`, () => {
        const b = obj();
        b.heading = '';
        b.paragraphs = [''];
        b.run_in = true;
        ensure().push(b);
        draw(); edited(); focusLast(box, '.hblock input[type=text]');
      })));
    if (!required && list.length === 0 && get(state.doc, ptr) !== undefined) set(state.doc, ptr, undefined);
    markAll();
  };
  draw();
  return box;
}

function para(ptr, name, remove) {
  const v = get(state.doc, ptr);
  const t = el('textarea', { rows: '3', 'aria-label': name });
  t.value = typeof v === 'string' ? v : '';
  register(ptr, t);
  t.addEventListener('input', () => { set(state.doc, ptr, t.value); edited(); });
  return el('div', { class: 'para' }, t, button('删除', '删除' + name, remove));
}

function button(text, label, fn) {
  const b = el('button', { type: 'button', class: 'small', 'aria-label': label, text });
  b.addEventListener('click', fn);
  return b;
}

function focusLast(box, sel) {
  const all = box.querySelectorAll(sel);
  if (all.length) all[all.length - 1].focus();
}

const cn = (n) => ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'][n] || String(n);

// grid is a table as the official form draws it: its labels, spans and
// nested headers from the format, an input in every data cell.
function grid(t) {
  const table = el('table', { class: 'grid', 'data-table': t.id });
  table.append(el('caption', { text: t.caption }));
  if (t.widths && t.widths.length) {
    const sum = t.widths.reduce((a, b) => a + b, 0);
    const cg = el('colgroup');
    for (const w of t.widths) {
      const col = el('col');
      col.style.width = ((100 * w) / sum).toFixed(2) + '%'; // the CSSOM, which the policy allows
      cg.append(col);
    }
    table.append(cg);
  }
  const body = el('tbody');
  const cells = [];
  for (const row of t.rows) {
    const tr = el('tr');
    for (const c of row) {
      const span = { colspan: c.cs > 1 ? String(c.cs) : undefined, rowspan: c.rs > 1 ? String(c.rs) : undefined };
      if (!c.pointer) {
        const th = el('th', { ...span, class: c.role || undefined });
        th.append(...words(c.text, c.breaks));
        tr.append(th);
        continue;
      }
      const input = el('input', {
        type: 'text', inputmode: c.kind === 'amount' ? 'decimal' : 'numeric', autocomplete: 'off',
        'aria-label': c.label, class: c.computed ? 'computed' : undefined,
        title: c.computed ? '留空则按勾稽关系自动计算' : (c.nullable ? '不适用的填“/”' : undefined),
      });
      input.value = show(get(state.doc, c.pointer));
      register(c.pointer, input);
      input.addEventListener('input', () => {
        set(state.doc, c.pointer, cellValue(input.value, c));
        refreshComputed();
        edited();
      });
      input.addEventListener('keydown', (e) => move(e, cells, c));
      cells.push({ c, input });
      tr.append(el('td', span, input));
    }
    body.append(tr);
  }
  table.append(body);
  return el('div', { class: 'scroll', role: 'region', 'aria-label': t.caption, tabindex: '-1' }, table);
}

// words lays a label out with break opportunities where the format marks
// the words, so that the label wraps as it prints.
function words(text, breaks) {
  if (!breaks || !breaks.length) return [text];
  const chars = Array.from(text);
  const out = [];
  let from = 0;
  for (const b of breaks) {
    out.push(chars.slice(from, b).join(''), document.createElement('wbr'));
    from = b;
  }
  out.push(chars.slice(from).join(''));
  return out;
}

const show = (v) => (v === undefined ? '' : v === null ? '/' : String(v));

// cellValue reads what the clerk typed: empty leaves the cell out (a total
// is then computed; another cell is then missing), / is not applicable,
// a number is kept as written, anything else is sent as text for the
// server to name the problem.
function cellValue(text, c) {
  const t = text.trim();
  if (t === '') return undefined;
  if ((t === '/' || t === '／') && c.nullable) return null;
  const re = c.kind === 'amount' ? /^(0|[1-9]\d*)(\.\d+)?$/ : c.kind === 'change' ? /^-?(0|[1-9]\d*)$/ : /^(0|[1-9]\d*)$/;
  return re.test(t) ? new Num(t) : t;
}

// move: arrow keys and Enter go from cell to cell, as in a spreadsheet.
function move(e, cells, c) {
  const keys = { ArrowUp: [-1, 0], ArrowDown: [1, 0], Enter: [e.shiftKey ? -1 : 1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  const d = keys[e.key];
  if (!d || e.altKey || e.ctrlKey || e.metaKey) return;
  const input = e.target;
  if (d[1] !== 0) {
    const atEdge = d[1] < 0 ? input.selectionStart === 0 : input.selectionEnd === input.value.length;
    if (!atEdge) return;
  }
  let best = null;
  let bestD = Infinity;
  for (const o of cells) {
    const x = o.c;
    let dist;
    if (d[0] !== 0) {
      const covers = x.col <= c.col && c.col < x.col + x.cs;
      const delta = (x.row - c.row) * d[0];
      if (!covers || delta <= 0) continue;
      dist = delta;
    } else {
      const sameRow = x.row <= c.row && c.row < x.row + x.rs;
      const delta = (x.col - c.col) * d[1];
      if (!sameRow || delta <= 0) continue;
      dist = delta;
    }
    if (dist < bestD) { best = o; bestD = dist; }
  }
  e.preventDefault();
  if (best) {
    best.input.focus();
    best.input.select();
  }
}

// refreshComputed shows each total left empty as the rules compute it.
function refreshComputed(server) {
  const vals = new Map();
  const num = (p) => {
    if (vals.has(p)) return vals.get(p);
    const v = get(state.doc, p);
    if (v instanceof Num) return Number(v.raw);
    return 0;
  };
  state.computed.clear();
  for (let pass = 0; pass < 3; pass++) {
    for (const r of state.form.rules) {
      if (!r.computes || get(state.doc, r.target) !== undefined) continue;
      let s = 0;
      for (const p of r.plus) s += num(p);
      for (const p of r.minus || []) s -= num(p);
      vals.set(r.target, s);
    }
  }
  for (const [p, v] of vals) state.computed.set(p, v);
  if (server) for (const [p, v] of Object.entries(server)) state.computed.set(p, v);
  for (const t of state.form.tables) {
    for (const row of t.rows) {
      for (const c of row) {
        if (!c.computed) continue;
        const e = state.fields.get(c.pointer);
        if (e) e.placeholder = state.computed.has(c.pointer) ? String(state.computed.get(c.pointer)) : '';
      }
    }
  }
}

// ---- checks, preview, draft ----

function edited(now = false) {
  state.edits++;
  document.body.dataset.edits = String(state.edits);
  clearTimeout(state.timer);
  state.timer = setTimeout(run, now ? 0 : DEBOUNCE_MS);
}

function body() {
  return stringify(state.doc) + '\n';
}

function run() {
  const text = body();
  localStorage.setItem(DRAFT_KEY, JSON.stringify({ format: state.form.id, text }));
  check(text, state.edits);
  preview(text, state.edits);
}

let problems = [];
let omitted = 0; // problems the server counted but did not list
let warnings = [];

async function check(text, edit) {
  if (state.validating) state.validating.abort();
  const ctl = new AbortController();
  state.validating = ctl;
  let resp;
  try {
    resp = await api('/v1/reports/validate?draft=true', {
      method: 'POST', body: text, signal: ctl.signal, headers: { 'Content-Type': 'application/json' },
    });
  } catch (e) {
    if (e.name !== 'AbortError') status('无法检查：' + e.message, true);
    return;
  }
  if (ctl.signal.aborted) return;
  let answer;
  try {
    answer = await resp.json();
  } catch {
    answer = {};
  }
  if (ctl.signal.aborted) return;
  state.validating = null;
  if (resp.status === 503 || resp.status === 429) {
    // The server's queue is full: try again when it says, unless the
    // clerk edits first.
    const wait = Number(resp.headers.get('Retry-After')) || 1;
    status(`服务器繁忙，${wait} 秒后重新检查……`, true);
    setTimeout(() => { if (edit === state.edits) run(); }, wait * 1000);
    return;
  }
  if (resp.status === 401) return;
  omitted = 0;
  if (resp.ok) {
    problems = [];
    warnings = answer.warnings || [];
    state.pages = answer.pages || 1;
    refreshComputed(answer.totals);
  } else if (Array.isArray(answer.problems)) {
    problems = answer.problems;
    omitted = answer.problems_omitted || 0;
    warnings = [];
  } else {
    problems = [{ pointer: '', message_zh: answer.detail || answer.title || `检查失败（${resp.status}）` }];
    warnings = [];
  }
  markAll();
  document.body.dataset.checked = String(edit);
}

// explain adds, to a problem at a total the clerk left empty, the cells
// the total is computed from: those are what the clerk typed.
function explain(p) {
  let msg = p.message_zh || p.message;
  const rule = state.form.rules.find((r) => r.target === p.pointer && r.computes);
  if (rule && get(state.doc, p.pointer) === undefined) {
    const name = (q) => {
      const cell = findCell(q);
      return cell ? cell.label : q;
    };
    const plus = rule.plus.map(name).join('、');
    const minus = (rule.minus || []).map(name).join('、');
    msg += `（此合计未填写，由您填写的 ${plus}${minus ? ' 减去 ' + minus : ''} 计算得出：请核对这些格）`;
  }
  return msg;
}

function findCell(ptr) {
  for (const t of state.form.tables) for (const row of t.rows) for (const c of row) if (c.pointer === ptr) return c;
  return null;
}

// target is the element a pointer's problem is shown at: the field, or
// the nearest field above it.
function target(ptr) {
  let p = ptr;
  for (;;) {
    if (state.fields.has(p)) return state.fields.get(p);
    if (p === '') return null;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

function markAll() {
  if (!state.form) return;
  for (const e of document.querySelectorAll('[aria-invalid], .warn')) {
    e.removeAttribute('aria-invalid');
    e.classList.remove('warn');
    e.removeAttribute('aria-describedby');
    if (e.dataset.title !== undefined) { e.title = e.dataset.title; delete e.dataset.title; }
  }
  for (const m of document.querySelectorAll('.msg')) m.remove();
  const list = $('problem-list');
  list.replaceChildren();
  problems.forEach((p, i) => {
    const e = target(p.pointer || '');
    const msg = explain(p);
    const id = 'msg-' + i;
    if (e) {
      e.setAttribute('aria-invalid', 'true');
      attach(e, id, msg);
    }
    const a = el('a', { href: e ? '#' + e.id : '#form', text: msg, 'data-pointer': p.pointer });
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      if (!e) return;
      e.scrollIntoView({ block: 'center' });
      (e.matches('input, textarea') ? e : e.querySelector('input, textarea, button') || e).focus();
    });
    list.append(el('li', {}, a));
  });
  if (omitted) list.append(el('li', { class: 'more', text: `另有 ${omitted} 个问题未列出：请先改正以上问题。` }));
  $('count').textContent = String(problems.length + omitted);
  $('count').classList.toggle('zero', problems.length === 0);
  const wl = $('warning-list');
  wl.replaceChildren(...warnings.map((w) => {
    const e = target(w.pointer || '');
    if (e) e.classList.add('warn');
    return el('li', {}, el('a', { href: e ? '#' + e.id : '#form', text: w.message_zh || w.message }));
  }));
  $('warn-count').textContent = String(warnings.length);
  $('warnings-box').hidden = warnings.length === 0;
  if (problems.length === 0) status(warnings.length ? `检查通过，另有 ${warnings.length} 条提醒（多为待填写的内容）。` : '检查通过：没有问题。');
  else status(`发现 ${problems.length + omitted} 个问题，已在对应位置标出。`, true);
}

// attach shows a message at a field: beside a text field, as the cell's
// description (and tooltip) in a table.
function attach(e, id, msg) {
  const m = el('span', { class: 'msg', id, text: msg });
  const prev = e.getAttribute('aria-describedby');
  e.setAttribute('aria-describedby', prev ? prev + ' ' + id : id);
  if (e.closest('table')) {
    m.classList.add('visually-hidden');
    if (e.dataset.title === undefined) e.dataset.title = e.title;
    e.title = msg;
    e.parentElement.append(m);
  } else if (e.tagName === 'FIELDSET') {
    e.querySelector('legend').after(m);
  } else {
    e.after(m);
  }
}

async function preview(text, edit) {
  if (state.previewing) state.previewing.abort();
  const ctl = new AbortController();
  state.previewing = ctl;
  let resp;
  try {
    resp = await api(`/v1/reports/export?format=png&draft=true&checks=warn&page=${state.page}`, {
      method: 'POST', body: text, signal: ctl.signal, headers: { 'Content-Type': 'application/json' },
    });
    if (!resp.ok) {
      const p = await resp.json().catch(() => ({}));
      if (resp.status === 400 && state.page > 1) { // the page is gone: show the last
        state.page = 1;
        preview(text, edit);
        return;
      }
      $('page').alt = '无法预览：' + (p.detail || resp.status);
      return;
    }
    const blob = await resp.blob();
    if (ctl.signal.aborted) return;
    state.pages = Number(resp.headers.get('X-Report-Pages')) || state.pages;
    if (state.previewURL) URL.revokeObjectURL(state.previewURL);
    state.previewURL = URL.createObjectURL(blob);
    const img = $('page');
    img.src = state.previewURL;
    img.alt = `预览：第 ${state.page} 页，共 ${state.pages} 页`;
    img.dataset.edit = String(edit);
    img.dataset.etag = resp.headers.get('ETag') || '';
    $('page-no').textContent = `第 ${state.page} / ${state.pages} 页`;
    $('prev').disabled = state.page <= 1;
    $('next').disabled = state.page >= state.pages;
  } catch (e) {
    if (e.name !== 'AbortError') $('page').alt = '无法预览：' + e.message;
  } finally {
    if (state.previewing === ctl) state.previewing = null;
  }
}

function turn(d) {
  const p = state.page + d;
  if (p < 1 || p > state.pages) return;
  state.page = p;
  preview(body(), state.edits);
}

// ---- files ----

async function open(file) {
  try {
    await load(parse(await file.text()), `已打开 ${file.name}。`);
  } catch (e) {
    if (e.status !== 401) status(`无法打开 ${file.name}：${e.message}`, true);
  }
}

function fileName(resp, ext) {
  const cd = resp.headers.get('Content-Disposition') || '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (m) return decodeURIComponent(m[1]);
  return 'report.' + ext;
}

function saveBlob(blob, name) {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
}

async function download(format, extra = '') {
  status('正在生成……');
  const resp = await api(`/v1/reports/export?format=${format}${extra}`, {
    method: 'POST', body: body(), headers: { 'Content-Type': 'application/json' },
  });
  if (!resp.ok) {
    if (resp.status === 401) return; // api asked for the token
    const p = await resp.json().catch(() => ({}));
    status(`无法生成 ${format.toUpperCase()}：${p.detail || resp.status}`, true);
    return;
  }
  saveBlob(await resp.blob(), fileName(resp, format));
  status(`已下载 ${format.toUpperCase()}。`);
}

function saveJSON() {
  const title = get(state.doc, '/title') || state.form.title_template
    .replace('{agency}', get(state.doc, '/agency') || '').replace('{year}', String(get(state.doc, '/year') ?? ''));
  saveBlob(new Blob([body()], { type: 'application/json' }), title + '.json');
}

// ---- wiring ----

function wire() {
  // Enter in a field never submits: the page has nowhere to post a form.
  $('form').addEventListener('submit', (e) => e.preventDefault());
  const tok = $('token');
  tok.value = sessionStorage.getItem(TOKEN_KEY) || '';
  tok.addEventListener('change', () => {
    sessionStorage.setItem(TOKEN_KEY, tok.value.trim());
    if (!state.form) start();
    else edited(true);
  });
  $('format').addEventListener('change', (e) => fresh(e.target.value));
  $('new').addEventListener('click', () => fresh($('format').value));
  $('open').addEventListener('change', (e) => { if (e.target.files[0]) open(e.target.files[0]); e.target.value = ''; });
  $('save').addEventListener('click', saveJSON);
  $('pdf').addEventListener('click', () => download('pdf'));
  $('docx').addEventListener('click', () => download('docx'));
  $('docx-embed').addEventListener('click', () => download('docx', '&docx_fonts=embed'));
  $('prev').addEventListener('click', () => turn(-1));
  $('next').addEventListener('click', () => turn(1));
  document.addEventListener('dragover', (e) => { e.preventDefault(); document.body.classList.add('drop'); });
  document.addEventListener('dragleave', () => document.body.classList.remove('drop'));
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    document.body.classList.remove('drop');
    const f = e.dataTransfer && e.dataTransfer.files[0];
    if (f) open(f);
  });
}

wire();
start();
