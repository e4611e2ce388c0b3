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
const shared = fileURLToPath(new URL('../../../../shared/examples/', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = `${dir}${f}`;
    return statSync(p).isDirectory() ? files(`${p}/`) : [p];
  });
}

const fixtures = [...files(root), ...files(shared).filter((f) => f.endsWith('.json'))];

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
    expect(res.stats.kept).toBe(kind === 'oneroster' ? res.stats.kept : n);
    expect(res.rejected.length).toBeLessThanOrEqual(res.stats.rejected + res.rejected.length);
    return n;
  } catch (e) {
    if (e instanceof FormatError) {
      expect(e.message).toMatch(/this looks like .+, not |pass the site's format string/);
      return 'format-error';
    }
    throw e;
  }
}

describe.each(importKinds.map((k) => [k]))('%s importer', (kind) => {
  for (const path of fixtures) {
    const name = path.slice(path.lastIndexOf('/', path.lastIndexOf('/') - 1) + 1);
    it(`on ${name}`, async () => {
      const bytes = readFileSync(path);
      const got = await attempt(kind, bytes, name.split('/').pop()!);
      if (sniff(bytes, name).kind === kind) expect(got).not.toBe('format-error');
    });
  }

  it('on every fixture cut at several points', async () => {
    for (const path of fixtures) {
      const bytes = readFileSync(path);
      for (const frac of [0.13, 0.5, 0.91]) {
        await attempt(kind, bytes.subarray(0, Math.floor(bytes.length * frac)), 'cut');
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
