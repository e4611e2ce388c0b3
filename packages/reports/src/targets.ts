import { effectiveTarget, hasTarget, targetsDisjoint, type Target } from '@licenskoll/core';
import { getLicences, listProducts, type Licence } from '@licenskoll/licensing';
import { queryRows, type Storage } from '@licenskoll/storage';
import { licenceDayAudience, shareDay } from './cost-share.ts';
import { productNames } from './licence-figures.ts';
import type { Window } from './params.ts';
import { resolutionParams, type Resolution } from './resolution-state.ts';
import { sqlFor, withBlocks } from './sql.ts';
import { inTargetOnDay, licenceTargets, placements, targetClaims } from './target-blocks.ts';

/**
 * The targets (målgrupp, docs/figures.md figure 13) every report works with: a licence's own
 * narrowed by its product's. Worked out here, in one place, and handed to the SQL as
 * parameters (`targetParams`): the few dozen licences with a target are a few arrays.
 */

export interface Targets {
  /** Every live licence, its product resolved to the product's id. */
  licences: Licence[];
  /** Effective target per licence id, for the licences that have one. */
  byLicence: Map<string, Target>;
  /** Each product's own target, for the products that have one. */
  byProduct: Map<string, Target>;
}

const anyTarget = (t: string) =>
  `(SELECT count() FROM ${t} FINAL WHERE deleted = 0 AND (notEmpty(target_school_types) OR notEmpty(target_years) OR notEmpty(target_subjects) OR notEmpty(target_duty_roles)))`;

/** The targets; one small query when none is set anywhere (every report asks). */
export async function loadTargets(storage: Storage, licences?: Licence[]): Promise<Targets> {
  const [{ n }] = await queryRows<{ n: number }>(storage.read, `SELECT ${anyTarget('licences')} + ${anyTarget('products')} AS n`, {}, ['n']);
  if (n === 0) return { licences: licences ?? [], byLicence: new Map(), byProduct: new Map() };
  const [ls, products, names] = await Promise.all([licences ?? getLicences(storage), listProducts(storage), productNames(storage)]);
  const byProduct = new Map(products.filter((p) => hasTarget(p.target)).map((p) => [p.id, p.target]));
  const byLicence = new Map<string, Target>();
  const resolved = ls.map((l) => ({ ...l, product: names.resolve(l.product) }));
  for (const l of resolved) {
    const t = effectiveTarget(byProduct.get(l.product), l.target);
    if (hasTarget(t)) byLicence.set(l.id, t);
  }
  return { licences: resolved, byLicence, byProduct };
}

/**
 * Query parameters naming each targeted licence's target: `t_ids`, `t_types`, `t_years`,
 * `t_roles` (parallel arrays), read by the `licence_targets` block (target-blocks.ts).
 */
export function targetParams(byLicence: Map<string, Target>) {
  const ids = [...byLicence.keys()].sort();
  return {
    t_ids: ids,
    t_types: ids.map((id) => byLicence.get(id)!.schoolTypes),
    t_years: ids.map((id) => byLicence.get(id)!.years),
    t_roles: ids.map((id) => byLicence.get(id)!.dutyRoles),
  };
}

/** What to tell whoever sets a licence's target that leaves nobody in it; null when it is fine. */
export async function targetWarning(storage: Storage, l: Licence): Promise<string | null> {
  const names = await productNames(storage);
  const [p] = await listProducts(storage, [names.resolve(l.product)]);
  if (!p) return null;
  const k = targetsDisjoint(p.target, l.target);
  return k ? `the licence's ${k} share no value with its product's (${p.target[k].join(', ')}): nobody is in its target` : null;
}

/**
 * Figure 14's counts over a window: per licence the persons it counts (all its licensed
 * active users, or for a targeted licence those with an attributed day in its target) and
 * the persons attributed to it (`seen`); with the total of counted persons over all licences.
 */
export async function targetedCounts(
  storage: Storage, w: Window, products: string[], res: Resolution | null, targets: Map<string, Target>,
): Promise<{ byLicence: Map<string, number>; seen: Map<string, number>; persons: number }> {
  const rows = await queryRows<{ licence: string; n: number; seen: number }>(
    storage.read,
    sqlFor(res)(
      `SELECT licence, uniqExactIf(pk, counted) AS n, uniqExact(pk) AS seen FROM (
         SELECT licence, pk, 1 AS counted FROM claims WHERE licence NOT IN (SELECT licence FROM licence_targets)
         UNION ALL
         SELECT licence, pk, inclaim != 0 AS counted FROM target_claims)
       GROUP BY GROUPING SETS ((licence), ())`,
      licenceTargets, placements, targetClaims,
    ),
    { from: w.from, to: w.to, products, ...resolutionParams(res), ...targetParams(targets) },
    ['n', 'seen'],
  );
  const mine = rows.filter((r) => r.licence !== '');
  return {
    byLicence: new Map(mine.map((r) => [r.licence, r.n])),
    seen: new Map(mine.map((r) => [r.licence, r.seen])),
    persons: rows.find((r) => r.licence === '')?.n ?? 0,
  };
}

/**
 * Figure 14's target size: per targeted licence, the persons entitled to it (figure 5: in
 * its audience and its scope) who are in its target, on its day as of `asOf`: its last day,
 * or `asOf` while it runs, its first day before it starts (as cost-share.ts's share day).
 */
export async function targetSizes(
  storage: Storage, licences: { id: string; start: string; end: string }[], asOf: string, targets: Map<string, Target>,
): Promise<Map<string, number>> {
  const ls = licences.filter((l) => targets.has(l.id));
  if (!ls.length) return new Map();
  const days = ls.map((l) => [l.id, shareDay(l, asOf)] as const);
  const rows = await queryRows<{ licence: string; n: number }>(
    storage.read,
    withBlocks(
      `SELECT licence, countIf(inside) AS n FROM (${inTargetOnDay('entitled_on_day')}) GROUP BY licence`,
      ...licenceDayAudience('entitled_on_day', 'pk'),
      licenceTargets, placements,
    ),
    { ids: days.map((d) => d[0]), days: days.map((d) => d[1]), ...targetParams(new Map(ls.map((l) => [l.id, targets.get(l.id)!]))) },
    ['n'],
  );
  const found = new Map(rows.map((r) => [r.licence, r.n]));
  return new Map(ls.map((l) => [l.id, found.get(l.id) ?? 0]));
}
