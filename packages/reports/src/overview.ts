import { queryRows, type Storage } from '@licenskoll/storage';
import { licenceRows, licensedCounts, productNames, type LicenceRow } from './licence-figures.ts';
import { money } from './money.ts';
import { resolutionFor } from './resolution.ts';
import { resolutionParams } from './resolution-state.ts';
import { sqlFor } from './sql.ts';
import { weekMasks } from './week-masks.ts';
import { weekFill, type Window, type Within } from './params.ts';
import { overviewWithin, type ScopedOverview } from './reach.ts';

export interface OverviewParams {
  window: Window;
  asOf: string;
  products: string[];
}

export interface OverviewRow {
  product: string;
  name: string;
  supplier: string;
  licences: number;
  seats: number | null;
  licensedActive: number;
  activeUsers: number;
  events: number;
  utilisation: number | null;
  /** Sum of its targeted licences' target sizes; null when none has a target (figure 14). */
  targetSize: number | null;
  /** Sum of its targeted licences' users outside their targets; null when none has a target. */
  outsideTarget: number | null;
  cost: number;
  unusedCost: number;
  costPerActiveUser: number | null;
}

/**
 * A product's utilisation over its limited licences: their licensed active users over the sum
 * of each one's base, its seats or, with a target, min(seats, target size) (figure 14).
 */
export function utilisationOver(limited: Pick<LicenceRow, 'seats' | 'targetSize' | 'licensedActive'>[]): number | null {
  const base = limited.reduce((a, l) => a + (l.targetSize === null ? (l.seats ?? 0) : Math.min(l.seats ?? 0, l.targetSize)), 0);
  return base ? limited.reduce((a, l) => a + l.licensedActive, 0) / base : null;
}

export function targetTotals(ls: Pick<LicenceRow, 'targetSize' | 'outsideTarget'>[]): { targetSize: number | null; outsideTarget: number | null } {
  const t = ls.filter((l) => l.targetSize !== null);
  return t.length
    ? { targetSize: t.reduce((a, l) => a + (l.targetSize ?? 0), 0), outsideTarget: t.reduce((a, l) => a + (l.outsideTarget ?? 0), 0) }
    : { targetSize: null, outsideTarget: null };
}

export interface Overview {
  rows: OverviewRow[];
  series: { week: string; activeUsers: number }[];
  totals: { cost: number; unusedCost: number; licensedActive: number; costPerActiveUser: number | null; activeUsers: number; events: number };
}

/**
 * `/v1/reports/overview`: per product, licences against use. `activeUsers` and `events`
 * count every user of the product, resolved or not (figure 1: unresolved events count in
 * product totals); `licensedActive` and utilisation only entitled persons (figure 6).
 * `within` limits it to a scoped caller's units (reach.ts).
 */
export function overviewReport(storage: Storage, p: OverviewParams): Promise<Overview>;
export function overviewReport(storage: Storage, p: OverviewParams, within: Within | undefined): Promise<Overview | ScopedOverview>;
export async function overviewReport(storage: Storage, p: OverviewParams, within?: Within): Promise<Overview | ScopedOverview> {
  if (within) return overviewWithin(storage, within.units, p, within.today);
  const res = await resolutionFor(storage, p.window);
  const params = { from: p.window.from, to: p.window.to, products: p.products, ...resolutionParams(res) };
  const sql = sqlFor(res);
  const weeks = weekMasks(p.window);
  // Per product and in total (the empty product), and per week: one query, since each query
  // has a fixed cost however small (docs/benchmarks.md, "Measurements behind the code", "A query's fixed
  // cost"), and the reports' queries run one after another on the read connection.
  const both = queryRows<{ kind: string; key: string; activeUsers: number; events: number }>(
    storage.read,
    sql(`SELECT 'p' AS kind, product AS key, a.activeUsers AS activeUsers, e.events AS events FROM (
         SELECT product, uniqExact(who) AS activeUsers FROM people GROUP BY GROUPING SETS ((product), ())) AS a
       FULL JOIN (
         SELECT ip.product AS product, sum(d.events) AS events FROM ident_daily AS d
         INNER JOIN ident_product AS ip ON ip.product_ident = d.product_ident
         WHERE d.day >= {from:Date} AND d.day <= {to:Date} AND ip.product != ''
           AND (empty({products:Array(String)}) OR has({products:Array(String)}, ip.product))
         GROUP BY GROUPING SETS ((product), ())) AS e USING (product)
       UNION ALL
       SELECT 'w' AS kind, toString(w) AS key, n AS activeUsers, 0 AS events FROM (
         SELECT w, uniqExact(who) AS n FROM (
           SELECT who, indexOf({whalves:Array(Date)}, half) AS i,
                  arrayFilter((m, wm) -> bitAnd(d, wm) != 0, {wmondays:Array(Array(Date))}[i], {wmasks:Array(Array(UInt256))}[i]) AS ws
           FROM (SELECT who, half, groupBitOr(days) AS d FROM people GROUP BY who, half))
         ARRAY JOIN ws AS w
         GROUP BY w
         ORDER BY w WITH FILL ${weekFill(p.window)})`),
    { ...params, whalves: weeks.halves, wmondays: weeks.mondays, wmasks: weeks.masks },
    ['activeUsers', 'events'],
  );
  const [counts, found] = await Promise.all([licensedCounts(storage, p.window, p.products, res), both]);
  const usage = found.filter((r) => r.kind === 'p').map((r) => ({ product: r.key, activeUsers: r.activeUsers, events: r.events }));
  // A person counts in a week when any of their days of use in the window falls in it. UNION
  // ALL keeps no order between or within its parts: the weeks are sorted here.
  const series = found
    .filter((r) => r.kind === 'w')
    .map((r) => ({ week: r.key, activeUsers: r.activeUsers }))
    .sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : 0));
  const names = await productNames(storage);
  const licences = await licenceRows(storage, { window: p.window, asOf: p.asOf, products: p.products }, counts, names);
  const totals = usage.filter((u) => u.product === '');
  const live = licences.filter((l) => l.start <= p.window.to && l.end >= p.window.from);
  const ids = new Set([...live.map((l) => l.product), ...usage.filter((u) => u.product !== '' && u.activeUsers > 0).map((u) => u.product)]);
  const rows = [...ids].map((id) => {
    const ls = live.filter((l) => l.product === id);
    const limited = ls.filter((l) => l.seats !== null);
    const use = usage.find((x) => x.product === id && id !== '');
    return productRow({ id, name: names.name(id), supplier: names.supplier(id) }, ls, limited, money(ls.reduce((a, l) => a + l.price, 0)), use);
  });
  return { rows: byUnusedCost(rows), series, totals: overviewTotals(rows, counts.persons, totals[0]) };
}

const sumOf = <T>(ls: readonly T[], f: (l: T) => number | null) => money(ls.reduce((a, l) => a + (f(l) ?? 0), 0));

/**
 * A product's row from its licences' rows (figure 7 per licence, summed) and its use: seats
 * and utilisation over `limited` (the licences with seats that count), money as `cost` says.
 */
export function productRow(
  product: { id: string; name: string; supplier: string }, ls: readonly LicenceRow[], limited: readonly LicenceRow[], cost: number,
  use: { activeUsers: number; events: number } | undefined,
): OverviewRow {
  const licensedActive = ls.reduce((a, l) => a + l.licensedActive, 0);
  return {
    product: product.id,
    name: product.name,
    supplier: product.supplier,
    licences: ls.length,
    seats: limited.length ? limited.reduce((a, l) => a + (l.seats ?? 0), 0) : null,
    licensedActive,
    activeUsers: use?.activeUsers ?? 0,
    events: use?.events ?? 0,
    utilisation: utilisationOver([...limited]),
    ...targetTotals([...ls]),
    cost,
    unusedCost: sumOf(ls, (l) => l.unusedCost),
    costPerActiveUser: licensedActive > 0 ? money(cost / licensedActive) : null,
  };
}

/** Largest unused cost first, then cost, then name. */
export const byUnusedCost = <R extends OverviewRow>(rows: R[]): R[] =>
  rows.sort((a, b) => b.unusedCost - a.unusedCost || b.cost - a.cost || a.name.localeCompare(b.name));

/** The overview's totals: money summed over the rows, licensed active as distinct persons. */
export function overviewTotals(rows: readonly OverviewRow[], licensedActive: number, use: { activeUsers: number; events: number } | undefined): Overview['totals'] {
  const cost = sumOf(rows, (r) => r.cost);
  return {
    cost,
    unusedCost: sumOf(rows, (r) => r.unusedCost),
    licensedActive,
    costPerActiveUser: licensedActive > 0 ? money(cost / licensedActive) : null,
    activeUsers: use?.activeUsers ?? 0,
    events: use?.events ?? 0,
  };
}
