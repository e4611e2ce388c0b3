import type { Block } from './block.ts';
import { halfOf, span, windowHalves } from './masks.ts';

/**
 * Figures 5 and 6 on masks: who is entitled to which licence on which days, and which licence
 * each day of use goes to. The roster blocks they build on (person_scopes, lic_scope, pupils,
 * staff) are in sql.ts.
 */

const pupilPks = `pupil_pks AS (SELECT reinterpretAsUInt128(unhex(person_key)) AS pk FROM pupils)`;
const staffPks = `staff_pks AS (SELECT reinterpretAsUInt128(unhex(person_key)) AS pk FROM staff)`;

/**
 * Persons whose scopes and roles are alike (the pupils of one class who did not move: same
 * unit, same group, same dates) share a signature, and figure 5 is worked out once per
 * signature instead of once per person: a class's pupils share one, so the entitlement rows
 * fall about seventeenfold (docs/benchmarks.md, "Measurements behind the code", "Scope signatures"). The signature
 * is a 128-bit hash of the sorted scopes; a collision between two of a few thousand
 * signatures has a probability below 10^-30. Pupil and staff are read off the scopes' sources
 * as `pupils` and `staff` define them (for anyone with a scope, the only persons that matter).
 */
const personSig = `person_sig AS (
  SELECT pk, reinterpretAsUInt128(sipHash128(scopes, pupil, staff)) AS sig, scopes, pupil, staff FROM (
    SELECT pk, arraySort(groupUniqArray((k, ref, start, end))) AS scopes,
           max(src = 'e') OR (max(src = 'm') AND NOT max(src = 'd')) AS pupil, max(src = 'd') AS staff
    FROM person_scopes GROUP BY pk))`;

/** Person -> signature, for the persons with any scope. */
const sigs: Block = {
  name: 'sigs',
  live: `sigs AS (SELECT pk, sig FROM person_sig)`,
  cached: () => `sigs AS (SELECT pk, sig FROM rc_sig WHERE build = {build:UInt64})`,
};

/**
 * Days of use in the window per person with a scope, product and half-year, whatever
 * identifiers they used; with the person's signature. The GROUP BY also keeps the planner from
 * merging the joins below into the one with `candidates` (see class-usage.ts).
 */
const personDays = `person_days AS (
  SELECT p.pk AS pk, any(s.sig) AS sig, p.product AS product, p.half AS half, groupBitOr(p.days) AS used
  FROM people AS p INNER JOIN sigs AS s ON s.pk = p.pk
  WHERE p.pk != 0
  GROUP BY pk, product, half)`;

/** The same for the usage rows written since a cache build, resolved at query time. */
const freshDays: Block = { name: 'fresh_days', cached: () => `fresh_days AS (
  SELECT p.pk AS pk, any(s.sig) AS sig, p.product AS product, p.half AS half, groupBitOr(p.days) AS used
  FROM usage_masks AS p INNER JOIN sigs AS s ON s.pk = p.pk
  WHERE p.pk != 0 AND p.seen >= {since:DateTime}
  GROUP BY pk, product, half)` };

/**
 * Figure 5 as intervals, per signature: each licence of a product its persons are entitled
 * to, from when to when within the window (one row per scope they reach it through).
 */
const entitled = `entitled AS (
  SELECT s.sig AS sig, ls.product AS product, ls.licence AS licence, ls.rank AS rank, ls.lstart AS lstart,
         greatest(s.start, ls.lstart, {from:Date}) AS cf, least(s.end, ls.lend, {to:Date}) AS ct
  FROM (SELECT sig, sc.1 AS k, sc.2 AS ref, sc.3 AS start, sc.4 AS end, pupil, staff
        FROM (SELECT DISTINCT sig, scopes, pupil, staff FROM person_sig) ARRAY JOIN scopes AS sc) AS s
  INNER JOIN lic_scope AS ls ON ls.k = s.k AND ls.ref = s.ref
  WHERE cf <= ct AND (empty({products:Array(String)}) OR has({products:Array(String)}, ls.product))
    AND (ls.audience = 'all' OR (ls.audience = 'students' AND s.pupil) OR (ls.audience = 'staff' AND s.staff)))`;

/**
 * Figure 6 per signature, product and half-year of the window: going down the candidate
 * licences in order (most specific scope, earliest start, smallest id), the days each one
 * wins are its entitlement days that no earlier one covers (`owns`, a mask per licence).
 * ARRAY JOIN, not a join with `win`: joined, the planner merged it into the outer join and
 * computed these masks once per person instead of once per signature (docs/benchmarks.md, "Measurements behind the code",
 * "Join reordering").
 * A cache build holds them for its whole range, not cut to a window: a day of use outside the
 * window is not in `used`, so what a licence claims is the same.
 */
const candidates: Block = {
  name: 'candidates',
  live: `candidates AS (
  SELECT sig, product, half, arrayMap(x -> x.1, cs) AS licences,
         arrayMap(x -> ${span('half', 'x.4', 'x.5')}, cs) AS ranges,
         arrayMap((r, i) -> bitAnd(r, bitNot(arrayReduce('groupBitOr', arraySlice(ranges, 1, i - 1)))), ranges, arrayEnumerate(ranges)) AS owns
  FROM (SELECT sig, product, arraySort(c -> (c.2, c.3, c.1), groupArray((licence, rank, lstart, cf, ct))) AS cs FROM entitled GROUP BY sig, product)
  ARRAY JOIN ${windowHalves} AS half)`,
  cached: () => `candidates AS (
  SELECT sig, product, half, licences, owns FROM rc_candidates
  WHERE build = {build:UInt64} AND half >= ${halfOf('{from:Date}')} AND half <= {to:Date}
    AND (empty({products:Array(String)}) OR has({products:Array(String)}, product)))`,
};

/**
 * Each person-day of use goes to the licence that wins that day: one row per person x
 * product x half-year x licence with the days it claimed. The licensed active users of L are
 * the distinct persons with a row of L.
 */
const claimsOf = (days: string) => `SELECT pk, product, half, licence, claim FROM (
    SELECT p.pk AS pk, p.product AS product, p.half AS half, c.licences AS licences, arrayMap(o -> bitAnd(p.used, o), c.owns) AS cl
    FROM ${days} AS p INNER JOIN candidates AS c ON c.sig = p.sig AND c.product = p.product AND c.half = p.half)
  ARRAY JOIN licences AS licence, cl AS claim
  WHERE claim != 0`;

/**
 * From a cache build: its claims cut to the window, and the claims of the usage written since,
 * worked out now (a day's licence does not depend on other days).
 */
const claims: Block = {
  name: 'claims',
  live: `claims AS (${claimsOf('person_days')})`,
  cached: (res) => `claims AS (
  SELECT r.pk AS pk, r.product AS product, r.half AS half, r.licence AS licence, bitAnd(r.claim, w.wm) AS claim
  FROM rc_claims AS r INNER JOIN win AS w ON w.half = r.half
  WHERE r.build = {build:UInt64} AND r.half >= ${halfOf('{from:Date}')} AND r.half <= {to:Date} AND claim != 0
    AND (empty({products:Array(String)}) OR has({products:Array(String)}, r.product))${res.live ? `
  UNION ALL
  ${claimsOf('fresh_days')}` : ''})`,
};

const named = (sql: string): Block => ({ name: /^(\w+) AS \(/.exec(sql)![1], live: sql });

export const ENTITLEMENT_BLOCKS: Block[] = [
  named(pupilPks), named(staffPks), named(personSig), sigs, named(personDays), freshDays, named(entitled), candidates, claims,
];
