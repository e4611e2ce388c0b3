import { appendFileSync, closeSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PendingInsert } from './pending-insert.ts';
import { Spool, SpoolFull } from './spool.ts';
import type { StoredEvent } from './stored-event.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'licenskoll-spool-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const rows = (prefix: string, n: number): StoredEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    event_key: `${prefix}${String(i).padStart(8, '0')}`.padEnd(32, '0'), time: '2026-11-20 08:00:00.000', day: '2026-11-20', type: 'login',
    user_key: 'u'.repeat(32), product_ident: 'p', source: '', group_hint: '', school_hint: '',
  }));
const segments = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.spool'));

/** Drains everything, returning the batches' first keys in the order they came out. */
async function drain(s: Spool): Promise<string[]> {
  const out: string[] = [];
  for (let p = s.peek(1); p.length > 0; p = s.peek(1)) {
    out.push(p[0].record.rows[0].event_key.slice(0, 1));
    await s.commit();
  }
  return out;
}

describe('spool', () => {
  it('keeps batches in order across a reopen, and leaves nothing behind once drained', async () => {
    const dir = tmp();
    const s = Spool.open({ dir, maxBytes: 10 * 1024 ** 2 });
    for (const p of ['a', 'b', 'c']) await s.write(rows(p, 10), `token-${p}`).synced;
    expect(s.peek(1).map((p) => p.record.token)).toEqual(['token-a']);
    await s.commit();
    await s.close();

    const again = Spool.open({ dir, maxBytes: 10 * 1024 ** 2 });
    expect({ batches: again.pendingBatches, rows: again.pendingRows }).toEqual({ batches: 2, rows: 20 });
    await again.write(rows('d', 5), 'token-d').synced;
    expect(await drain(again)).toEqual(['b', 'c', 'd']);
    expect(again.pendingBytes).toBe(0);
    expect(segments(dir)).toEqual([]);
  });

  it('drops a torn last record (its append never returned) and keeps the whole ones', async () => {
    const dir = tmp();
    const s = Spool.open({ dir, maxBytes: 10 * 1024 ** 2 });
    await s.write(rows('a', 3), 'ta').synced;
    await s.write(rows('b', 3), 'tb').synced;
    await s.close();
    const [seg] = segments(dir);
    const size = statSync(join(dir, seg)).size;
    truncateSync(join(dir, seg), size - 7);
    appendFileSync(join(dir, seg), Buffer.from('LSK1 and garbage'));

    const logs: string[] = [];
    const again = Spool.open({ dir, maxBytes: 10 * 1024 ** 2, log: (m) => logs.push(m) });
    expect(again.pendingBatches).toBe(1);
    expect(logs.join()).toMatch(/unfinished append/);
    expect(await drain(again)).toEqual(['a']);
  });

  it('appends into zeros written ahead, and a start after a crash cuts them off without losing a record', async () => {
    const dir = tmp();
    const s = Spool.open({ dir, maxBytes: 10 * 1024 ** 2, preallocateBytes: 64 * 1024 });
    for (const p of ['a', 'b', 'c']) await s.write(rows(p, 10), p).synced;
    const [seg] = segments(dir);
    const data = s.pendingBytes;
    // Zeros stand after the records: appends change no metadata.
    expect(statSync(join(dir, seg)).size).toBeGreaterThan(data + 32 * 1024);
    // No close: the process dies here.

    const logs: string[] = [];
    const again = Spool.open({ dir, maxBytes: 10 * 1024 ** 2, log: (m) => logs.push(m) });
    expect({ batches: again.pendingBatches, bytes: again.pendingBytes }).toEqual({ batches: 3, bytes: data });
    expect(statSync(join(dir, seg)).size).toBe(data);
    expect(logs.join()).not.toMatch(/dropped|moved/);
    expect(readdirSync(dir).filter((f) => f.startsWith('quarantine'))).toEqual([]);
    expect(await drain(again)).toEqual(['a', 'b', 'c']);
  });

  it('drops a record torn inside the zeros written ahead, and keeps the whole ones', async () => {
    const dir = tmp();
    const s = Spool.open({ dir, maxBytes: 10 * 1024 ** 2, preallocateBytes: 64 * 1024 });
    await s.write(rows('a', 3), 'ta').synced;
    await s.write(rows('b', 3), 'tb').synced;
    const [seg] = segments(dir);
    // A crash in the middle of the third append: its frame header and part of its payload.
    const fd = openSync(join(dir, seg), 'r+');
    writeSync(fd, Buffer.from('LSK1\u00ff\u0001\u0000\u0000garbage'), 0, undefined, s.pendingBytes);
    closeSync(fd);

    const logs: string[] = [];
    const again = Spool.open({ dir, maxBytes: 10 * 1024 ** 2, log: (m) => logs.push(m) });
    expect(again.pendingBatches).toBe(2);
    expect(logs.join()).toMatch(/unfinished append/);
    expect(await drain(again)).toEqual(['a', 'b']);
  });

  it('leaves each segment it rotates away from with its records only; zeros a lost truncation left there are no corruption', async () => {
    const dir = tmp();
    const s = Spool.open({ dir, maxBytes: 10 * 1024 ** 2, segmentBytes: 3000, preallocateBytes: 64 * 1024 });
    const sizes: number[] = [];
    for (const p of ['a', 'b', 'c', 'd']) sizes.push((await s.write(rows(p, 5), p).synced, s.pendingBytes));
    const files = segments(dir).sort();
    expect(files.length).toBeGreaterThan(1);
    const first = join(dir, files[0]);
    const firstSize = statSync(first).size;
    expect(sizes).toContain(firstSize);
    // A power cut after the next segment's records reached the disk but before the first one's truncation did.
    appendFileSync(first, Buffer.alloc(5000));

    const logs: string[] = [];
    const again = Spool.open({ dir, maxBytes: 10 * 1024 ** 2, log: (m) => logs.push(m) });
    expect(statSync(first).size).toBe(firstSize);
    expect(logs.join()).not.toMatch(/moved|dropped/);
    expect(await drain(again)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('peeks what it wrote from memory up to its bound and the rest from disk, the same records either way', async () => {
    const dir = tmp();
    const s = Spool.open({ dir, maxBytes: 10 * 1024 ** 2, memoryRows: 12 });
    for (const p of ['a', 'b', 'c', 'd', 'e']) await s.write(rows(p, 5), `t${p}`).synced;
    const fromThisProcess = s.peek(100).map((p) => ({ ...p }));
    // The first two were kept (10 rows); the third would pass 12.
    expect(fromThisProcess.map((p) => p.record.token)).toEqual(['ta', 'tb', 'tc', 'td', 'te']);
    await s.close();
    const fromDisk = Spool.open({ dir, maxBytes: 10 * 1024 ** 2 }).peek(100);
    expect(fromThisProcess).toEqual(fromDisk);

    // What is kept is not read again: a record spoiled on disk after its write still peeks whole
    // from memory (a reopened spool would set it aside).
    const dir2 = tmp();
    const kept = Spool.open({ dir: dir2, maxBytes: 10 * 1024 ** 2, memoryRows: 12 });
    await kept.write(rows('k', 5), 'tk').synced;
    const fd = openSync(join(dir2, segments(dir2)[0]), 'r+');
    writeSync(fd, Buffer.from('spoiled'), 0, undefined, 40);
    closeSync(fd);
    expect(kept.peek(1).map((p) => p.record.token)).toEqual(['tk']);

    // Committed records leave memory, so later writes are kept again.
    const again = Spool.open({ dir, maxBytes: 10 * 1024 ** 2, memoryRows: 12 });
    again.peek(100);
    await again.commit();
    for (const p of ['f', 'g']) await again.write(rows(p, 5), `t${p}`).synced;
    const [f] = again.peek(1);
    expect(f.record.rows[0].event_key.startsWith('f')).toBe(true);
    expect(await drain(again)).toEqual(['f', 'g']);
  });

  it('refuses an append beyond its bound, and takes appends again as it drains', async () => {
    const dir = tmp();
    const s = Spool.open({ dir, maxBytes: 4000 });
    await s.write(rows('a', 5), 'ta').synced;
    expect(() => s.write(rows('b', 20), 'tb')).toThrow(SpoolFull);
    s.peek(1);
    await s.commit();
    await s.write(rows('b', 5), 'tb').synced;
    expect(s.pendingBatches).toBe(1);
  });

  it('rotates segments and deletes each one once drained past it', async () => {
    const dir = tmp();
    const s = Spool.open({ dir, maxBytes: 10 * 1024 ** 2, segmentBytes: 2000 });
    for (const p of ['a', 'b', 'c', 'd']) await s.write(rows(p, 5), p).synced;
    expect(segments(dir).length).toBeGreaterThan(1);
    const before = segments(dir).length;
    s.peek(1);
    await s.commit();
    s.peek(1);
    await s.commit();
    expect(segments(dir).length).toBeLessThan(before);
    expect(await drain(s)).toEqual(['c', 'd']);
  });

  it('peeks several records up to a row count, commits them at once, and counts what was appended and committed', async () => {
    const dir = tmp();
    const s = Spool.open({ dir, maxBytes: 10 * 1024 ** 2 });
    for (const p of ['a', 'b', 'c', 'd']) await s.write(rows(p, 5), p).synced;
    expect(s.peek(12).map((p) => p.record.token)).toEqual(['a', 'b']);
    // The same records until committed, whatever the row count asked.
    expect(s.peek(100).map((p) => p.record.token)).toEqual(['a', 'b']);
    await s.commit();
    expect({ appended: s.appendedRecords, committed: s.committedRecords, rows: s.pendingRows }).toEqual({ appended: 4, committed: 2, rows: 10 });
    s.unpeek();
    // A record larger than the row count is still taken alone.
    expect(s.peek(3).map((p) => p.record.token)).toEqual(['c']);
    s.unpeek();
    expect(s.pendingKeys()).toEqual([...rows('c', 5), ...rows('d', 5)].map((r) => r.event_key));
    await s.close();
    const again = Spool.open({ dir, maxBytes: 10 * 1024 ** 2 });
    expect(again.pendingKeys()).toHaveLength(10);
    expect(again.appendedRecords).toBe(2);
  });

  it('keeps a write whose fsync is still running while the segment it went to is drained to its end', async () => {
    const dir = tmp();
    const s = Spool.open({ dir, maxBytes: 10 * 1024 ** 2 });
    await s.write(rows('a', 5), 'a').synced;
    s.peek(10);
    const written = s.write(rows('b', 5), 'b');
    await s.commit();
    await written.synced;
    expect(await drain(s)).toEqual(['b']);
    expect(s.pendingBatches).toBe(0);
  });

  it('keeps a pending insert across a reopen, and forgets it once done', async () => {
    const dir = tmp();
    const p = new PendingInsert(dir);
    await p.begin(rows('a', 4), 'tok');
    await p.keep();
    const reopened = new PendingInsert(dir);
    expect(reopened.current?.token).toBe('tok');
    expect(reopened.current?.rows).toHaveLength(4);
    reopened.done();
    expect(new PendingInsert(dir).current).toBeUndefined();
  });
});
