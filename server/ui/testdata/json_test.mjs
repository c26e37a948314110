// The page's JSON module, run by node from json_test.go: numbers keep
// their text, pointers read and write, an emptied object goes, and syntax
// errors name the line and column. Prints "ok" or throws.
import { Num, parse, stringify, get, set } from '../static/json.js';

const eq = (a, b, what) => {
  if (a !== b) throw new Error(`${what}: got ${JSON.stringify(a)}, want ${JSON.stringify(b)}`);
};

const text = '{"a": 2.00, "b": [1, "x", null, true], "__proto__": {"c": 0}, "d": {"e": 1e3}}';
const doc = parse(text);
eq(stringify(doc), '{\n  "a": 2.00,\n  "b": [\n    1,\n    "x",\n    null,\n    true\n  ],\n  "__proto__": {\n    "c": 0\n  },\n  "d": {\n    "e": 1e3\n  }\n}', 'round trip');
eq(get(doc, '/a') instanceof Num, true, 'a number is kept as a Num');
eq(get(doc, '/a').raw, '2.00', 'its text');
eq(get(doc, '/__proto__/c').raw, '0', '__proto__ is a key');
eq(Object.getPrototypeOf({}).c, undefined, 'no prototype is touched');
eq(get(doc, '/b/1'), 'x', 'an array element');
eq(get(doc, '/missing/x'), undefined, 'a missing pointer');

set(doc, '/d/e', undefined);
eq(get(doc, '/d'), undefined, 'an object left empty goes');
set(doc, '/f/g', new Num('7'));
eq(stringify(get(doc, '/f')), '{\n  "g": 7\n}', 'objects made on the way');
set(doc, '/b/0', undefined);
eq(get(doc, '/b').length, 3, 'an array element removed');

for (const [bad, where] of [['{"a": 1,}', '第 1 行第 9 列'], ['{\n  "a": 01\n}', '第 2 行第 9 列'], ['[1 2]', '第 1 行第 4 列'], ['{"a": "\u0001"}', '第 1 行第 7 列']]) {
  let msg = '';
  try {
    parse(bad);
  } catch (e) {
    msg = e.message;
  }
  if (!msg.includes(where)) throw new Error(`${JSON.stringify(bad)}: ${JSON.stringify(msg)}, want ${where}`);
}
eq(stringify(parse('\ufeff{"x": "a\\"b"}')), '{\n  "x": "a\\"b"\n}', 'a byte order mark and escapes');
console.log('ok');
