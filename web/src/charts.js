// The two charts: accuracy against cost (scatter, per-method curves, Pareto
// step line) and expected validation performance. Chart.js draws labels on
// the canvas, so hostile names stay text.

import {
  Chart,
  ScatterController,
  LineController,
  PointElement,
  LineElement,
  LinearScale,
  LogarithmicScale,
  Tooltip,
  Legend,
  Filler,
} from 'chart.js';
import { fmtFrac, fmtSig, isNum, withAlpha } from './common.js';
import { COSTS, computeFrontier } from './rows.js';

Chart.register(ScatterController, LineController, PointElement, LineElement, LinearScale,
  LogarithmicScale, Tooltip, Legend, Filler);
Chart.defaults.font.family =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
Chart.defaults.color = '#3b4252';

const fmtCost = (_cost, x) => fmtSig(x, 3);

/**
 * rows: the rows to plot (after filters); allRows: every row of the task, for
 * the frontier. Returns {datasets, skipped}.
 */
export function scatterData(rows, allRows, cost, colours) {
  const c = COSTS[cost];
  const usable = (r) => isNum(r[c.key]) && r[c.key] > 0 && isNum(r.accuracy);
  const point = (r) => ({ x: r[c.key] * c.scale, y: r.accuracy, row: r });
  const byMethod = new Map();
  let skipped = 0;
  for (const r of rows) {
    if (!usable(r)) {
      skipped++;
      continue;
    }
    const name = String(r.method);
    if (!byMethod.has(name)) byMethod.set(name, []);
    byMethod.get(name).push(r);
  }
  const datasets = [];
  for (const [name, mrows] of byMethod) {
    mrows.sort((a, b) => a[c.key] - b[c.key]);
    const colour = colours.get(name) || '#555';
    datasets.push({
      label: name,
      data: mrows.map(point),
      showLine: mrows.length > 1,
      borderColor: colour,
      backgroundColor: withAlpha(colour, 0.85),
      borderWidth: 1.5,
      pointRadius: mrows.map((r) => (r.headline ? 6.5 : 3.5)),
      pointHoverRadius: mrows.map((r) => (r.headline ? 8 : 5.5)),
      pointStyle: mrows.map((r) => (r.headline ? 'rectRot' : 'circle')),
      order: 1,
    });
  }
  // The frontier over the whole task: the data's own flags when it has them.
  const flagged = allRows.some((r) => r.pareto && typeof r.pareto[cost] === 'boolean');
  const frontier = flagged
    ? allRows.filter((r) => usable(r) && r.pareto && r.pareto[cost] === true)
    : computeFrontier(allRows, c.key);
  frontier.sort((a, b) => a[c.key] - b[c.key]);
  if (frontier.length > 0) {
    datasets.push({
      label: 'Pareto frontier',
      data: frontier.map(point),
      showLine: true,
      stepped: 'before', // horizontal first: the best accuracy at each cost
      borderColor: '#111827',
      backgroundColor: '#111827',
      borderDash: [6, 4],
      borderWidth: 1.5,
      pointRadius: 0,
      pointHoverRadius: 0,
      pointHitRadius: 0,
      pointStyle: 'line',
      order: 0,
      isFrontier: true,
    });
  }
  return { datasets, skipped };
}

export function makeScatter(canvas, onPick) {
  return new Chart(canvas, {
    type: 'scatter',
    data: { datasets: [] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', intersect: true },
      scales: {
        x: {
          type: 'logarithmic',
          title: { display: true, text: COSTS.flops.label },
          ticks: { callback: (v) => fmtSig(Number(v), 3), maxTicksLimit: 10, autoSkip: true },
        },
        y: { title: { display: true, text: 'accuracy' }, ticks: { callback: (v) => fmtFrac(Number(v)) } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { usePointStyle: true, boxWidth: 8 } },
        tooltip: {
          filter: (item) => !item.dataset.isFrontier,
          callbacks: {
            title: (items) => (items.length ? String(items[0].raw.row.method) : ''),
            label: (item) => {
              const r = item.raw.row;
              const cost = item.chart.$greenbenchCost || 'flops';
              const extra = cost === 'energy' && r.energy_kind === 'estimate' ? ' (est.)' : '';
              return `${r.point ?? ''}${r.headline ? ' (headline)' : ''}: accuracy ${fmtFrac(r.accuracy)}, ` +
                `${fmtCost(cost, item.raw.x)} ${COSTS[cost].label}${extra}`;
            },
          },
        },
      },
      onClick: (event, elements, chart) => {
        const hit = elements.find((e) => !chart.data.datasets[e.datasetIndex].isFrontier);
        if (hit && onPick) onPick(chart.data.datasets[hit.datasetIndex].data[hit.index].row);
      },
      onHover: (event, elements) => {
        const target = event.native && event.native.target;
        if (target) target.style.cursor = elements.length ? 'pointer' : 'default';
      },
    },
  });
}

export function updateScatter(chart, rows, allRows, cost, colours) {
  const { datasets, skipped } = scatterData(rows, allRows, cost, colours);
  chart.$greenbenchCost = cost;
  chart.data.datasets = datasets;
  chart.options.scales.x.title.text = COSTS[cost].label + ' (log scale)';
  chart.options.scales.x.ticks.callback = (v) => fmtCost(cost, Number(v));
  chart.update();
  return skipped;
}

/** EVP: expected best accuracy vs trials, with a lower/upper band per method. */
export function evpDatasets(evp, colours) {
  const datasets = [];
  for (const e of evp) {
    const n = Array.isArray(e.n) ? e.n : [];
    const num = (arr, i) => (Array.isArray(arr) && isNum(arr[i]) ? arr[i] : null);
    const pts = (arr) =>
      n.map((x, i) => ({ x, y: num(arr, i), lo: num(e.lower, i), hi: num(e.upper, i) }))
        .filter((p) => isNum(p.x) && p.y !== null);
    const name = String(e.method);
    const colour = colours.get(name) || '#555';
    const label = isNum(e.trials) ? `${name} (${e.trials} trials)` : name;
    if (Array.isArray(e.lower) && Array.isArray(e.upper)) {
      datasets.push({ label: label + ' upper', data: pts(e.upper), band: true, fill: '+1',
        borderWidth: 0, pointRadius: 0, pointHitRadius: 0, backgroundColor: withAlpha(colour, 0.15),
        borderColor: 'transparent' });
      datasets.push({ label: label + ' lower', data: pts(e.lower), band: true, fill: false,
        borderWidth: 0, pointRadius: 0, pointHitRadius: 0, borderColor: 'transparent' });
    }
    datasets.push({ label, data: pts(e.expected), method: name, fill: false, borderColor: colour,
      backgroundColor: colour, borderWidth: 2, pointRadius: 3 });
  }
  return datasets;
}

export function makeEvp(canvas) {
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: true,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'number of trials (hyperparameter assignments)' },
          ticks: { precision: 0 } },
        y: { title: { display: true, text: 'expected best validation accuracy' },
          ticks: { callback: (v) => fmtFrac(Number(v)) } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { filter: (item, data) => !data.datasets[item.datasetIndex].band } },
        tooltip: {
          filter: (item) => !item.dataset.band,
          callbacks: {
            label: (item) => {
              const { lo, hi } = item.raw;
              const band = isNum(lo) && isNum(hi) ? ` [${fmtFrac(lo)}, ${fmtFrac(hi)}]` : '';
              return `${item.dataset.method}: ${fmtFrac(item.parsed.y)}${band} at n=${item.parsed.x}`;
            },
          },
        },
      },
    },
  });
}

export function updateEvp(chart, evp, colours) {
  chart.data.datasets = evpDatasets(evp, colours);
  chart.update();
}
