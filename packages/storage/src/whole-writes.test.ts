import { describe, expect, it } from 'vitest';
import type { Storage } from './client.ts';
import { readWhole, writeWhole } from './whole-writes.ts';

const storage = () => ({}) as Storage;
const later = () => {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
};
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('the gate between reports and writes of several tables', () => {
  it('lets reports run together, a write alone, and a waiting write before reports that came after it', async () => {
    const s = storage();
    const log: string[] = [];
    const r1 = later();
    const r2 = later();
    const first = readWhole(s, async () => { log.push('r1 start'); await r1.p; log.push('r1 end'); });
    const second = readWhole(s, async () => { log.push('r2 start'); await r2.p; log.push('r2 end'); });
    await tick();
    const w = later();
    const write = writeWhole(s, async () => { log.push('w start'); await w.p; log.push('w end'); });
    const third = readWhole(s, async () => { log.push('r3'); });
    await tick();
    expect(log).toEqual(['r1 start', 'r2 start']);
    r1.open();
    await tick();
    expect(log).toEqual(['r1 start', 'r2 start', 'r1 end']);
    r2.open();
    await tick();
    expect(log).toEqual(['r1 start', 'r2 start', 'r1 end', 'r2 end', 'w start']);
    w.open();
    await Promise.all([first, second, write, third]);
    expect(log).toEqual(['r1 start', 'r2 start', 'r1 end', 'r2 end', 'w start', 'w end', 'r3']);
  });

  it('runs two writes one after the other, gates of two stores apart, and goes on after a failure', async () => {
    const a = storage();
    const log: string[] = [];
    const w = later();
    const one = writeWhole(a, async () => { log.push('a1'); await w.p; throw new Error('insert failed'); });
    const two = writeWhole(a, async () => { log.push('a2'); });
    await readWhole(storage(), async () => { log.push('other store'); });
    expect(log).toEqual(['a1', 'other store']);
    w.open();
    await expect(one).rejects.toThrow('insert failed');
    await two;
    await readWhole(a, async () => { log.push('read'); });
    expect(log).toEqual(['a1', 'other store', 'a2', 'read']);
  });
});
