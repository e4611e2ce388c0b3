import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyFilter } from './key-filter.ts';

const key = (i: number) => createHash('sha256').update(`k${i}`).digest('hex').slice(0, 32);

describe('KeyFilter', () => {
  it('never says no to a key it holds, and rarely yes to one it does not', () => {
    const f = new KeyFilter(100_000);
    for (let i = 0; i < 100_000; i++) f.add(key(i));
    for (let i = 0; i < 100_000; i++) expect(f.mightHave(key(i))).toBe(true);
    let falsePositives = 0;
    for (let i = 100_000; i < 300_000; i++) if (f.mightHave(key(i))) falsePositives++;
    // Sized for 0.05 %: 100 of 200,000 expected; a broken probe sequence gives thousands.
    expect(falsePositives).toBeLessThan(400);
    expect(f.overfull).toBe(false);
    f.add(key(-1));
    expect(f.overfull).toBe(true);
  });

  it('answers maybe for keys that are not 32 hex digits, so they are always looked up', () => {
    const f = new KeyFilter(10);
    expect(f.mightHave('not-a-hash')).toBe(true);
    expect(f.mightHave(key(1).toUpperCase())).toBe(true);
    expect(f.mightHave(key(1))).toBe(false);
  });
});
