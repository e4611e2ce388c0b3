#!/usr/bin/env node
// Prints the gzipped size of every JS/CSS chunk in dist/ and fails when the initial
// JavaScript (the entry module plus everything it imports statically, i.e. what a
// first visit must download before the app can render) exceeds the budget.
// Lazy chunks (pages, the chart library) are listed but not counted.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname, basename, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUDGET_KB = 300;
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
if (!existsSync(join(dist, 'index.html'))) {
  console.error('size: dist/index.html missing; run `vite build` first');
  process.exit(1);
}

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const fromHtml = [
  ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
  ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
].map((m) => m[1].replace(/^\//, ''));

/** Static imports of a built chunk (`import{x}from"./a.js"`, `import"./b.js"`), not `import("./c.js")`. */
function staticImports(file) {
  const code = readFileSync(join(dist, file), 'utf8');
  const out = [];
  for (const m of code.matchAll(/\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g)) {
    out.push(posix.join(posix.dirname(file), m[1]));
  }
  return out;
}

const initial = new Set();
const queue = [...fromHtml];
while (queue.length) {
  const f = queue.shift();
  if (initial.has(f) || !existsSync(join(dist, f))) continue;
  initial.add(f);
  queue.push(...staticImports(f));
}

const assets = readdirSync(join(dist, 'assets')).filter((f) => /\.(js|css)$/.test(f));
const rows = assets.map((f) => {
  const buf = readFileSync(join(dist, 'assets', f));
  return { file: `assets/${f}`, raw: buf.length, gz: gzipSync(buf, { level: 9 }).length };
});
rows.sort((a, b) => Number(initial.has(b.file)) - Number(initial.has(a.file)) || b.gz - a.gz);

const kb = (n) => (n / 1000).toFixed(1).padStart(7);
console.log('\nchunk                                          raw kB   gzip kB  loaded');
for (const r of rows) {
  const when = initial.has(r.file) ? 'initial' : r.file.endsWith('.css') ? 'initial (css)' : 'lazy';
  console.log(`${basename(r.file).padEnd(44)} ${kb(r.raw)}  ${kb(r.gz)}  ${when}`);
}
const initialJs = rows.filter((r) => initial.has(r.file)).reduce((s, r) => s + r.gz, 0);
console.log(`\ninitial JS: ${(initialJs / 1000).toFixed(1)} kB gzipped (budget ${BUDGET_KB} kB)\n`);
if (initialJs > BUDGET_KB * 1000) {
  console.error(`size: initial JS ${(initialJs / 1000).toFixed(1)} kB gzipped is over the ${BUDGET_KB} kB budget`);
  process.exit(1);
}
