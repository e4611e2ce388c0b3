import { addDays, monthStart } from '@licenskoll/core';
import { queryRows, type Storage } from '@licenskoll/storage';
import { getLicences, type Licence } from '@licenskoll/licensing';
import { productNames } from './licence-figures.ts';
import { memoOnStore } from './store-memo.ts';
import { money } from './money.ts';
import { span } from './masks.ts';
import { groupUnits, unitsUnder } from './reach.ts';
import { resolutionFor } from './resolution.ts';
import { resolutionParams } from './resolution-state.ts';
import { sqlFor } from './sql.ts';
import { unlicensedPersonsByUnit } from './unlicensed.ts';

/**
 * `/v1/reports/seat-moves` (docs/figures.md, figure 18): seats to move between school units
 * before buying more. A *unit licence* is a limited licence live on `asOf` whose scope is one
 * school unit. Its *seats in use* are the highest monthly count of persons attributed to it
 * (figure 6) over the three full months before `asOf` and the month of `asOf` so far; its
 * *surplus* = max(0, seats - in use): only seats nobody used in any of those months can move.
 * A unit licence with in use above its seats *lacks* in use - seats; a unit with persons
 * using the product without a licence (figure 15, same months) and no unit licence of it
 * lacks those persons. Surplus goes to what is lacking, product by product, greedily (largest
 * lack first, largest surplus first). A move *saves* its seats at the receiving licence's seat
 * price (price / seats), or, for a unit without a licence, at the giving licence's. A proposal
 * changes nothing stored: past figures stay with persons and days, never with seats.
 */

export interface SeatMovesParams {
  asOf: string;
  products: string[];
  /** Units the answer is limited to (a principal, or a `school` filter): moves touching one of them. */
  units?: Set<string>;
}

export interface SeatMoveRow {
  product: string;
  productName: string;
  /** The licence giving seats, its unit and its figures. */
  fromLicence: string;
  fromSchool: string;
  fromSchoolName: string;
  fromBuyer: string;
  fromSeats: number;
  fromInUse: number;
  surplus: number;
  /** The licence receiving them; '' for a unit using the product without a licence. */
  toLicence: string;
  toSchool: string;
  toSchoolName: string;
  toBuyer: string;
  toSeats: number | null;
  toInUse: number;
  /** `overused`: the receiving licence has more users than seats; `unlicensed`: the unit has no licence. */
  reason: 'overused' | 'unlicensed';
  /** Seats the receiver lacks (before this move). */
  lacking: number;
  /** Seats to move. */
  seats: number;
  seatPrice: number;
  /** What buying the moved seats would cost instead: seats × seatPrice. */
  saving: number;
  currency: string;
}

export interface Giver {
  licence: string;
  unit: string;
  product: string;
  surplus: number;
}

export interface Taker {
  /** '' for a unit without a licence. */
  licence: string;
  unit: string;
  product: string;
  lacking: number;
  reason: SeatMoveRow['reason'];
}

/**
 * The matching, pure: per product, takers by largest lack (licences over their seats before
 * units without one on a tie, then licence and unit), each served from givers by largest
 * remaining surplus (then licence). A giver never gives more than its surplus, so a seat in use
 * is never moved; a taker never gets more than it lacks.
 */
export function matchSeats(givers: Giver[], takers: Taker[]): { from: Giver; to: Taker; seats: number }[] {
  const left = new Map(givers.map((g) => [g.licence, g.surplus]));
  const out: { from: Giver; to: Taker; seats: number }[] = [];
  const order = (a: Taker, b: Taker) => b.lacking - a.lacking || (a.reason === b.reason ? 0 : a.reason === 'overused' ? -1 : 1)
    || a.licence.localeCompare(b.licence) || a.unit.localeCompare(b.unit);
  for (const t of takers.filter((x) => x.lacking > 0).sort(order)) {
    let need = t.lacking;
    const from = givers
      .filter((g) => g.product === t.product && g.unit !== t.unit && (left.get(g.licence) ?? 0) > 0)
      .sort((a, b) => left.get(b.licence)! - left.get(a.licence)! || a.licence.localeCompare(b.licence));
    for (const g of from) {
      if (need === 0) break;
      const n = Math.min(need, left.get(g.licence)!);
      left.set(g.licence, left.get(g.licence)! - n);
      need -= n;
      out.push({ from: g, to: t, seats: n });
    }
  }
  return out;
}

/** The months whose counts make seats in use: three full months before `asOf` and its own month so far. */
export function inUseMonths(asOf: string): string[] {
  return [3, 2, 1, 0].map((back) => monthStart(asOf, back));
}

type UnitLicence = Licence & { unit: string };

export async function seatMovesReport(storage: Storage, p: SeatMovesParams): Promise<SeatMoveRow[]> {
  // Seats move within one product, so a product filter or a caller's units only pick rows of
  // the organiser's moves, which are made once per state of the store.
  const rows = await memoOnStore(storage, `seat-moves|${p.asOf}`, () => allSeatMoves(storage, p.asOf));
  return rows.filter((r) => (p.products.length === 0 || p.products.includes(r.product)) && (!p.units || p.units.has(r.fromSchool) || p.units.has(r.toSchool)));
}

async function allSeatMoves(storage: Storage, asOf: string): Promise<SeatMoveRow[]> {
  const [all, names] = await Promise.all([getLicences(storage), productNames(storage)]);
  const live = all
    .map((l) => ({ ...l, product: names.resolve(l.product) }))
    .filter((l) => l.start <= asOf && l.end >= asOf && l.seats !== null && l.scope.type === 'school' && l.scope.ids.length === 1);
  if (!live.length) return [];
  const under = await unitsUnder(storage, [...new Set(live.map((l) => l.scope.ids[0]))]);
  const unitLicences: UnitLicence[] = live.flatMap((l) => {
    const units = under.get(l.scope.ids[0]) ?? [];
    return units.length === 1 ? [{ ...l, unit: units[0] }] : [];
  });
  // One window for both counts (so one resolution), asked together.
  const products = [...new Set(unitLicences.map((l) => l.product))];
  const window = { from: monthStart(asOf, 3), to: asOf };
  const [inUse, demand, covered, unitName] = await Promise.all([
    inUseCounts(storage, unitLicences, asOf),
    unlicensedPersonsByUnit(storage, window, products),
    coveredUnits(storage, all, names.resolve, products, asOf),
    schoolNames(storage),
  ]);
  // Seats only move within a product, audience and currency.
  const use = (l: UnitLicence) => inUse.get(l.id) ?? 0;
  const kind = (l: { product: string; audience: string; currency: string }) => `${l.product}\u0000${l.audience}\u0000${l.currency}`;
  const givers = unitLicences.filter((l) => l.seats! > use(l));
  if (!givers.length) return [];
  const byId = new Map(unitLicences.map((l) => [l.id, l]));
  const rows: SeatMoveRow[] = [];
  // Demand without a licence is served once per product: by the audience and currency of its giver with the largest surplus.
  const demandKind = new Map<string, string>();
  for (const g of [...givers].sort((a, b) => b.seats! - use(b) - (a.seats! - use(a)) || a.id.localeCompare(b.id))) {
    if (!demandKind.has(g.product)) demandKind.set(g.product, kind(g));
  }
  for (const k of new Set(givers.map(kind))) {
    const gs = givers.filter((g) => kind(g) === k);
    const product = gs[0].product;
    const takers: Taker[] = [
      ...unitLicences.filter((l) => kind(l) === k && use(l) > l.seats!).map((l) => ({ licence: l.id, unit: l.unit, product, lacking: use(l) - l.seats!, reason: 'overused' as const })),
      ...(demandKind.get(product) === k
        ? demand.filter((d) => d.product === product && d.persons > 0 && !covered(product, d.unit))
          .map((d) => ({ licence: '', unit: d.unit, product, lacking: d.persons, reason: 'unlicensed' as const }))
        : []),
    ];
    const matched = matchSeats(gs.map((g) => ({ licence: g.id, unit: g.unit, product, surplus: g.seats! - use(g) })), takers);
    for (const m of matched) {
      const from = byId.get(m.from.licence)!;
      const to = m.to.licence ? byId.get(m.to.licence)! : undefined;
      const priced = to && to.seats! > 0 ? to : from;
      const seatPrice = priced.seats! > 0 ? priced.price / priced.seats! : 0;
      rows.push({
        product, productName: names.name(product),
        fromLicence: from.id, fromSchool: from.unit, fromSchoolName: unitName.get(from.unit) || from.unit, fromBuyer: from.buyer,
        fromSeats: from.seats!, fromInUse: use(from), surplus: from.seats! - use(from),
        toLicence: to?.id ?? '', toSchool: m.to.unit, toSchoolName: unitName.get(m.to.unit) || m.to.unit, toBuyer: to?.buyer ?? '',
        toSeats: to?.seats ?? null, toInUse: to ? use(to) : m.to.lacking,
        reason: m.to.reason, lacking: m.to.lacking, seats: m.seats,
        seatPrice: money(seatPrice), saving: money(m.seats * seatPrice), currency: from.currency,
      });
    }
  }
  return rows
    .sort((a, b) => b.saving - a.saving || a.productName.localeCompare(b.productName, 'sv') || a.fromLicence.localeCompare(b.fromLicence) || a.toSchool.localeCompare(b.toSchool));
}

/**
 * Whether a live licence of the product (any scope, any audience) reaches a unit: such a unit's
 * use without a licence is of persons outside that licence's audience, which seats of another
 * unit's licence would not cover either; only units no licence reaches count as lacking.
 */
async function coveredUnits(storage: Storage, all: Licence[], resolve: (ref: string) => string, products: string[], asOf: string) {
  const live = all.map((l) => ({ ...l, product: resolve(l.product) })).filter((l) => products.includes(l.product) && l.start <= asOf && l.end >= asOf);
  const refs = [...new Set(live.filter((l) => l.scope.type === 'school').flatMap((l) => l.scope.ids))];
  const gids = [...new Set(live.filter((l) => l.scope.type === 'group').flatMap((l) => l.scope.ids))];
  const [under, gu] = await Promise.all([unitsUnder(storage, refs), groupUnits(storage, gids)]);
  const everywhere = new Set(live.filter((l) => l.scope.type === 'organisation').map((l) => l.product));
  const reached = new Set(live.flatMap((l) => (l.scope.type === 'school' ? l.scope.ids.flatMap((id) => under.get(id) ?? []) : l.scope.type === 'group' ? l.scope.ids.flatMap((id) => gu.get(id) ?? []) : [])
    .map((u) => `${l.product}\u0000${u}`)));
  return (product: string, unit: string) => everywhere.has(product) || reached.has(`${product}\u0000${unit}`);
}

/** Seats in use per licence: the highest monthly count of persons attributed to it over inUseMonths(asOf). */
async function inUseCounts(storage: Storage, ls: Licence[], asOf: string): Promise<Map<string, number>> {
  if (!ls.length) return new Map();
  const months = inUseMonths(asOf);
  // From the first month for every licence: a licence has no claims outside its period anyway.
  const from = months[0];
  const res = await resolutionFor(storage, { from, to: asOf });
  const rows = await queryRows<{ licence: string; n: number }>(
    storage.read,
    sqlFor(res)(`SELECT licence, max(n) AS n FROM (
       SELECT licence, m, uniqExact(pk) AS n
       FROM claims ARRAY JOIN {months:Array(Date)} AS m
       WHERE has({licences:Array(String)}, licence) AND bitAnd(claim, ${span('half', 'm', 'toLastDayOfMonth(m)')}) != 0
       GROUP BY licence, m) GROUP BY licence`),
    { from, to: asOf, products: [...new Set(ls.map((l) => l.product))], licences: ls.map((l) => l.id), months, ...resolutionParams(res) },
    ['n'],
  );
  return new Map(rows.map((r) => [r.licence, r.n]));
}

async function schoolNames(storage: Storage): Promise<Map<string, string>> {
  const rows = await queryRows<{ id: string; name: string }>(storage.read, 'SELECT id, name FROM organisations FINAL');
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The window of figure 18's counts, for the answer's params. */
export const seatMovesWindow = (asOf: string) => ({ from: monthStart(asOf, 3), to: asOf, lastFullMonth: addDays(monthStart(asOf), -1) });
