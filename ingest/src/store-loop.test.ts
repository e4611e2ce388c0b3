import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tokenFor } from './batch-store.ts';
import { IngestStats } from './ingest-stats.ts';
import { removeSpools, rows, settle, tempSpool, until } from './ingest-test-kit.ts';
import { KnownKeys } from './known-keys.ts';
import { MemoryStore, busy } from './memory-store.ts';
import type { Spool } from './spool.ts';
import { StoreLoop, type StoreLoopOptions } from './store-loop.ts';

/**
 * The store loop's timing with fake timers (setTimeout and Date; the journal's fsyncs stay
 * real): how long it gathers rows, how it splits them into inserts, how it retries a busy
 * answer in place and probes a storage that is down.
 */
interface Rig {
  store: MemoryStore;
  spool: Spool;
  loop: StoreLoop;
  stats: IngestStats;
  journal(prefix: string, n: number): Promise<void>;
}
const loops: StoreLoop[] = [];

async function rig(o: Partial<StoreLoopOptions> = {}, store = new MemoryStore()): Promise<Rig> {
  const spool = tempSpool();
  const stats = new IngestStats();
  const loop = new StoreLoop(store, spool, new KnownKeys(store), stats, {
    maxBatchRows: 10, lingerMs: 1000, busyAttempts: 3, retryDelayMs: 100, storageTimeoutMs: 5000, probeMs: 500, probeMaxMs: 2000, log: () => {}, ...o,
  });
  loops.push(loop);
  const journal = async (prefix: string, n: number) => {
    const r = rows(prefix, n);
    await spool.write(r, tokenFor(r)).synced;
    loop.kick();
  };
  // The first probe: storage answers from here on.
  loop.kick();
  await until('the first probe', () => store.calls.probe >= loops.length);
  await settle();
  return { store, spool, loop, stats, journal };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(async () => {
  vi.useRealTimers();
  for (const l of loops.splice(0)) await l.stop();
  removeSpools();
});

describe('StoreLoop, against an in-memory store', () => {
  it('gathers a few rows for lingerMs before one insert', async () => {
    const { store, journal } = await rig();
    await journal('a', 3);
    await settle();
    vi.advanceTimersByTime(999);
    await settle();
    expect(store.inserts).toEqual([]);
    await journal('b', 2);
    vi.advanceTimersByTime(1);
    await until('the insert', () => store.inserts.length === 1);
    expect(store.inserts).toEqual([5]);
  });

  it('stores at once when someone waits for the journal, and in inserts of at most maxBatchRows', async () => {
    const { store, journal, loop } = await rig();
    for (let i = 0; i < 5; i++) await journal(`r${i}-`, 5);
    // 25 rows: two full inserts go at once; the last 5 would be gathered, but a caller waits.
    expect(await loop.caughtUp(5000)).toBe(true);
    expect(store.inserts).toEqual([10, 10, 5]);
  });

  it('retries a busy answer in place after 100 and 200 ms, without counting storage as down', async () => {
    const { store, journal, loop, stats } = await rig();
    store.failNext('insert', 2, busy);
    await journal('c', 10);
    await until('the first attempt', () => store.calls.insert === 1);
    await settle();
    vi.advanceTimersByTime(99);
    await settle();
    expect(store.calls.insert).toBe(1);
    vi.advanceTimersByTime(1);
    await until('the second attempt', () => store.calls.insert === 2);
    vi.advanceTimersByTime(200);
    await until('the insert', () => store.inserts.length === 1);
    expect(store.inserts).toEqual([10]);
    expect(loop.storageFailing).toBe(false);
    expect(stats.flushFailures).toBe(0);
  });

  it('marks storage down on a failed insert and probes it after 0.5, 1 and 2 s, then every 2 s, until it answers', async () => {
    const { store, journal, loop, stats, spool } = await rig();
    store.down = true;
    await journal('d', 10);
    await until('the failed insert', () => loop.storageFailing);
    expect(stats.flushFailures).toBe(1);
    const probesAfter = async (ms: number) => {
      vi.advanceTimersByTime(ms);
      await settle();
      return store.calls.probe;
    };
    // The first probe ran at the start; each failure doubles the wait, up to probeMaxMs.
    expect(await probesAfter(499)).toBe(1);
    expect(await probesAfter(1)).toBe(2);
    expect(await probesAfter(999)).toBe(2);
    expect(await probesAfter(1)).toBe(3);
    expect(await probesAfter(1999)).toBe(3);
    expect(await probesAfter(1)).toBe(4);
    expect(spool.pendingRows).toBe(10);
    store.down = false;
    expect(await probesAfter(2000)).toBe(5);
    await until('the journal to be stored', () => !loop.storageFailing);
    expect(store.inserts).toEqual([10]);
    expect(spool.pendingRows).toBe(0);
  });
});

describe('two store loops on one store', () => {
  it('insert each key once: the one that claimed it first stores it, the other gives way', async () => {
    const store = new MemoryStore();
    store.soleWriter = false;
    const a = await rig({ lingerMs: 0, writer: 'a' }, store);
    const b = await rig({ lingerMs: 0, writer: 'b' }, store);
    // Neither insert is visible before both have looked their keys up: the race of two nodes.
    const release = store.holdInserts();
    // k0..k9 to the first, k5..k14 to the second (the same rows: an event delivered to both).
    await Promise.all([a.journal('k', 10), (async () => {
      const r = rows('k', 15).slice(5);
      await b.spool.write(r, tokenFor(r)).synced;
      b.loop.kick();
    })()]);
    await until('both inserting', () => store.calls.insert === 2);
    release();
    await until('both journals stored', () => a.spool.pendingBatches === 0 && b.spool.pendingBatches === 0);
    expect(store.rows.size).toBe(15);
    expect(store.inserts.reduce((x, n) => x + n, 0)).toBe(15);
    // Both looked the overlap up before either had inserted it: one of them gave it way by its claim.
    expect(a.stats.claimedElsewhereRows + b.stats.claimedElsewhereRows).toBe(5);
  });

  it('leave a key to a writer that claimed it and crashed before its insert: replayed, it stores it', async () => {
    const store = new MemoryStore();
    store.soleWriter = false;
    // Writer a claimed k0..k4 and stopped before its insert; its journal still holds them.
    expect(await store.claim(rows('k', 5).map((r) => r.event_key), 'a')).toEqual(new Set());
    const b = await rig({ lingerMs: 0, writer: 'b' }, store);
    await b.journal('k', 5);
    await until('b gave way', () => b.spool.pendingBatches === 0);
    expect(store.inserts).toEqual([]);
    expect(b.stats.claimedElsewhereRows).toBe(5);
    const a = await rig({ lingerMs: 0, writer: 'a' }, store);
    await a.journal('k', 5);
    await until('a stored its journal', () => a.spool.pendingBatches === 0);
    expect(store.inserts).toEqual([5]);
    expect(a.stats.claimedElsewhereRows).toBe(0);
  });
});
