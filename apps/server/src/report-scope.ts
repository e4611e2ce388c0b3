import { ApiError } from '@licenskoll/core';
import type { Storage } from '@licenskoll/storage';
import { lookupNames, unknownOf, type NamesKnown } from '@licenskoll/reports';
import type { Caller } from './context.ts';

/**
 * Where a report may look, for the caller and the request's naming filters (`product`,
 * `school`, `group`), all looked up in one query (known-names.ts):
 *
 * - A value that names nothing is a 400 naming the parameter and the value, never a report
 *   that looks real but covers nothing (an unknown product gave every class 0 % adoption).
 * - A scoped caller (principal, teacher) naming a school unit or group outside their reach gets
 *   403, and so does one that does not exist: a 403 does not tell them what exists elsewhere.
 *   Products are the same catalogue for everyone, so an unknown product is 400 for every role.
 *
 * `units` is set when the answer must be limited to school units (a principal, or anyone
 * filtering by `school`).
 */
export interface Scope {
  /** Organisation refs for class-usage's school filter (empty = all). */
  schools: string[];
  /** Group ids for class-usage's group filter (empty = all). */
  groups: string[];
  /** Units the figures are limited to; absent = the whole organiser. */
  units?: Set<string>;
}

export interface NamingFilters {
  product?: string[];
  school?: string[];
  group?: string[];
}

const shown = (ids: string[]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? '…' : ''}`;

export const outside = (what: string, ids: string[], yours: string) =>
  new ApiError(403, 'forbidden', `${what}: ${shown(ids)} is outside ${yours}`, { field: what, outside: ids.slice(0, 20) });

const WHAT: Record<string, string> = {
  product: 'a known product',
  school: 'a known organisation or school unit',
  group: 'a known group',
  licence: 'a known licence',
};

/** 400 for filter values that name nothing: the parameter, each value and why, in the usual shape. */
export const unknownName = (field: keyof typeof WHAT, values: string[]) => {
  const reason = `is not ${WHAT[field]}`;
  return new ApiError(
    400, 'bad_request', `invalid parameters: ${field}: ${shown(values)} ${reason}`,
    values.slice(0, 20).map((v) => ({ field, reason: `${v} ${reason}` })),
  );
};

/** 400 when any value of the filter names nothing; called per filter, products first. */
function refuseUnknown(field: string, values: string[]) {
  if (values.length) throw unknownName(field, values);
}

export async function scopeFor(storage: Storage, caller: Caller, q: NamingFilters): Promise<Scope> {
  const schools = q.school ?? [];
  const groups = q.group ?? [];
  const ownGroups = caller.role === 'teacher' ? caller.groups : [];
  const known: NamesKnown = await lookupNames(storage, {
    products: q.product,
    schools,
    groups: [...new Set([...groups, ...ownGroups])],
    reach: caller.role === 'principal' ? caller.schools : [],
  });
  refuseUnknown('product', unknownOf(q.product, known.products));
  const under = known.schools;
  const unknownSchools = schools.filter((s) => !under.get(s)?.length);
  const schoolUnits = new Set([...under.values()].flat());

  if (caller.role === 'admin' || caller.role === 'purchaser') {
    refuseUnknown('school', unknownSchools);
    refuseUnknown('group', unknownOf(groups, known.groups));
    return { schools, groups, ...(schools.length ? { units: schoolUnits } : {}) };
  }

  if (caller.role === 'principal') {
    const mine = known.reach;
    const notMine = [...unknownSchools, ...schools.filter((s) => !unknownSchools.includes(s) && (under.get(s) ?? []).some((u) => !mine.has(u)))];
    if (notMine.length) throw outside('school', notMine, 'your school units');
    const bad = groups.filter((g) => !known.groups.has(g) || !mine.has(known.groups.get(g)!));
    if (bad.length) throw outside('group', bad, 'your school units');
    return { schools: schools.length ? schools : caller.schools, groups, units: schools.length ? schoolUnits : mine };
  }

  if (caller.role === 'teacher') {
    const bad = groups.filter((g) => !caller.groups.includes(g));
    if (bad.length) throw outside('group', bad, 'your groups');
    const asked = groups.length ? groups : caller.groups;
    if (schools.length) {
      const inSchool = asked.filter((g) => known.groups.has(g) && schoolUnits.has(known.groups.get(g)!));
      if (unknownSchools.length || !inSchool.length) throw outside('school', schools, 'the school units of your groups');
      return { schools, groups: inSchool };
    }
    return { schools: [], groups: asked };
  }
  throw new ApiError(403, 'forbidden', `the ${caller.role} role may not read reports`);
}
