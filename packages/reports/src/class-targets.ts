import type { Target } from '@licenskoll/core';
import { queryRows, type Storage } from '@licenskoll/storage';
import type { Window } from './params.ts';
import { unitsUnder } from './reach.ts';
import { loadTargets } from './targets.ts';

/**
 * Whether a class is in a product's target over a window (docs/figures.md, figure 13), for
 * class usage: its *placements* are the group's own school form and year where the register
 * gives both; otherwise, for each pupil member on each member day in the window, the group's
 * school form (or the pupil's enrolment's) and the group's year (or the enrolment's). So a
 * class of years 6 and 7 is in a 7–9 target, and a pupil who moves class or year counts with
 * the year they had while a member. A class the register places nowhere is in every target.
 *
 * The targets that apply to a class and product are those of the product's licences live in
 * the window whose scope reaches the class; where none reaches it, the product's own. It is
 * in target when it matches one of them, or one of the licences reaching it has no target;
 * `null` when none of them has a target (målgrupp saknas).
 */

export type Placement = [schoolType: string, year: number];

export function placementMatches(t: Target, [st, sy]: Placement): boolean {
  return (t.schoolTypes.length === 0 || st === '' || t.schoolTypes.includes(st)) && (t.years.length === 0 || sy < 0 || t.years.includes(sy));
}

export function classInTarget(placements: Placement[], targets: (Target | null)[]): boolean | null {
  if (!targets.length || targets.every((t) => t === null)) return null;
  if (targets.some((t) => t === null)) return true;
  if (!placements.length) return true;
  return targets.some((t) => placements.some((p) => placementMatches(t!, p)));
}

/** The placements of each group over the window (see above). */
export async function groupPlacements(storage: Storage, w: Window, ids: string[]): Promise<Map<string, Placement[]>> {
  if (!ids.length) return new Map();
  const rows = await queryRows<{ id: string; gst: string; gsy: number; members: [string, number][] }>(
    storage.read,
    `SELECT g.id AS id, any(g.school_type) AS gst, any(g.school_year) AS gsy,
            groupUniqArrayIf((toString(e.school_type), toInt16(e.school_year)),
              e.person_key != '' AND greatest(m.start, e.start, g.start, {from:Date}) <= least(m.end, e.end, g.end, {to:Date})) AS members
     FROM (SELECT id, toString(school_type) AS school_type, toInt16(school_year) AS school_year, start, end FROM groups FINAL WHERE has({ids:Array(String)}, id)) AS g
     LEFT JOIN (SELECT group_id, person_key, start, end FROM memberships FINAL WHERE has({ids:Array(String)}, group_id)) AS m ON m.group_id = g.id
     LEFT JOIN (SELECT person_key, school_type, school_year, start, end FROM enrolments FINAL WHERE school_type != '' OR school_year >= 0) AS e
       ON e.person_key = m.person_key
     GROUP BY g.id`,
    { ids, from: w.from, to: w.to },
    ['gsy'],
  );
  const out = new Map<string, Placement[]>();
  for (const r of rows) {
    const gsy = Number(r.gsy);
    if (r.gst !== '' && gsy >= 0) { out.set(r.id, [[r.gst, gsy]]); continue; }
    const fromMembers: Placement[] = r.members.map(([st, sy]) => [r.gst || st, gsy >= 0 ? gsy : Number(sy)]);
    out.set(r.id, fromMembers.length ? fromMembers : r.gst || gsy >= 0 ? [[r.gst, gsy]] : []);
  }
  return out;
}

/**
 * `(group, unit, product) -> in target?` for class usage over a window; with no target
 * anywhere, null for every row and no query is made.
 */
export async function classTargetsFor(storage: Storage, w: Window, groups: { id: string; unit: string }[]): Promise<(group: string, unit: string, product: string) => boolean | null> {
  const t = await loadTargets(storage);
  if (!t.byLicence.size && !t.byProduct.size) return () => null;
  const live = t.licences.filter((l) => l.start <= w.to && l.end >= w.from);
  const refs = [...new Set(live.filter((l) => l.scope.type === 'school').flatMap((l) => l.scope.ids))];
  const [under, placed] = await Promise.all([unitsUnder(storage, refs), groupPlacements(storage, w, groups.map((g) => g.id))]);
  const reaches = (l: (typeof live)[number], group: string, unit: string) =>
    l.scope.type === 'organisation' || (l.scope.type === 'group' ? l.scope.ids.includes(group) : l.scope.ids.some((id) => (under.get(id) ?? []).includes(unit)));
  return (group, unit, product) => {
    const reaching = live.filter((l) => l.product === product && reaches(l, group, unit));
    const targets = reaching.length ? reaching.map((l) => t.byLicence.get(l.id) ?? null) : [t.byProduct.get(product) ?? null];
    return classInTarget(placed.get(group) ?? [], targets);
  };
}
