import { queryRows, type Storage } from '@licenskoll/storage';
import { trailingWindow, type Window } from './params.ts';
import { withBlocks } from './sql.ts';

/**
 * `/v1/reports/sign-in-readiness` (docs/figures.md, figure 16): before a digital national
 * test, which pupils of the tested years have signed in through the organiser's identity
 * provider lately, so that a forgotten password shows up before the test day and not on it.
 *
 * A pupil counts for a class when they are a pupil member of it on the reference `date`
 * (where they were earlier in the window does not matter: signing in is the person's, not
 * the class's), the class is a `Klass` group live on that day, and the pupil's school form and
 * year there are tested: the group's own where the register gives them, otherwise the pupil's
 * enrolment covering the day. A school unit counts its classes' pupils and the pupils enrolled
 * there on the day with a tested form and year. *Signed in*: a sign-in (signin_daily, the
 * identity provider's own logs) on one of the `days` days ending on `date`, both included.
 */

/** One tested school form: its years, or every year of it when `years` is empty. */
export interface TestedForm {
  schoolType: string;
  years: number[];
}

/** Nationella prov: years 3, 6 and 9 of grundskolan, and gymnasieskolan's courses (any year). */
export const DEFAULT_TESTED: TestedForm[] = [{ schoolType: 'GR', years: [3, 6, 9] }, { schoolType: 'GY', years: [] }];
export const DEFAULT_READINESS_DAYS = 30;

export interface ReadinessParams {
  date: string;
  days: number;
  tested: TestedForm[];
  /** Units the answer is limited to (a principal, or a `school` filter); absent = all. */
  units?: Set<string>;
  /** Classes the answer is limited to (a teacher's groups, or a `group` filter); absent = all. */
  groups?: string[];
}

export type ReadinessLevel = 'school' | 'class';

export interface ReadinessRow {
  level: ReadinessLevel;
  school: string;
  schoolName: string;
  group: string;
  groupName: string;
  /** The tested school forms and years of the row's pupils, e.g. ["GR 6"]. */
  years: string[];
  pupils: number;
  signedIn: number;
  notSignedIn: number;
  /** signedIn / pupils; null for no pupils. */
  signedInShare: number | null;
}

export interface NotSignedInPupil {
  /** The pupil's pseudonym (the register person's key); no name is stored (docs/privacy.md). */
  pseudonym: string;
  years: string;
  /** Their latest sign-in on or before `date`, before the window; null when none is stored. */
  lastSignIn: string | null;
}

/** The window of figure 16: the `days` days ending on `date`. */
export const readinessWindow = (date: string, days: number): Window => trailingWindow(date, days);

const testedParams = (t: TestedForm[]) => ({ t_types: t.map((f) => f.schoolType), t_years: t.map((f) => f.years) });
const isTested = (st: string, sy: string) =>
  `arrayExists((t, y) -> t = ${st} AND (empty(y) OR has(y, ${sy})), {t_types:Array(String)}, {t_years:Array(Array(Int16))})`;

/** Each pupil's school form and year from an enrolment covering the day (the latest-starting one). */
export const enrolledOn = `enrolled_on AS (
  SELECT reinterpretAsUInt128(unhex(person_key)) AS pk, argMax(unit, start) AS unit, toString(argMax(school_type, start)) AS st,
         toInt16(argMax(school_year, start)) AS sy, 1 AS found
  FROM enrolments FINAL WHERE start <= {date:Date} AND end >= {date:Date} GROUP BY pk)`;

export const classesOf = (p: ReadinessParams) => `klass AS (
  SELECT id, name, unit, toString(school_type) AS st, toInt16(school_year) AS sy FROM groups FINAL
  WHERE type = 'Klass' AND start <= {date:Date} AND end >= {date:Date}${p.groups ? ' AND has({groups:Array(String)}, id)' : ''}${p.units ? ' AND has({units:Array(String)}, unit)' : ''})`;

/** Pupil members of the classes on the day, with the school form and year that place them. */
export const classPupils = `class_pupils AS (
  SELECT k.id AS group_id, k.unit AS unit, m.pk AS pk, m.person_key AS person_key,
         if(k.st != '', k.st, if(e.found = 1, e.st, '')) AS st, if(k.sy >= 0, k.sy, if(e.found = 1, e.sy, toInt16(-1))) AS sy
  FROM (SELECT DISTINCT group_id, person_key, reinterpretAsUInt128(unhex(person_key)) AS pk FROM memberships FINAL
        WHERE start <= {date:Date} AND end >= {date:Date}) AS m
  INNER JOIN klass AS k ON k.id = m.group_id
  LEFT JOIN enrolled_on AS e ON e.pk = m.pk
  WHERE m.pk IN (SELECT pk FROM pupil_pks) AND ${isTested('st', 'sy')})`;

/** Persons with a sign-in in the window. */
export const signed = `signed AS (
  SELECT DISTINCT pn.pk AS pk
  FROM (SELECT DISTINCT user FROM signin_daily WHERE day >= {from:Date} AND day <= {to:Date}) AS s
  INNER JOIN ident_pk AS pn ON pn.user = s.user
  WHERE pn.pk != 0)`;

const label = (st: string, sy: string) => `if(${sy} >= 0, concat(${st}, ' ', toString(${sy})), ${st})`;

interface Counted { level: ReadinessLevel; unit: string; group_id: string; years: string[]; pupils: number; signed_in: number }

export async function signInReadinessReport(storage: Storage, p: ReadinessParams): Promise<ReadinessRow[]> {
  const window = readinessWindow(p.date, p.days);
  const params = { date: p.date, ...window, units: [...(p.units ?? [])], groups: p.groups ?? [], ...testedParams(p.tested) };
  // A school unit's rows only for callers who see the unit (not a teacher limited to classes).
  const schools = p.groups === undefined;
  const unitEnrolled = p.units ? ' AND has({units:Array(String)}, unit)' : '';
  const [counted, names] = await Promise.all([
    queryRows<Counted>(
      storage.read,
      withBlocks(
        // One pass: each pupil row with its sign-in flag, grouped per class and (unless limited
        // to classes) per unit; a unit's set also takes the pupils enrolled there in no class.
        `SELECT if(grouping(group_id) = 1, 'school', 'class') AS level, unit, group_id, arraySort(groupUniqArray(y)) AS years,
                uniqExact(pk) AS pupils, uniqExactIf(pk, s) AS signed_in
         FROM (SELECT unit, group_id, pk, y, pk IN (SELECT pk FROM signed) AS s FROM (
                 SELECT unit, group_id, pk, ${label('st', 'sy')} AS y FROM class_pupils${schools ? `
                 UNION ALL
                 SELECT unit, '' AS group_id, pk, ${label('st', 'sy')} AS y FROM enrolled_on WHERE ${isTested('st', 'sy')}${unitEnrolled}` : ''}))
         GROUP BY ${schools ? 'GROUPING SETS ((unit, group_id), (unit))' : 'unit, group_id'}
         HAVING level = 'school' OR group_id != ''`,
        enrolledOn, classesOf(p), classPupils, signed,
      ),
      params,
      ['pupils', 'signed_in'],
    ),
    rowNames(storage),
  ]);
  const rows = counted.map((c): ReadinessRow => ({
    level: c.level, school: c.unit, schoolName: names.unit.get(c.unit) || c.unit, group: c.group_id, groupName: names.group.get(c.group_id) || c.group_id,
    years: c.years, pupils: c.pupils, signedIn: c.signed_in, notSignedIn: c.pupils - c.signed_in, signedInShare: c.pupils > 0 ? c.signed_in / c.pupils : null,
  }));
  // Each school unit, then its classes; lowest share first within a school, so what needs doing is on top.
  const unitOrder = (r: ReadinessRow) => r.schoolName;
  return rows.sort((a, b) =>
    unitOrder(a).localeCompare(unitOrder(b), 'sv') || a.school.localeCompare(b.school) || (a.level === b.level ? 0 : a.level === 'school' ? -1 : 1)
    || a.groupName.localeCompare(b.groupName, 'sv', { numeric: true }) || a.group.localeCompare(b.group));
}

/** The pupils of one class (as figure 16 counts them) without a sign-in in the window. */
export async function notSignedInPupils(storage: Storage, p: Omit<ReadinessParams, 'groups' | 'units'> & { group: string }): Promise<NotSignedInPupil[]> {
  const window = readinessWindow(p.date, p.days);
  const params = { date: p.date, ...window, groups: [p.group], units: [], ...testedParams(p.tested) };
  return queryRows<NotSignedInPupil>(
    storage.read,
    withBlocks(
      `SELECT c.person_key AS pseudonym, ${label('c.st', 'c.sy')} AS years, if(l.pk = 0, NULL, toString(l.last)) AS lastSignIn
       FROM (SELECT * FROM class_pupils WHERE pk NOT IN (SELECT pk FROM signed)) AS c
       LEFT JOIN (SELECT pn.pk AS pk, max(s.day) AS last FROM signin_daily AS s INNER JOIN ident_pk AS pn ON pn.user = s.user
                  WHERE s.day <= {to:Date} AND pn.pk IN (SELECT pk FROM class_pupils) GROUP BY pk) AS l ON l.pk = c.pk
       ORDER BY pseudonym`,
      enrolledOn, classesOf({ ...p, groups: [p.group] }), classPupils, signed,
    ),
    params,
  );
}

async function rowNames(storage: Storage) {
  const [groups, orgs] = await Promise.all([
    queryRows<{ id: string; name: string }>(storage.read, `SELECT id, name FROM groups FINAL WHERE type = 'Klass'`),
    queryRows<{ id: string; name: string }>(storage.read, 'SELECT id, name FROM organisations FINAL'),
  ]);
  return { group: new Map(groups.map((g) => [g.id, g.name])), unit: new Map(orgs.map((o) => [o.id, o.name])) };
}
