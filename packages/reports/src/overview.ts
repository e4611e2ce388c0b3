import { queryRows, type Storage } from '@licenskoll/storage';
import { licenceRows, licensedCounts } from './licence-figures.ts';
import { span } from './masks.ts';
import { money } from './money.ts';
import { resolutionFor } from './resolution.ts';
import { resolutionParams } from './resolution-state.ts';
import { sqlFor } from './sql.ts';
import { weekFill, type Window } from './params.ts';

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
  cost: number;
  unusedCost: number;
  costPerActiveUser: number | null;
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
 */
export async function overviewReport(storage: Storage, p: OverviewParams): Promise<Overview> {
  const res = await resolutionFor(storage, p.window);
  const params = { from: p.window.from, to: p.window.to, products: p.products, ...resolutionParams(res) };
  const sql = sqlFor(res);
  const [counts, usage, series, products] = await Promise.all([
    licensedCounts(storage, p.window, p.products, res),
    // Active users from the masks, events from the identifier totals: one query, each side
    // reading only what it needs. The row with the empty product is the total.
    queryRows<{ product: string; activeUsers: number; events: number }>(
      storage.read,
      sql(`SELECT product, a.activeUsers AS activeUsers, e.events AS events FROM (
         SELECT product, uniqExact(who) AS activeUsers FROM people GROUP BY GROUPING SETS ((product), ())) AS a
       FULL JOIN (
         SELECT ip.product AS product, sum(d.events) AS events FROM ident_daily AS d
         INNER JOIN ident_product AS ip ON ip.product_ident = d.product_ident
         WHERE d.day >= {from:Date} AND d.day <= {to:Date} AND ip.product != ''
           AND (empty({products:Array(String)}) OR has({products:Array(String)}, ip.product))
         GROUP BY GROUPING SETS ((product), ())) AS e USING (product)`),
      params,
      ['activeUsers', 'events'],
    ),
    // A person counts in a week when any of their days of use in the window falls in it.
    // The weeks' masks are made once per half-year, not once per person (83 ms a month).
    queryRows<{ week: string; activeUsers: number }>(
      storage.read,
      sql(
        `SELECT toString(w) AS week, n AS activeUsers FROM (
         SELECT w, uniqExact(who) AS n FROM (
           SELECT u.who AS who, arrayFilter((m, wm) -> bitAnd(u.d, wm) != 0, k.mons, k.wms) AS ws
           FROM (SELECT who, half, groupBitOr(days) AS d FROM people GROUP BY who, half) AS u
           INNER JOIN week_masks AS k ON k.half = u.half)
         ARRAY JOIN ws AS w
         GROUP BY w
         ORDER BY w WITH FILL ${weekFill(p.window)})`,
        `week_masks AS (
         SELECT half, groupArray(mon) AS mons, groupArray(wm) AS wms
         FROM (SELECT half, toMonday(half) + 7 * i AS mon, ${span('half', 'mon', 'mon + 6')} AS wm FROM win ARRAY JOIN range(27) AS i)
         GROUP BY half)`,
      ),
      params,
      ['activeUsers'],
    ),
    queryRows<{ id: string; name: string; supplier: string }>(storage.read, 'SELECT id, name, supplier FROM products FINAL WHERE deleted = 0'),
  ]);
  const licences = await licenceRows(storage, { window: p.window, asOf: p.asOf, products: p.products }, counts.byLicence);
  const totals = usage.filter((u) => u.product === '');
  const live = licences.filter((l) => l.start <= p.window.to && l.end >= p.window.from);
  const ids = new Set([...live.map((l) => l.product), ...usage.filter((u) => u.product !== '' && u.activeUsers > 0).map((u) => u.product)]);
  const rows: OverviewRow[] = [...ids].map((id) => {
    const ls = live.filter((l) => l.product === id);
    const limited = ls.filter((l) => l.seats !== null);
    const seats = limited.length ? limited.reduce((a, l) => a + (l.seats ?? 0), 0) : null;
    const limitedActive = limited.reduce((a, l) => a + l.licensedActive, 0);
    const licensedActive = ls.reduce((a, l) => a + l.licensedActive, 0);
    const cost = money(ls.reduce((a, l) => a + l.price, 0));
    const u = usage.find((x) => x.product === id && id !== '');
    const prod = products.find((x) => x.id === id);
    return {
      product: id,
      name: prod?.name ?? id,
      supplier: prod?.supplier ?? '',
      licences: ls.length,
      seats,
      licensedActive,
      activeUsers: u?.activeUsers ?? 0,
      events: u?.events ?? 0,
      utilisation: seats ? limitedActive / seats : null,
      cost,
      unusedCost: money(ls.reduce((a, l) => a + (l.unusedCost ?? 0), 0)),
      costPerActiveUser: licensedActive > 0 ? money(cost / licensedActive) : null,
    };
  });
  rows.sort((a, b) => b.unusedCost - a.unusedCost || b.cost - a.cost || a.name.localeCompare(b.name));
  const cost = money(rows.reduce((a, r) => a + r.cost, 0));
  const licensedActive = counts.persons;
  return {
    rows,
    series,
    totals: {
      cost,
      unusedCost: money(rows.reduce((a, r) => a + r.unusedCost, 0)),
      licensedActive,
      costPerActiveUser: licensedActive > 0 ? money(cost / licensedActive) : null,
      activeUsers: totals[0]?.activeUsers ?? 0,
      events: totals[0]?.events ?? 0,
    },
  };
}
