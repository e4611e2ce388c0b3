import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classUsageReport } from './class-usage.ts';
import { buildResolution, resolutionFor, setResolutionCache, settledResolution } from './resolution.ts';
import { licensedCounts } from './licence-figures.ts';
import { overviewReport } from './overview.ts';
import { renewalsReport } from './renewals.ts';
import { withShared } from './sql.ts';
import { unmappedReport } from './unmapped.ts';
import { Pseudonymiser } from '@licenskoll/core';
import { toStoredEvent } from '@licenskoll/ingest';
import { addIdentifiers } from '@licenskoll/licensing';
import { migrate, openStorage, queryRows, type Storage } from '@licenskoll/storage';
import { PSEUDONYM_KEY, RETENTION_MONTHS, benchConfig } from '../../../test/bench/bench-config.ts';
import { bulkLoad } from '../../../test/bench/bulk-load.ts';
import type { Municipality } from '../../../test/bench/municipality.ts';

/**
 * The reports read half-year day masks (`usage_days`); the figures are defined per person-day.
 * On a generated municipality (moves mid-year by explicit dates, four identifier forms per
 * user, several licences per product and person, unresolved users, unmapped identifiers)
 * every figure from the masks must equal the same figure computed day by day from
 * `usage_daily` with the day-level blocks of sql.ts.
 */
let dir: string;
let storage: Storage;
let m: Municipality;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'licenskoll-equiv-'));
  storage = await openStorage(benchConfig(dir));
  await migrate(storage, { retentionMonths: RETENTION_MONTHS });
  m = (await bulkLoad(storage, 0.01)).municipality;
}, 300_000);

afterAll(async () => {
  if (storage) await settledResolution(storage);
  await storage?.close();
  rmSync(dir, { recursive: true, force: true });
}, 300_000);

const WINDOWS = [
  { from: '2026-03-01', to: '2026-03-31' },
  { from: '2025-08-01', to: '2026-07-31' },
  // Not month-aligned and across the 1 January half-year boundary.
  { from: '2025-12-17', to: '2026-01-13' },
  { from: '2026-06-28', to: '2026-07-03' },
];

const dayLevel = <T>(sql: string, w: { from: string; to: string }, products: string[] = [], numeric: string[] = []) =>
  queryRows<T>(storage.read, `${withShared()}${sql}`, { from: w.from, to: w.to, products }, numeric);

/**
 * Each comparison runs three times: with everything resolved at query time; from a
 * resolution cache build (resolution.ts) whose watermark lies ahead, so that every usage row
 * comes from the build; and from a build whose watermark lies an hour back, so that every row
 * is both in the build and written since it (the reports must count each once).
 */
const MODES = [
  { mode: 'live', margin: undefined, live: undefined },
  { mode: 'cached', margin: -3600, live: false },
  { mode: 'cached with rows written since', margin: 3600, live: true },
];
describe.each(MODES)('$mode', ({ margin, live }) => {
beforeAll(async () => {
  setResolutionCache(margin !== undefined);
  if (margin !== undefined) {
    expect(await buildResolution(storage, { marginSeconds: margin })).not.toBeNull();
    expect((await resolutionFor(storage, WINDOWS[1]))?.live).toBe(live);
  }
});

describe.each(WINDOWS)('window $from..$to', (w) => {
  it('licensed active users per licence and in total (figure 6)', async () => {
    for (const products of [[], ['P05', 'P10']]) {
      const got = await licensedCounts(storage, w, products);
      const want = await dayLevel<{ licence: string; n: number }>('SELECT licence, uniqExact(person_key) AS n FROM attributed GROUP BY licence', w, products, ['n']);
      const total = await dayLevel<{ n: number }>('SELECT uniqExact(person_key) AS n FROM attributed', w, products, ['n']);
      expect(Object.fromEntries(got.byLicence)).toEqual(Object.fromEntries(want.map((r) => [r.licence, r.n])));
      expect(got.persons).toBe(total[0].n);
      if (!products.length) expect(got.persons).toBeGreaterThan(0);
    }
  });

  it('overview: active users and events per product, totals and the weekly series', async () => {
    const o = await overviewReport(storage, { window: w, asOf: w.to, products: [] });
    const who = `if(person_key != '', person_key, concat('u:', user_key))`;
    const perProduct = await dayLevel<{ product: string; a: number; e: number }>(
      `SELECT product, uniqExact(${who}) AS a, sum(events) AS e FROM usage GROUP BY product`, w, [], ['a', 'e']);
    for (const r of perProduct) expect(o.rows.find((x) => x.product === r.product), r.product).toMatchObject({ activeUsers: r.a, events: r.e });
    expect(o.rows.filter((x) => x.activeUsers > 0)).toHaveLength(perProduct.length);
    const [t] = await dayLevel<{ a: number; e: number }>(`SELECT uniqExact(${who}) AS a, sum(events) AS e FROM usage`, w, [], ['a', 'e']);
    expect(o.totals).toMatchObject({ activeUsers: t.a, events: t.e });
    const weeks = await dayLevel<{ week: string; n: number }>(
      `SELECT toString(toMonday(day)) AS week, uniqExact(${who}) AS n FROM usage GROUP BY week`, w, [], ['n']);
    const series = Object.fromEntries(o.series.filter((s) => s.activeUsers > 0).map((s) => [s.week, s.activeUsers]));
    expect(series).toEqual(Object.fromEntries(weeks.map((x) => [x.week, x.n])));
  });

  it('class usage: active pupils, events, active days and last day on member days (figure 4)', async () => {
    const school = m.units[3];
    for (const filter of [{ products: [], schools: [] }, { products: ['P05'], schools: [school.code] }]) {
      const rows = await classUsageReport(storage, { window: w, groups: [], ...filter });
      const want = await queryRows<{ group_id: string; product: string; active: number; events: number; days: number; last: string }>(
        storage.read,
        `${withShared(`member_days AS (
           SELECT DISTINCT m.group_id AS group_id, p.product AS product, p.person_key AS person_key, p.day AS day, p.events AS events
           FROM pday AS p INNER JOIN mships AS m ON m.person_key = p.person_key
           WHERE p.day >= m.start AND p.day <= m.end AND p.person_key IN (SELECT person_key FROM pupils)
             AND (empty({schools:Array(String)}) OR m.unit IN (SELECT unit FROM unit_refs WHERE has({schools:Array(String)}, ref))))`)}
         SELECT group_id, product, uniqExact(person_key) AS active, sum(events) AS events, uniqExact(day) AS days, toString(max(day)) AS last
         FROM member_days GROUP BY group_id, product`,
        { from: w.from, to: w.to, products: filter.products, schools: filter.schools },
        ['active', 'events', 'days'],
      );
      const active = rows.filter((r) => r.active > 0);
      if (!filter.products.length) expect(want.length).toBeGreaterThan(0);
      expect(active).toHaveLength(want.length);
      for (const r of want) {
        expect(active.find((x) => x.group === r.group_id && x.product === r.product), `${r.group_id} ${r.product}`).toMatchObject({
          active: r.active, events: r.events, activeDays: r.days, lastActive: r.last,
        });
      }
      // Every row and field (enrolled, the rows with zeros, the order) as read live.
      if (margin !== undefined) {
        setResolutionCache(false);
        const live = await classUsageReport(storage, { window: w, groups: [], ...filter });
        setResolutionCache(true);
        expect(rows).toEqual(live);
      }
    }
  });
});

it('renewals: monthly licensed active users behind each peak (figure 9)', async () => {
  for (const asOf of ['2026-04-01', '2026-06-01', '2026-07-15']) {
    const rows = await renewalsReport(storage, { asOf, within: 365, headroom: 0.1, products: [] });
    const from = `${asOf.slice(0, 5)}${String(Number(asOf.slice(5, 7)) - 3).padStart(2, '0')}-01`;
    const monthly = await dayLevel<{ licence: string; month: string; n: number }>(
      'SELECT licence, toString(toStartOfMonth(day)) AS month, uniqExact(person_key) AS n FROM attributed GROUP BY licence, month',
      { from: '2024-01-01', to: asOf }, [], ['n']);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const months = monthly.filter((x) => x.licence === r.licence && x.month >= from && x.month < `${asOf.slice(0, 7)}-01`);
      const lic = m.licences.find((l) => l.id === r.licence)!;
      // Licences younger than the three months are measured over their own months (renewals.ts); skip those here.
      if (lic.start > from) continue;
      expect(r.peak, r.licence).toBe(Math.max(0, ...months.map((x) => x.n)));
    }
  }
});

it('unmapped identifiers: events, users, first and last seen (figure 2)', async () => {
  const w = { from: '1970-01-01', to: '2026-07-31' };
  const got = await unmappedReport(storage, w, 'Europe/Stockholm');
  const want = await dayLevel<{ identifier: string; events: number; users: number }>(
    `SELECT product_ident AS identifier, sum(events) AS events, uniqExact(user_key) AS users FROM usage_daily
     WHERE day >= {from:Date} AND day <= {to:Date} AND product_ident IN (SELECT product_ident FROM ident_product WHERE product = '')
     GROUP BY product_ident`, w, [], ['events', 'users']);
  expect(got.length).toBeGreaterThan(0);
  expect(Object.fromEntries(got.map((r) => [r.identifier, [r.events, r.users]]))).toEqual(Object.fromEntries(want.map((r) => [r.identifier, [r.events, r.users]])));
});
});

describe('the resolution cache', () => {
  const w = { from: '2026-03-01', to: '2026-03-31' };
  beforeAll(() => setResolutionCache(true));

  it('counts events written after a build at once', async () => {
    expect(await buildResolution(storage, { marginSeconds: 0 })).not.toBeNull();
    const before = await overviewReport(storage, { window: w, asOf: w.to, products: ['P05'] });
    const e = { id: 'late-1', type: 'login' as const, time: '2026-03-10T09:00:00+01:00', user: 'newcomer@example.com', product: 'P05' };
    await storage.write.insert({ table: 'events', values: [toStoredEvent(e, new Pseudonymiser(PSEUDONYM_KEY), 'Europe/Stockholm')], format: 'JSONEachRow' });
    expect(await resolutionFor(storage, w)).not.toBeNull();
    const after = await overviewReport(storage, { window: w, asOf: w.to, products: ['P05'] });
    expect(after.totals.activeUsers).toBe(before.totals.activeUsers + 1);
  });

  it('counts class usage of a pupil with events written after a build once, with their older ones', async () => {
    expect(await buildResolution(storage, { marginSeconds: 0 })).not.toBeNull();
    const pupil = m.pupils.find((p) => p.segments.length === 1)!;
    const e = { id: 'late-2', type: 'launch' as const, time: '2026-03-11T10:00:00+01:00', user: pupil.eppn, product: 'P05' };
    await storage.write.insert({ table: 'events', values: [toStoredEvent(e, new Pseudonymiser(PSEUDONYM_KEY), 'Europe/Stockholm')], format: 'JSONEachRow' });
    expect((await resolutionFor(storage, w))?.live).toBe(true);
    const params = { window: w, products: ['P05'], schools: [], groups: [m.classes[pupil.segments[0].klass].id] };
    const cached = await classUsageReport(storage, params);
    setResolutionCache(false);
    const live = await classUsageReport(storage, params);
    setResolutionCache(true);
    expect(cached).toEqual(live);
    expect(live[0]).toMatchObject({ product: 'P05' });
    expect(live[0].events).toBeGreaterThan(0);
  });

  it('is not read once a mapping changed: the change applies to old events at once', async () => {
    expect(await buildResolution(storage, { marginSeconds: -3600 })).not.toBeNull();
    expect(await resolutionFor(storage, w)).not.toBeNull();
    const unmapped = (await unmappedReport(storage, { from: '1970-01-01', to: '2026-07-31' }, 'Europe/Stockholm'))[0];
    const before = await overviewReport(storage, { window: { from: '2025-08-01', to: '2026-07-31' }, asOf: '2026-07-31', products: ['P07'] });
    await addIdentifiers(storage, 'P07', [unmapped.identifier]);
    expect(await resolutionFor(storage, w)).toBeNull();
    const after = await overviewReport(storage, { window: { from: '2025-08-01', to: '2026-07-31' }, asOf: '2026-07-31', products: ['P07'] });
    expect(after.totals.events).toBe(before.totals.events + unmapped.events);
  });
});
