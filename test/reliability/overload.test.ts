import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { LOAD_ENV, verifyExactlyOnce } from './support/crash.ts';
import { Ledger, afterTimeAndAcks, health, runClients, storedCount } from './support/events.ts';
import { flood, sampleRss } from './support/flood.ts';
import { Prng, seedFromEnv } from './support/prng.ts';

/**
 * Overload: the queue is bounded in rows and the bodies being parsed in bytes; beyond either,
 * 429 with Retry-After and nothing kept. Every 202 is stored, and memory stays bounded.
 */
const seed = seedFromEnv();
const GB = 1024 ** 3;
let s: RunningServer | undefined;

afterAll(async () => {
  await s?.stop();
});

describe(`overload (seed ${seed})`, () => {
  it('answers 429 with Retry-After beyond a small queue bound, keeps nothing of those and every 202', { timeout: 180_000 }, async () => {
    s = await startServer({ env: { ...LOAD_ENV, LICENSKOLL_INGEST_QUEUE_ROWS: '2000', LICENSKOLL_INGEST_BATCH_ROWS: '1000' } });
    const rnd = new Prng(seed);
    const ledger = new Ledger();
    const run = await runClients(rnd, ledger, { url: s.url, token: s.ingestToken, clients: 24, maxBatch: 400, until: afterTimeAndAcks(ledger, 4000), prefix: 'burst', modes: ['array', 'ndjson'] });
    console.log(`burst: ${run.requests} requests, statuses ${JSON.stringify(Object.fromEntries(ledger.statuses))}, Retry-After seen ${[...new Set(ledger.retryAfterSeen)].join(',')}`);
    expect(run.unexpected).toEqual([]);
    expect(ledger.statuses.get(429) ?? 0).toBeGreaterThan(0);
    expect(ledger.statuses.get(202) ?? 0).toBeGreaterThan(0);
    // A 429 keeps nothing: before anything is resent, exactly the acknowledged events are stored.
    expect(await storedCount(s.url, s.adminToken)).toBe(ledger.acked.size);
    const v = await verifyExactlyOnce(s, ledger);
    expect(v.lost).toBe(0);
    expect(v.stored).toBe(v.expected);
    expect(await s.stop()).toBe(0);
    s = undefined;
  });

  it('stays under 1.5 GB of resident memory through a flood of large bodies with the default bounds', { timeout: 180_000 }, async () => {
    s = await startServer({ env: LOAD_ENV });
    const rss = sampleRss(s.child.pid!);
    let healthMs = 0;
    const probes = setInterval(async () => {
      const t0 = performance.now();
      const h = await health(s!).catch(() => undefined);
      if (h) healthMs = Math.max(healthMs, performance.now() - t0);
    }, 1000);
    const r = await flood(s.url, s.ingestToken, { clients: 48, eventsPerBody: 8000, ms: 15_000, prefix: 'flood' });
    clearInterval(probes);
    const { peak } = rss.stop();
    console.log(
      `flood: ${r.requests} requests of 8,000 events in ${r.seconds} s, statuses ${JSON.stringify(r.statuses)}, ` +
        `${r.accepted} events stored (${Math.round(r.accepted / r.seconds)}/s); peak RSS ${(peak / 1024 ** 2).toFixed(0)} MB; slowest health ${healthMs.toFixed(0)} ms`,
    );
    expect(r.unexpected).toEqual([]);
    expect(r.accepted).toBeGreaterThan(0);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(1.5 * GB);
    expect(await storedCount(s.url, s.adminToken)).toBe(r.accepted);
  });
});
