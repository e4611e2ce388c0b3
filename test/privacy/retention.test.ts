import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, todayInZone } from '@licenskoll/core';
import { openStorage, type Storage } from '@licenskoll/storage';
import { api, startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Retention: raw events older than LICENSKOLL_RETENTION_MONTHS are dropped by the table's TTL
 * (whole monthly parts), while the daily rollup keeps every figure. The TTL is forced through
 * a storage client opened on the data directory after the service has stopped (the embedded
 * engine binds one process), then the service is started again on the same directory.
 */
const KEY = 'test-pseudonym-key-0123456789abcdef';
const UNIT = 'ab000000-0000-4000-8000-0000000000a1';
const GROUP = 'ab000000-0000-4000-8000-0000000000b1';
const pupils = [1, 2, 3, 4, 5, 6].map((n) => `ab000000-0000-4000-8000-00000000c00${n}`);
const eppn = (id: string) => `p${id.slice(-1)}@elev.retention.example`;
const meta = { created: '2024-06-01T08:00:00+02:00', modified: '2024-08-01T08:00:00+02:00' };
const roster = {
  organisations: [{ id: UNIT, meta, displayName: 'Arkivskolan', organisationType: 'Skolenhet', schoolUnitCode: '48888888' }],
  persons: pupils.map((id) => ({ id, meta, eduPersonPrincipalNames: [eppn(id)], enrolments: [{ enroledAt: { id: UNIT }, startDate: '2024-08-15' }] })),
  groups: [{
    id: GROUP, meta, displayName: '9A', groupType: 'Klass', startDate: '2024-08-15', endDate: '2027-06-15', organisation: { id: UNIT },
    groupMemberships: pupils.map((id) => ({ person: { id } })),
  }],
};

const today = todayInZone('Europe/Stockholm');
const monthsAgo = (m: number, d = 10) => {
  const t = new Date(`${today}T12:00:00Z`);
  t.setUTCDate(1);
  t.setUTCMonth(t.getUTCMonth() - m);
  t.setUTCDate(d);
  return t.toISOString().slice(0, 10);
};
const OLD = monthsAgo(17); // beyond 13 months
const MID = monthsAgo(8); // within 13 months, beyond 6
const NEW = monthsAgo(1);
const ev = (id: string, date: string, user: string) => ({ id, type: 'login', time: `${date}T09:00:00+01:00`, user, product: 'arkiv.example.com' });
const events = [
  ...pupils.slice(0, 4).map((p, i) => ev(`old-${i}`, OLD, eppn(p))),
  ...pupils.slice(0, 3).map((p, i) => ev(`mid-${i}`, MID, eppn(p))),
  ...pupils.slice(0, 2).map((p, i) => ev(`new-${i}`, NEW, eppn(p))),
];
const monthOf = (d: string) => {
  const [y, m] = d.split('-').map(Number);
  return { from: `${d.slice(0, 7)}-01`, to: new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10) };
};

let s: RunningServer | undefined;
let dataDir = '';

afterAll(async () => {
  await s?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function withStorage<T>(f: (st: Storage) => Promise<T>): Promise<T> {
  const st = await openStorage(loadConfig({ LICENSKOLL_DATA_DIR: dataDir, LICENSKOLL_DEMO: 'off', LICENSKOLL_PSEUDONYM_KEY: KEY }));
  try {
    return await f(st);
  } finally {
    await st.close();
  }
}
const rows = async (st: Storage, sql: string) => (await (await st.write.query({ query: sql, format: 'JSONEachRow' })).json<Record<string, string | number>>());
const count = async (st: Storage, sql: string) => Number((await rows(st, sql))[0].n);

/** What a class-usage report says for a month, through the API. */
async function activeIn(server: RunningServer, date: string): Promise<number> {
  const m = monthOf(date);
  const r = await api(server.url, server.adminToken).get(`/v1/reports/class-usage?from=${m.from}&to=${m.to}&product=ARKIV`);
  expect(r.status, r.text).toBe(200);
  return r.json.rows.find((x: any) => x.group === GROUP)?.active ?? 0;
}

/** Forces the retention TTL now, as the engine's background merges eventually would. */
async function forceTtl(st: Storage) {
  await st.write.command({ query: 'ALTER TABLE events MATERIALIZE TTL', clickhouse_settings: { mutations_sync: '2' } });
  await st.write.command({ query: 'OPTIMIZE TABLE events FINAL' });
}

describe('retention of raw events (LICENSKOLL_RETENTION_MONTHS)', () => {
  it('drops raw events past 13 months by TTL; the daily rollup keeps every figure; a resent old event is still a duplicate', async () => {
    s = await startServer({ keepData: true, env: { LICENSKOLL_PSEUDONYM_KEY: KEY } });
    dataDir = s.dataDir;
    const a = api(s.url, s.adminToken);
    expect((await a.post('/v1/import/ss12000?asOf=2024-08-20', roster)).status).toBe(200);
    expect((await a.post('/v1/products', { id: 'ARKIV', name: 'Arkivet', identifiers: ['arkiv.example.com'] })).status).toBe(201);
    expect((await a.post('/v1/events', events)).json).toMatchObject({ accepted: events.length });
    expect(await activeIn(s, OLD)).toBe(4);
    await s.stop();
    s = undefined;

    await withStorage(async (st) => {
      const ddl = String((await rows(st, 'SHOW CREATE TABLE events'))[0].statement);
      expect(ddl).toMatch(/TTL day \+ toIntervalMonth\(13\)/);
      expect(ddl).toMatch(/ttl_only_drop_parts = 1/);
      const old = await count(st, `SELECT count() AS n FROM events WHERE day < addMonths(toDate('${today}'), -13)`);
      await forceTtl(st);
      expect(await count(st, `SELECT count() AS n FROM events WHERE day < addMonths(toDate('${today}'), -13)`)).toBe(0);
      expect(await count(st, `SELECT count() AS n FROM events`)).toBe(5); // MID and NEW stay
      console.log(`raw events older than 13 months before forcing the TTL: ${old} (the engine's background TTL merges may already have dropped them), after: 0; raw events kept: 5; rollup of ${OLD}: kept`);
      expect(await count(st, `SELECT count() AS n FROM (SELECT user_key FROM usage_daily WHERE day = '${OLD}' GROUP BY user_key)`)).toBe(4);
    });

    s = await startServer({ dataDir, env: { LICENSKOLL_PSEUDONYM_KEY: KEY } });
    expect(await activeIn(s, OLD)).toBe(4);
    expect(await activeIn(s, MID)).toBe(3);
    // Idempotency keys are kept by the day they were received, not the event's: resending is not counted twice.
    const again = await api(s.url, s.adminToken).post('/v1/events', events);
    expect(again.json).toMatchObject({ accepted: 0, duplicates: events.length });
    expect(await activeIn(s, OLD)).toBe(4);
    await s.stop();
    s = undefined;
  });

  it('follows a shorter setting: 6 months drops the 8-month-old events too', async () => {
    s = await startServer({ dataDir, env: { LICENSKOLL_PSEUDONYM_KEY: KEY, LICENSKOLL_RETENTION_MONTHS: '6' } });
    await s.stop();
    s = undefined;
    await withStorage(async (st) => {
      expect(String((await rows(st, 'SHOW CREATE TABLE events'))[0].statement)).toMatch(/TTL day \+ toIntervalMonth\(6\)/);
      await forceTtl(st);
      expect(await count(st, `SELECT count() AS n FROM events`)).toBe(2);
    });
    s = await startServer({ dataDir, env: { LICENSKOLL_PSEUDONYM_KEY: KEY, LICENSKOLL_RETENTION_MONTHS: '6' } });
    expect(await activeIn(s, MID)).toBe(3);
    expect(await activeIn(s, NEW)).toBe(2);
  });
});
