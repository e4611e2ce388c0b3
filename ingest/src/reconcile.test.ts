import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pseudonymiser, loadConfig } from '@licenskoll/core';
import { migrate, openStorage, queryRows, type Storage } from '@licenskoll/storage';
import { insertRows, tokenFor } from './batch-store.ts';
import { reconcileInsert } from './reconcile.ts';
import { toStoredEvent, type StoredEvent } from './stored-event.ts';

/**
 * The tables' contents as the reports and the key lookup see them: raw rows, keys, and each
 * rollup added up by its key (unmerged parts give the same sums). `seen` is left out: a
 * filled-in row carries the time it was filled in.
 */
async function snapshot(storage: Storage) {
  const q = (sql: string) => queryRows<Record<string, unknown>>(storage.read, sql);
  return {
    events: await q('SELECT event_key, time, day, type, user_key, product_ident, source, group_hint, school_hint FROM events ORDER BY event_key'),
    eventKeys: await q('SELECT event_key, any(day) AS day FROM event_keys GROUP BY event_key ORDER BY event_key'),
    usageDaily: await q(`SELECT product_ident, day, user_key, sum(events) AS e, sum(logins) AS l, sum(launches) AS la,
      min(first_time) AS ft, max(last_time) AS lt FROM usage_daily GROUP BY ALL ORDER BY ALL`),
    usageDays: await q(`SELECT half, product_ident, toString(user) AS u, toString(groupBitOr(days)) AS d, sumMap(day_events) AS de
      FROM usage_days GROUP BY half, product_ident, user ORDER BY ALL`),
    identDaily: await q('SELECT day, product_ident, sum(events) AS e, min(first_time) AS ft, max(last_time) AS lt FROM ident_daily GROUP BY ALL ORDER BY ALL'),
  };
}

let dir: string;
let storage: Storage;
const pseudo = new Pseudonymiser('reconcile-test-key-0123456789abcdef');

/** 2,400 events of 40 users and 6 products over the turn of a year: four monthly partitions, two years, two half-years. */
function makeRows(tag: string, n = 2400): StoredEvent[] {
  const rows: StoredEvent[] = [];
  for (let i = 0; i < n; i++) {
    const time = new Date(Date.UTC(2025, 10, 15) + i * 37 * 60_000 + (i % 7) * 1000).toISOString();
    rows.push(
      toStoredEvent(
        { id: `${tag}-${i}`, type: i % 3 === 0 ? 'login' : 'launch', time, user: `user-${i % 40}`, product: `https://product-${i % 6}.example` },
        pseudo,
        'Europe/Stockholm',
      ),
    );
  }
  return rows;
}

const mutate = (sql: string) => storage.write.command({ query: sql, clickhouse_settings: { mutations_sync: '2' } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'licenskoll-reconcile-'));
  storage = await openStorage(loadConfig({ LICENSKOLL_DATA_DIR: dir }));
  await migrate(storage, { retentionMonths: 1200 });
});

afterAll(async () => {
  await storage?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('reconcileInsert', () => {
  it('finds nothing to do after an insert that went through, and changes nothing', async () => {
    const rows = makeRows('whole');
    await insertRows(storage, rows, tokenFor(rows), 30_000);
    const before = await snapshot(storage);
    expect(await reconcileInsert(storage, rows, 30_000)).toEqual({ events: 0, eventKeys: 0, usageDaily: 0, usageDays: 0, identDaily: 0 });
    expect(await snapshot(storage)).toEqual(before);
  });

  it('fills in each table that lost its part of the insert, without counting anything twice', async () => {
    const rows = makeRows('lost');
    const token = tokenFor(rows);
    await insertRows(storage, rows, token, 30_000);
    const whole = await snapshot(storage);
    expect(whole.events.length).toBe(4800);

    // What a failed rename leaves: one table lacks blocks the others hold. A different slice per table.
    const lost = rows.filter((_, i) => i % 5 === 0).map((r) => `'${r.event_key}'`).join(',');
    await mutate(`ALTER TABLE events DELETE WHERE event_key IN (${lost})`);
    const keysLost = rows.filter((r) => r.product_ident === rows[1].product_ident).map((r) => `'${r.event_key}'`).join(',');
    await mutate(`ALTER TABLE event_keys DELETE WHERE event_key IN (${keysLost})`);
    await mutate(`ALTER TABLE usage_daily DELETE WHERE user_key = '${rows[2].user_key}' AND day < '2026-01-01'`);
    await mutate(`ALTER TABLE usage_days DELETE WHERE product_ident = '${rows[3].product_ident}' AND half = '2026-01-01'`);
    await mutate(`ALTER TABLE ident_daily DELETE WHERE day = '${rows[1000].day}'`);
    // The resend with the same token is dropped as a duplicate: it does not bring them back.
    await insertRows(storage, rows, token, 30_000);
    const broken = await snapshot(storage);
    expect(broken.events.length).toBe(4800 - 480);
    expect(broken.usageDaily).not.toEqual(whole.usageDaily);

    const fixed = await reconcileInsert(storage, rows, 30_000);
    expect(fixed.events).toBe(480);
    expect(fixed.eventKeys).toBe(400);
    expect(fixed.usageDaily).toBeGreaterThan(0);
    expect(fixed.usageDays).toBeGreaterThan(0);
    expect(fixed.identDaily).toBe(whole.identDaily.filter((r) => r.day === rows[1000].day).length);
    expect(await snapshot(storage)).toEqual(whole);

    // Once whole, it stays so: a second run (after a crash during the first) adds nothing.
    expect(await reconcileInsert(storage, rows, 30_000)).toEqual({ events: 0, eventKeys: 0, usageDaily: 0, usageDays: 0, identDaily: 0 });
    expect(await snapshot(storage)).toEqual(whole);
  });

  it('fills in more keys than one lookup holds, after an insert that left its token on the connection', async () => {
    // The embedded engine keeps a statement's settings on the session: the insert's
    // deduplication token was still set for the fill-in, and its second chunk of keys was
    // dropped as a duplicate of the first (a flapping-disk run ended 3,614 = 8,614 - 5,000 keys short).
    const rows = makeRows('many', 6200);
    await insertRows(storage, rows, tokenFor(rows), 30_000);
    const whole = await snapshot(storage);
    await mutate(`ALTER TABLE event_keys DELETE WHERE event_key IN (${rows.map((r) => `'${r.event_key}'`).join(',')})`);
    await insertRows(storage, rows, tokenFor(rows), 30_000);
    expect((await reconcileInsert(storage, rows, 30_000)).eventKeys).toBe(6200);
    expect(await snapshot(storage)).toEqual(whole);
  });
});
