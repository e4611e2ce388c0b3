import type { LicenceInput, Target } from '@licenskoll/core';
import { nextVersion, queryRows, type Storage } from '@licenskoll/storage';
import { TARGET_COLUMNS, targetColumns, targetOf, type TargetColumns } from './targets.ts';

export interface Licence {
  id: string;
  product: string;
  seats: number | null;
  scope: { type: 'organisation' | 'school' | 'group'; ids: string[] };
  audience: 'students' | 'staff' | 'all';
  start: string;
  end: string;
  price: number;
  currency: string;
  buyer: string;
  orderRef?: string;
  /** The licence's own target (målgrupp), narrowing its product's; every dimension empty = the product's. */
  target: Target;
  /** The licence's own förvaltning, '' when it has none (its buyer's applies: buyers.ts). */
  forvaltning: string;
  /** The region's framework agreement it is a call-off of; absent when none (figure 27). */
  agreement?: string;
}

const toRow = (l: Omit<LicenceInput, 'target'> & { target?: Target }, version: number, deleted = 0) => ({
  forvaltning: l.forvaltning ?? '',
  agreement: l.agreement ?? '',
  ...targetColumns(l.target),
  id: l.id,
  product: l.product,
  seats: l.seats,
  scope_type: l.scope.type,
  scope_ids: l.scope.ids,
  audience: l.audience,
  start: l.start,
  end: l.end,
  price: l.price,
  currency: l.currency ?? 'SEK',
  buyer: l.buyer,
  order_ref: l.orderRef ?? '',
  deleted,
  version,
});

export async function upsertLicences(storage: Storage, licences: LicenceInput[]): Promise<void> {
  if (!licences.length) return;
  // A licence written without a target, förvaltning or agreement keeps the one it has (a sheet without Skolform, Årskurs, Förvaltning or Ramavtal).
  const without = licences.filter((l) => l.target === undefined || l.forvaltning === undefined || l.agreement === undefined).map((l) => l.id);
  const kept = without.length ? new Map((await getLicences(storage, without, storage.write)).map((l) => [l.id, l])) : new Map<string, Licence>();
  const version = nextVersion();
  const values = licences.map((l) => toRow({
    ...l, target: l.target ?? kept.get(l.id)?.target, forvaltning: l.forvaltning ?? kept.get(l.id)?.forvaltning, agreement: l.agreement ?? kept.get(l.id)?.agreement,
  }, version));
  await storage.write.insert({ table: 'licences', values, format: 'JSONEachRow' });
}

export async function deleteLicence(storage: Storage, id: string): Promise<boolean> {
  const [l] = await getLicences(storage, [id], storage.write);
  if (!l) return false;
  await storage.write.insert({ table: 'licences', values: [toRow({ ...l, orderRef: l.orderRef }, nextVersion(), 1)], format: 'JSONEachRow' });
  return true;
}

/** Sets (or, with '', clears) a licence's own förvaltning; undefined when there is no such licence. */
export async function setLicenceForvaltning(storage: Storage, id: string, forvaltning: string): Promise<Licence | undefined> {
  const [l] = await getLicences(storage, [id], storage.write);
  if (!l) return undefined;
  const next = { ...l, forvaltning };
  await storage.write.insert({ table: 'licences', values: [toRow(next, nextVersion())], format: 'JSONEachRow' });
  return next;
}

/** Sets (or, with every dimension empty, clears) a licence's own target; undefined when there is no such licence. */
export async function setLicenceTarget(storage: Storage, id: string, target: Target): Promise<Licence | undefined> {
  const [l] = await getLicences(storage, [id], storage.write);
  if (!l) return undefined;
  const next = { ...l, target };
  await storage.write.insert({ table: 'licences', values: [toRow(next, nextVersion())], format: 'JSONEachRow' });
  return next;
}

export async function getLicences(storage: Storage, ids?: string[], client = storage.read): Promise<Licence[]> {
  const rows = await queryRows<Record<string, unknown> & TargetColumns>(
    client,
    `SELECT id, product, seats, scope_type, scope_ids, audience, toString(start) AS start, toString(end) AS end,
            price, currency, buyer, order_ref, forvaltning, agreement, ${TARGET_COLUMNS}
     FROM licences FINAL WHERE deleted = 0 AND (empty({ids:Array(String)}) OR has({ids:Array(String)}, id))
     ORDER BY id`,
    { ids: ids ?? [] },
    ['seats', 'price'],
  );
  return rows.map((r) => ({
    id: String(r.id),
    product: String(r.product),
    seats: r.seats == null ? null : Number(r.seats),
    scope: { type: r.scope_type as Licence['scope']['type'], ids: r.scope_ids as string[] },
    audience: r.audience as Licence['audience'],
    start: String(r.start),
    end: String(r.end),
    price: Number(r.price),
    currency: String(r.currency),
    buyer: String(r.buyer),
    ...(r.order_ref ? { orderRef: String(r.order_ref) } : {}),
    target: targetOf(r),
    forvaltning: String(r.forvaltning ?? ''),
    ...(r.agreement ? { agreement: String(r.agreement) } : {}),
  }));
}
