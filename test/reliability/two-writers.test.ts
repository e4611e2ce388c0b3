import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@licenskoll/core';
import { queryRows } from '@licenskoll/storage';
import { startService, type Service } from '../../apps/server/src/boot/service.ts';
import { api } from '../helpers/server.ts';

/**
 * Two ingest services on one store (in one process: the embedded engine is one per process;
 * across processes a server or cluster is the store) receive the same events at once, as from
 * a source that delivers to two nodes, and each round again from the other node, as a load
 * balancer retrying on another node. Every event is stored once: the raw rows, each rollup,
 * and the figures the reports make of them.
 */
const ROUNDS = 30;
const PER_ROUND = 100;
const USERS = 50;
const ADMIN = 'test-admin-token-0123456789';
const INGEST = 'test-ingest-token-0123456789';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'licenskoll-two-writers-'));
  dirs.push(d);
  return d;
};
let services: Service[] = [];

beforeAll(async () => {
  const store = join(temp(), 'clickhouse');
  const start = (dataDir: string) =>
    startService(
      loadConfig({
        PORT: '0', LICENSKOLL_DATA_DIR: dataDir, LICENSKOLL_ADMIN_TOKEN: ADMIN, LICENSKOLL_INGEST_TOKEN: INGEST,
        LICENSKOLL_PSEUDONYM_KEY: 'test-pseudonym-key-0123456789abcdef', LICENSKOLL_DEMO: 'off', LICENSKOLL_TZ: 'Europe/Stockholm',
      }),
      // Inserts of whatever a few milliseconds gathered: many small batches of both writers interleave.
      { storage: { embeddedPath: store }, ingest: { lingerMs: 5 }, smtp: null, log: () => {} },
    );
  services = [await start(temp()), await start(temp())];
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const event = (n: number) => ({
  id: `race-${n}`, type: n % 3 === 0 ? 'login' : 'launch',
  // Five school days in March.
  time: `2026-03-0${2 + (n % 5)}T0${8 + (n % 2)}:${String(n % 60).padStart(2, '0')}:00+01:00`,
  user: `elev${n % USERS}@skola.example.se`, product: 'https://app.example.com',
});

describe('two ingest services on one store', () => {
  it('store each event once when both receive it at once and again from the other', { timeout: 240_000 }, async () => {
    const [a, b] = services.map((s) => api(s.url, ADMIN));
    const [ia, ib] = services.map((s) => api(s.url, INGEST));
    expect((await a.post('/v1/products', { id: 'APP', name: 'Appen', identifiers: ['https://app.example.com'] })).status).toBe(201);
    for (let round = 0; round < ROUNDS; round++) {
      const batch = Array.from({ length: PER_ROUND }, (_, i) => event(round * PER_ROUND + i));
      const previous = Array.from({ length: PER_ROUND }, (_, i) => event(Math.max(0, round - 1) * PER_ROUND + i));
      // One at a time per event and all at once: the same ids reach both writers in the same moment.
      const sent = await Promise.all([
        ia.post('/v1/events', batch), ib.post('/v1/events', batch),
        ...batch.slice(0, 10).flatMap((e) => [ia.post('/v1/events', e), ib.post('/v1/events', e)]),
        ib.post('/v1/events', previous),
      ]);
      for (const r of sent) expect(r.status).toBe(202);
    }
    // A report waits for its own service's journal: ask both, so that both are stored.
    await Promise.all([a.get('/v1/reports/overview?from=2026-03-01&to=2026-03-31'), b.get('/v1/reports/overview?from=2026-03-01&to=2026-03-31')]);
    const total = ROUNDS * PER_ROUND;

    const storage = services[0].ctx.storage;
    const one = async (sql: string) => (await queryRows<{ n: number }>(storage.read, `SELECT toUInt64(${sql}) AS n`, {}, ['n']))[0].n;
    expect(await one('(SELECT count() FROM events)')).toBe(total);
    expect(await one('(SELECT uniqExact(event_key) FROM events)')).toBe(total);
    expect(await one('(SELECT sum(events) FROM usage_daily)')).toBe(total);
    expect(await one('(SELECT sum(events) FROM ident_daily)')).toBe(total);
    expect(await one('(SELECT sum(arraySum(day_events.2)) FROM usage_days)')).toBe(total);

    for (const client of [a, b]) {
      const o = await client.get('/v1/reports/overview?from=2026-03-01&to=2026-03-31');
      expect(o.status).toBe(200);
      expect(o.json.totals).toMatchObject({ events: total, activeUsers: USERS });
      const app = o.json.rows.find((r: { product: string }) => r.product === 'APP');
      expect(app).toMatchObject({ events: total, activeUsers: USERS });
    }
    // The race was run, not missed: some keys reached the store loops of both, and one gave way.
    const stats = services.map((s) => s.ctx.ingest.status().stats);
    expect(stats[0].claimedElsewhereRows + stats[1].claimedElsewhereRows).toBeGreaterThan(0);
  });
});
