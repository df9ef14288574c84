// Builds the static leaderboard into dist/ (or --out DIR):
//   dist/index.html, dist/run.html, dist/assets/{app.js,run.js,style.css}
// Classic IIFE scripts, not ES modules: browsers refuse module scripts from
// file://, and the site must open straight from the file system.
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outArg = process.argv.indexOf('--out');
const out = resolve(outArg >= 0 ? process.argv[outArg + 1] : join(here, 'dist'));
const src = join(here, 'src');

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });

await build({
  entryPoints: { app: join(src, 'app.js'), run: join(src, 'run.js'), style: join(src, 'style.css') },
  outdir: join(out, 'assets'),
  bundle: true,
  format: 'iife',
  minify: true,
  sourcemap: false,
  target: ['es2020'],
  legalComments: 'eof',
  logLevel: 'warning',
});
for (const page of ['index.html', 'run.html']) cpSync(join(src, page), join(out, page));
console.log(`greenbench web: built ${out}`);
