// run.html#<run_id>: loads runs/<run_id>.js (window.GREENBENCH_RUN) with a
// <script> tag, after checking the id, and shows the record. Every string in
// the record is set as text.

import { append, clear, download, el, fmtFrac, fmtSig, get, isNum, RUN_ID_RE } from './common.js';

const $ = (id) => document.getElementById(id);

function notice(...parts) {
  const n = clear($('notice'));
  append(n, parts);
  n.hidden = false;
}

const text = (v) => (v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v));
const first = (...vs) => vs.find((v) => v !== undefined && v !== null);

function energyOf(e) {
  // {measured, joules, source, estimate: {joules}} as greenbench writes it.
  if (!e || typeof e !== 'object') return null;
  if (e.measured === true && isNum(e.joules)) return { joules: e.joules, kind: text(e.source) || 'measured' };
  const est = e.estimate && typeof e.estimate === 'object' ? e.estimate : null;
  if (est && isNum(est.joules)) return { joules: est.joules, kind: 'estimate' };
  if (isNum(e.joules)) return { joules: e.joules, kind: null };
  return null;
}

function energyNodes(en) {
  if (!en) return null;
  return [`${fmtSig(en.joules, 3)} J`, en.kind === 'estimate'
    ? [' ', el('span', { className: 'est', title: 'estimate, not a measurement' }, 'est.')]
    : en.kind ? ` (${en.kind})` : ''];
}

function facts(rec) {
  const out = [];
  const add = (label, ...value) => {
    const flat = value.flat(Infinity).filter((v) => v !== null && v !== undefined && v !== '');
    if (flat.length) out.push([label, flat]);
  };
  const task = rec.task;
  if (task && typeof task === 'object') {
    add('Task', text(task.display_name || task.name), task.display_name && task.name ? ` (${task.name})` : '');
  } else add('Task', text(task));

  const m = rec.method;
  if (m && typeof m === 'object') {
    const extra = [m.family && `family ${m.family}`, m.version && `version ${m.version}`].filter(Boolean).map(String);
    add('Method', text(m.name), extra.length ? ` (${extra.join(', ')})` : '');
    if (m.origin !== undefined) add('Origin', text(m.origin));
    if (m.config !== undefined) add('Config', el('code', null, text(m.config)));
    add('Config hash', m.config_hash !== undefined ? el('code', null, text(m.config_hash)) : null);
  } else add('Method', text(m));

  const metrics = rec.metrics || {};
  add('Operating point', text(metrics.operating_point));
  const acc = first(metrics.accuracy, rec.accuracy);
  add('Accuracy', isNum(acc) ? fmtFrac(acc) : null);
  const f1 = first(metrics.macro_f1, rec.macro_f1);
  add('Macro-F1', isNum(f1) ? fmtFrac(f1) : null);

  const eff = rec.efficiency || {};
  const flops = first(eff.flops_per_instance, rec.flops);
  add('FLOPs / instance', isNum(flops) ? `${fmtSig(flops / 1e6, 3)} MFLOPs` : null,
    text(eff.flops_convention) ? el('span', { className: 'muted' }, ` \u2014 ${eff.flops_convention}`) : null);
  const lat = eff.latency_batch1;
  if (lat && typeof lat === 'object') {
    const parts = [];
    if (isNum(lat.p50_seconds)) parts.push(`p50 ${fmtSig(lat.p50_seconds * 1e3, 3)} ms`);
    if (isNum(lat.mean_seconds)) parts.push(`mean ${fmtSig(lat.mean_seconds * 1e3, 3)} ms`);
    if (isNum(lat.p99_seconds)) parts.push(`p99 ${fmtSig(lat.p99_seconds * 1e3, 3)} ms`);
    if (isNum(lat.count)) parts.push(`${lat.count} instances`);
    add('Latency (batch 1)', parts.join(', '));
  } else if (isNum(rec.latency_ms)) add('Latency (batch 1)', `${fmtSig(rec.latency_ms, 3)} ms`);
  add('Throughput', isNum(get(eff, 'throughput.instances_per_second'))
    ? `${fmtSig(eff.throughput.instances_per_second, 3)} instances/s (batch ${text(eff.throughput.batch_size) ?? '?'})` : null);
  const energy = get(eff, 'energy');
  if (energy && typeof energy === 'object') {
    for (const phase of ['inference', 'training', 'calibration']) {
      const en = energyOf(energy[phase]);
      if (en) add(`Energy, ${phase}`, energyNodes(en));
    }
  } else if (isNum(rec.energy_j)) add('Energy', `${fmtSig(rec.energy_j, 3)} J`);
  // Every meter by its name (efficiency.meters), so a new meter shows here too;
  // why one could not measure is in the record below.
  const meters = get(eff, 'meters');
  if (meters && typeof meters === 'object') {
    const parts = Object.entries(meters).filter(([, m]) => m && typeof m === 'object')
      .map(([name, m]) => (m.available === true ? `${name} (${text(m.source) || 'available'})` : `${name}: not available`));
    add('Meters', parts.join('; '));
  }
  const fp = get(eff, 'footprint.inference');
  if (fp && isNum(fp.kg_co2e)) add('Footprint, inference', `${fmtSig(fp.kg_co2e * 1e3, 3)} g CO\u2082e`, fp.basis ? ` (${fp.basis})` : '');

  const hw = rec.hardware;
  if (hw && typeof hw === 'object') {
    const parts = [text(hw.cpu)];
    if (isNum(hw.physical_cores) || isNum(hw.logical_cores)) {
      parts.push(`${hw.physical_cores ?? '?'} cores / ${hw.logical_cores ?? '?'} threads`);
    }
    if (isNum(hw.memory_total_bytes)) parts.push(`${fmtSig(hw.memory_total_bytes / 2 ** 30, 3)} GiB RAM`);
    if (hw.gpu) parts.push(text(hw.gpu));
    add('Hardware', parts.filter(Boolean).join(', '));
  } else add('Hardware', text(hw));

  const sw = rec.software;
  if (sw && typeof sw === 'object') {
    const parts = [];
    if (sw.greenbench_version) parts.push(`greenbench ${text(sw.greenbench_version)}`);
    if (sw.git_commit) parts.push(`commit ${text(sw.git_commit).slice(0, 12)}${sw.git_dirty ? ' (dirty)' : ''}`);
    if (sw.build_type) parts.push(text(sw.build_type));
    if (sw.compiler) parts.push(text(sw.compiler));
    if (sw.torch_version) parts.push(`LibTorch ${text(sw.torch_version)}`);
    if (sw.blas && sw.blas.name) parts.push(text(sw.blas.name));
    if (sw.os) parts.push(text(sw.os));
    add('Software', parts.join(', '));
  } else add('Software', text(sw));

  const suite = rec.suite;
  add('Suite', suite && typeof suite === 'object' ? text(suite.name ?? suite) : text(suite));
  add('Seed', text(first(get(rec, 'reproducibility.seed'), rec.seed)));
  add('Created', text(rec.created));
  return out;
}

function renderFacts(rec) {
  const dl = clear($('facts'));
  for (const [label, value] of facts(rec)) {
    dl.appendChild(el('dt', null, label));
    dl.appendChild(append(el('dd'), value));
  }
  const warnings = Array.isArray(rec.warnings) ? rec.warnings : [];
  const box = clear($('warnings'));
  if (warnings.length) {
    box.appendChild(el('h3', null, 'Warnings'));
    box.appendChild(el('ul', { className: 'warnings' }, warnings.map((w) => el('li', null, text(w)))));
  }
  $('facts-section').hidden = false;
}

function renderPoints(rec) {
  const pts = Array.isArray(rec.operating_points) ? rec.operating_points.filter((p) => p && typeof p === 'object') : [];
  if (!pts.length) return;
  const tbody = clear($('points').tBodies[0]);
  const headline = get(rec, 'metrics.operating_point');
  const num = (v, f) => el('td', { className: 'num' }, isNum(v) ? f(v) : el('span', { className: 'null' }, '\u2014'));
  for (const p of pts) {
    const tr = el('tr', { className: p.name === headline && headline !== undefined ? 'headline' : null });
    tr.appendChild(el('td', null, text(p.name) ?? '', p.name === headline && headline !== undefined
      ? el('span', { className: 'badge' }, 'headline') : null));
    tr.appendChild(num(p.accuracy, fmtFrac));
    tr.appendChild(num(p.macro_f1, fmtFrac));
    tr.appendChild(num(p.flops_per_instance, (v) => fmtSig(v / 1e6, 3)));
    tr.appendChild(num(get(p, 'latency_batch1.p50_seconds'), (v) => fmtSig(v * 1e3, 3)));
    const en = energyOf(p.energy);
    const td = el('td', { className: 'num' }, en ? energyNodes(en) : el('span', { className: 'null' }, '\u2014'));
    tr.appendChild(td);
    tbody.appendChild(tr);
  }
  $('points-section').hidden = false;
}

function render(id, rec) {
  document.title = `greenbench run ${id}`;
  if (rec.run_id !== undefined && String(rec.run_id) !== id) {
    notice('This record says its run id is ', el('code', null, String(rec.run_id)), ', not ', el('code', null, id), '.');
  }
  const taskName = rec.task && typeof rec.task === 'object' ? rec.task.name : rec.task;
  if (taskName !== undefined && taskName !== null) $('back').href = 'index.html#task=' + encodeURIComponent(String(taskName));
  renderFacts(rec);
  renderPoints(rec);
  if (rec.reproduce !== undefined && rec.reproduce !== null) {
    $('reproduce').textContent = String(rec.reproduce);
    $('reproduce-section').hidden = false;
    $('copy-reproduce').addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(String(rec.reproduce));
        $('copy-reproduce').textContent = 'Copied';
      } catch (e) {
        const range = document.createRange();
        range.selectNodeContents($('reproduce'));
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        $('copy-reproduce').textContent = 'Selected: press Ctrl+C';
      }
    });
  }
  const json = JSON.stringify(rec, null, 2);
  $('record-json').textContent = json;
  $('record-section').hidden = false;
  $('download-record').addEventListener('click', () => download(`${id}.json`, 'application/json', json + '\n'));
  document.body.dataset.ready = 'true';
}

function main() {
  let id = '';
  try {
    id = decodeURIComponent(location.hash.replace(/^#/, ''));
  } catch (e) {
    id = '';
  }
  $('run-id').textContent = id;
  if (!id) {
    notice('No run given: open this page as ', el('code', null, 'run.html#<run_id>'), ' (the leaderboard links here).');
    document.body.dataset.ready = 'error';
    return;
  }
  if (!RUN_ID_RE.test(id)) {
    notice('Not a run id: ', el('code', null, id), '. Run ids use only letters, digits, ',
      el('code', null, '_ . -'), '.');
    document.body.dataset.ready = 'error';
    return;
  }
  delete window.GREENBENCH_RUN;
  const src = `runs/${id}.js`;
  const script = document.createElement('script');
  script.src = src;
  script.addEventListener('load', () => {
    const rec = window.GREENBENCH_RUN;
    if (!rec || typeof rec !== 'object') {
      notice(el('code', null, src), ' loaded but did not set window.GREENBENCH_RUN.');
      document.body.dataset.ready = 'error';
      return;
    }
    render(id, rec);
  });
  script.addEventListener('error', () => {
    notice('Could not load ', el('code', null, src), ': no such run in this site.');
    document.body.dataset.ready = 'error';
  });
  document.body.appendChild(script);
}

window.addEventListener('hashchange', () => location.reload());
main();
