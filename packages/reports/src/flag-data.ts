import { queryRows, type Storage } from '@licenskoll/storage';
import { span, windowHalves } from './masks.ts';
import type { Window } from './params.ts';
import { resolutionFor } from './resolution.ts';
import { resolutionParams } from './resolution-state.ts';
import { sqlFor } from './sql.ts';
import { mondaysOf } from './licence-weeks.ts';

/**
 * What the flags (flag-rules.ts) need from the store beyond the licence figures: where each
 * licence's users belong (concentrated), which classes each licence is used in (overlap) and
 * how many people use anything per week (which weeks are school weeks, falling).
 */

/** Each claimed person-day (figure 6) of the given licences, as one mask per person, licence and half-year. */
const licClaims = `lic_claims AS (
  SELECT pk, licence, half, groupBitOr(claim) AS cl FROM claims WHERE has({ids:Array(String)}, licence) GROUP BY pk, licence, half)`;

/** Days each person belonged to each unit in the window, as masks (enrolled, on duty, member of a group of it). */
const unitDays = `unit_days AS (
  SELECT reinterpretAsUInt128(unhex(person_key)) AS pk, unit, h AS half,
         groupBitOr(${span('h', 'greatest(start, {from:Date})', 'least(end, {to:Date})')}) AS pm
  FROM affil ARRAY JOIN ${windowHalves} AS h
  WHERE start <= {to:Date} AND end >= {from:Date}
  GROUP BY pk, unit, half HAVING pm != 0)`;

export interface UnitSpread {
  /** School units in the licence's reach with anyone belonging to them in the window. */
  covered: number;
  /** Persons attributed to the licence in the window. */
  persons: number;
  /** Units with any such person, most persons first (ties: unit id). */
  byUnit: { unit: string; persons: number }[];
  /** Persons who belonged to one of the first two units of `byUnit` on an attributed day. */
  topPersons: number;
}

/**
 * Figure 18's numbers for the given licences over the window. One query: per licence, how
 * many persons have each set of units they belonged to on their attributed days (most have
 * one, a few two), from which the units' counts and the top two's union follow exactly.
 */
export async function unitSpread(storage: Storage, w: Window, ids: string[]): Promise<Map<string, UnitSpread>> {
  if (!ids.length) return new Map();
  const res = await resolutionFor(storage, w);
  const params = { from: w.from, to: w.to, products: [], ids, ...resolutionParams(res) };
  const sql = sqlFor(res);
  const [sets, covered] = await Promise.all([
    queryRows<{ licence: string; units: string[]; n: number }>(
      storage.read,
      sql(`SELECT licence, units, count() AS n FROM (
             SELECT c.licence AS licence, c.pk AS pk, arraySort(groupUniqArrayIf(s.unit, bitAnd(c.cl, s.pm) != 0)) AS units
             FROM lic_claims AS c LEFT JOIN unit_days AS s ON s.pk = c.pk AND s.half = c.half
             GROUP BY licence, pk)
           GROUP BY licence, units`, licClaims, unitDays),
      params, ['n'],
    ),
    queryRows<{ licence: string; n: number }>(
      storage.read,
      sql(`SELECT licence, uniqExact(ref) AS n FROM lic_scope
           WHERE has({ids:Array(String)}, licence) AND k = 'u' AND ref IN (SELECT unit FROM affil WHERE start <= {to:Date} AND end >= {from:Date})
           GROUP BY licence`),
      params, ['n'],
    ),
  ]);
  const out = new Map<string, UnitSpread>();
  const byLicence = new Map<string, { units: string[]; n: number }[]>();
  for (const r of sets) byLicence.set(r.licence, [...(byLicence.get(r.licence) ?? []), r]);
  for (const [licence, rs] of byLicence) {
    const per = new Map<string, number>();
    for (const r of rs) for (const u of r.units) per.set(u, (per.get(u) ?? 0) + r.n);
    const byUnit = [...per].map(([unit, persons]) => ({ unit, persons })).sort((a, b) => b.persons - a.persons || (a.unit < b.unit ? -1 : 1));
    const top = new Set(byUnit.slice(0, 2).map((u) => u.unit));
    out.set(licence, {
      covered: 0, byUnit,
      persons: rs.reduce((a, r) => a + r.n, 0),
      topPersons: rs.filter((r) => r.units.some((u) => top.has(u))).reduce((a, r) => a + r.n, 0),
    });
  }
  for (const c of covered) {
    const s = out.get(c.licence);
    if (s) s.covered = c.n;
    else out.set(c.licence, { covered: c.n, persons: 0, byUnit: [], topPersons: 0 });
  }
  return out;
}

export interface ClassUse {
  group: string;
  unit: string;
  /** Pupils attributed to the licence on a day they were members of the group. */
  pupils: number;
}

/** Figure 21's numbers: per licence, the groups its pupils used it in over the window. */
export async function classUse(storage: Storage, w: Window, ids: string[]): Promise<Map<string, ClassUse[]>> {
  if (!ids.length) return new Map();
  const res = await resolutionFor(storage, w);
  const memberDays = `member_days AS (
    SELECT pk, group_id, unit, h AS half, groupBitOr(${span('h', 'greatest(start, {from:Date})', 'least(end, {to:Date})')}) AS pm
    FROM mships ARRAY JOIN ${windowHalves} AS h
    WHERE start <= {to:Date} AND end >= {from:Date} AND pk IN (SELECT pk FROM pupil_pks)
    GROUP BY pk, group_id, unit, half HAVING pm != 0)`;
  const rows = await queryRows<{ licence: string; group_id: string; unit: string; n: number }>(
    storage.read,
    sqlFor(res)(
      `SELECT c.licence AS licence, m.group_id AS group_id, m.unit AS unit, uniqExact(c.pk) AS n
       FROM lic_claims AS c INNER JOIN member_days AS m ON m.pk = c.pk AND m.half = c.half
       WHERE bitAnd(c.cl, m.pm) != 0
       GROUP BY licence, group_id, unit`,
      licClaims, memberDays,
    ),
    { from: w.from, to: w.to, products: [], ids, ...resolutionParams(res) },
    ['n'],
  );
  const out = new Map<string, ClassUse[]>();
  for (const r of rows) out.set(r.licence, [...(out.get(r.licence) ?? []), { group: r.group_id, unit: r.unit, pupils: r.n }]);
  return out;
}

/**
 * Persons (and users the register does not know) who used any product, per week of the
 * window (Monday -> count, every week present): what says whether a week was a school week.
 */
export async function activityByWeek(storage: Storage, w: Window): Promise<{ week: string; n: number }[]> {
  const mondays = mondaysOf(w);
  const res = await resolutionFor(storage, w);
  const rows = await queryRows<{ week: string; n: number }>(
    storage.read,
    sqlFor(res)(`SELECT toString(wk) AS week, uniqExact(who) AS n FROM people ARRAY JOIN {mondays:Array(Date)} AS wk
                 WHERE bitAnd(days, ${span('half', 'wk', 'addDays(wk, 6)')}) != 0 GROUP BY week`),
    { from: w.from, to: w.to, products: [], mondays, ...resolutionParams(res) },
    ['n'],
  );
  const by = new Map(rows.map((r) => [r.week, r.n]));
  return mondays.map((week) => ({ week, n: by.get(week) ?? 0 }));
}
