import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig, NO_TARGET } from '@licenskoll/core';
import { migrate, openStorage, queryRows, type Storage } from '@licenskoll/storage';
import { inheritCatalogue, takeRegionVersion } from './inherited-products.ts';
import { listProducts, upsertProducts, type Product } from './products.ts';

/**
 * The region's catalogue in one organiser's products table, against the embedded engine: a
 * local override is never written over, a second run with nothing changed writes nothing, and
 * a removal reaches only what was inherited.
 */
let dir: string;
let storage: Storage;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'licenskoll-inherit-'));
  storage = await openStorage(loadConfig({ LICENSKOLL_DATA_DIR: dir }));
  await migrate(storage, { retentionMonths: 13 });
  await upsertProducts(storage, [{ id: 'OWN', name: 'Own', identifiers: ['own.example'] }, { id: 'SHARED', name: 'Shared, our name', identifiers: [] }]);
});
afterAll(async () => {
  await storage?.close();
  rmSync(dir, { recursive: true, force: true });
});

const product = (id: string, name: string): Product => ({ id, name, supplier: 'S', identifiers: [id.toLowerCase(), `${id.toLowerCase()}.example`], target: NO_TARGET });
const held = async () => (await listProducts(storage, undefined, storage.write)).map((p) => [p.id, p.name, p.origin]);
const versions = async () => (await queryRows<{ n: string }>(storage.write, 'SELECT toString(count()) AS n FROM products'))[0].n;

it('inherits what the organiser has no version of, keeps its override, and writes nothing the second time', async () => {
  const catalogue = [product('SHARED', 'Shared'), product('NEW', 'New')];
  expect(await inheritCatalogue(storage, catalogue)).toEqual({ inherited: 1, removed: 0 });
  expect(await held()).toEqual([['NEW', 'New', 'region'], ['OWN', 'Own', 'local'], ['SHARED', 'Shared, our name', 'local']]);
  const before = await versions();
  expect(await inheritCatalogue(storage, catalogue)).toEqual({ inherited: 0, removed: 0 });
  expect(await versions()).toBe(before);
  // A change of the region's reaches the inherited one only.
  expect(await inheritCatalogue(storage, [product('SHARED', 'Shared 2'), product('NEW', 'New 2')])).toEqual({ inherited: 1, removed: 0 });
  expect((await held())[0]).toEqual(['NEW', 'New 2', 'region']);
});

it("removes only inherited products; dropping an override takes the region's version, which a removal then reaches", async () => {
  expect(await inheritCatalogue(storage, [product('SHARED', 'Shared 2')])).toEqual({ inherited: 0, removed: 1 });
  expect(await held()).toEqual([['OWN', 'Own', 'local'], ['SHARED', 'Shared, our name', 'local']]);
  await takeRegionVersion(storage, product('SHARED', 'Shared 2'));
  expect(await held()).toEqual([['OWN', 'Own', 'local'], ['SHARED', 'Shared 2', 'region']]);
  expect(await inheritCatalogue(storage, [])).toEqual({ inherited: 0, removed: 1 });
  expect(await held()).toEqual([['OWN', 'Own', 'local']]);
  // An organiser's own write of a removed one is its own product again.
  await upsertProducts(storage, [{ id: 'NEW', name: 'Ours now', identifiers: [] }]);
  expect(await inheritCatalogue(storage, [])).toEqual({ inherited: 0, removed: 0 });
  expect(await held()).toEqual([['NEW', 'Ours now', 'local'], ['OWN', 'Own', 'local']]);
});
