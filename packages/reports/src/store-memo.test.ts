import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@licenskoll/core';
import { migrate, nextVersion, openStorage, type Storage } from '@licenskoll/storage';
import { memoOnStore } from './store-memo.ts';

/** A memoised figure is computed again after any write it could be made of, and only then. */
let dir: string;
let storage: Storage;
let computed = 0;
const figure = () => memoOnStore(storage, 'test', async () => ++computed);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'licenskoll-memo-'));
  storage = await openStorage(loadConfig({ LICENSKOLL_DATA_DIR: dir }));
  await migrate(storage, { retentionMonths: 13 });
});
afterAll(async () => {
  await storage?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('memoOnStore', () => {
  it('computes once while nothing is written, and again after a licence is', async () => {
    expect(await figure()).toBe(1);
    expect(await figure()).toBe(1);
    await storage.write.insert({ table: 'products', values: [{ id: 'P', name: 'P', supplier: '', identifiers: ['p'], deleted: 0, version: nextVersion() }], format: 'JSONEachRow' });
    expect(await figure()).toBe(2);
  });

  it('is not recomputed for an audit row, which every request writes', async () => {
    const before = await figure();
    await storage.write.insert({
      table: 'audit_log',
      values: [{ at: '2026-12-01 10:00:00.000', actor_id: 'a', actor: 'a', role: 'admin', via: 'token', schools: [], groups: [], method: 'GET', action: 'report.flags', path: '/v1/reports/flags', params: '{}', status: 200, rows: 1 }],
      format: 'JSONEachRow',
    });
    expect(await figure()).toBe(before);
  });

  it('shares one computation between concurrent calls', async () => {
    await storage.write.command({ query: `ALTER TABLE products DELETE WHERE id = 'P' SETTINGS mutations_sync = 1` });
    const [a, b] = await Promise.all([figure(), figure()]);
    expect(a).toBe(b);
    expect(a).toBe(computed);
  });
});
