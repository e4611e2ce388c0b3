import { describe, expect, it } from 'vitest';
import { type Delimiter, parseCsv } from './csv.ts';
import { jsonItemBatches } from './json-stream.ts';
import { lineBatches } from './lines.ts';

/**
 * Property tests for the three hand-written scanners: whatever a correct writer produces,
 * cut into whatever chunks, must read back as written. A seeded generator keeps failures
 * reproducible; the seed is in the test name.
 */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'Z', '7', ' ', ',', ';', '\t', '"', '\n', '\r\n', 'å', 'Ö', '€', '|', '{', '}', '[', ']', '\\', ':', '😀'];

function randomString(r: () => number, max = 12): string {
  let s = '';
  const n = Math.floor(r() * max);
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}

function chunked(bytes: Buffer, r: () => number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length;) {
    const n = 1 + Math.floor(r() * 40);
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

async function* from(chunks: Buffer[]) { yield* chunks; }

function writeCsv(rows: string[][], d: Delimiter, eol: string): string {
  const cell = (v: string) => (/[",;\t\r\n]/.test(v) || v.startsWith(' ') ? `"${v.replace(/"/g, '""')}"` : v);
  return rows.map((row) => row.map(cell).join(d)).join(eol) + eol;
}

describe('CSV round trip', () => {
  for (let seed = 1; seed <= 40; seed++) {
    it(`seed ${seed}`, () => {
      const r = rng(seed);
      const cols = 2 + Math.floor(r() * 5);
      // Every row has a non-empty first cell: an empty single cell is a blank line by design.
      const rows = Array.from({ length: 1 + Math.floor(r() * 20) }, () => Array.from({ length: cols }, (_, c) => (c === 0 ? `k${randomString(r, 4)}` : randomString(r))));
      const d = ([',', ';', '\t'] as const)[seed % 3];
      const text = writeCsv(rows, d, seed % 2 ? '\r\n' : '\n');
      expect([...parseCsv(text, d)].map((x) => x.fields)).toEqual(rows);
    });
  }
});

function randomJson(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * (depth > 2 ? 4 : 6));
  switch (pick) {
    case 0: return randomString(r);
    case 1: return Math.round(r() * 1e6) / 100 - 5000;
    case 2: return r() < 0.5;
    case 3: return null;
    case 4: return Array.from({ length: Math.floor(r() * 4) }, () => randomJson(r, depth + 1));
    default: return Object.fromEntries(Array.from({ length: Math.floor(r() * 4) }, () => [randomString(r, 6), randomJson(r, depth + 1)]));
  }
}

describe('JSON stream round trip', () => {
  const shapes: [string, (records: object[]) => string, string[]][] = [
    ['top-level array', (rs) => JSON.stringify(rs, null, 2), []],
    ['Graph page', (rs) => JSON.stringify({ '@odata.context': 'c', value: rs, '@odata.nextLink': 'n' }), ['value']],
    ['Azure Monitor blob', (rs) => JSON.stringify({ records: rs }), ['records']],
    ['JSON lines', (rs) => rs.map((x) => JSON.stringify(x)).join('\n'), []],
    ['pretty objects one after another', (rs) => rs.map((x) => JSON.stringify(x, null, 1)).join('\n'), []],
  ];
  for (let seed = 1; seed <= 15; seed++) {
    for (const [name, write, keys] of shapes) {
      it(`${name}, seed ${seed}`, async () => {
        const r = rng(seed * 31 + name.length);
        const records = Array.from({ length: 1 + Math.floor(r() * 8) }, (_, i) => ({ i, v: randomJson(r), value: [randomJson(r)] }));
        const out: unknown[] = [];
        for await (const batch of jsonItemBatches(from(chunked(Buffer.from(write(records)), r)), { arrayKeys: keys.length ? keys : ['never'] })) {
          for (const item of batch) { expect(item.error).toBeUndefined(); out.push(item.value); }
        }
        expect(out).toEqual(records);
      });
    }
  }
});

describe('line splitting round trip', () => {
  for (let seed = 1; seed <= 20; seed++) {
    it(`seed ${seed}`, async () => {
      const r = rng(seed + 1000);
      const lines = Array.from({ length: 1 + Math.floor(r() * 50) }, () => randomString(r, 30).replace(/[\r\n]/g, ''));
      const text = lines.join(seed % 2 ? '\r\n' : '\n') + '\n';
      const got: string[] = [];
      for await (const batch of lineBatches(from(chunked(Buffer.from(text), r)))) for (const l of batch) got.push(l.text);
      expect(got).toEqual(lines);
    });
  }
});
