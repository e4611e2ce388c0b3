import { daysBetween, type Target } from '@licenskoll/core';
import { queryRows, type Storage } from '@licenskoll/storage';
import { getLicences, type Licence } from '@licenskoll/licensing';
import { money } from './money.ts';
import { resolutionFor } from './resolution.ts';
import { resolutionParams, type Resolution } from './resolution-state.ts';
import { sqlFor } from './sql.ts';
import type { Window } from './params.ts';
import { loadTargets, targetedCounts, targetSizes } from './targets.ts';

export interface LicenceRow {
  licence: string;
  product: string;
  productName: string;
  buyer: string;
  scope: Licence['scope'];
  audience: Licence['audience'];
  seats: number | null;
  licensedActive: number;
  utilisation: number | null;
  unusedSeats: number | null;
  unusedCost: number | null;
  costPerActiveUser: number | null;
  price: number;
  currency: string;
  start: string;
  end: string;
  daysToExpiry: number;
  orderRef?: string;
  /** What the licence costs the caller: its price, or a scoped caller's share of it (cost-share.ts). */
  cost: number;
  /** Its target (målgrupp: its own narrowing its product's), null when it has none (figure 13). */
  target: Target | null;
  /** Persons entitled to it and in its target on its day (figure 14); null without a target. */
  targetSize: number | null;
  /** Persons attributed to it who were never in its target on their attributed days ("används utanför målgruppen"). */
  outsideTarget: number | null;
  /** The licence's own förvaltning ('' = none of its own; its buyer's applies). */
  forvaltning: string;
}

export interface LicensedCounts {
  /** Licensed active users per licence (figure 6; of a targeted licence, those in its target: figure 14). */
  byLicence: Map<string, number>;
  /** Distinct persons counted by any licence. */
  persons: number;
  /** Persons attributed to each targeted licence, in its target or not; absent when no licence has a target. */
  seen?: Map<string, number>;
  /** The targets the counts were made with. */
  targets?: Map<string, Target>;
}

/**
 * Licensed active users per licence in a window (figure 6), and the distinct persons over all
 * licences, in one query; from a resolution cache build when one is current (resolution.ts).
 */
export async function licensedCounts(storage: Storage, w: Window, products: string[] = [], res?: Resolution | null): Promise<LicensedCounts> {
  const [r, targets] = await Promise.all([res === undefined ? resolutionFor(storage, w) : res, loadTargets(storage)]);
  // Only when a licence has a target is the longer query made: without, every figure is as before.
  if (targets.byLicence.size) return { ...(await targetedCounts(storage, w, products, r, targets.byLicence)), targets: targets.byLicence };
  const rows = await queryRows<{ licence: string; n: number }>(
    storage.read,
    sqlFor(r)(`SELECT licence, uniqExact(pk) AS n FROM claims GROUP BY GROUPING SETS ((licence), ())`),
    { from: w.from, to: w.to, products, ...resolutionParams(r) },
    ['n'],
  );
  // The grand total comes back with the empty licence id, which no licence has.
  return { byLicence: new Map(rows.filter((r) => r.licence !== '').map((r) => [r.licence, r.n])), persons: rows.find((r) => r.licence === '')?.n ?? 0 };
}

/** Licensed active users per licence in a window (figure 6). */
export async function licensedActive(storage: Storage, w: Window, products: string[] = []): Promise<Map<string, number>> {
  return (await licensedCounts(storage, w, products)).byLicence;
}

/** What figure 14 adds for a targeted licence: its target, its size, and the users outside it. */
export interface TargetFigures {
  target: Target;
  size: number;
  outside: number;
}

/**
 * Figure 7 for one licence, given its licensed active users; with a target (figure 14),
 * utilisation is over min(seats, target size), and a seat used outside the target is not unused.
 */
export function licenceFigures(l: Licence, active: number, productName: string, asOf: string, t?: TargetFigures): LicenceRow {
  const limited = l.seats !== null;
  const seats = l.seats ?? 0;
  const used = active + (t?.outside ?? 0);
  const unusedSeats = limited ? Math.max(0, seats - used) : null;
  const base = t ? Math.min(seats, t.size) : seats;
  return {
    licence: l.id,
    product: l.product,
    productName,
    buyer: l.buyer,
    scope: l.scope,
    audience: l.audience,
    seats: l.seats,
    licensedActive: active,
    utilisation: limited && base > 0 ? active / base : null,
    unusedSeats,
    unusedCost: limited ? (seats > 0 ? money(((unusedSeats ?? 0) * l.price) / seats) : 0) : null,
    costPerActiveUser: active > 0 ? money(l.price / active) : null,
    price: l.price,
    currency: l.currency,
    start: l.start,
    end: l.end,
    daysToExpiry: daysBetween(asOf, l.end),
    ...(l.orderRef ? { orderRef: l.orderRef } : {}),
    cost: l.price,
    target: t?.target ?? null,
    targetSize: t?.size ?? null,
    outsideTarget: t ? t.outside : null,
    forvaltning: l.forvaltning ?? '',
  };
}

export interface ProductNames {
  /** A product as a licence names it (any identifier) -> the product's id. */
  resolve: (ref: string) => string;
  /** The product's name, or its id when no product has it. */
  name: (id: string) => string;
  /** The stored name, or '' for an id no product has. */
  stored: (id: string) => string;
  supplier: (id: string) => string;
}

/** Product id as the licence names it -> the product's id and name (licences may name a product by an identifier). */
export async function productNames(storage: Storage): Promise<ProductNames> {
  const rows = await queryRows<{ id: string; name: string; supplier: string; identifiers: string[] }>(
    storage.read,
    'SELECT id, name, supplier, identifiers FROM products FINAL WHERE deleted = 0',
  );
  const byIdent = new Map<string, string>();
  const byId = new Map<string, { name: string; supplier: string }>();
  for (const r of rows.sort((a, b) => (a.id < b.id ? -1 : 1))) {
    byId.set(r.id, { name: r.name, supplier: r.supplier });
    for (const i of r.identifiers) if (!byIdent.has(i)) byIdent.set(i, r.id);
  }
  return {
    resolve: (ref) => byIdent.get(ref.toLowerCase()) ?? ref,
    name: (id) => byId.get(id)?.name ?? id,
    stored: (id) => byId.get(id)?.name ?? '',
    supplier: (id) => byId.get(id)?.supplier ?? '',
  };
}

export interface LicenceReportInput {
  window: Window;
  asOf: string;
  products: string[];
  licences?: string[];
}

/**
 * Every live licence with its figures over the window; the building block of several reports.
 * `active` and `productIndex` pass what a caller already has for the same window and products.
 */
export async function licenceRows(storage: Storage, p: LicenceReportInput, given?: LicensedCounts, productIndex?: ProductNames): Promise<LicenceRow[]> {
  const [all, names, counts] = await Promise.all([
    getLicences(storage, p.licences),
    productIndex ?? productNames(storage),
    given ?? licensedCounts(storage, p.window, p.products),
  ]);
  const ls = all
    .map((l) => ({ ...l, product: names.resolve(l.product) }))
    .filter((l) => p.products.length === 0 || p.products.includes(l.product));
  const targets = counts.targets ?? new Map<string, Target>();
  const sizes = await targetSizes(storage, ls, p.asOf, targets);
  return ls.map((l) => {
    const active = counts.byLicence.get(l.id) ?? 0;
    const target = targets.get(l.id);
    const t = target ? { target, size: sizes.get(l.id) ?? 0, outside: (counts.seen?.get(l.id) ?? 0) - active } : undefined;
    return licenceFigures(l, active, names.name(l.product), p.asOf, t);
  });
}
