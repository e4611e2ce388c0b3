import { queryRows, type Storage } from '@licenskoll/storage';

/**
 * The names a request's filters give (products, organisation refs, groups, licences, and a
 * scoped caller's own refs), looked up in one query: a filter naming something that does not
 * exist must be refused, never answered with a report that looks real but covers nothing.
 */
export interface NamesAsked {
  products?: string[];
  /** Organisation refs of a `school` filter: ids, school unit codes, organisation codes. */
  schools?: string[];
  groups?: string[];
  licences?: string[];
  /** A principal's own refs (their token's schools): resolved to units like `schools`. */
  reach?: string[];
}

export interface NamesKnown {
  products: Set<string>;
  /** Ref -> every unit under it (the ref itself when it names a unit); absent = unknown. */
  schools: Map<string, string[]>;
  /** Group id -> its school unit. */
  groups: Map<string, string>;
  licences: Set<string>;
  /** Every unit under the caller's own refs. */
  reach: Set<string>;
}

/**
 * Ref -> unit rows for the refs in `{param:Array(String)}`: the organisation closure, and a
 * unit known only from the roster's groups, enrolments or duties (a school unit without an
 * organisation record still names itself).
 */
export const unitsUnderSql = (param: string) => `
  SELECT ref, unit FROM org_closure WHERE has({${param}:Array(String)}, ref)
  UNION ALL
  SELECT unit AS ref, unit FROM (
    SELECT unit FROM groups FINAL UNION DISTINCT SELECT unit FROM enrolments FINAL UNION DISTINCT SELECT unit FROM duties FINAL)
  WHERE has({${param}:Array(String)}, unit)`;

const empty = (): NamesKnown => ({ products: new Set(), schools: new Map(), groups: new Map(), licences: new Set(), reach: new Set() });

export async function lookupNames(storage: Storage, asked: NamesAsked): Promise<NamesKnown> {
  const p = {
    products: asked.products ?? [], schools: asked.schools ?? [], groups: asked.groups ?? [],
    licences: asked.licences ?? [], reach: asked.reach ?? [],
  };
  const out = empty();
  if (!Object.values(p).some((a) => a.length)) return out;
  // Each branch is skipped by its empty parameter, so a request pays for what it names.
  const rows = await queryRows<{ kind: string; name: string; unit: string }>(
    storage.read,
    `SELECT 'product' AS kind, id AS name, '' AS unit FROM products FINAL WHERE notEmpty({products:Array(String)}) AND deleted = 0 AND has({products:Array(String)}, id)
     UNION ALL SELECT 'product', product, '' FROM licences FINAL WHERE notEmpty({products:Array(String)}) AND deleted = 0 AND has({products:Array(String)}, product)
     UNION ALL SELECT 'school', ref, unit FROM (${unitsUnderSql('schools')}) WHERE notEmpty({schools:Array(String)})
     UNION ALL SELECT 'reach', ref, unit FROM (${unitsUnderSql('reach')}) WHERE notEmpty({reach:Array(String)})
     UNION ALL SELECT 'group', id, unit FROM groups FINAL WHERE notEmpty({groups:Array(String)}) AND has({groups:Array(String)}, id)
     UNION ALL SELECT 'licence', id, '' FROM licences FINAL WHERE notEmpty({licences:Array(String)}) AND deleted = 0 AND has({licences:Array(String)}, id)`,
    p,
  );
  for (const r of rows) {
    if (r.kind === 'product') out.products.add(r.name);
    else if (r.kind === 'licence') out.licences.add(r.name);
    else if (r.kind === 'group') out.groups.set(r.name, r.unit);
    else if (r.kind === 'reach') out.reach.add(r.unit);
    else {
      const units = out.schools.get(r.name) ?? [];
      if (!units.includes(r.unit)) units.push(r.unit);
      out.schools.set(r.name, units);
    }
  }
  for (const units of out.schools.values()) units.sort();
  return out;
}

/** The values of `asked` that `known` does not hold, in the order asked. */
export const unknownOf = (asked: string[] | undefined, known: { has(v: string): boolean }) => (asked ?? []).filter((v) => !known.has(v));
