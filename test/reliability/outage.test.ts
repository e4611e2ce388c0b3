import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { LOAD_ENV, verifyExactlyOnce } from './support/crash.ts';
import { Ledger, health, runClients, waitFor } from './support/events.ts';
import { Prng } from './support/prng.ts';
import { reliabilityRun } from './support/run.ts';

/**
 * Storage outage in server mode. No ClickHouse server binary exists here, so "down" is a
 * CLICKHOUSE_URL on a port that refuses connections, and "back" is the same data directory
 * restarted on the embedded engine: the spool written while the server was away drains into
 * it at start. What this cannot show: a server that comes back while the process runs (the
 * probe then finds it; the unit of that path is the same replay code exercised here).
 */
const { seed, dataDir } = reliabilityRun('outage', () => s);
const DOWN = { ...LOAD_ENV, CLICKHOUSE_URL: 'http://127.0.0.1:1', LICENSKOLL_SPOOL_MAX_MB: '0.25' };
let s: RunningServer | undefined;

const metric = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);

describe(`storage outage (seed ${seed})`, () => {
  it('starts without storage, spools with 202 up to its bound, then 503, and drains exactly once when storage is back', { timeout: 180_000 }, async () => {
    const rnd = new Prng(seed);
    const ledger = new Ledger();
    s = await startServer({ dataDir, env: DOWN });

    const h0 = await health(s);
    expect(h0.status).toBe(200);
    expect(h0.json).toMatchObject({ status: 'degraded', storage: 'unavailable', ingest: 'spooling' });
    const report = await fetch(`${s.url}/v1/reports/licences`, { headers: { authorization: `Bearer ${s.adminToken}` } });
    expect(report.status).toBe(503);
    expect(report.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await report.json()).error.code).toBe('storage_unavailable');

    // Clients until the spool is full: every 202 is in the spool, then 503 with Retry-After.
    let full: () => void;
    const spoolFull = new Promise<void>((r) => (full = r));
    const watcher = setInterval(() => (ledger.statuses.get(503) ?? 0) >= 3 && full(), 50);
    const run = await runClients(rnd, ledger, { url: s.url, token: s.ingestToken, clients: 4, maxBatch: 40, until: Promise.race([spoolFull, new Promise((r) => setTimeout(r, 30_000))]), prefix: 'out' });
    clearInterval(watcher);
    expect(run.unexpected).toEqual([]);
    expect(ledger.acked.size).toBeGreaterThan(100);
    expect(ledger.spooled).toBe(ledger.acked.size);
    expect(ledger.statuses.get(503)).toBeGreaterThanOrEqual(3);

    const h1 = await health(s);
    console.log(`outage: ${ledger.acked.size} events acknowledged into the spool, ${ledger.statuses.get(503)} answered 503; health`, JSON.stringify(h1.json.spool));
    expect(h1.json.spool.rows).toBe(ledger.acked.size);
    expect(h1.json.spool.bytes).toBeLessThanOrEqual(0.25 * 1024 ** 2);
    expect(h1.json.spool.batches).toBeGreaterThan(0);

    const m = await (await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${s.adminToken}` } })).text();
    expect(metric(m, 'licenskoll_storage_up')).toBe(0);
    expect(metric(m, 'licenskoll_spool_bytes')).toBe(h1.json.spool.bytes);
    expect(metric(m, 'licenskoll_spool_rows_total')).toBe(ledger.acked.size);
    const fsync = metric(m, 'licenskoll_spool_append_duration_seconds_sum') / metric(m, 'licenskoll_spool_append_duration_seconds_count');
    console.log(`spool append + fsync: ${(fsync * 1000).toFixed(2)} ms per batch on average`);

    // Everything acknowledged is in the spool: SIGTERM exits cleanly even with storage away.
    expect(await s.stop()).toBe(0);

    // Storage is back: the spool drains at start, and nothing is stored twice.
    s = await startServer({ dataDir, env: LOAD_ENV });
    const drained = await waitFor('the spool to drain', async () => {
      const h = await health(s!);
      return h.json.spool.batches === 0 && h.json;
    });
    expect(drained).toMatchObject({ status: 'ok', storage: 'ok', spool: { bytes: 0, batches: 0, rows: 0 } });
    expect(readdirSync(join(dataDir, 'spool')).filter((f) => f.endsWith('.spool'))).toEqual([]);
    const unsureBefore = ledger.unsure.size;
    const v = await verifyExactlyOnce(s, ledger);
    console.log(`after the drain: ${v.stored} stored of ${v.expected} sent (${unsureBefore} refused with 503 and resent); ${v.lost} acknowledged lost`);
    expect(v.lost).toBe(0);
    expect(v.stored).toBe(v.expected);
  });
});
