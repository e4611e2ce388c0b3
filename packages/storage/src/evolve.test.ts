import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '@licenskoll/core';
import { openStorage, type Storage } from './client.ts';
import { migrate } from './migrate.ts';
import { queryRows } from './rows.ts';

/**
 * A store made by an earlier version: `usage_days` without its `seen` column and a view that
 * does not fill it, made before views were recorded. Migrating adds the column, remakes the
 * view, and new events fill the column; old rows and other tables are left as they were.
 */
let dir: string;
let storage: Storage;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'licenskoll-evolve-'));
  storage = await openStorage(loadConfig({ LICENSKOLL_DATA_DIR: dir }));
  await migrate(storage, { retentionMonths: 13 });
  const run = (query: string) => storage.write.command({ query });
  await run('DROP VIEW usage_days_mv');
  await run('ALTER TABLE usage_days DROP COLUMN seen');
  await run(`CREATE MATERIALIZED VIEW usage_days_mv TO usage_days AS SELECT makeDate(toYear(day), if(toMonth(day) < 7, 1, 7), 1) AS half,
    product_ident, reinterpretAsUInt128(unhex(user_key)) AS user, groupBitOr(bitShiftLeft(toUInt256(1), toUInt16(day) - toUInt16(half))) AS days,
    sumMap([toUInt8(toUInt16(day) - toUInt16(half))], [toUInt64(1)]) AS day_events FROM events GROUP BY half, product_ident, user`);
  await run(`ALTER TABLE settings DELETE WHERE startsWith(key, 'view:') SETTINGS mutations_sync = 1`);
  await storage.write.insert({ table: 'events', values: [row('old', '2026-03-02')], format: 'JSONEachRow' });
});

afterAll(async () => {
  await storage?.close();
  rmSync(dir, { recursive: true, force: true });
});

const row = (key: string, day: string) => ({
  event_key: key, time: `${day} 08:00:00.000`, day, type: 'login', user_key: 'ab'.repeat(16), product_ident: 'p', source: '', group_hint: '', school_hint: '',
});

it('adds the missing column and remakes the changed view; new rows fill the column', async () => {
  await migrate(storage, { retentionMonths: 13 });
  const cols = await queryRows<{ name: string }>(storage.read, `SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'usage_days'`);
  expect(cols.map((c) => c.name)).toContain('seen');
  await storage.write.insert({ table: 'events', values: [row('new', '2026-03-03')], format: 'JSONEachRow' });
  const rows = await queryRows<{ n: number; fresh: number }>(
    storage.read,
    `SELECT count() AS n, countIf(seen > now() - 3600) AS fresh FROM usage_days`,
    {},
    ['n', 'fresh'],
  );
  expect(rows[0]).toEqual({ n: 2, fresh: 1 });
  // A second migration changes nothing: the view is recorded now.
  const before = await queryRows(storage.read, `SELECT metadata_modification_time FROM system.tables WHERE database = currentDatabase() AND name = 'usage_days_mv'`);
  await migrate(storage, { retentionMonths: 13 });
  const after = await queryRows(storage.read, `SELECT metadata_modification_time FROM system.tables WHERE database = currentDatabase() AND name = 'usage_days_mv'`);
  expect(after).toEqual(before);
});

it('gives tables the settings an earlier version made them without, and leaves them alone after', async () => {
  const settingsOf = async () =>
    Object.fromEntries(
      (await queryRows<{ name: string; create_table_query: string; metadata_modification_time: string }>(
        storage.read,
        `SELECT name, create_table_query, toString(metadata_modification_time) AS metadata_modification_time FROM system.tables
         WHERE database = currentDatabase() AND name IN ('events', 'usage_daily', 'rc_usage')`,
      )).map((r) => [r.name, { fsync: /fsync_after_insert = 1\b/.test(r.create_table_query) && /fsync_part_directory = 1\b/.test(r.create_table_query), at: r.metadata_modification_time }]),
    );
  // As a store made before parts were synced on insert.
  await storage.write.command({ query: 'ALTER TABLE events MODIFY SETTING fsync_after_insert = 0' });
  await storage.write.command({ query: 'ALTER TABLE usage_daily RESET SETTING fsync_after_insert, fsync_part_directory' });
  const old = await settingsOf();
  expect([old.events.fsync, old.usage_daily.fsync, old.rc_usage.fsync]).toEqual([false, false, false]);
  await migrate(storage, { retentionMonths: 13 });
  const now = await settingsOf();
  expect([now.events.fsync, now.usage_daily.fsync, now.rc_usage.fsync]).toEqual([true, true, false]);
  await new Promise((r) => setTimeout(r, 1100));
  await migrate(storage, { retentionMonths: 13 });
  expect(await settingsOf()).toEqual(now);
});

it('gives licences, products, groups and enrolments their target, förvaltning, agreement, origin and school-form columns, keeping every stored row', async () => {
  const run = (query: string) => storage.write.command({ query });
  await run('ALTER TABLE licences DROP COLUMN forvaltning, DROP COLUMN agreement');
  await run('ALTER TABLE products DROP COLUMN origin');
  await run('DROP TABLE buyers');
  // As a store made before targets: the columns are not there, a licence and an enrolment are.
  for (const t of ['licences', 'products']) {
    await run(`ALTER TABLE ${t} DROP COLUMN target_school_types, DROP COLUMN target_years, DROP COLUMN target_subjects, DROP COLUMN target_duty_roles`);
  }
  for (const t of ['groups', 'enrolments']) await run(`ALTER TABLE ${t} DROP COLUMN school_type, DROP COLUMN school_year`);
  await storage.write.insert({
    table: 'licences',
    values: [{ id: 'L-OLD', product: 'p', seats: 10, scope_type: 'organisation', scope_ids: ['org'], audience: 'students', start: '2025-08-01', end: '2026-07-31', price: 100, currency: 'SEK', buyer: 'b', order_ref: '', deleted: 0, version: 1 }],
    format: 'JSONEachRow',
  });
  await storage.write.insert({ table: 'products', values: [{ id: 'P-OLD', name: 'Old', supplier: '', identifiers: ['p-old'], deleted: 0, version: 1 }], format: 'JSONEachRow' });
  await storage.write.insert({ table: 'enrolments', values: [{ person_key: 'pk', unit: 'u', start: '2025-08-01', end: '2026-07-31', last_seen: '2025-08-01', version: 1 }], format: 'JSONEachRow' });
  await migrate(storage, { retentionMonths: 13 });
  const [l] = await queryRows(storage.read, 'SELECT id, seats, price, target_school_types, target_years, forvaltning, agreement FROM licences FINAL', {}, ['seats', 'price']);
  expect(l).toEqual({ id: 'L-OLD', seats: 10, price: 100, target_school_types: [], target_years: [], forvaltning: '', agreement: '' });
  expect(await queryRows(storage.read, 'SELECT name FROM buyers')).toEqual([]);
  const [e] = await queryRows(storage.read, 'SELECT person_key, school_type, school_year FROM enrolments FINAL');
  expect(e).toEqual({ person_key: 'pk', school_type: '', school_year: -1 });
  // A store from before the shared catalogue holds only the organiser's own products.
  expect(await queryRows(storage.read, 'SELECT id, origin, target_years FROM products FINAL')).toEqual([{ id: 'P-OLD', origin: 'local', target_years: [] }]);
});
