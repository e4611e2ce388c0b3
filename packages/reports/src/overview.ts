import { queryRows, type Storage } from '@licenskoll/storage';
import { licenceRows } from './licence-figures.ts';
import { money } from './money.ts';
import { withShared } from './sql.ts';
import type { Window } from './params.ts';

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
  const params = { from: p.window.from, to: p.window.to, products: p.products };
  const userId = `if(person_key != '', person_key, concat('u:', user_key))`;
  const [licences, usage, series, totals, licensedPersons] = await Promise.all([
    licenceRows(storage, { window: p.window, asOf: p.asOf, products: p.products }),
    queryRows<{ product: string; name: string; supplier: string; activeUsers: number; events: number }>(
      storage.read,
      `${withShared()}SELECT u.product AS product, uniqExact(${userId}) AS activeUsers, sum(events) AS events
       FROM usage AS u GROUP BY product`,
      params,
      ['activeUsers', 'events'],
    ),
    queryRows<{ week: string; activeUsers: number }>(
      storage.read,
      `${withShared()}SELECT toString(w) AS week, n AS activeUsers FROM (
         SELECT toMonday(day) AS w, uniqExact(${userId}) AS n FROM usage GROUP BY w
         ORDER BY w WITH FILL FROM toMonday({from:Date}) TO toMonday({to:Date}) + 1 STEP toIntervalWeek(1))`,
      params,
      ['activeUsers'],
    ),
    queryRows<{ activeUsers: number; events: number }>(
      storage.read,
      `${withShared()}SELECT uniqExact(${userId}) AS activeUsers, sum(events) AS events FROM usage`,
      params,
      ['activeUsers', 'events'],
    ),
    queryRows<{ n: number }>(storage.read, `${withShared()}SELECT uniqExact(person_key) AS n FROM attributed`, params, ['n']),
  ]);
  const products = await queryRows<{ id: string; name: string; supplier: string }>(
    storage.read,
    'SELECT id, name, supplier FROM products FINAL WHERE deleted = 0',
  );
  const live = licences.filter((l) => l.start <= p.window.to && l.end >= p.window.from);
  const ids = new Set([...live.map((l) => l.product), ...usage.map((u) => u.product)]);
  const rows: OverviewRow[] = [...ids].map((id) => {
    const ls = live.filter((l) => l.product === id);
    const limited = ls.filter((l) => l.seats !== null);
    const seats = limited.length ? limited.reduce((a, l) => a + (l.seats ?? 0), 0) : null;
    const limitedActive = limited.reduce((a, l) => a + l.licensedActive, 0);
    const licensedActive = ls.reduce((a, l) => a + l.licensedActive, 0);
    const cost = money(ls.reduce((a, l) => a + l.price, 0));
    const u = usage.find((x) => x.product === id);
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
  const licensedActive = licensedPersons[0]?.n ?? 0;
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
