import { maxDate, minDate, monthStart } from '@licenskoll/core';
import { queryRows, type Storage } from '@licenskoll/storage';
import { getLicences, listFollowups, type Licence } from '@licenskoll/licensing';
import { licenceRows, type LicenceRow } from './licence-figures.ts';
import { byUnusedCost, overviewTotals, productRow } from './overview.ts';
import type { BuyerRow, LicencesParams, UnusedParams } from './licences.ts';
import { buyersOf, licencesReport } from './licences.ts';
import { money } from './money.ts';
import type { Overview, OverviewParams, OverviewRow } from './overview.ts';
import { trailingWindow, weekFill, type Window } from './params.ts';
import { peakMonths, renewalsReport, type RenewalRow, type RenewalsParams } from './renewals.ts';
import { withShared } from './sql.ts';
import { audienceShares, FULL_SHARE, shareOf, shareOfOrNull, type CostShare } from './cost-share.ts';
import { inTargetOnDay, licenceTargets, placements } from './target-blocks.ts';
import { loadTargets, targetParams } from './targets.ts';

/**
 * The reach of a scoped caller, and the reports as a principal sees them (docs/privacy.md). Each
 * report's own function (overviewReport, licencesReport, ...) comes here when given `within`:

 *
 * - A principal's reach is every organisation node under the refs of their scope (ids, school
 *   unit codes, organisation codes or numbers), like a licence scope reaches units.
 * - A licence is *within* the reach ("full") when every unit or group of its scope is; it
 *   *touches* the reach ("partial") when some are: an organisation-wide licence, or one shared
 *   with another school. A principal sees both, and for a partial licence only the figures of
 *   their own pupils: licensed active counts the persons attributed to the licence on a day on
 *   which they belonged to one of the principal's units (enrolled, on duty, or member of a
 *   group of it). Figures of the whole licence (utilisation, unused seats and cost, cost per
 *   active user, recommended seats) are null on partial rows: a school's share of seats bought
 *   for the whole organiser is not defined.
 * - Money of a partial licence is the caller's audience share of the whole licence's money
 *   (cost-share.ts), the same in every report; `price` stays the whole licence's price.
 *   Buyers count only licences within the reach (a school's own purchases).
 */

export type LicenceReach = 'full' | 'partial';

const commonParams = (w: Window, products: string[]) => ({ from: w.from, to: w.to, products });

/** Organisation refs -> every unit id under each (the ref itself included when it names a unit). */
export async function unitsUnder(storage: Storage, refs: string[]): Promise<Map<string, string[]>> {
  if (!refs.length) return new Map();
  const rows = await queryRows<{ ref: string; units: string[] }>(
    storage.read,
    `SELECT ref, groupUniqArray(unit) AS units FROM (
       SELECT ref, unit FROM org_closure WHERE has({refs:Array(String)}, ref)
       UNION ALL
       SELECT unit AS ref, unit FROM (
         SELECT unit FROM groups FINAL UNION DISTINCT SELECT unit FROM enrolments FINAL UNION DISTINCT SELECT unit FROM duties FINAL)
       WHERE has({refs:Array(String)}, unit))
     GROUP BY ref`,
    { refs },
  );
  return new Map(rows.map((r) => [r.ref, [...new Set(r.units)].sort()]));
}

/** All units under the refs, as one set. */
export async function reachUnits(storage: Storage, refs: string[]): Promise<Set<string>> {
  const m = await unitsUnder(storage, refs);
  return new Set([...m.values()].flat());
}

/** Group id -> its school unit, for the groups that exist. */
export async function groupUnits(storage: Storage, groups: string[]): Promise<Map<string, string>> {
  if (!groups.length) return new Map();
  const rows = await queryRows<{ id: string; unit: string }>(
    storage.read,
    'SELECT id, unit FROM groups FINAL WHERE has({ids:Array(String)}, id)',
    { ids: groups },
  );
  return new Map(rows.map((r) => [r.id, r.unit]));
}

/**
 * How each licence relates to a set of units: within it ("full"), touching it ("partial"), or
 * (absent) outside it; with the scope ids that lie in the reach: a shared licence names the
 * other school units or groups it covers, which are not the caller's to see.
 */
export async function licenceReachIds(storage: Storage, units: Set<string>, licences?: Licence[]): Promise<Map<string, { reach: LicenceReach; ids: string[] }>> {
  const all = licences ?? (await getLicences(storage));
  const refs = [...new Set(all.filter((l) => l.scope.type !== 'group').flatMap((l) => l.scope.ids))];
  const groupIds = [...new Set(all.filter((l) => l.scope.type === 'group').flatMap((l) => l.scope.ids))];
  const [under, gUnits] = await Promise.all([unitsUnder(storage, refs), groupUnits(storage, groupIds)]);
  const out = new Map<string, { reach: LicenceReach; ids: string[] }>();
  for (const l of all) {
    const perId = l.scope.ids.map((id) => {
      const parts = l.scope.type === 'group' ? [gUnits.get(id)] : under.get(id) ?? [undefined];
      const inside = parts.filter((u) => u !== undefined && units.has(u)).length;
      return { id, parts: parts.length, inside };
    });
    const inside = perId.reduce((a, x) => a + x.inside, 0);
    if (inside === 0) continue;
    const parts = perId.reduce((a, x) => a + x.parts, 0);
    out.set(l.id, { reach: inside === parts ? 'full' : 'partial', ids: perId.filter((x) => x.inside > 0).map((x) => x.id) });
  }
  return out;
}

export async function licenceReach(storage: Storage, units: Set<string>, licences?: Licence[]): Promise<Map<string, LicenceReach>> {
  const m = await licenceReachIds(storage, units, licences);
  return new Map([...m].map(([id, r]) => [id, r.reach]));
}

/**
 * Persons attributed to each licence (figure 6) on days they belonged to one of the units; of
 * a targeted licence, those of them in its target on such a day (figure 14).
 */
export async function licensedActiveWithin(
  storage: Storage, w: Window, products: string[], units: Set<string>, licences: string[],
): Promise<Map<string, number>> {
  if (!licences.length || !units.size) return new Map();
  const targets = (await loadTargets(storage)).byLicence;
  const own = `own_attributed AS (
       SELECT DISTINCT a.licence AS licence, reinterpretAsUInt128(unhex(a.person_key)) AS pk, a.day AS day
       FROM attributed AS a INNER JOIN affil AS f ON f.person_key = a.person_key
       WHERE a.day >= f.start AND a.day <= f.end AND has({units:Array(String)}, f.unit) AND has({licences:Array(String)}, a.licence))`;
  const rows = await queryRows<{ licence: string; n: number }>(
    storage.read,
    targets.size
      ? `${withShared(own, licenceTargets, placements)}SELECT licence, uniqExactIf(pk, counted) AS n FROM (
           SELECT licence, pk, 1 AS counted FROM own_attributed WHERE licence NOT IN (SELECT licence FROM licence_targets)
           UNION ALL
           SELECT licence, pk, inside AS counted FROM (${inTargetOnDay('own_attributed')}))
         GROUP BY licence`
      : `${withShared(own)}SELECT licence, uniqExact(pk) AS n FROM own_attributed GROUP BY licence`,
    { ...commonParams(w, products), units: [...units], licences, ...targetParams(targets) },
    ['n'],
  );
  return new Map(rows.map((r) => [r.licence, r.n]));
}

/** How a scoped caller's row says which part of the licence's money is theirs. */
export interface ShareFields {
  reach: LicenceReach;
  share: number;
  shareYours: number | null;
  shareWhole: number | null;
  shareDay: string | null;
}

const shareFields = (reach: LicenceReach, s: CostShare): ShareFields => ({ reach, share: s.share, shareYours: s.yours, shareWhole: s.whole, shareDay: s.day });

export type ScopedLicenceRow = LicenceRow & ShareFields;

/** The audience shares of the partial licences among `rows` (full ones are the caller's whole). */
async function sharesOf(storage: Storage, units: Set<string>, ids: string[], today: string): Promise<Map<string, CostShare>> {
  if (!ids.length) return new Map();
  return audienceShares(storage, units, await getLicences(storage, ids), today);
}

/**
 * A licence row as a principal sees it: on a partial licence their own pupils' licensed
 * active users, their share of its money, and nothing of the whole but its price.
 */
function limitRow(r: LicenceRow, reach: { reach: LicenceReach; ids: string[] }, within: Map<string, number>, shares: Map<string, CostShare>): ScopedLicenceRow {
  if (reach.reach === 'full') return { ...r, ...shareFields('full', FULL_SHARE) };
  const s = shares.get(r.licence) ?? { share: 0, yours: 0, whole: 0, day: null };
  const active = within.get(r.licence) ?? 0;
  const cost = shareOf(r.price, s);
  return {
    ...r, scope: { ...r.scope, ids: reach.ids },
    licensedActive: active, utilisation: null, unusedSeats: null, unusedCost: shareOfOrNull(r.unusedCost, s),
    costPerActiveUser: active > 0 ? money(cost / active) : null, cost, ...shareFields('partial', s),
  };
}

/** Partial licences' own licensed active users and shares, then the rows as the caller sees them. */
async function limitRows(storage: Storage, units: Set<string>, rows: LicenceRow[], reach: Map<string, { reach: LicenceReach; ids: string[] }>, w: Window, products: string[], today: string) {
  const partial = rows.filter((r) => reach.get(r.licence)!.reach === 'partial').map((r) => r.licence);
  const [within, shares] = await Promise.all([licensedActiveWithin(storage, w, products, units, partial), sharesOf(storage, units, partial, today)]);
  return rows.map((r) => limitRow(r, reach.get(r.licence)!, within, shares));
}

/** `/v1/reports/licences` for a principal. */
export async function licencesWithin(storage: Storage, units: Set<string>, p: LicencesParams, today: string): Promise<ScopedLicenceRow[]> {
  const [rows, reach] = await Promise.all([licencesReport(storage, p), licenceReachIds(storage, units)]);
  return limitRows(storage, units, rows.filter((r) => reach.has(r.licence)), reach, p.window, p.products, today);
}

export type ScopedUnusedRow = ScopedLicenceRow & { status: 'unused' | 'underused' };

/**
 * `/v1/reports/unused` for a principal: licences within their reach as for everyone; a partial
 * licence is `unused` when none of their pupils used it in the window (never `underused`:
 * utilisation is a figure of the whole licence).
 */
export async function unusedWithin(storage: Storage, units: Set<string>, p: UnusedParams, today: string): Promise<ScopedUnusedRow[]> {
  const window = trailingWindow(p.asOf, p.days);
  const [rows, reach] = await Promise.all([licenceRows(storage, { window, asOf: p.asOf, products: p.products }), licenceReachIds(storage, units)]);
  const live = rows.filter((r) => reach.has(r.licence) && r.start <= p.asOf && r.end >= p.asOf);
  const out: ScopedUnusedRow[] = [];
  for (const r of await limitRows(storage, units, live, reach, window, p.products, today)) {
    if (r.licensedActive === 0) out.push({ ...r, status: 'unused' });
    else if (r.reach === 'full' && r.utilisation !== null && r.utilisation < p.threshold) out.push({ ...r, status: 'underused' });
  }
  return out.sort((a, b) => (b.unusedCost ?? b.cost) - (a.unusedCost ?? a.cost) || a.licence.localeCompare(b.licence));
}

export type ScopedRenewalRow = Omit<RenewalRow, 'recommendedSeats' | 'overused'> & { recommendedSeats: number | null; overused: boolean | null } & ShareFields;

/**
 * `/v1/reports/renewals` for a principal: a partial licence's peak counts their own pupils,
 * its cost is their share; recommended seats, the projected saving, over-use and the missing
 * seats are figures of the whole licence, left to whoever buys for the whole scope.
 */
export async function renewalsWithin(storage: Storage, units: Set<string>, p: RenewalsParams, today: string): Promise<ScopedRenewalRow[]> {
  const [rows, reach, all] = await Promise.all([renewalsReport(storage, p), licenceReach(storage, units), getLicences(storage)]);
  const mine = rows.filter((r) => reach.has(r.licence));
  const partial = mine.filter((r) => reach.get(r.licence) === 'partial');
  const periods = new Map(all.map((l) => [l.id, l]));
  const shares = await audienceShares(storage, units, partial.map((r) => periods.get(r.licence)!), today);
  const counts = new Map<string, number>();
  if (partial.length) {
    const from = partial.reduce((m, r) => minDate(m, maxDate(periods.get(r.licence)?.start ?? r.end, monthStart(p.asOf, 3))), p.asOf);
    const monthly = await queryRows<{ licence: string; month: string; n: number }>(
      storage.read,
      `${withShared()}SELECT a.licence AS licence, toString(toStartOfMonth(a.day)) AS month, uniqExact(a.person_key) AS n
       FROM attributed AS a INNER JOIN affil AS f ON f.person_key = a.person_key
       WHERE a.day >= f.start AND a.day <= f.end AND has({units:Array(String)}, f.unit) AND has({licences:Array(String)}, a.licence)
       GROUP BY licence, month`,
      { from, to: p.asOf, products: p.products, units: [...units], licences: partial.map((r) => r.licence) },
      ['n'],
    );
    for (const m of monthly) counts.set(`${m.licence}\u0000${m.month}`, m.n);
  }
  return mine.map((r) => {
    if (reach.get(r.licence) === 'full') return { ...r, ...shareFields('full', FULL_SHARE) };
    const l = periods.get(r.licence);
    const months = l ? peakMonths(p.asOf, l.start, l.end) : [];
    const peak = Math.max(0, ...months.map((m) => counts.get(`${r.licence}\u0000${m.from.slice(0, 7)}-01`) ?? 0));
    const s = shares.get(r.licence)!;
    return {
      ...r, peak, recommendedSeats: null, projectedSaving: null, overused: null, seatsMissing: null, missingCost: null,
      cost: shareOf(r.price, s), ...shareFields('partial', s),
    };
  });
}


/** `/v1/reports/buyers` for a principal: the buyers of the licences within their reach (their school's own purchases). */
export async function buyersWithin(storage: Storage, units: Set<string>, p: LicencesParams): Promise<BuyerRow[]> {
  const [rows, reach] = await Promise.all([licencesReport(storage, p), licenceReach(storage, units)]);
  const own = rows.filter((r) => reach.get(r.licence) === 'full');
  if (!own.length) return [];
  const followups = await listFollowups(storage, undefined, own.map((r) => r.licence));
  return buyersOf(own, followups);
}

export type ScopedOverviewRow = OverviewRow & { partialLicences: number; wholePrice: number };
export interface ScopedOverview extends Omit<Overview, 'rows' | 'totals'> {
  rows: ScopedOverviewRow[];
  totals: Overview['totals'] & { wholePrice: number };
}

/**
 * `/v1/reports/overview` for a principal: per product, the use by persons who belonged to
 * their units on the day of use (resolved persons only: an unresolved identifier belongs to no
 * school), the licences within or touching their reach, licensed active limited to their
 * pupils; seats and utilisation over the licences within the reach only, money over all of
 * them with the audience share of each partial one (cost-share.ts). `wholePrice` sums the
 * whole licences' prices, shown beside it.
 */
export async function overviewWithin(storage: Storage, units: Set<string>, p: OverviewParams, today: string): Promise<ScopedOverview> {
  const params = { ...commonParams(p.window, p.products), units: [...units] };
  const ownDays = `own_days AS (
      SELECT DISTINCT p.product AS product, p.person_key AS person_key, p.day AS day, p.events AS events
      FROM pday AS p INNER JOIN affil AS f ON f.person_key = p.person_key
      WHERE p.day >= f.start AND p.day <= f.end AND has({units:Array(String)}, f.unit))`;
  const [licences, reach, usage, series, totals] = await Promise.all([
    licenceRows(storage, { window: p.window, asOf: p.asOf, products: p.products }),
    licenceReachIds(storage, units),
    queryRows<{ product: string; activeUsers: number; events: number }>(
      storage.read,
      `${withShared(ownDays)}SELECT product, uniqExact(person_key) AS activeUsers, sum(events) AS events FROM own_days GROUP BY product`,
      params,
      ['activeUsers', 'events'],
    ),
    queryRows<{ week: string; activeUsers: number }>(
      storage.read,
      `${withShared(ownDays)}SELECT toString(w) AS week, n AS activeUsers FROM (
         SELECT toMonday(day) AS w, uniqExact(person_key) AS n FROM own_days GROUP BY w
         ORDER BY w WITH FILL ${weekFill(p.window)})`,
      params,
      ['activeUsers'],
    ),
    queryRows<{ activeUsers: number; events: number }>(
      storage.read,
      `${withShared(ownDays)}SELECT uniqExact(person_key) AS activeUsers, sum(events) AS events FROM own_days`,
      params,
      ['activeUsers', 'events'],
    ),
  ]);
  const live = licences.filter((l) => reach.has(l.licence) && l.start <= p.window.to && l.end >= p.window.from);
  const [seen, persons] = await Promise.all([
    limitRows(storage, units, live, reach, p.window, p.products, today),
    live.length
      ? queryRows<{ n: number }>(
          storage.read,
          `${withShared()}SELECT uniqExact(a.person_key) AS n
           FROM attributed AS a INNER JOIN affil AS f ON f.person_key = a.person_key
           WHERE a.day >= f.start AND a.day <= f.end AND has({units:Array(String)}, f.unit) AND has({licences:Array(String)}, a.licence)`,
          { ...params, licences: live.map((l) => l.licence) },
          ['n'],
        )
      : Promise.resolve([{ n: 0 }]),
  ]);
  const names = await queryRows<{ id: string; name: string; supplier: string }>(storage.read, 'SELECT id, name, supplier FROM products FINAL WHERE deleted = 0');
  const ids = new Set([...live.map((l) => l.product), ...usage.map((u) => u.product)]);
  const rows: ScopedOverviewRow[] = [...ids].map((id) => {
    const ls = seen.filter((l) => l.product === id);
    const own = ls.filter((l) => l.reach === 'full');
    const prod = names.find((x) => x.id === id);
    // The licences' own money figures, already to the öre, so the sum is that of the licences list.
    const cost = money(ls.reduce((a, l) => a + l.cost, 0));
    const row = productRow({ id, name: prod?.name ?? id, supplier: prod?.supplier ?? '' }, ls, own.filter((l) => l.seats !== null), cost, usage.find((x) => x.product === id));
    return { ...row, partialLicences: ls.length - own.length, wholePrice: money(ls.reduce((a, l) => a + l.price, 0)) };
  });
  byUnusedCost(rows);
  return {
    rows,
    series,
    totals: { ...overviewTotals(rows, persons[0]?.n ?? 0, totals[0]), wholePrice: money(rows.reduce((a, r) => a + r.wholePrice, 0)) },
  };
}

/** Licences a principal may see (within or touching their reach), and those they may follow up (within). */
export async function licencesOf(storage: Storage, units: Set<string>): Promise<{ visible: (Licence & { reach: LicenceReach })[]; own: Set<string> }> {
  const all = await getLicences(storage);
  const reach = await licenceReachIds(storage, units, all);
  const visible = all.filter((l) => reach.has(l.id)).map((l) => {
    const r = reach.get(l.id)!;
    return { ...l, scope: { ...l.scope, ids: r.reach === 'full' ? l.scope.ids : r.ids }, reach: r.reach };
  });
  return { visible, own: new Set(visible.filter((l) => l.reach === 'full').map((l) => l.id)) };
}
