import { halfEnd, halfOf, lastBit, span, windowHalves } from './masks.ts';
import type { Resolution } from './resolution-state.ts';

/**
 * The blocks of class usage (figure 4) that count use on member days: `member_use` (one row
 * per group x product x half-year x pupil with the member days used and their events) and
 * `activity` (per group and product). They need a `grp` block (the groups asked about).
 */

/**
 * Events of the member days used: `day_events` is keyed by day offset within the half-year.
 * Mostly the member days are one stretch `lo..hi`, and comparing offsets is what it costs; a
 * pupil who left a group and came back is tested day by day against the mask (a 256-bit
 * shift per entry, too dear for every row: docs/benchmarks.md, "Measurements behind the code", "Member days").
 */
const eventsIn = (d: string, dayEvents: string, m: string) =>
  `if(${m}.single, arraySum((o, e) -> if(o >= ${m}.lo AND o <= ${m}.hi, e, 0), ${dayEvents}.1, ${dayEvents}.2),
        arraySum((o, e) -> if(bitAnd(${d}, bitShiftLeft(toUInt256(1), o)) != 0, e, 0), ${dayEvents}.1, ${dayEvents}.2))`;

/**
 * Each pupil's member days per group and half-year of the window, as one mask: two
 * memberships of one group covering the same day count that day once.
 */
const memberSpansLive = `member_spans AS (
  SELECT pk, group_id, h AS half, groupBitOr(${span('h', 'greatest(start, {from:Date})', 'least(end, {to:Date})')}) AS mm,
         min(toInt32(toUInt16(greatest(start, {from:Date}, h))) - toUInt16(h)) AS lo,
         max(toInt32(toUInt16(least(end, {to:Date}, ${halfEnd('h')}))) - toUInt16(h)) AS hi,
         bitCount(mm) = hi - lo + 1 AS single
  FROM mships ARRAY JOIN ${windowHalves} AS h
  WHERE start <= {to:Date} AND end >= {from:Date} AND group_id IN (SELECT id FROM grp) AND pk IN (SELECT pk FROM pupil_pks)
  GROUP BY pk, group_id, half
  HAVING mm != 0)`;

/**
 * The same from a cache build, which holds them per whole half-year: cut to the window here.
 * One stretch cut to the window is still one stretch.
 */
const memberSpansCached = `member_spans AS (
  SELECT m.pk AS pk, m.group_id AS group_id, m.half AS half, bitAnd(m.mm, w.wm) AS mm,
         greatest(m.lo, toInt32(toUInt16(greatest({from:Date}, m.half))) - toUInt16(m.half)) AS lo,
         least(m.hi, toInt32(toUInt16(least({to:Date}, ${halfEnd('m.half')}))) - toUInt16(m.half)) AS hi, m.single AS single
  FROM rc_members AS m INNER JOIN win AS w ON w.half = m.half
  WHERE m.build = {build:UInt64} AND m.half >= ${halfOf('{from:Date}')} AND m.half <= {to:Date} AND mm != 0
    AND m.group_id IN (SELECT id FROM grp))`;

/** The products each group is licensed for, with the licence period (its own, its unit's, its organiser's licences). */
const groupLicences = `SELECT DISTINCT g.id AS group_id, s.product AS product, s.lstart AS lstart, s.lend AS lend
  FROM (SELECT id, gk.1 AS k, gk.2 AS ref FROM GROUPS ARRAY JOIN [('g', id), ('u', unit)] AS gk) AS g
  INNER JOIN lic_scope AS s ON s.k = g.k AND s.ref = g.ref`;

/** What a cache build holds of them: every group's. */
export const groupLicencesForBuild = groupLicences.replace('GROUPS', '(SELECT id, unit FROM groups FINAL)');

/** The groups asked about (`grp`) and their licensed products in the window, from a build or read live. */
export const licensedPairs = (res: Resolution | null) =>
  res
    ? `SELECT DISTINCT group_id, product FROM rc_group_licences
       WHERE build = {build:UInt64} AND lstart <= {to:Date} AND lend >= {from:Date} AND group_id IN (SELECT id FROM grp)
         AND (empty({products:Array(String)}) OR has({products:Array(String)}, product))`
    : `SELECT DISTINCT group_id, product FROM (${groupLicences.replace('GROUPS', 'grp')})
       WHERE lstart <= {to:Date} AND lend >= {from:Date} AND (empty({products:Array(String)}) OR has({products:Array(String)}, product))`;

/** What a cache build holds of member spans: all of them, per whole half-year. */
export const memberSpansForBuild = `SELECT pk, group_id, h AS half, groupBitOr(${span('h', 'start', 'end')}) AS mm,
    min(toInt32(toUInt16(greatest(start, h))) - toUInt16(h)) AS lo, max(toInt32(toUInt16(least(end, ${halfEnd('h')}))) - toUInt16(h)) AS hi,
    bitCount(mm) = hi - lo + 1 AS single
  FROM mships ARRAY JOIN ${windowHalves} AS h
  WHERE start <= ${halfEnd('h')} AND end >= h AND pk IN (SELECT pk FROM pupil_pks)
  GROUP BY pk, group_id, half
  HAVING mm != 0`;

/**
 * The same by user pseudonym, so that usage rows are joined on their own key. The GROUP BY
 * keeps the planner from merging this join into the outer one: it reorders flattened inner
 * joins and once joined usage to members on the half-year alone, with the person as a filter
 * afterwards, hundreds of times the work (docs/benchmarks.md, "Measurements behind the code", "Join
 * reordering"). `only` limits it to some persons.
 */
const memberUsers = (only = '') => `member_users AS (
  SELECT ip.user AS user, s.pk AS pk, s.group_id AS group_id, s.half AS half, groupBitOr(s.mm) AS mm,
         any(s.lo) AS lo, any(s.hi) AS hi, any(s.single) AS single
  FROM member_spans AS s INNER JOIN ident_pk AS ip ON ip.pk = s.pk${only}
  GROUP BY user, pk, group_id, half)`;

/** Use rows by user pseudonym joined to members: what is not in a cache build, or everything. */
const fromUsage = `SELECT m.group_id AS group_id, u.product AS product, u.half AS half, m.pk AS pk, bitAnd(u.days, m.mm) AS d,
         ${eventsIn('d', 'u.day_events', 'm')} AS ev
      FROM usage_rows AS u INNER JOIN member_users AS m ON m.user = u.user AND m.half = u.half
      WHERE d != 0`;

/**
 * From a cache build: use already resolved to persons, joined to members by person. The
 * persons with usage written since the build are left out here and read from the usage rows
 * (all of theirs, so that no event is counted twice).
 */
const fromBuild = (live: boolean) => `SELECT s.group_id AS group_id, r.product AS product, r.half AS half, r.pk AS pk, bitAnd(bitAnd(r.days, w.wm), s.mm) AS d,
         ${eventsIn('d', 'r.day_events', 's')} AS ev
      FROM rc_usage AS r INNER JOIN win AS w ON w.half = r.half INNER JOIN member_spans AS s ON s.pk = r.pk AND s.half = r.half
      WHERE r.build = {build:UInt64} AND r.half >= ${halfOf('{from:Date}')} AND r.half <= {to:Date} AND r.pk != 0 AND d != 0
        AND (empty({products:Array(String)}) OR has({products:Array(String)}, r.product))${live ? ' AND r.pk NOT IN (SELECT pk FROM touched)' : ''}`;

/** Persons with usage rows written since the build, in the window's half-years. */
export const touched = `touched AS (
  SELECT DISTINCT pn.pk AS pk FROM usage_days AS u INNER JOIN ident_pk AS pn ON pn.user = u.user
  WHERE u.seen >= {since:DateTime} AND u.half >= ${halfOf('{from:Date}')} AND u.half <= {to:Date} AND pn.pk != 0)`;

const activity = `activity AS (
  SELECT group_id, product, uniqExactMerge(pupils) AS active, sum(ev) AS events, sum(bitCount(dd)) AS active_days,
         max(half + ${lastBit('dd')}) AS last_active
  FROM (SELECT group_id, product, half, uniqExactState(pk) AS pupils, sum(ev) AS ev, groupBitOr(d) AS dd
        FROM member_use GROUP BY group_id, product, half)
  GROUP BY group_id, product)`;

export function memberUseBlocks(res: Resolution | null): string[] {
  if (!res) return [memberSpansLive, memberUsers(), `member_use AS (${fromUsage})`, activity];
  if (!res.live) return [memberSpansCached, `member_use AS (${fromBuild(false)})`, activity];
  return [
    memberSpansCached, touched, memberUsers(' WHERE s.pk IN (SELECT pk FROM touched)'),
    `member_use AS (${fromBuild(true)}
      UNION ALL
      ${fromUsage})`,
    activity,
  ];
}
