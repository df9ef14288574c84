// Leaderboard rows: columns, sorting, filtering and CSV export. No DOM here.

import { isNum } from './common.js';

export const COSTS = {
  flops: { key: 'flops', label: 'MFLOPs / instance', short: 'FLOPs', scale: 1e-6 },
  latency: { key: 'latency_ms', label: 'latency ms (batch 1)', short: 'latency', scale: 1 },
  energy: { key: 'energy_j', label: 'energy J', short: 'energy', scale: 1 },
};

export function paretoCount(row) {
  const p = row && row.pareto;
  if (!p || typeof p !== 'object') return 0;
  return ['flops', 'latency', 'energy'].filter((k) => p[k] === true).length;
}

/** Column definitions; `value` is what sorting uses. */
export const COLUMNS = [
  { key: 'method', label: 'Method', type: 'string', value: (r) => r.method },
  { key: 'family', label: 'Family', type: 'string', value: (r) => r.family },
  { key: 'point', label: 'Point', type: 'string', value: (r) => r.point },
  { key: 'accuracy', label: 'Accuracy', type: 'number', value: (r) => r.accuracy },
  { key: 'macro_f1', label: 'Macro-F1', type: 'number', value: (r) => r.macro_f1 },
  { key: 'flops', label: 'MFLOPs', unit: 'per instance', type: 'number', value: (r) => r.flops },
  { key: 'latency_ms', label: 'Latency', unit: 'ms, batch 1', type: 'number', value: (r) => r.latency_ms },
  { key: 'energy_j', label: 'Energy', unit: 'J', type: 'number', value: (r) => r.energy_j },
  { key: 'hardware', label: 'Hardware', type: 'string', value: (r) => r.hardware },
  { key: 'pareto', label: 'Pareto', type: 'number', align: 'left', value: (r) => paretoCount(r) },
];

function present(type, v) {
  if (type === 'number') return isNum(v);
  return v !== undefined && v !== null && v !== '';
}

/**
 * Sorts [row, index] pairs by column; nulls last in both directions, ties
 * keep the data's order (index). Returns a new array.
 */
export function sortRows(pairs, columnKey, dir) {
  const col = COLUMNS.find((c) => c.key === columnKey);
  if (!col) return pairs.slice();
  const sign = dir === 'asc' ? 1 : -1;
  return pairs.slice().sort(([a, ia], [b, ib]) => {
    const va = col.value(a);
    const vb = col.value(b);
    const pa = present(col.type, va);
    const pb = present(col.type, vb);
    if (pa !== pb) return pa ? -1 : 1;
    let c = 0;
    if (pa) {
      c = col.type === 'number' ? va - vb : String(va).localeCompare(String(vb), 'en', { numeric: true });
    }
    return c !== 0 ? sign * c : ia - ib;
  });
}

/** filters: {family, hardware, headline, pareto, cost} ('' = any). */
export function filterRows(pairs, f) {
  return pairs.filter(([r]) => {
    if (f.family && String(r.family) !== f.family) return false;
    if (f.hardware && String(r.hardware) !== f.hardware) return false;
    if (f.headline && r.headline !== true) return false;
    if (f.pareto && !(r.pareto && r.pareto[f.cost] === true)) return false;
    return true;
  });
}

export const CSV_FIELDS = [
  'task', 'run_id', 'method', 'family', 'point', 'headline', 'accuracy', 'macro_f1', 'flops',
  'latency_ms', 'energy_j', 'energy_kind', 'hardware', 'suite', 'seed',
  'pareto_flops', 'pareto_latency', 'pareto_energy',
];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF
 * (quotes doubled). A text cell that starts with = + - @ or a tab would be
 * taken for a formula by spreadsheets; it gets a leading apostrophe.
 * Numbers are written as they are.
 */
export function csvField(v) {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  let s = typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export function toCsv(rows, taskName) {
  const lines = [CSV_FIELDS.join(',')];
  for (const r of rows) {
    const p = r.pareto || {};
    const rec = {
      ...r,
      task: taskName,
      pareto_flops: p.flops,
      pareto_latency: p.latency,
      pareto_energy: p.energy,
    };
    lines.push(CSV_FIELDS.map((k) => csvField(rec[k])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/**
 * The accuracy/cost frontier among rows with both values: sorted by cost,
 * each point more accurate than every cheaper one. Used when the data carry
 * no pareto flag for a cost.
 */
export function computeFrontier(rows, costKey) {
  const pts = rows
    .filter((r) => isNum(r[costKey]) && r[costKey] > 0 && isNum(r.accuracy))
    .sort((a, b) => a[costKey] - b[costKey] || b.accuracy - a.accuracy);
  const out = [];
  let best = -Infinity;
  for (const r of pts) {
    if (r.accuracy > best) {
      out.push(r);
      best = r.accuracy;
    }
  }
  return out;
}
