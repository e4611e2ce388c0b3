import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '@licenskoll/core';
import { openStorage, type Storage } from './client.ts';
import { queryRows } from './rows.ts';

/**
 * An organiser's storage is bound to its own database (docs/tenants.md): the same unqualified
 * statements from two organisers' storages, interleaved on the one embedded engine, each read
 * and write their own database only, and the first organiser's `default` stays its own after
 * another's statements ran.
 */
let dir: string;
let root: Storage;
let a: Storage;
let b: Storage;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'licenskoll-for-database-'));
  root = await openStorage(loadConfig({ LICENSKOLL_DATA_DIR: dir }));
  a = await root.forDatabase!('org_a');
  b = await root.forDatabase!('org_b');
  for (const [s, v] of [[root, 'root'], [a, 'a'], [b, 'b']] as const) {
    await s.write.command({ query: 'CREATE TABLE IF NOT EXISTS t (v String) ENGINE = MergeTree ORDER BY v' });
    await s.write.insert({ table: 't', values: [{ v }], format: 'JSONEachRow' });
  }
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await root?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('each storage reads and writes its own database, whatever ran before on the engine', async () => {
  expect([root.database, a.database, b.database]).toEqual(['default', 'org_a', 'org_b']);
  const reads = Array.from({ length: 300 }, (_, i) => {
    const [s, want] = ([[root, 'root'], [a, 'a'], [b, 'b']] as const)[i % 3];
    const client = i % 2 ? s.read : s.write;
    return queryRows<{ v: string; db: string }>(client, 'SELECT v, currentDatabase() AS db FROM t WHERE v != {x:String}', { x: '' })
      .then((rows) => ({ want, rows }));
  });
  for (const { want, rows } of await Promise.all(reads)) {
    expect(rows.map((r) => r.v)).toEqual([want]);
  }
  // Closing an organiser's storage leaves the engine to the others.
  const c = await root.forDatabase!('org_c');
  await c.close();
  expect((await queryRows<{ v: string }>(root.read, 'SELECT v FROM t')).map((r) => r.v)).toEqual(['root']);
  await expect(root.forDatabase!('org-c; DROP')).rejects.toThrow(/not a plain database name/);
});
