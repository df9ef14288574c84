#!/usr/bin/env node
// Writes a small fixture site so the web test runs without the C++ side:
//   node tests/web/make_fixture_site.mjs DIST_DIR OUT_DIR
// copies DIST_DIR (the built web/dist) to OUT_DIR and adds data/leaderboard.js
// and runs/<run_id>.js in the greenbench-leaderboard/1 contract: two tasks,
// several methods with several operating points, nulls, a task without EVP,
// and hostile strings (HTML in a method name and hardware, a CSV-hostile point).
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [distArg, outArg] = process.argv.slice(2);
if (!distArg || !outArg) {
  console.error('usage: make_fixture_site.mjs DIST_DIR OUT_DIR');
  process.exit(2);
}
const dist = resolve(distArg);
const out = resolve(outArg);
if (!existsSync(join(dist, 'index.html')) || !existsSync(join(dist, 'assets', 'app.js'))) {
  console.error(`make_fixture_site: ${dist} is not a built web/dist (no index.html or assets/app.js); run npm run build in web/`);
  process.exit(1);
}

const HOSTILE_METHOD = '<img src=x onerror=alert(1)>';
const HOSTILE_HARDWARE = '<script>window.__pwned=1</script> "Evil", 1 thread';
const HOSTILE_POINT = 'q="1,2"\nline2';

const XEON = 'Intel Xeon Platinum 8488C, 2 threads';
const EPYC = 'AMD EPYC 7R13, 4 threads';

// [method, family, point, headline, accuracy, macro_f1, flops, latency_ms, energy_j, energy_kind, hardware, hash]
const AG_NEWS = [
  ['early_exit', 'method', 't=0.50', false, 0.880, 0.879, 3.70e8, 2.10, 0.84, 'estimate', XEON, '9493ad95a79e6376'],
  ['early_exit', 'method', 't=0.70', false, 0.893, 0.892, 5.20e8, 2.90, 1.18, 'estimate', XEON, '9493ad95a79e6376'],
  ['early_exit', 'method', 't=0.90', true, 0.901, 0.900, 7.90e8, 3.95, 1.61, 'estimate', XEON, '9493ad95a79e6376'],
  ['early_exit', 'method', 't=1.00', false, 0.905, 0.904, 1.47e9, 6.40, 2.20, 'estimate', XEON, '9493ad95a79e6376'],
  ['standard', 'baseline', 'full', true, 0.905, 0.905, 1.466e9, 6.20, 2.10, 'estimate', XEON, 'd30e0ef41b3c63a0'],
  ['truncated', 'method', 'len=32', false, 0.842, 0.840, 1.80e8, 1.20, 0.41, 'estimate', XEON, '644ed56546424de3'],
  ['truncated', 'method', 'len=64', true, 0.871, 0.870, 3.70e8, 2.05, 0.80, 'estimate', XEON, '644ed56546424de3'],
  ['truncated', 'method', 'len=128', false, 0.889, 0.888, 7.40e8, 3.70, 1.52, 'estimate', XEON, '644ed56546424de3'],
  ['bow', 'baseline', 'tfidf', true, 0.884, 0.883, 2.0e5, 0.05, 0.0012, 'measured', XEON, '1b2c3d4e5f607182'],
  ['majority', 'baseline', 'constant', true, 0.25, null, null, null, null, null, XEON, '0000000000000001'],
  [HOSTILE_METHOD, 'plugin', HOSTILE_POINT, true, 0.70, 0.69, 5.0e7, null, 0.30, 'estimate', HOSTILE_HARDWARE, '0123456789abcdef'],
  ['quantize', 'method', 'int8', true, 0.902, 0.901, 1.466e9, 3.10, null, null, EPYC, 'aa11bb22cc33dd44'],
  ['quantize', 'method', 'fp32', false, 0.905, 0.904, 1.466e9, 6.00, null, null, EPYC, 'aa11bb22cc33dd44'],
];

const SST2 = [
  ['standard', 'baseline', 'full', true, 0.842, 0.841, 9.10e8, 4.90, 1.70, 'measured', XEON, '1111222233334444'],
  ['early_exit', 'method', 't=0.50', false, 0.815, 0.814, 2.60e8, 1.70, null, null, XEON, '5555666677778888'],
  ['early_exit', 'method', 't=0.90', true, 0.838, 0.837, 5.10e8, 2.80, 0.98, 'estimate', XEON, '5555666677778888'],
  ['bow', 'baseline', 'tfidf', true, 0.803, null, 1.2e5, 0.04, 0.0009, 'measured', XEON, '99990000aaaabbbb'],
];

const COST_KEYS = { flops: 'flops', latency: 'latency_ms', energy: 'energy_j' };

/** On the accuracy/cost frontier: no other row at most as costly and at least as accurate, one strictly. */
function onFrontier(rows, r, key) {
  if (typeof r[key] !== 'number' || typeof r.accuracy !== 'number') return false;
  return !rows.some((o) => o !== r && typeof o[key] === 'number' && typeof o.accuracy === 'number' &&
    o[key] <= r[key] && o.accuracy >= r.accuracy && (o[key] < r[key] || o.accuracy > r.accuracy));
}

function safeId(s) {
  return String(s).replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'plugin';
}

function makeRows(task, table) {
  const rows = table.map(([method, family, point, headline, accuracy, macro_f1, flops, latency_ms, energy_j,
    energy_kind, hardware, hash]) => {
    const run_id = `${task}-${safeId(method)}-${hash}-s13`;
    return {
      run_id, method, family, point, headline, accuracy, macro_f1, flops, latency_ms, energy_j, energy_kind,
      hardware, suite: 'quick', seed: 13, pareto: {}, record: `runs/${run_id}.js`,
    };
  });
  for (const r of rows) {
    for (const [name, key] of Object.entries(COST_KEYS)) r.pareto[name] = onFrontier(rows, r, key);
  }
  return rows;
}

function evp(method, base, gain, trials) {
  const n = Array.from({ length: trials }, (_, i) => i + 1);
  const expected = n.map((k) => +(base + gain * (1 - 1 / k)).toFixed(4));
  return {
    method, n, expected,
    lower: expected.map((e, i) => +(e - 0.03 / (i + 1)).toFixed(4)),
    upper: expected.map((e, i) => +(e + 0.02 / (i + 1)).toFixed(4)),
    trials,
  };
}

const tasks = [
  {
    name: 'ag_news', display_name: 'AG News', rows: makeRows('ag_news', AG_NEWS),
    evp: [evp('standard', 0.86, 0.05, 10), evp('early_exit', 0.85, 0.055, 10), evp(HOSTILE_METHOD, 0.6, 0.1, 4)],
  },
  { name: 'sst2', display_name: 'SST-2', rows: makeRows('sst2', SST2) }, // no evp: the section hides
];

const leaderboard = {
  schema: 'greenbench-leaderboard/1',
  generated: '2026-11-29T15:00:00Z',
  greenbench_version: '0.1.0',
  tasks,
};

function record(task, rows) {
  const head = rows.find((r) => r.headline) || rows[0];
  const method = head.method;
  const hw = head.hardware;
  return {
    run_id: head.run_id,
    schema_version: '0.1',
    created: '2026-11-29T11:00:14Z',
    task: { name: task.name, display_name: task.display_name, labels: ['World', 'Sports', 'Business', 'Sci/Tech'] },
    method: {
      name: method, family: head.family, version: '1', config_hash: head.run_id.split('-').at(-2),
      config: { thresholds: rows.map((r) => r.point), note: method === HOSTILE_METHOD ? HOSTILE_HARDWARE : 'fixture' },
    },
    metrics: { accuracy: head.accuracy, macro_f1: head.macro_f1, operating_point: head.point },
    efficiency: {
      flops_per_instance: head.flops,
      flops_convention: 'analytic, per instance; multiply-add = 2 FLOPs',
      latency_batch1: head.latency_ms === null ? undefined : {
        batch_size: 1, count: 100, p50_seconds: head.latency_ms / 1e3, mean_seconds: head.latency_ms * 1.05 / 1e3,
        p99_seconds: head.latency_ms * 1.6 / 1e3,
      },
      throughput: { batch_size: 32, instances_per_second: 1234.5 },
      energy: {
        inference: head.energy_kind === 'measured'
          ? { measured: true, joules: head.energy_j * 2500, source: 'RAPL package' }
          : { measured: false, estimate: { joules: 325.37, label: 'estimate, not a measurement' } },
      },
    },
    hardware: { cpu: hw, logical_cores: 2, physical_cores: 2, memory_total_bytes: 25325268992 },
    software: {
      greenbench_version: '0.1.0', git_commit: '08792cbbbe07566d9bb8ab240c9e40ed61061750', git_dirty: false,
      compiler: 'GNU 12.2.0', build_type: 'Release', torch_version: '1.13.0', blas: { name: 'OpenBLAS' },
      os: 'Debian GNU/Linux 12 (bookworm)',
    },
    suite: 'quick',
    reproducibility: { seed: 13 },
    operating_points: rows.map((r) => ({
      name: r.point, accuracy: r.accuracy, macro_f1: r.macro_f1, flops_per_instance: r.flops,
      latency_batch1: r.latency_ms === null ? null : { p50_seconds: r.latency_ms / 1e3 },
      energy: r.energy_j === null ? null : r.energy_kind === 'measured'
        ? { measured: true, joules: r.energy_j * 2500, source: 'RAPL package' }
        : { measured: false, estimate: { joules: r.energy_j * 2500 } },
    })),
    warnings: method === HOSTILE_METHOD ? [HOSTILE_METHOD] : [],
    reproduce: `greenbench run --task ${task.name} --method '${String(method).replace(/'/g, "'\\''")}' --suite quick --seed 13`,
  };
}

rmSync(out, { recursive: true, force: true });
cpSync(dist, out, { recursive: true });
mkdirSync(join(out, 'data'), { recursive: true });
mkdirSync(join(out, 'runs'), { recursive: true });
writeFileSync(join(out, 'data', 'leaderboard.js'), `window.GREENBENCH = ${JSON.stringify(leaderboard, null, 1)};\n`);
let runs = 0;
for (const task of tasks) {
  const byRun = new Map();
  for (const r of task.rows) {
    if (!byRun.has(r.run_id)) byRun.set(r.run_id, []);
    byRun.get(r.run_id).push(r);
  }
  for (const [id, rows] of byRun) {
    writeFileSync(join(out, 'runs', `${id}.js`), `window.GREENBENCH_RUN = ${JSON.stringify(record(task, rows), null, 1)};\n`);
    runs++;
  }
}
console.log(`make_fixture_site: wrote ${out} (${tasks.length} tasks, ` +
  `${tasks.reduce((s, t) => s + t.rows.length, 0)} rows, ${runs} run records)`);
