import { queryRows, type Storage } from '@licenskoll/storage';
import { overviewReport } from './overview.ts';
import type { Window } from './params.ts';
import { MIN_GROUP_SIZE } from './small-groups.ts';
import { withBlocks } from './sql.ts';

/**
 * What a region sees of one organiser (docs/privacy.md, "The region"): per product, licences,
 * seats, cost, utilisation and adoption per school form, and nothing below that. No class, no
 * school unit, no person and no follow-up: the rows are keyed by product and school form only,
 * and a count of fewer than 5 persons (the small-group rule, MIN_GROUP_SIZE) is blanked, with
 * every figure computed from it, so that a school form with a handful of pupils names nobody.
 */
export interface SchoolFormAdoption {
  /** SS12000 school type of the enrolment (GR, GY, FS, ...). */
  schoolForm: string;
  /** Persons with an enrolment in this school form during the window; null when below 5. */
  audience: number | null;
  /** Of them, those who used the product in the window; null when below 5. */
  active: number | null;
  /** active / audience; null when either is blanked. */
  adoption: number | null;
  suppressed: boolean;
}

export interface RegionProductRow {
  product: string;
  name: string;
  supplier: string;
  licences: number;
  seats: number | null;
  cost: number;
  unusedCost: number;
  /** Entitled persons active in the window (figure 6); null when below 5. */
  licensedActive: number | null;
  utilisation: number | null;
  costPerActiveUser: number | null;
  adoption: SchoolFormAdoption[];
}

export interface RegionAggregate {
  window: Window;
  products: RegionProductRow[];
  totals: { licences: number; cost: number; unusedCost: number };
  /** The rule applied: counts of fewer persons than this are blanked. */
  minCount: number;
}

const small = (n: number) => n > 0 && n < MIN_GROUP_SIZE;

export async function regionAggregate(storage: Storage, p: { window: Window; asOf: string }): Promise<RegionAggregate> {
  const overview = await overviewReport(storage, { window: p.window, asOf: p.asOf, products: [] });
  const params = { from: p.window.from, to: p.window.to, products: [] as string[] };
  // Persons per school form enrolled in the window, and of them those who used each product:
  // two counts per (product, school form), never a person.
  const [audience, active] = await Promise.all([
    queryRows<{ sf: string; n: number }>(
      storage.read,
      `SELECT toString(school_type) AS sf, uniqExact(person_key) AS n FROM enrolments FINAL
       WHERE school_type != '' AND start <= {to:Date} AND end >= {from:Date} GROUP BY sf`,
      params,
      ['n'],
    ),
    queryRows<{ product: string; sf: string; n: number }>(
      storage.read,
      withBlocks(`SELECT u.product AS product, e.sf AS sf, uniqExact(u.person_key) AS n
        FROM (SELECT DISTINCT product, person_key FROM usage WHERE person_key != '') AS u
        INNER JOIN (SELECT DISTINCT person_key, toString(school_type) AS sf FROM enrolments FINAL
                    WHERE school_type != '' AND start <= {to:Date} AND end >= {from:Date}) AS e ON e.person_key = u.person_key
        GROUP BY product, sf`),
      params,
      ['n'],
    ),
  ]);
  const forms = [...audience].sort((a, b) => (a.sf < b.sf ? -1 : a.sf > b.sf ? 1 : 0));
  const products: RegionProductRow[] = overview.rows
    .map((r) => {
      const blanked = small(r.licensedActive);
      return {
        product: r.product, name: r.name, supplier: r.supplier, licences: r.licences, seats: r.seats,
        cost: r.cost, unusedCost: r.unusedCost,
        licensedActive: blanked ? null : r.licensedActive,
        utilisation: blanked ? null : r.utilisation,
        costPerActiveUser: blanked ? null : r.costPerActiveUser,
        adoption: forms.map((f) => {
          const n = active.find((a) => a.product === r.product && a.sf === f.sf)?.n ?? 0;
          const suppressed = small(f.n) || small(n);
          return {
            schoolForm: f.sf,
            audience: small(f.n) ? null : f.n,
            active: suppressed ? null : n,
            adoption: suppressed || !f.n ? null : n / f.n,
            suppressed,
          };
        }),
      };
    })
    .sort((a, b) => (a.product < b.product ? -1 : a.product > b.product ? 1 : 0));
  return {
    window: p.window,
    products,
    totals: { licences: products.reduce((a, r) => a + r.licences, 0), cost: overview.totals.cost, unusedCost: overview.totals.unusedCost },
    minCount: MIN_GROUP_SIZE,
  };
}
