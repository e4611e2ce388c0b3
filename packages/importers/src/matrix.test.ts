import { readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type AnyImportResult, importKinds, importers } from './index.ts';
import { FormatError, type ImportKind } from './result.ts';
import { sniff } from './sniff.ts';

/**
 * Every importer against every fixture, whole and cut short: an importer either takes the
 * file (bad records become rejections) or refuses it as a whole with a FormatError that
 * names what it is. Nothing else may escape, whatever people upload.
 */
const root = fileURLToPath(new URL('../test-fixtures/', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = `${dir}${f}`;
    return statSync(p).isDirectory() ? files(`${p}/`) : [p];
  });
}

const fixtures = files(root);

async function drain(res: AnyImportResult): Promise<number> {
  if (Array.isArray(res.records)) return res.records.length;
  let n = 0;
  for await (const _ of res.records as AsyncIterable<unknown>) n++;
  return n;
}

async function attempt(kind: ImportKind, bytes: Buffer, fileName: string): Promise<'format-error' | number> {
  try {
    const res = await importers[kind].parse(bytes, { fileName });
    const n = await drain(res);
    // A roster is one record however many rows; every other importer keeps what it yields.
    if (kind === 'oneroster') expect(n).toBe(1);
    else expect(res.stats.kept).toBe(n);
    expect(res.rejected.length === 0).toBe(res.stats.rejected === 0);
    return n;
  } catch (e) {
    if (e instanceof FormatError) {
      expect(e.message).toMatch(/this looks like .+, not |pass the site's format string/);
      return 'format-error';
    }
    throw e;
  }
}

/**
 * What sniffing the bytes says of the outcome: its own kind's importer takes a whole file,
 * another kind's importer refuses it, and content of no known kind may go either way.
 */
function expectOutcome(kind: ImportKind, bytes: Buffer, name: string, got: 'format-error' | number, whole: boolean): void {
  const seen = sniff(bytes, name).kind;
  if (seen === kind && whole) expect(got).toEqual(expect.any(Number));
  else if (seen && seen !== kind) expect(got).toBe('format-error');
  else expect(got === 'format-error' || got >= 0).toBe(true);
}

describe.each(importKinds.map((k) => [k]))('%s importer', (kind) => {
  for (const path of fixtures) {
    const name = path.slice(path.lastIndexOf('/', path.lastIndexOf('/') - 1) + 1);
    it(`on ${name}`, async () => {
      const bytes = readFileSync(path);
      const got = await attempt(kind, bytes, name.split('/').pop()!);
      expectOutcome(kind, bytes, name, got, true);
    });
  }

  it('on every fixture cut at several points', async () => {
    for (const path of fixtures) {
      const bytes = readFileSync(path);
      for (const frac of [0.13, 0.5, 0.91]) {
        const cut = bytes.subarray(0, Math.floor(bytes.length * frac));
        expectOutcome(kind, cut, 'cut', await attempt(kind, cut, 'cut'), false);
      }
    }
  });

  it('on random bytes and on nothing', async () => {
    let x = 7;
    const noise = Buffer.from(Array.from({ length: 4096 }, () => (x = (x * 1103515245 + 12345) & 0x7fffffff) % 256));
    expect(await attempt(kind, noise, 'noise.bin')).toBe('format-error');
    // Empty is no records; for OneRoster, one roster with nothing in it.
    expect(await attempt(kind, Buffer.alloc(0), 'empty')).toBe(kind === 'oneroster' ? 1 : 0);
  });
});
