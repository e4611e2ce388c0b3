import { ApiError } from '@licenskoll/core';
import type { Storage } from '@licenskoll/storage';
import { groupUnits, reachUnits, unitsUnder } from './reach.ts';

/** Who asks a report: their role, a principal's school units, a teacher's groups. */
export interface ReportCaller {
  role: string;
  schools: string[];
  groups: string[];
}

/**
 * Where a report may look, for the caller and the request's `school`/`group` filters. A
 * scoped caller naming a unit or group outside their reach (or a school that does not exist)
 * gets 403, never an empty answer that looks real; an unknown group is already 400 (parseQuery).
 * `units` is set when the answer must be limited to school units (a principal, or anyone filtering by `school`).
 */
export interface Scope {
  /** Organisation refs for class-usage's school filter (empty = all). */
  schools: string[];
  /** Group ids for class-usage's group filter (empty = all). */
  groups: string[];
  /** Units the figures are limited to; absent = the whole organiser. */
  units?: Set<string>;
}

export const outside = (what: string, ids: string[], yours: string) =>
  new ApiError(403, 'forbidden', `${what}: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? '…' : ''} is outside ${yours}`, { field: what, outside: ids.slice(0, 20) });

export async function scopeFor(storage: Storage, caller: ReportCaller, q: { school?: string[]; group?: string[] }): Promise<Scope> {
  const schools = q.school ?? [];
  const groups = q.group ?? [];
  const under = await unitsUnder(storage, schools);
  const unknownSchools = schools.filter((s) => !under.get(s)?.length);
  const schoolUnits = new Set([...under.values()].flat());

  if (caller.role === 'admin' || caller.role === 'purchaser') {
    if (unknownSchools.length) {
      throw new ApiError(400, 'bad_request', `invalid parameters: school: ${unknownSchools.slice(0, 5).join(', ')} is not a known organisation or school unit`, [{ field: 'school', reason: 'unknown organisation' }]);
    }
    return { schools, groups, ...(schools.length ? { units: schoolUnits } : {}) };
  }

  if (caller.role === 'principal') {
    const mine = await reachUnits(storage, caller.schools);
    const notMine = [...unknownSchools, ...schools.filter((s) => !unknownSchools.includes(s) && (under.get(s) ?? []).some((u) => !mine.has(u)))];
    if (notMine.length) throw outside('school', notMine, 'your school units');
    if (groups.length) {
      const gu = await groupUnits(storage, groups);
      const bad = groups.filter((g) => !gu.has(g) || !mine.has(gu.get(g)!));
      if (bad.length) throw outside('group', bad, 'your school units');
    }
    return { schools: schools.length ? schools : caller.schools, groups, units: schools.length ? schoolUnits : mine };
  }

  if (caller.role === 'teacher') {
    const bad = groups.filter((g) => !caller.groups.includes(g));
    if (bad.length) throw outside('group', bad, 'your groups');
    const asked = groups.length ? groups : caller.groups;
    if (schools.length) {
      const gu = await groupUnits(storage, asked);
      const inSchool = asked.filter((g) => gu.has(g) && schoolUnits.has(gu.get(g)!));
      if (unknownSchools.length || !inSchool.length) throw outside('school', schools, 'the school units of your groups');
      return { schools, groups: inSchool };
    }
    return { schools: [], groups: asked };
  }
  throw new ApiError(403, 'forbidden', `the ${caller.role} role may not read reports`);
}

