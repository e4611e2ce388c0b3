import { normaliseProductIdentifier, type ProductInput } from '@licenskoll/core';
import { nextVersion, queryRows, type Storage } from '@licenskoll/storage';

export interface Product {
  id: string;
  name: string;
  supplier: string;
  identifiers: string[];
}

/**
 * A product is found by its own id too: events and licences may name it either way. Stored
 * identifiers are in their normal form; the mapping is applied at query time (docs/figures.md, identity and products).
 */
export async function upsertProducts(storage: Storage, products: ProductInput[]): Promise<void> {
  if (!products.length) return;
  const version = nextVersion();
  await storage.write.insert({
    table: 'products',
    values: products.map((p) => ({
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

export async function listProducts(storage: Storage, ids?: string[]): Promise<Product[]> {
  return queryRows<Product>(
    storage.read,
    `SELECT id, name, supplier, identifiers FROM products FINAL WHERE deleted = 0
     AND (empty({ids:Array(String)}) OR has({ids:Array(String)}, id)) ORDER BY name, id`,
    { ids: ids ?? [] },
  );
}

/** Maps more identifiers to an existing product (how an administrator resolves an unmapped one). */
export async function addIdentifiers(storage: Storage, id: string, identifiers: string[]): Promise<Product | undefined> {
  const [p] = await queryRows<Product>(storage.write, 'SELECT id, name, supplier, identifiers FROM products FINAL WHERE id = {id:String} AND deleted = 0', { id });
  if (!p) return undefined;
  const merged = { ...p, identifiers: [...new Set([...p.identifiers, ...identifiers.map(normaliseProductIdentifier)])] };
  await storage.write.insert({ table: 'products', values: [{ ...merged, deleted: 0, version: nextVersion() }], format: 'JSONEachRow' });
  return merged;
}
