// JSON that keeps numbers as written: an amount is printed exactly as the
// report's JSON writes it (2.00 stays 2.00), which JSON.parse would lose.

// Num is a JSON number kept as its text.
export class Num {
  constructor(raw) { this.raw = raw; }
  toString() { return this.raw; }
}

// obj is an object without a prototype, so that a key such as __proto__
// is a key like any other.
export const obj = () => Object.create(null);

// parse reads JSON text; numbers become Num. A syntax error names the
// line and column.
export function parse(text) {
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const fail = (what) => {
    const before = text.slice(0, i);
    const line = before.split('\n').length;
    const col = i - before.lastIndexOf('\n');
    throw new SyntaxError(`JSON 第 ${line} 行第 ${col} 列：${what}`);
  };
  const strRe = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
  const numRe = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const str = () => {
    strRe.lastIndex = i;
    const m = strRe.exec(text);
    if (!m) fail('字符串有误或未结束');
    i = strRe.lastIndex;
    return JSON.parse(m[0]);
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const o = obj();
      ws();
      if (text[i] === '}') { i++; return o; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('应为带引号的键名');
        const k = str();
        ws();
        if (text[i++] !== ':') fail('应为冒号');
        o[k] = value();
        ws();
        const d = text[i++];
        if (d === '}') return o;
        if (d !== ',') { i--; fail('应为逗号或 }'); }
      }
    }
    if (c === '[') {
      i++;
      const a = [];
      ws();
      if (text[i] === ']') { i++; return a; }
      for (;;) {
        a.push(value());
        ws();
        const d = text[i++];
        if (d === ']') return a;
        if (d !== ',') { i--; fail('应为逗号或 ]'); }
      }
    }
    if (c === '"') return str();
    for (const [w, v] of [['true', true], ['false', false], ['null', null]]) {
      if (text.startsWith(w, i)) { i += w.length; return v; }
    }
    numRe.lastIndex = i;
    const m = numRe.exec(text);
    if (!m) fail('无法识别的值');
    i = numRe.lastIndex;
    return new Num(m[0]);
  };
  const v = value();
  ws();
  if (i < text.length) fail('值之后还有内容');
  return v;
}

// stringify writes v as JSON indented by two spaces, numbers as kept.
export function stringify(v, indent = '') {
  if (v instanceof Num) return v.raw;
  if (v === null) return 'null';
  if (typeof v !== 'object') return JSON.stringify(v);
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[\n' + v.map((x) => inner + stringify(x, inner)).join(',\n') + '\n' + indent + ']';
  }
  const keys = Object.keys(v).filter((k) => v[k] !== undefined);
  if (keys.length === 0) return '{}';
  return '{\n' + keys.map((k) => inner + JSON.stringify(k) + ': ' + stringify(v[k], inner)).join(',\n') + '\n' + indent + '}';
}

// split breaks a JSON pointer into its unescaped tokens.
export const split = (ptr) => (ptr === '' ? [] : ptr.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~')));

// get returns the value at ptr, or undefined.
export function get(doc, ptr) {
  let v = doc;
  for (const t of split(ptr)) {
    if (v === null || typeof v !== 'object' || v instanceof Num || !Object.hasOwn(v, t)) return undefined;
    v = v[t];
  }
  return v;
}

// set puts x at ptr, making the objects on the way; undefined deletes,
// and an object left empty goes too (a row of totals all left empty is a
// row left out, which the checks compute).
export function set(doc, ptr, x) {
  const ts = split(ptr);
  const path = [doc];
  let v = doc;
  for (const t of ts.slice(0, -1)) {
    if (v[t] === null || typeof v[t] !== 'object' || v[t] instanceof Num) {
      if (x === undefined) return;
      v[t] = obj();
    }
    v = v[t];
    path.push(v);
  }
  const last = ts[ts.length - 1];
  if (x !== undefined) {
    v[last] = x;
    return;
  }
  if (Array.isArray(v)) {
    v.splice(Number(last), 1);
    return;
  }
  delete v[last];
  for (let i = path.length - 1; i > 0; i--) {
    const o = path[i];
    if (Array.isArray(o) || Object.keys(o).length > 0) break;
    delete path[i - 1][ts[i - 1]];
  }
}
