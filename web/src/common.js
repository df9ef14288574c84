// Shared helpers. Every string from the data may be hostile, so the DOM is
// built with createElement/textContent only: no innerHTML anywhere.

/** el('td', {className: 'num', title: 'x'}, 'text', childNode, ...) */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'className') node.className = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key.startsWith('on')) throw new Error('el(): use addEventListener, not ' + key);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export const isNum = (x) => typeof x === 'number' && Number.isFinite(x);

/**
 * A number with `digits` significant digits, without exponents in the usual
 * ranges: 0.8690 -> "0.869" (digits 3), 90.3 -> "90.3", 1466.7 -> "1,467",
 * 123456 -> "123,456". null -> em dash.
 */
export function fmtSig(x, digits = 3) {
  if (!isNum(x)) return '\u2014';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 10 ** digits) return Math.round(x).toLocaleString('en-US');
  if (abs < 1e-3) return x.toExponential(digits - 1);
  return x.toPrecision(digits);
}

/** Fractions such as accuracy: three decimals (0.869). */
export function fmtFrac(x) {
  return isNum(x) ? x.toFixed(3) : '\u2014';
}

export const fmtMflops = (flops) => (isNum(flops) ? fmtSig(flops / 1e6, 3) : '\u2014');

/** Safe nested lookup: get(obj, 'a.b.c'). */
export function get(obj, path) {
  let cur = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(part in cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** A run id as the site accepts it (also a safe file name under runs/). */
export const RUN_ID_RE = /^[A-Za-z0-9_.-]+$/;

export function runHref(runId) {
  return 'run.html#' + encodeURIComponent(String(runId));
}

/** Tableau 10, then a few more; one colour per method within a task. */
const PALETTE = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1',
  '#ff9da7', '#9c755f', '#bab0ac', '#1f77b4', '#2ca02c', '#d62728', '#9467bd',
  '#8c564b', '#17becf',
];

export function colourMap(names) {
  const sorted = [...new Set(names)].sort((a, b) => String(a).localeCompare(String(b)));
  const map = new Map();
  sorted.forEach((name, i) => map.set(name, PALETTE[i % PALETTE.length]));
  return map;
}

export function withAlpha(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Client-side download of a string. */
export function download(filename, mime, text) {
  const blob = new Blob([text], { type: mime });
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: filename });
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
