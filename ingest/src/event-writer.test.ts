import { afterEach, describe, expect, it } from 'vitest';
import { EventWriter, type WriterOptions } from './event-writer.ts';
import { removeSpools, row, rows, tempSpool, until } from './ingest-test-kit.ts';
import { MemoryStore } from './memory-store.ts';
import { Overloaded } from './refusals.ts';

const writers: EventWriter[] = [];
function writer(store: MemoryStore, o: WriterOptions = {}): EventWriter {
  const w = new EventWriter(store, tempSpool(), { lingerMs: 0, probeMs: 20, probeMaxMs: 80, retryDelayMs: 1, closeDrainMs: 0, ...o });
  writers.push(w);
  return w;
}
/** The first probe has answered: events from now on are stored, not spooled. */
async function started(w: EventWriter, store: MemoryStore): Promise<void> {
  w.start();
  await until('the first probe and the key filter', () => store.calls.probe > 0 && w.known.ready);
  await w.caughtUp(1000);
}

afterEach(async () => {
  for (const w of writers.splice(0)) await w.close();
  removeSpools();
});

describe('EventWriter, against an in-memory store', () => {
  it('answers once journaled, counting repeats in a request, keys journaled before and keys already stored as duplicates', async () => {
    const store = new MemoryStore();
    store.rows.set('x', row('x'));
    const w = writer(store);
    await started(w, store);
    expect(await w.submit([row('a'), row('a'), row('b'), row('x')])).toEqual({ accepted: 2, duplicates: 2, spooled: 0 });
    expect(await w.submit([row('b')])).toEqual({ accepted: 0, duplicates: 1, spooled: 0 });
    expect(await w.caughtUp(5000)).toBe(true);
    expect([...store.rows.keys()].sort()).toEqual(['a', 'b', 'x']);
    expect(store.inserts.reduce((a, n) => a + n, 0)).toBe(2);
    expect([w.stats.acceptedRows, w.stats.duplicateRows]).toEqual([2, 3]);
  });

  it('refuses beyond the queue bound with a Retry-After while an insert is under way, and takes requests again once it is stored', async () => {
    const store = new MemoryStore();
    const w = writer(store, { maxQueueRows: 4 });
    await started(w, store);
    const release = store.holdInserts();
    expect((await w.submit(rows('q', 4))).accepted).toBe(4);
    await until('the insert to start', () => store.calls.insert > 0);
    expect(w.full).toBe(true);
    const refused = await w.submit([row('late')]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Overloaded);
    // Two rows above half the bound, at the assumed 20,000 rows a second: one second, the least.
    expect((refused as Overloaded).retryAfterSeconds).toBe(1);
    expect(w.stats.overloadedRequests).toBe(1);
    release();
    expect(await w.caughtUp(5000)).toBe(true);
    expect(w.full).toBe(false);
    expect((await w.submit([row('late')])).accepted).toBe(1);
  });

  it('keeps taking events while storage is down, answers them as spooled, and stores them once when a probe finds it back', async () => {
    const store = new MemoryStore();
    store.down = true;
    const w = writer(store);
    w.start();
    await until('storage to be marked down', () => !w.storageUp);
    expect(await w.submit(rows('d', 3))).toEqual({ accepted: 3, duplicates: 0, spooled: 3 });
    expect(await w.caughtUp(1000)).toBe(false);
    expect(store.rows.size).toBe(0);
    store.down = false;
    await until('storage to take the journal', () => w.storageUp);
    expect(await w.caughtUp(5000)).toBe(true);
    expect(store.rows.size).toBe(3);
    expect(store.inserts).toEqual([3]);
  });

  it('counts keys as new when the duplicate lookup fails, and the store loop looks them up again so a stored one is not stored twice', async () => {
    const store = new MemoryStore();
    store.rows.set('x', row('x'));
    const w = writer(store);
    await started(w, store);
    store.failNext('storedKeys');
    // The key filter holds x, so x is asked of storage, and the question fails: both count as new.
    expect(await w.submit([row('x'), row('y')])).toEqual({ accepted: 2, duplicates: 0, spooled: 0 });
    expect(await w.caughtUp(5000)).toBe(true);
    expect([...store.rows.keys()].sort()).toEqual(['x', 'y']);
    expect(store.inserts).toEqual([1]);
    expect(w.stats.replayDuplicateRows).toBe(1);
  });
});
