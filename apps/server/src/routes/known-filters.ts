import { ApiError } from '@licenskoll/core';
import { queryRows, type Storage } from '@licenskoll/storage';

/**
 * Filter values that name a product or a group must name one that exists: an unknown product
 * would otherwise answer a report of zeros, an unknown group an empty table, both looking real
 * (issue 19). Product and group ids are not personal data and not scoped, so an unknown one is
 * 400 for every role; whether a known one is within the caller's reach is scopeFor's 403.
 * School filters are checked by scopeFor, which already looks the units up.
 */
export interface NamingFilters {
  product?: string[];
  group?: string[];
}

const FIELDS = ['product', 'group'] as const;
const WHAT = { product: 'a known product', group: 'a known group' } as const;

/** One query for both lists; 400 naming each unknown value's parameter. */
export async function checkKnownFilters(storage: Storage, q: NamingFilters): Promise<void> {
  const products = q.product ?? [];
  const groups = q.group ?? [];
  if (!products.length && !groups.length) return;
  const rows = await queryRows<{ kind: string; id: string }>(
    storage.read,
    `SELECT 'product' AS kind, id FROM products FINAL WHERE deleted = 0 AND has({products:Array(String)}, id)
     UNION ALL
     SELECT 'group' AS kind, id FROM groups FINAL WHERE has({groups:Array(String)}, id)`,
    { products, groups },
  );
  const known = new Set(rows.map((r) => `${r.kind}\u0000${r.id}`));
  const unknown = FIELDS.flatMap((field) => (q[field] ?? []).filter((v) => !known.has(`${field}\u0000${v}`)).map((value) => ({ field, value })));
  if (!unknown.length) return;
  const shown = (v: string) => JSON.stringify(v.slice(0, 80));
  const message = FIELDS.filter((f) => unknown.some((u) => u.field === f))
    .map((f) => {
      const values = unknown.filter((u) => u.field === f).map((u) => u.value);
      return `${f}: ${values.slice(0, 5).map(shown).join(', ')}${values.length > 5 ? '…' : ''} is not ${WHAT[f]}`;
    })
    .join('; ');
  throw new ApiError(400, 'bad_request', `invalid parameters: ${message}`, unknown.slice(0, 20).map((u) => ({ field: u.field, reason: `${shown(u.value)} is not ${WHAT[u.field]}` })));
}

/**
 * The action list's `buyer` and `forvaltning` must name one that exists (a buyer named on a
 * licence or given a förvaltning; a förvaltning of a licence or a buyer): a misspelt name
 * would answer an empty list that reads as "nothing to decide".
 */
export async function checkKnownNames(storage: Storage, q: { buyer?: string; forvaltning?: string }): Promise<void> {
  if (q.buyer === undefined && q.forvaltning === undefined) return;
  const rows = await queryRows<{ kind: string; name: string }>(
    storage.read,
    `SELECT 'buyer' AS kind, buyer AS name FROM licences FINAL WHERE deleted = 0 AND buyer = {buyer:String}
     UNION ALL SELECT 'buyer' AS kind, name FROM buyers FINAL WHERE name = {buyer:String}
     UNION ALL SELECT 'forvaltning' AS kind, forvaltning AS name FROM licences FINAL WHERE deleted = 0 AND forvaltning = {forvaltning:String} AND forvaltning != ''
     UNION ALL SELECT 'forvaltning' AS kind, forvaltning AS name FROM buyers FINAL WHERE forvaltning = {forvaltning:String} AND forvaltning != ''`,
    { buyer: q.buyer ?? '', forvaltning: q.forvaltning ?? '' },
  );
  const known = new Set(rows.map((r) => r.kind));
  const unknown = (['buyer', 'forvaltning'] as const)
    .filter((f) => q[f] !== undefined && !known.has(f))
    .map((field) => ({ field, reason: `${JSON.stringify(q[field]!.slice(0, 80))} is not a known ${field === 'buyer' ? 'buyer' : 'förvaltning'}` }));
  if (!unknown.length) return;
  throw new ApiError(400, 'bad_request', `invalid parameters: ${unknown.map((u) => `${u.field}: ${u.reason}`).join('; ')}`, unknown);
}
