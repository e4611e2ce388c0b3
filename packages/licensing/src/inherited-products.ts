import { nextVersion, queryRows, type Storage } from '@licenskoll/storage';
import { productFromRow, type Product, type ProductOrigin } from './products.ts';
import { TARGET_COLUMNS, targetColumns, type TargetColumns } from './targets.ts';

/**
 * The region's shared catalogue in an organiser's own `products` table (docs/tenants.md,
 * "Shared catalogue"). Inherited products are written there with origin 'region', so that every
 * report resolves identifiers through the organiser's table as before and no query has to know
 * that a region exists. A product the organiser wrote itself (origin 'local') is its override
 * and is never written over; one the region removed goes only where it was inherited.
 */

const regionRow = (p: Product, deleted: 0 | 1, version: number) => ({
  id: p.id, name: p.name, supplier: p.supplier, identifiers: p.identifiers, ...targetColumns(p.target), deleted, origin: 'region', version,
});

/** Same fields as the catalogue's: writing it again would change nothing but the version. */
const sameProduct = (a: Product, b: Product) =>
  a.name === b.name && a.supplier === b.supplier && JSON.stringify(a.identifiers) === JSON.stringify(b.identifiers) &&
  JSON.stringify(a.target) === JSON.stringify(b.target);

/**
 * Brings an organiser's inherited products in line with the whole catalogue (its products not
 * deleted): each one written where the organiser has no local version of it and the stored one
 * differs, each inherited one the catalogue no longer has deleted. Idempotent, and writes
 * nothing when nothing changed (a service start, a region write that left this one as it was),
 * so an organiser's store state and the caches keyed on it stay as they were.
 */
export async function inheritCatalogue(storage: Storage, catalogue: Product[]): Promise<{ inherited: number; removed: number }> {
  // Taken before reading: an organiser's write that lands after the read has a later version
  // and wins over what this writes, so an override made meanwhile is not lost.
  const version = nextVersion();
  const stored = new Map(
    (await queryRows<{ id: string; name: string; supplier: string; identifiers: string[]; origin: ProductOrigin; deleted: number } & TargetColumns>(
      storage.write,
      `SELECT id, name, supplier, identifiers, ${TARGET_COLUMNS}, origin, deleted FROM products FINAL`,
      {},
      ['deleted'],
    )).map((r) => [r.id, productFromRow(r)]),
  );
  const rows: ReturnType<typeof regionRow>[] = [];
  const kept = new Set<string>();
  for (const p of catalogue) {
    kept.add(p.id);
    const s = stored.get(p.id);
    if (s && s.deleted === 0 && (s.origin === 'local' || sameProduct(s, p))) continue;
    rows.push(regionRow(p, 0, version));
  }
  const inherited = rows.length;
  for (const s of stored.values()) {
    if (s.origin === 'region' && s.deleted === 0 && !kept.has(s.id)) rows.push(regionRow(s, 1, version));
  }
  if (rows.length) await storage.write.insert({ table: 'products', values: rows, format: 'JSONEachRow' });
  return { inherited, removed: rows.length - inherited };
}

/** Drops the organiser's override of a catalogue product: the region's version is its own again. */
export async function takeRegionVersion(storage: Storage, p: Product): Promise<void> {
  await storage.write.insert({ table: 'products', values: [regionRow(p, 0, nextVersion())], format: 'JSONEachRow' });
}
