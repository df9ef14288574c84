// index.html: task tabs, the sortable/filterable leaderboard table, the
// accuracy-cost scatter and the EVP chart. Data: window.GREENBENCH, set by
// data/leaderboard.js (a <script>, so the site also works from file://).

import { append, clear, colourMap, download, el, fmtFrac, fmtMflops, fmtSig, isNum, runHref } from './common.js';
import { COLUMNS, COSTS, filterRows, sortRows, toCsv } from './rows.js';
import { makeEvp, makeScatter, updateEvp, updateScatter } from './charts.js';

const SCHEMA = 'greenbench-leaderboard/1';
const $ = (id) => document.getElementById(id);

const state = {
  data: null,
  task: 0,
  sort: null, // {key, dir}
  family: '',
  hardware: '',
  headline: false,
  pareto: false,
  cost: 'flops',
  visible: [], // [row, index] pairs in display order
};
const charts = { scatter: null, evp: null };
// For tests and for poking at the page from the console.
window.greenbench = { state, charts };

function notice(...parts) {
  const n = $('notice');
  clear(n);
  append(n, parts);
  n.hidden = false;
}

function tasks() {
  return Array.isArray(state.data && state.data.tasks) ? state.data.tasks : [];
}

function currentTask() {
  return tasks()[state.task] || { rows: [], evp: [] };
}

function taskRows(task) {
  return Array.isArray(task.rows) ? task.rows.filter((r) => r && typeof r === 'object') : [];
}

function taskLabel(task) {
  return String(task.display_name || task.name || '(unnamed task)');
}

// ---------------------------------------------------------------- header

function renderMeta() {
  const d = state.data;
  const parts = [];
  if (d.generated) parts.push(['generated ', el('time', { datetime: String(d.generated) }, String(d.generated))]);
  if (d.greenbench_version) parts.push(['greenbench ', el('code', null, String(d.greenbench_version))]);
  const n = tasks().reduce((s, t) => s + taskRows(t).length, 0);
  parts.push([`${tasks().length} task${tasks().length === 1 ? '' : 's'}, ${n} rows`]);
  const meta = clear($('meta'));
  parts.forEach((p, i) => append(meta, [i ? ' \u00b7 ' : '', ...p]));
}

function renderTabs() {
  const nav = clear($('tabs'));
  tasks().forEach((task, i) => {
    const b = el('button', {
      type: 'button',
      role: 'tab',
      id: `tab-${i}`,
      'aria-selected': i === state.task ? 'true' : 'false',
      dataset: { task: String(task.name ?? i) },
    }, taskLabel(task), el('span', { className: 'tab-count' }, String(taskRows(task).length)));
    b.addEventListener('click', () => selectTask(i));
    nav.appendChild(b);
  });
}

function selectTask(i) {
  state.task = i;
  const task = currentTask();
  try {
    history.replaceState(null, '', '#task=' + encodeURIComponent(String(task.name ?? i)));
  } catch (e) { /* some file:// setups refuse; the tab still switches */ }
  for (const b of $('tabs').children) b.setAttribute('aria-selected', b.id === `tab-${i}` ? 'true' : 'false');
  renderTask();
}

// ---------------------------------------------------------------- table

function renderHead() {
  const tr = clear($('head-row'));
  for (const col of COLUMNS) {
    const active = state.sort && state.sort.key === col.key;
    const th = el('th', {
      scope: 'col',
      className: col.type === 'number' && col.align !== 'left' ? 'num' : null,
      'aria-sort': active ? (state.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none',
      dataset: { key: col.key },
    });
    const full = col.unit ? `${col.label} (${col.unit})` : col.label;
    const btn = el('button', { type: 'button', title: `Sort by ${full}` }, col.label,
      el('span', { className: 'arrow', 'aria-hidden': 'true' }, active ? (state.sort.dir === 'asc' ? '\u25b2' : '\u25bc') : ''),
      col.unit ? el('span', { className: 'unit' }, col.unit) : null);
    btn.addEventListener('click', () => {
      // Numbers sort best-first (descending) on the first click, text A-Z.
      const first = col.type === 'number' ? 'desc' : 'asc';
      if (state.sort && state.sort.key === col.key) state.sort.dir = state.sort.dir === 'asc' ? 'desc' : 'asc';
      else state.sort = { key: col.key, dir: first };
      renderHead();
      renderRows();
    });
    th.appendChild(btn);
    tr.appendChild(th);
  }
}

const dash = () => el('span', { className: 'null', title: 'not available' }, '\u2014');
const numCell = (text, value) => el('td', { className: 'num' }, isNum(value) ? text : dash());

function familyClass(f) {
  return f === 'method' || f === 'baseline' ? `family family-${f}` : 'family family-other';
}

function rowElement(r, index) {
  const tr = el('tr', { dataset: { rowIndex: String(index), runId: String(r.run_id ?? '') } });
  if (r.headline === true) tr.classList.add('headline');
  const link = el('a', { href: runHref(r.run_id ?? ''), title: 'Open the run record' }, String(r.method ?? ''));
  tr.appendChild(el('td', { className: 'method' }, link));
  tr.appendChild(el('td', null, el('span', { className: familyClass(r.family) }, String(r.family ?? ''))));
  tr.appendChild(el('td', { className: 'point' }, String(r.point ?? ''),
    r.headline === true ? el('span', { className: 'badge', title: 'the point this method is reported by' }, 'headline') : null));
  tr.appendChild(numCell(fmtFrac(r.accuracy), r.accuracy));
  tr.appendChild(numCell(fmtFrac(r.macro_f1), r.macro_f1));
  tr.appendChild(numCell(fmtMflops(r.flops), r.flops));
  tr.appendChild(numCell(fmtSig(r.latency_ms, 3), r.latency_ms));
  const energy = numCell(fmtSig(r.energy_j, 3), r.energy_j);
  if (isNum(r.energy_j) && r.energy_kind === 'estimate') {
    append(energy, [' ', el('span', { className: 'est', title: 'estimate, not a measurement' }, 'est.')]);
  }
  tr.appendChild(energy);
  tr.appendChild(el('td', { className: 'hardware', title: String(r.hardware ?? '') }, String(r.hardware ?? '')));
  const p = r.pareto && typeof r.pareto === 'object' ? r.pareto : {};
  const flags = ['flops', 'latency', 'energy'].filter((k) => p[k] === true);
  const pc = el('td', { className: 'pareto' });
  if (flags.length === 0) pc.appendChild(dash());
  for (const k of flags) {
    pc.appendChild(el('span', { className: 'chip', title: `on the accuracy/${COSTS[k].short} Pareto frontier` }, COSTS[k].short));
  }
  tr.appendChild(pc);
  return tr;
}

function visiblePairs() {
  const pairs = taskRows(currentTask()).map((r, i) => [r, i]);
  const filtered = filterRows(pairs, state);
  return state.sort ? sortRows(filtered, state.sort.key, state.sort.dir) : filtered;
}

function renderRows() {
  state.visible = visiblePairs();
  const tbody = clear($('leaderboard').tBodies[0]);
  for (const [r, i] of state.visible) tbody.appendChild(rowElement(r, i));
  const total = taskRows(currentTask()).length;
  $('row-count').textContent = `${state.visible.length} of ${total} rows`;
  $('empty').hidden = state.visible.length > 0;
  renderScatter();
}

function fillSelect(select, label, values, keep) {
  clear(select);
  select.appendChild(el('option', { value: '' }, `all ${label}`));
  for (const v of values) select.appendChild(el('option', { value: v }, v));
  select.value = values.includes(keep) ? keep : '';
  return select.value;
}

function distinct(rows, key) {
  return [...new Set(rows.map((r) => r[key]).filter((v) => v !== null && v !== undefined).map(String))]
    .sort((a, b) => a.localeCompare(b));
}

// ---------------------------------------------------------------- charts

function colours() {
  return colourMap(taskRows(currentTask()).map((r) => String(r.method)).concat(
    (Array.isArray(currentTask().evp) ? currentTask().evp : []).map((e) => String(e && e.method))));
}

function renderScatter() {
  const rows = state.visible.map(([r]) => r);
  const all = taskRows(currentTask());
  const usable = all.some((r) => isNum(r[COSTS[state.cost].key]) && isNum(r.accuracy));
  $('scatter-section').hidden = all.length === 0;
  if (!charts.scatter) {
    charts.scatter = makeScatter($('scatter'), (row) => { window.location.href = runHref(row.run_id ?? ''); });
  }
  const skipped = updateScatter(charts.scatter, rows, all, state.cost, colours());
  const note = [];
  if (!usable) note.push(`No row of this task has ${COSTS[state.cost].short}; choose another cost.`);
  else if (skipped) note.push(`${skipped} visible row${skipped === 1 ? '' : 's'} without ${COSTS[state.cost].short} or accuracy not plotted.`);
  $('scatter-note').textContent = note.join(' ');
}

function renderEvp() {
  const evp = (Array.isArray(currentTask().evp) ? currentTask().evp : []).filter((e) => e && typeof e === 'object');
  $('evp-section').hidden = evp.length === 0;
  if (evp.length === 0) return;
  if (!charts.evp) charts.evp = makeEvp($('evp'));
  updateEvp(charts.evp, evp, colours());
}

// ---------------------------------------------------------------- task

function renderTask() {
  const task = currentTask();
  const rows = taskRows(task);
  $('task-title').textContent = taskLabel(task);
  state.family = fillSelect($('filter-family'), 'families', distinct(rows, 'family'), state.family);
  state.hardware = fillSelect($('filter-hardware'), 'hardware', distinct(rows, 'hardware'), state.hardware);
  for (const opt of $('cost-select').options) {
    opt.disabled = !rows.some((r) => isNum(r[COSTS[opt.value].key]));
  }
  $('board').hidden = false;
  renderHead();
  renderRows();
  renderEvp();
}

function bindControls() {
  $('filter-family').addEventListener('change', (e) => { state.family = e.target.value; renderRows(); });
  $('filter-hardware').addEventListener('change', (e) => { state.hardware = e.target.value; renderRows(); });
  $('toggle-headline').addEventListener('change', (e) => { state.headline = e.target.checked; renderRows(); });
  $('toggle-pareto').addEventListener('change', (e) => { state.pareto = e.target.checked; renderRows(); });
  $('cost-select').addEventListener('change', (e) => {
    state.cost = e.target.value;
    $('pareto-cost').textContent = `(${COSTS[state.cost].short})`;
    renderRows();
  });
  $('pareto-cost').textContent = `(${COSTS[state.cost].short})`;
  const base = () => String(currentTask().name ?? 'task').replace(/[^A-Za-z0-9_.-]+/g, '_');
  $('download-json').addEventListener('click', () => {
    const rows = state.visible.map(([r]) => r);
    download(`greenbench-${base()}.json`, 'application/json',
      JSON.stringify({ task: currentTask().name ?? null, rows }, null, 2) + '\n');
  });
  $('download-csv').addEventListener('click', () => {
    download(`greenbench-${base()}.csv`, 'text/csv;charset=utf-8', toCsv(state.visible.map(([r]) => r), currentTask().name));
  });
}

function initialTask() {
  const m = /^#task=(.*)$/.exec(location.hash);
  if (!m) return 0;
  let name;
  try { name = decodeURIComponent(m[1]); } catch (e) { return 0; }
  const i = tasks().findIndex((t) => String(t.name) === name);
  return i >= 0 ? i : 0;
}

function main() {
  const data = window.GREENBENCH;
  if (!data || typeof data !== 'object') {
    notice('No leaderboard data: ', el('code', null, 'data/leaderboard.js'),
      ' is missing or did not set window.GREENBENCH. Write the site with ',
      el('code', null, 'greenbench site build --results DIR --out SITE'), '.');
    document.body.dataset.ready = 'error';
    return;
  }
  state.data = data;
  if (data.schema !== SCHEMA) {
    notice('This site reads ', el('code', null, SCHEMA), ' data; data/leaderboard.js says ',
      el('code', null, String(data.schema)), '. Showing it anyway.');
  }
  renderMeta();
  if (tasks().length === 0) {
    notice('The leaderboard has no tasks yet.');
    document.body.dataset.ready = 'empty';
    return;
  }
  state.task = initialTask();
  renderTabs();
  bindControls();
  selectTask(state.task);
  document.body.dataset.ready = 'true';
}

main();
