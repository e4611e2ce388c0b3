import { effectiveTarget, hasTarget, targetsDisjoint, type Target } from '@licenskoll/core';
import { getLicences, listProducts, type Licence } from '@licenskoll/licensing';
import type { Storage } from '@licenskoll/storage';
import { productNames } from './licence-figures.ts';

/**
 * The targets (målgrupp, docs/figures.md figure 13) every report works with: a licence's own
 * narrowed by its product's. Worked out here, in one place, and handed to the SQL as
 * parameters (`targetParams`): the few dozen licences with a target are a few arrays.
 */

export interface Targets {
  /** Effective target per licence id, for the licences that have one. */
  byLicence: Map<string, Target>;
  /** Each product's own target, for the products that have one. */
  byProduct: Map<string, Target>;
}

export async function loadTargets(storage: Storage, licences?: Licence[]): Promise<Targets> {
  const [ls, products, names] = await Promise.all([licences ?? getLicences(storage), listProducts(storage), productNames(storage)]);
  const byProduct = new Map(products.filter((p) => hasTarget(p.target)).map((p) => [p.id, p.target]));
  const byLicence = new Map<string, Target>();
  for (const l of ls) {
    const t = effectiveTarget(byProduct.get(names.resolve(l.product)), l.target);
    if (hasTarget(t)) byLicence.set(l.id, t);
  }
  return { byLicence, byProduct };
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
