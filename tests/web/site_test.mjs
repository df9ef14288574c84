#!/usr/bin/env node
// End-to-end test of the static leaderboard in headless Chromium.
//   node tests/web/site_test.mjs SITE_DIR SCREENSHOT_PATH
// SITE_DIR: a built site (web/dist + data/leaderboard.js + runs/*.js), from
// tests/web/make_fixture_site.mjs or `greenbench site build`. Expectations are
// read from SITE_DIR's own data, never hard-coded, so it runs on either.
// Environment: CHROMIUM (default /usr/bin/chromium), GREENBENCH_WEB_DIR (the
// web/ folder whose node_modules hold playwright-core; default ../../web).
// Exit 0: passed; 77: skipped (no Chromium or playwright-core); else failed.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const SKIP = 77;
const t0 = Date.now();
const log = (...a) => console.log(...a);
function skip(why) {
  log(`SKIP: ${why}`);
  process.exit(SKIP);
}

const [siteArg, shotArg] = process.argv.slice(2);
if (!siteArg || !shotArg) {
  console.error('usage: site_test.mjs SITE_DIR SCREENSHOT_PATH');
  process.exit(2);
}
const site = resolve(siteArg);
const shot = resolve(shotArg);

const here = dirname(fileURLToPath(import.meta.url));
const webDir = resolve(process.env.GREENBENCH_WEB_DIR || join(here, '..', '..', 'web'));
let chromium;
try {
  // ESM ignores NODE_PATH: resolve playwright-core from web/ explicitly.
  ({ chromium } = createRequire(join(webDir, 'package.json'))('playwright-core'));
} catch (e) {
  skip(`playwright-core is not installed under ${webDir}/node_modules (run \`npm ci\` in web/): ${e.message.split('\n')[0]}`);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  skip(`no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM=/path/to/chromium)`);
}

// ------------------------------------------------------------ the data, in node

function loadJs(file, global) {
  const sandbox = { window: {} };
  vm.runInNewContext(readFileSync(file, 'utf8'), sandbox, { filename: file, timeout: 5000 });
  const value = sandbox.window[global];
  // Plain objects of this realm (node:assert compares prototypes).
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
for (const f of ['index.html', 'run.html', 'data/leaderboard.js']) {
  if (!existsSync(join(site, f))) {
    console.error(`FAIL: ${site} has no ${f}; is it a built site?`);
    process.exit(1);
  }
}
const data = loadJs(join(site, 'data', 'leaderboard.js'), 'GREENBENCH');
assert.ok(data && Array.isArray(data.tasks) && data.tasks.length > 0, 'data/leaderboard.js: window.GREENBENCH has no tasks');
const task0 = data.tasks[0];
const rows0 = task0.rows;
assert.ok(rows0.length > 0, 'the first task has no rows');

const isNum = (x) => typeof x === 'number' && Number.isFinite(x);
/** Indices in the order the page must show after sorting by key: nulls last, ties in data order. */
function expectedOrder(rows, key, dir) {
  const sign = dir === 'asc' ? 1 : -1;
  return rows.map((r, i) => [r, i]).sort(([a, ia], [b, ib]) => {
    const pa = isNum(a[key]);
    const pb = isNum(b[key]);
    if (pa !== pb) return pa ? -1 : 1;
    const c = pa ? a[key] - b[key] : 0;
    return c !== 0 ? sign * c : ia - ib;
  }).map(([, i]) => i);
}

/** RFC 4180 CSV into arrays of fields. */
function parseCsv(text) {
  const out = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { /* CRLF: the \n ends the row */ }
    else if (ch === '\n') { row.push(field); out.push(row); row = []; field = ''; }
    else field += ch;
  }
  if (field !== '' || row.length) { row.push(field); out.push(row); }
  return out;
}
const csvText = (s) => (/^[=+\-@\t\r]/.test(s) ? "'" + s : s);

// ------------------------------------------------------------ a tiny static server

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css',
  '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml', '.txt': 'text/plain' };
const requests = [];
const server = createServer((req, res) => {
  let path;
  try {
    path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  if (path.endsWith('/')) path += 'index.html';
  const file = resolve(site, '.' + path);
  let status = 404;
  if (file.startsWith(site + sep) && existsSync(file) && statSync(file).isFile()) {
    status = 200;
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  } else {
    res.writeHead(status, { 'content-type': 'text/plain' }).end('not found');
  }
  requests.push(`${status} ${path}`);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;

// ------------------------------------------------------------ the browser

let browser;
const watchdog = setTimeout(() => {
  console.error('FAIL: the test took longer than 150 s');
  process.exit(1);
}, 150_000);

let passed = 0;
async function step(name, fn) {
  try {
    await fn();
  } catch (e) {
    e.message = `${name}: ${e.message}`;
    throw e;
  }
  passed++;
  log(`ok ${passed} - ${name}`);
}
const note = (msg) => log(`   # ${msg}`);

const dialogs = [];
const pageErrors = [];
function watch(page) {
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') log(`   # console error: ${m.text()} (${m.location().url || 'no url'})`);
  });
  page.setDefaultTimeout(15_000);
}

async function ready(page, expected = 'true') {
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  const state = await page.evaluate(() => document.body.dataset.ready);
  if (state !== expected) {
    const msg = await page.evaluate(() => document.getElementById('notice')?.textContent || '');
    throw new Error(`page state ${state}, expected ${expected}: ${msg}`);
  }
}

const tableRows = (page) => page.$$eval('#leaderboard tbody tr', (trs) => trs.map((tr) => ({
  index: Number(tr.dataset.rowIndex),
  runId: tr.dataset.runId,
  method: tr.querySelector('td.method')?.textContent,
  family: tr.cells[1]?.textContent,
  hardware: tr.querySelector('td.hardware')?.textContent,
  href: tr.querySelector('td.method a')?.getAttribute('href'),
})));

/** Nothing from a hostile string became markup, and no script ran from it. */
async function assertNoInjection(page, where, scripts) {
  const dom = await page.evaluate(() => ({
    imgs: document.querySelectorAll('img').length,
    imgX: document.querySelectorAll('img[src="x"]').length,
    handlers: document.querySelectorAll('[onerror],[onload],[onclick],[onmouseover]').length,
    scripts: [...document.scripts].map((s) => s.getAttribute('src')),
    pwned: window.__pwned !== undefined,
  }));
  assert.equal(dom.imgX, 0, `${where}: an <img src=x> was created from data`);
  assert.equal(dom.imgs, 0, `${where}: an <img> was created from data`);
  assert.equal(dom.handlers, 0, `${where}: an element with an inline event handler exists`);
  assert.equal(dom.pwned, false, `${where}: a script from the data ran (window.__pwned is set)`);
  if (scripts) assert.deepEqual(dom.scripts, scripts, `${where}: unexpected <script> elements`);
  assert.deepEqual(dialogs, [], `${where}: a dialog fired`);
}

// The first row of any task whose method name holds markup, if the data has one.
let hostile = null;
data.tasks.forEach((t, ti) => t.rows.forEach((r, ri) => {
  if (!hostile && /[<>&"]/.test(String(r.method))) hostile = { ti, ri, row: r };
}));

let failed = null;
try {
  browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  watch(page);

  await step('index.html loads and renders the first task', async () => {
    await page.goto(`${base}/index.html`);
    await ready(page);
    const title = await page.textContent('#task-title');
    assert.equal(title, String(task0.display_name || task0.name));
    const tabs = await page.$$eval('#tabs [role=tab]', (b) => b.length);
    assert.equal(tabs, data.tasks.length, 'one tab per task');
  });

  await step(`the table has ${rows0.length} rows for ${task0.name}, in data order, each linking to its run`, async () => {
    const rows = await tableRows(page);
    assert.equal(rows.length, rows0.length);
    assert.deepEqual(rows.map((r) => r.index), rows0.map((_, i) => i));
    rows.forEach((r, i) => {
      assert.equal(r.method, String(rows0[i].method), `row ${i} method`);
      assert.equal(r.href, 'run.html#' + encodeURIComponent(String(rows0[i].run_id)), `row ${i} link`);
    });
  });

  await step('clicking the accuracy header sorts descending, then ascending (nulls last)', async () => {
    const header = 'th[data-key="accuracy"] button';
    await page.click(header);
    let got = (await tableRows(page)).map((r) => r.index);
    assert.deepEqual(got, expectedOrder(rows0, 'accuracy', 'desc'), 'descending order');
    assert.equal(await page.getAttribute('th[data-key="accuracy"]', 'aria-sort'), 'descending');
    await page.click(header);
    got = (await tableRows(page)).map((r) => r.index);
    assert.deepEqual(got, expectedOrder(rows0, 'accuracy', 'asc'), 'ascending order');
    assert.equal(await page.getAttribute('th[data-key="accuracy"]', 'aria-sort'), 'ascending');
  });

  await step('the FLOPs header sorts numerically with nulls last', async () => {
    await page.click('th[data-key="flops"] button');
    const got = (await tableRows(page)).map((r) => r.index);
    assert.deepEqual(got, expectedOrder(rows0, 'flops', 'desc'));
  });

  await step('the family filter keeps only that family', async () => {
    const counts = new Map();
    for (const r of rows0) counts.set(String(r.family), (counts.get(String(r.family)) || 0) + 1);
    const families = [...counts].filter(([, n]) => n < rows0.length).sort((a, b) => a[1] - b[1]);
    if (!families.length) {
      note(`only one family in ${task0.name}; filter shown but not narrowing`);
      return;
    }
    const [family, n] = families[0];
    await page.selectOption('#filter-family', family);
    const rows = await tableRows(page);
    assert.equal(rows.length, n, `rows of family ${family}`);
    assert.ok(rows.every((r) => r.family === family), 'every row is of that family');
    await page.selectOption('#filter-family', '');
    assert.equal((await tableRows(page)).length, rows0.length, 'clearing the filter restores every row');
  });

  await step('the hardware filter, "headline points only" and "Pareto only" narrow the rows', async () => {
    const hws = [...new Set(rows0.map((r) => String(r.hardware)))];
    if (hws.length > 1) {
      await page.selectOption('#filter-hardware', hws[0]);
      assert.equal((await tableRows(page)).length, rows0.filter((r) => String(r.hardware) === hws[0]).length, 'hardware');
      await page.selectOption('#filter-hardware', '');
    }
    await page.check('#toggle-headline');
    assert.equal((await tableRows(page)).length, rows0.filter((r) => r.headline === true).length, 'headline only');
    await page.uncheck('#toggle-headline');
    await page.check('#toggle-pareto');
    const pareto = rows0.filter((r) => r.pareto && r.pareto.flops === true).length;
    assert.equal((await tableRows(page)).length, pareto, 'Pareto (FLOPs) only');
    await page.uncheck('#toggle-pareto');
    assert.equal((await tableRows(page)).length, rows0.length);
  });

  await step('the scatter canvas is drawn, with per-method datasets and the Pareto frontier', async () => {
    const info = await page.evaluate(() => {
      const c = document.getElementById('scatter');
      if (!c) return null;
      const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let painted = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) painted++;
      const chart = window.greenbench && window.greenbench.charts.scatter;
      const ds = chart ? chart.data.datasets : [];
      return { w: c.width, h: c.height, painted, datasets: ds.length, frontier: ds.some((d) => d.isFrontier),
        points: ds.filter((d) => !d.isFrontier).reduce((s, d) => s + d.data.length, 0) };
    });
    assert.ok(info, 'no canvas#scatter');
    assert.ok(info.w > 100 && info.h > 100, `canvas is ${info.w}x${info.h}`);
    assert.ok(info.painted > 1000, `only ${info.painted} painted pixels`);
    const plottable = rows0.filter((r) => isNum(r.flops) && r.flops > 0 && isNum(r.accuracy)).length;
    assert.equal(info.points, plottable, 'one point per row with FLOPs and accuracy');
    if (plottable) assert.ok(info.frontier, 'a Pareto frontier dataset');
    note(`scatter ${info.w}x${info.h}, ${info.painted} painted pixels, ${info.datasets} datasets`);
  });

  await step('the cost selector switches the scatter to latency', async () => {
    await page.selectOption('#cost-select', 'latency');
    const n = await page.evaluate(() => window.greenbench.charts.scatter.data.datasets
      .filter((d) => !d.isFrontier).reduce((s, d) => s + d.data.length, 0));
    assert.equal(n, rows0.filter((r) => isNum(r.latency_ms) && r.latency_ms > 0 && isNum(r.accuracy)).length);
    await page.selectOption('#cost-select', 'flops');
  });

  await step('the EVP section shows exactly when a task has EVP data', async () => {
    for (let ti = 0; ti < data.tasks.length; ti++) {
      await page.click(`#tab-${ti}`);
      const t = data.tasks[ti];
      const hasEvp = Array.isArray(t.evp) && t.evp.length > 0;
      assert.equal(await page.isVisible('#evp-section'), hasEvp, `task ${t.name}`);
      assert.equal((await tableRows(page)).length, t.rows.length, `rows of task ${t.name}`);
      if (hasEvp) {
        const n = await page.evaluate(() => window.greenbench.charts.evp.data.datasets.filter((d) => !d.band).length);
        assert.equal(n, t.evp.length, 'one EVP curve per method');
      }
    }
    await page.click('#tab-0');
  });

  if (hostile) {
    await step('a hostile method name is shown as literal text and creates no element', async () => {
      await page.click(`#tab-${hostile.ti}`);
      const rows = await tableRows(page);
      const cell = rows.find((r) => r.index === hostile.ri);
      assert.ok(cell, 'the hostile row is in the table');
      assert.equal(cell.method, String(hostile.row.method), 'cell text is the literal name');
      assert.equal(cell.hardware, String(hostile.row.hardware ?? ''), 'hardware text is literal');
      await assertNoInjection(page, 'index.html', ['data/leaderboard.js', 'assets/app.js']);
    });

    await step('CSV and JSON downloads hold the visible rows, quoting intact', async () => {
      const visible = (await tableRows(page)).map((r) => data.tasks[hostile.ti].rows[r.index]);
      const [csvDl] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
      const csv = parseCsv(readFileSync(await csvDl.path(), 'utf8'));
      assert.equal(csv.length, visible.length + 1, 'header + one line per visible row');
      const head = csv[0];
      const col = (name) => head.indexOf(name);
      for (const name of ['method', 'point', 'hardware', 'accuracy']) assert.ok(col(name) >= 0, `CSV column ${name}`);
      visible.forEach((r, i) => {
        assert.equal(csv[i + 1].length, head.length, `CSV line ${i + 1} has ${head.length} fields`);
        assert.equal(csv[i + 1][col('method')], csvText(String(r.method ?? '')), `CSV method, line ${i + 1}`);
        assert.equal(csv[i + 1][col('point')], csvText(String(r.point ?? '')), `CSV point, line ${i + 1}`);
        assert.equal(csv[i + 1][col('hardware')], csvText(String(r.hardware ?? '')), `CSV hardware, line ${i + 1}`);
        assert.equal(csv[i + 1][col('accuracy')], isNum(r.accuracy) ? String(r.accuracy) : '', `CSV accuracy, line ${i + 1}`);
      });
      const [jsonDl] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
      const json = JSON.parse(readFileSync(await jsonDl.path(), 'utf8'));
      assert.deepEqual(json.rows, visible, 'JSON rows are the visible data rows');
    });
  } else {
    note('no method name with markup in this data: hostile-text checks skipped');
  }

  const runId = String(rows0[0].run_id);
  const runFile = join(site, 'runs', `${runId}.js`);
  await step(`run.html#${runId} shows the record, its key facts and the reproduce command`, async () => {
    assert.ok(existsSync(runFile), `the site has no runs/${runId}.js`);
    const rec = loadJs(runFile, 'GREENBENCH_RUN');
    await page.goto(`${base}/run.html#${encodeURIComponent(runId)}`);
    await ready(page);
    assert.deepEqual(JSON.parse(await page.textContent('#record-json')), rec, 'the pretty-printed record');
    const facts = await page.textContent('#facts');
    const method = rec.method && typeof rec.method === 'object' ? rec.method.name : rec.method;
    if (method !== undefined) assert.ok(facts.includes(String(method)), 'key facts name the method');
    if (rec.reproduce !== undefined) assert.equal(await page.textContent('#reproduce'), String(rec.reproduce));
    assert.equal(await page.textContent('#run-id'), runId);
  });

  if (hostile) {
    await step('the hostile run page shows text only', async () => {
      const id = String(hostile.row.run_id);
      await page.goto(`${base}/run.html#${encodeURIComponent(id)}`);
      await ready(page);
      assert.ok((await page.textContent('#facts')).includes(String(hostile.row.method)));
      await assertNoInjection(page, 'run.html', ['assets/run.js', `runs/${id}.js`]);
    });
  }

  await step('run.html refuses an id outside [A-Za-z0-9_.-]+ and loads no script for it', async () => {
    await page.goto(`${base}/run.html#${encodeURIComponent('../data/leaderboard')}`);
    await ready(page, 'error');
    assert.ok(await page.isVisible('#notice'));
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.getAttribute('src')));
    assert.deepEqual(scripts, ['assets/run.js']);
    await page.goto(`${base}/run.html#no-such-run`);
    await ready(page, 'error');
    assert.match(await page.textContent('#notice'), /Could not load/);
  });

  await step('from file:// the table and a run page render too', async () => {
    const fpage = await context.newPage();
    watch(fpage);
    await fpage.goto(pathToFileURL(join(site, 'index.html')).href);
    await ready(fpage);
    assert.equal((await tableRows(fpage)).length, rows0.length);
    await fpage.goto(pathToFileURL(join(site, 'run.html')).href + '#' + encodeURIComponent(runId));
    await ready(fpage);
    assert.ok((await fpage.textContent('#record-json')).length > 2);
    await fpage.close();
  });

  await step(`screenshot saved to ${shot}`, async () => {
    await page.goto(`${base}/index.html`);
    await ready(page);
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10_000, 'screenshot is suspiciously small');
  });

  await step('no uncaught page errors and no dialogs', async () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(dialogs, []);
  });
} catch (e) {
  failed = e;
} finally {
  clearTimeout(watchdog);
  if (browser) await browser.close().catch(() => {});
  server.close();
}

if (failed) {
  console.error(`FAIL: ${failed.message}`);
  const misses = requests.filter((r) => r.startsWith('404') && !r.endsWith('/favicon.ico'));
  if (misses.length) console.error(`   missing files: ${misses.join(', ')}`);
  if (pageErrors.length) console.error(`   page errors: ${pageErrors.join(' | ')}`);
  process.exit(1);
}
log(`PASS: ${passed} checks on ${site} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(0);
