import { normaliseProductIdentifier, type ProductInput, type Target } from '@licenskoll/core';
import { nextVersion, queryRows, type Storage } from '@licenskoll/storage';
import { TARGET_COLUMNS, targetColumns, targetOf, type TargetColumns } from './targets.ts';

export interface Product {
  id: string;
  name: string;
  supplier: string;
  identifiers: string[];
  /** The publisher's stated audience (målgrupp); every dimension empty = none. */
  target: Target;
}

/**
 * Whose version of a product the organiser holds (docs/tenants.md, "Shared catalogue"): its own
 * ('local': a product of its own, or its override of the region's) or the region's catalogue's.
 */
export type ProductOrigin = 'local' | 'region';

/** A product as an organiser's `products` table holds it. */
export interface StoredProduct extends Product {
  origin: ProductOrigin;
}

type ProductRow = Omit<Product, 'target'> & TargetColumns;
export const productFromRow = <R extends ProductRow>({ target_school_types, target_years, target_subjects, target_duty_roles, ...r }: R): Omit<R, keyof TargetColumns> & { target: Target } => ({
  ...r, target: targetOf({ target_school_types, target_years, target_subjects, target_duty_roles }),
});

/** The stored targets of the given products, for writes that do not name one. */
async function storedTargets(storage: Storage, ids: string[]): Promise<Map<string, Target>> {
  if (!ids.length) return new Map();
  const rows = await queryRows<{ id: string } & TargetColumns>(
    storage.write, `SELECT id, ${TARGET_COLUMNS} FROM products FINAL WHERE has({ids:Array(String)}, id)`, { ids },
  );
  return new Map(rows.map((r) => [r.id, targetOf(r)]));
}

/**
 * A product is found by its own id too: events and licences may name it either way. Stored
 * identifiers are in their normal form; the mapping is applied at query time (docs/figures.md, identity and products).
 */
export async function upsertProducts(storage: Storage, products: ProductInput[]): Promise<void> {
  if (!products.length) return;
  const kept = await storedTargets(storage, products.filter((p) => p.target === undefined).map((p) => p.id));
  const version = nextVersion();
  await storage.write.insert({
    table: 'products',
    values: products.map((p) => ({
      ...targetColumns(p.target ?? kept.get(p.id)),
      id: p.id,
      name: p.name,
      supplier: p.supplier ?? '',
      identifiers: [...new Set([p.id, ...p.identifiers].map(normaliseProductIdentifier))],
      deleted: 0,
      version,
    })),
    format: 'JSONEachRow',
  });
}

export async function listProducts(storage: Storage, ids?: string[], client = storage.read): Promise<StoredProduct[]> {
  const rows = await queryRows<ProductRow & { origin: ProductOrigin }>(
    client,
    `SELECT id, name, supplier, identifiers, ${TARGET_COLUMNS}, origin FROM products FINAL WHERE deleted = 0
     AND (empty({ids:Array(String)}) OR has({ids:Array(String)}, id)) ORDER BY name, id`,
    { ids: ids ?? [] },
  );
  return rows.map(productFromRow);
}

/** Sets (or, with every dimension empty, clears) a product's target; undefined when there is no such product. */
export async function setProductTarget(storage: Storage, id: string, target: Target): Promise<Product | undefined> {
  const [p] = await listProducts(storage, [id], storage.write);
  if (!p) return undefined;
  const next = { ...p, target };
  await storage.write.insert({
    table: 'products',
    values: [{ id: p.id, name: p.name, supplier: p.supplier, identifiers: p.identifiers, ...targetColumns(target), deleted: 0, version: nextVersion() }],
    format: 'JSONEachRow',
  });
  return next;
}

/** Maps more identifiers to an existing product (how an administrator resolves an unmapped one). */
export async function addIdentifiers(storage: Storage, id: string, identifiers: string[]): Promise<Product | undefined> {
  const [p] = await listProducts(storage, [id], storage.write);
  if (!p) return undefined;
  const merged = { ...p, identifiers: [...new Set([...p.identifiers, ...identifiers.map(normaliseProductIdentifier)])] };
  await storage.write.insert({
    table: 'products',
    values: [{ id: merged.id, name: merged.name, supplier: merged.supplier, identifiers: merged.identifiers, ...targetColumns(merged.target), deleted: 0, version: nextVersion() }],
    format: 'JSONEachRow',
  });
  return merged;
}
