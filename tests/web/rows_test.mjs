#!/usr/bin/env node
// Unit tests of web/src/rows.js (sorting, filtering, CSV, frontier) in plain
// Node: no browser, no npm packages.   node tests/web/rows_test.mjs
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const rows = await import(pathToFileURL(join(here, '..', '..', 'web', 'src', 'rows.js')).href);
const { csvField, toCsv, sortRows, filterRows, computeFrontier, CSV_FIELDS } = rows;
const common = await import(pathToFileURL(join(here, '..', '..', 'web', 'src', 'common.js')).href);
const { fmtSig, fmtFrac, fmtMflops, RUN_ID_RE } = common;

let n = 0;
function check(name, fn) {
  fn();
  n++;
  console.log(`ok ${n} - ${name}`);
}

check('CSV fields: RFC 4180 quoting for commas, quotes, CR and LF', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\rhere'), '"cr\rhere"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(undefined), '');
  assert.equal(csvField(0.869), '0.869');
  assert.equal(csvField(-1.5), '-1.5');
  assert.equal(csvField(true), 'true');
  assert.equal(csvField('<img src=x onerror=alert(1)>'), '<img src=x onerror=alert(1)>');
});

check('CSV fields: text that a spreadsheet would run as a formula gets an apostrophe', () => {
  assert.equal(csvField('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvField('+1'), "'+1");
  assert.equal(csvField('-cmd'), "'-cmd");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
});

check('toCsv: a header, one CRLF line per row, pareto flags split out', () => {
  const csv = toCsv([{ run_id: 'r1', method: 'm,1', accuracy: 0.5, pareto: { flops: true, latency: false } }], 'task');
  const lines = csv.split('\r\n');
  assert.equal(lines[0], CSV_FIELDS.join(','));
  assert.equal(lines.length, 3);
  assert.equal(lines[2], '');
  const f = Object.fromEntries(CSV_FIELDS.map((k, i) => [k, lines[1].split(',')[i]]));
  assert.equal(f.task, 'task');
  assert.equal(f.run_id, 'r1');
  assert.ok(lines[1].includes('"m,1"'));
});

const data = [
  { method: 'b', accuracy: 0.8, flops: 5, family: 'method', headline: true, pareto: { flops: true } },
  { method: 'a', accuracy: null, flops: null, family: 'baseline', headline: true, pareto: { flops: false } },
  { method: 'c', accuracy: 0.9, flops: 10, family: 'method', headline: false, pareto: { flops: true } },
  { method: 'd', accuracy: 0.8, flops: 20, family: 'baseline', headline: false, pareto: { flops: false } },
  { method: 'e', accuracy: 0.7, flops: 1, family: 'method', headline: false },
];
const pairs = data.map((r, i) => [r, i]);
const order = (p) => p.map(([, i]) => i);

check('sortRows: numbers descending/ascending, nulls last both ways, ties in data order', () => {
  assert.deepEqual(order(sortRows(pairs, 'accuracy', 'desc')), [2, 0, 3, 4, 1]);
  assert.deepEqual(order(sortRows(pairs, 'accuracy', 'asc')), [4, 0, 3, 2, 1]);
  assert.deepEqual(order(sortRows(pairs, 'flops', 'asc')), [4, 0, 2, 3, 1]);
  assert.deepEqual(order(sortRows(pairs, 'method', 'asc')), [1, 0, 2, 3, 4]);
  assert.deepEqual(order(sortRows(pairs, 'method', 'desc')), [4, 3, 2, 0, 1]);
  assert.deepEqual(order(sortRows(pairs, 'pareto', 'desc')), [0, 2, 1, 3, 4]);
});

check('filterRows: family, headline, Pareto on the chosen cost', () => {
  const base = { family: '', hardware: '', headline: false, pareto: false, cost: 'flops' };
  assert.deepEqual(order(filterRows(pairs, { ...base, family: 'baseline' })), [1, 3]);
  assert.deepEqual(order(filterRows(pairs, { ...base, headline: true })), [0, 1]);
  assert.deepEqual(order(filterRows(pairs, { ...base, pareto: true })), [0, 2]);
  assert.deepEqual(order(filterRows(pairs, { ...base, pareto: true, cost: 'energy' })), []);
});

check('computeFrontier: cheapest first, each more accurate than every cheaper point', () => {
  assert.deepEqual(computeFrontier(data, 'flops').map((r) => r.method), ['e', 'b', 'c']);
});

check('number formatting: 3-4 significant digits, dashes for null', () => {
  assert.equal(fmtFrac(0.8691), '0.869');
  assert.equal(fmtFrac(null), '\u2014');
  assert.equal(fmtSig(1.31, 3), '1.31');
  assert.equal(fmtSig(0.52, 3), '0.520');
  assert.equal(fmtSig(1466.7, 3), '1,467');
  assert.equal(fmtSig(123456, 3), '123,456');
  assert.equal(fmtSig(0.00012, 3), '1.20e-4');
  assert.equal(fmtMflops(90300000), '90.3');
  assert.equal(fmtMflops(null), '\u2014');
});

check('run ids: letters, digits, _ . - only', () => {
  assert.ok(RUN_ID_RE.test('ag_news-early_exit-9493ad95a79e6376-s13'));
  for (const bad of ['', '../x', 'a/b', 'a b', 'x<y', 'a%2Fb', 'a#b']) assert.ok(!RUN_ID_RE.test(bad), bad);
});

console.log(`PASS: ${n} checks`);
