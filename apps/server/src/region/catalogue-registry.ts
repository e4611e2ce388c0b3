import { NO_TARGET, normaliseProductIdentifier, type ProductInput } from '@licenskoll/core';
import { productFromRow, TARGET_COLUMNS, targetColumns, type Product, type TargetColumns } from '@licenskoll/licensing';
import { nextVersion, queryRows, type Storage } from '@licenskoll/storage';

/**
 * The region's shared product catalogue (schema-region.ts, `catalogue`): products as an
 * organiser's table holds them, so that inheriting one is a copy (inherited-products.ts).
 * Read from the writing client: an organiser made just after a catalogue write inherits it.
 */
export async function listCatalogue(region: Storage, ids: string[] = []): Promise<Product[]> {
  const rows = await queryRows<{ id: string; name: string; supplier: string; identifiers: string[] } & TargetColumns>(
    region.write,
    `SELECT id, name, supplier, identifiers, ${TARGET_COLUMNS} FROM catalogue FINAL WHERE deleted = 0
     AND (empty({ids:Array(String)}) OR has({ids:Array(String)}, id)) ORDER BY name, id`,
    { ids },
  );
  return rows.map(productFromRow);
}

/**
 * Upserts products by id. A row without a target keeps the stored one, as an organiser's
 * products sheet does (upsertProducts): a sheet without target columns wipes none.
 */
export async function storeCatalogue(region: Storage, products: ProductInput[]): Promise<Product[]> {
  if (!products.length) return [];
  const before = new Map((await listCatalogue(region, products.map((p) => p.id))).map((p) => [p.id, p]));
  const stored: Product[] = products.map((p) => ({
    id: p.id, name: p.name, supplier: p.supplier ?? '',
    identifiers: [...new Set([p.id, ...p.identifiers].map(normaliseProductIdentifier))],
    target: p.target ?? before.get(p.id)?.target ?? NO_TARGET,
  }));
  const version = nextVersion();
  await region.write.insert({
    table: 'catalogue',
    values: stored.map((p) => ({ id: p.id, name: p.name, supplier: p.supplier, identifiers: p.identifiers, ...targetColumns(p.target), deleted: 0, version })),
    format: 'JSONEachRow',
  });
  return stored;
}

/** Removes a product from the catalogue; false when it holds none of that id. */
export async function removeFromCatalogue(region: Storage, id: string): Promise<boolean> {
  const [p] = await listCatalogue(region, [id]);
  if (!p) return false;
  await region.write.insert({
    table: 'catalogue',
    values: [{ id: p.id, name: p.name, supplier: p.supplier, identifiers: p.identifiers, ...targetColumns(p.target), deleted: 1, version: nextVersion() }],
    format: 'JSONEachRow',
  });
  return true;
}
