import type { Target } from '@licenskoll/core';
import { queryRows, type Storage } from '@licenskoll/storage';
import { span, windowHalves } from './masks.ts';
import type { Window } from './params.ts';
import { resolutionFor } from './resolution.ts';
import { resolutionParams } from './resolution-state.ts';
import { sqlFor, withBlocks } from './sql.ts';
import { licenceDayAudience, shareDay } from './cost-share.ts';
import { inTargetOnDay, licenceTargets, placements } from './target-blocks.ts';
import { targetParams } from './targets.ts';
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
  /** School units with anyone of the licence's audience (figure 5, in its target: figure 14) on its day. */
  covered: number;
  /** Persons of that audience, and of them those who belong to the top two units of `byUnit`. */
  audience: number;
  audienceAtTop: number;
  /** Persons attributed to the licence in the window. */
  persons: number;
  /** Units with any such person, most persons first (ties: unit id). */
  byUnit: { unit: string; persons: number }[];
  /** Persons who belonged to one of the first two units of `byUnit` on an attributed day. */
  topPersons: number;
}

/**
 * Figure 19's numbers for the given licences over the window. One query: per licence, how
 * many persons have each set of units they belonged to on their attributed days (most have
 * one, a few two), from which the units' counts and the top two's union follow exactly.
 */
export async function unitSpread(
  storage: Storage, w: Window, licences: { id: string; start: string; end: string }[], asOf: string, targets: Map<string, Target>,
): Promise<Map<string, UnitSpread>> {
  if (!licences.length) return new Map();
  const ids = licences.map((l) => l.id);
  const res = await resolutionFor(storage, w);
  const params = { from: w.from, to: w.to, products: [], ids, ...resolutionParams(res) };
  const sql = sqlFor(res);
  const targeted = new Map(licences.filter((l) => targets.has(l.id)).map((l) => [l.id, targets.get(l.id)!]));
  const [sets, audience] = await Promise.all([
    queryRows<{ licence: string; units: string[]; n: number }>(
      storage.read,
      sql(`SELECT licence, units, count() AS n FROM (
             SELECT c.licence AS licence, c.pk AS pk, arraySort(groupUniqArrayIf(s.unit, bitAnd(c.cl, s.pm) != 0)) AS units
             FROM lic_claims AS c LEFT JOIN unit_days AS s ON s.pk = c.pk AND s.half = c.half
             GROUP BY licence, pk)
           GROUP BY licence, units`, licClaims, unitDays),
      params, ['n'],
    ),
    // Who the licence is for, per unit, on its day (as target sizes count them: targets.ts).
    queryRows<{ licence: string; units: string[]; n: number }>(
      storage.read,
      withBlocks(
        `SELECT licence, units, count() AS n FROM (
           SELECT a.licence AS licence, a.pk AS pk, arraySort(groupUniqArray(f.unit)) AS units
           FROM (SELECT licence, pk, day FROM entitled_on_day WHERE licence NOT IN (SELECT licence FROM licence_targets)
                 UNION ALL
                 SELECT licence, pk, day FROM (${inTargetOnDay('entitled_on_day')}) WHERE inside) AS a
           INNER JOIN affil AS f ON reinterpretAsUInt128(unhex(f.person_key)) = a.pk
           WHERE f.start <= a.day AND f.end >= a.day
           GROUP BY licence, pk)
         GROUP BY licence, units`,
        ...licenceDayAudience('entitled_on_day', 'pk'), licenceTargets, placements,
      ),
      { ids, days: licences.map((l) => shareDay(l, asOf)), ...targetParams(targeted) },
      ['n'],
    ),
  ]);
  const perUnit = (rs: { units: string[]; n: number }[]) => {
    const per = new Map<string, number>();
    for (const r of rs) for (const u of r.units) per.set(u, (per.get(u) ?? 0) + r.n);
    return per;
  };
  const group = (rows: { licence: string; units: string[]; n: number }[]) => {
    const by = new Map<string, { units: string[]; n: number }[]>();
    for (const r of rows) by.set(r.licence, [...(by.get(r.licence) ?? []), r]);
    return by;
  };
  const used = group(sets);
  const meant = group(audience);
  const out = new Map<string, UnitSpread>();
  for (const id of ids) {
    const rs = used.get(id) ?? [];
    const as = meant.get(id) ?? [];
    const byUnit = [...perUnit(rs)].map(([unit, persons]) => ({ unit, persons })).sort((a, b) => b.persons - a.persons || (a.unit < b.unit ? -1 : 1));
    const top = new Set(byUnit.slice(0, 2).map((u) => u.unit));
    const atTop = (xs: { units: string[]; n: number }[]) => xs.filter((r) => r.units.some((u) => top.has(u))).reduce((a, r) => a + r.n, 0);
    out.set(id, {
      covered: perUnit(as).size, audience: as.reduce((a, r) => a + r.n, 0), audienceAtTop: atTop(as), byUnit,
      persons: rs.reduce((a, r) => a + r.n, 0), topPersons: atTop(rs),
    });
  }
  return out;
}

export interface ClassUse {
  group: string;
  unit: string;
  /** Pupils attributed to the licence on a day they were members of the group. */
  pupils: number;
}

/** Figure 22's numbers: per licence, the groups its pupils used it in over the window. */
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
