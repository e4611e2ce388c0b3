import { halfOf, span, windowHalves } from './masks.ts';

/**
 * The building blocks every report shares, as ClickHouse CTEs. ClickHouse inlines a CTE
 * where it is used (a CTE used twice runs twice), so a report pays only for the blocks it
 * references, and a block that two parts of one query need is worth restructuring for.
 *
 * Parameters used here: {from:Date}, {to:Date} (the usage window), {products:Array(String)}
 * (empty = all).
 *
 * Everything is resolved at query time: identities (figure 1), product identifiers
 * (figure 2), memberships with validity (3). So a roster or a mapping that arrives later
 * applies to events that arrived before it.
 *
 * Two families of blocks: the day-level ones (`usage`, `pday`, `attributed`: one row per
 * product x person x day, from `usage_daily`) and the mask-level ones (`usage_masks`,
 * `person_days`, `claims`: one row per product x person x half-year with the days as a
 * 256-bit mask, from `usage_days`). They give the same figures; the reports of this package
 * use the mask-level ones, which read about a seventeenth of the rows (docs/benchmarks.md).
 */

/** Product identifier (normal form) -> product id. A product's own id is one of its identifiers. */
const productMap = `product_map AS (
  SELECT ident, min(id) AS product
  FROM (SELECT id, arrayJoin(identifiers) AS ident FROM products FINAL WHERE deleted = 0)
  GROUP BY ident)`;

/**
 * Every identifier seen in events -> product: exact identifier first, else the URL's host.
 * One join with both keys (each block a query names is planned afresh wherever it is named).
 */
const identProduct = `ident_product AS (
  SELECT i.product_ident AS product_ident, argMinIf(pm.product, i.pri, pm.product != '') AS product
  FROM (SELECT product_ident, c.1 AS key, c.2 AS pri
        FROM (SELECT DISTINCT product_ident FROM ident_daily) ARRAY JOIN [(toString(product_ident), 0), (domain(product_ident), 1)] AS c) AS i
  LEFT JOIN product_map AS pm ON pm.ident = i.key
  GROUP BY i.product_ident)`;

/** User pseudonym -> person; the latest import wins if an identifier moved. */
const identPerson = `ident_person AS (
  SELECT ident_key, argMax(person_key, version) AS person_key FROM identities GROUP BY ident_key)`;

/** Usage in the window at product x user x day, with product and person resolved ('' = unresolved). */
const usage = `usage AS (
  SELECT u.day AS day, ip.product AS product, u.user_key AS user_key, ipn.person_key AS person_key,
         u.events AS events, u.first_time AS first_time, u.last_time AS last_time
  FROM (SELECT product_ident, day, user_key, sum(events) AS events, min(first_time) AS first_time, max(last_time) AS last_time
        FROM usage_daily WHERE day >= {from:Date} AND day <= {to:Date}
        GROUP BY product_ident, day, user_key) AS u
  INNER JOIN ident_product AS ip ON ip.product_ident = u.product_ident
  LEFT JOIN ident_person AS ipn ON ipn.ident_key = u.user_key
  WHERE ip.product != '' AND (empty({products:Array(String)}) OR has({products:Array(String)}, ip.product)))`;

/** Resolved usage per person-day: one row per product x person x day, whatever identifiers were used. */
const pday = `pday AS (
  SELECT product, person_key, day, sum(events) AS events
  FROM usage WHERE person_key != '' GROUP BY product, person_key, day)`;

const staff = `staff AS (SELECT DISTINCT person_key FROM duties FINAL WHERE person_key != '')`;

/** Pupils: an enrolment, or (registers that omit enrolments) group memberships without any duty. */
const pupils = `pupils AS (
  SELECT person_key FROM enrolments FINAL
  UNION DISTINCT
  SELECT person_key FROM memberships FINAL WHERE person_key NOT IN (SELECT person_key FROM duties FINAL WHERE person_key != ''))`;

/** Memberships clipped to their group's own validity; empty ranges dropped. */
const mships = `mships AS (
  SELECT m.group_id AS group_id, m.person_key AS person_key, reinterpretAsUInt128(unhex(m.person_key)) AS pk, g.unit AS unit,
         greatest(m.start, g.start) AS start, least(m.end, g.end) AS end
  FROM (SELECT group_id, person_key, start, end FROM memberships FINAL) AS m
  INNER JOIN (SELECT id, unit, start, end FROM groups FINAL) AS g ON g.id = m.group_id
  WHERE greatest(m.start, g.start) <= least(m.end, g.end))`;

/** Every name of every organisation node above (and including) each unit; units the tree lacks name themselves. */
const unitRefs = `unit_refs AS (
  SELECT unit, ref FROM org_closure
  UNION DISTINCT
  SELECT unit, unit AS ref FROM (
    SELECT unit FROM groups FINAL UNION DISTINCT SELECT unit FROM enrolments FINAL
    UNION DISTINCT SELECT unit FROM duties FINAL))`;

/** Where a person belongs on which days: enrolled at, on duty at, or member of a group of a unit. */
const affil = `affil AS (
  SELECT person_key, unit, start, end FROM enrolments FINAL
  UNION ALL SELECT person_key, unit, start, end FROM duties FINAL WHERE person_key != ''
  UNION ALL SELECT person_key, unit, start, end FROM mships)`;

/**
 * Every scope a person is in, with validity: groups ('g') and units ('u'), as `affil` and
 * `mships` give them; `src` says where from (membership, enrolment, duty). Memberships are
 * named once (a block named twice is computed twice).
 */
const personScopes = `person_scopes AS (
  SELECT person_key, reinterpretAsUInt128(unhex(person_key)) AS pk, src, sc.1 AS k, sc.2 AS ref, start, end FROM (
    SELECT person_key, 'm' AS src, [('g', group_id), ('u', unit)] AS scopes, start, end FROM mships
    UNION ALL SELECT person_key, 'e' AS src, [('u', unit)] AS scopes, start, end FROM enrolments FINAL
    UNION ALL SELECT person_key, 'd' AS src, [('u', unit)] AS scopes, start, end FROM duties FINAL WHERE person_key != '')
  ARRAY JOIN scopes AS sc)`;

/** Live licences, their product resolved like an event's (a licence may name the product by any identifier). */
const lic = `lic AS (
  SELECT l.id AS id, if(pm.product != '', pm.product, l.product) AS product, l.seats AS seats, l.scope_type AS scope_type,
         l.scope_ids AS scope_ids, l.audience AS audience, l.start AS start, l.end AS end, l.price AS price,
         l.currency AS currency, l.buyer AS buyer
  FROM (SELECT * FROM licences FINAL WHERE deleted = 0) AS l
  LEFT JOIN product_map AS pm ON pm.ident = lower(l.product))`;

/**
 * Each licence's reach as (k, ref): its groups, or every unit under its school/organisation
 * scope ids. `rank` is the specificity of figure 6: group 0, school unit 1, organisation 2.
 */
const licScope = `lic_scope AS (
  SELECT l.id AS licence, l.product AS product, multiIf(l.scope_type = 'group', 0, l.scope_type = 'school', 1, 2) AS rank,
         if(l.scope_type = 'group', 'g', 'u') AS k, if(l.scope_type = 'group', l.sref, r.unit) AS ref,
         l.audience AS audience, l.start AS lstart, l.end AS lend
  FROM (SELECT id, product, scope_type, audience, start, end, arrayJoin(scope_ids) AS sref FROM lic) AS l
  LEFT JOIN unit_refs AS r ON r.ref = if(l.scope_type = 'group', '', l.sref)
  WHERE ref != '')`;

/**
 * Figure 6: each person-day of use goes to exactly one licence of its product: the most
 * specific scope the person is entitled to that day, then the earliest start, then the
 * smallest id. Entitlement (figure 5): the day in the licence period, the person in its
 * audience, and on that day in its scope.
 */
const attributed = `attributed AS (
  SELECT p.person_key AS person_key, p.product AS product, p.day AS day,
         argMin(ls.licence, (ls.rank, ls.lstart, ls.licence)) AS licence
  FROM pday AS p
  INNER JOIN person_scopes AS s ON s.person_key = p.person_key
  INNER JOIN lic_scope AS ls ON ls.product = p.product AND ls.k = s.k AND ls.ref = s.ref
  WHERE p.day >= s.start AND p.day <= s.end AND p.day >= ls.lstart AND p.day <= ls.lend
    AND (ls.audience = 'all'
      OR (ls.audience = 'students' AND p.person_key IN (SELECT person_key FROM pupils))
      OR (ls.audience = 'staff' AND p.person_key IN (SELECT person_key FROM staff)))
  GROUP BY p.person_key, p.product, p.day)`;

// ---- mask-level blocks ----

/**
 * The window as a mask of each half-year it touches. Joined to usage rows by half-year: the
 * mask computed in each row instead costs several 256-bit operations per row (measured on
 * the benchmark's 460,000 rows of a month: 200-260 ms of CPU against 58 ms joined).
 */
const win = `win AS (SELECT h AS half, ${span('h', '{from:Date}', '{to:Date}')} AS wm FROM (SELECT arrayJoin(${windowHalves}) AS h))`;

/** User pseudonym (as the number `usage_days` keys it by) -> person, both as 128-bit numbers. */
const identPk = `ident_pk AS (
  SELECT reinterpretAsUInt128(unhex(ident_key)) AS user, reinterpretAsUInt128(unhex(argMax(person_key, version))) AS pk
  FROM identities GROUP BY ident_key)`;

const pupilPks = `pupil_pks AS (SELECT reinterpretAsUInt128(unhex(person_key)) AS pk FROM pupils)`;
const staffPks = `staff_pks AS (SELECT reinterpretAsUInt128(unhex(person_key)) AS pk FROM staff)`;

/**
 * Use in the window, one row per product identifier x user x half-year (unmerged rows may
 * repeat a key: every figure ORs, sums or counts distinct, which they do not change), with the
 * product and the person resolved. `pk` is 0 for an unresolved user; `who` is the person, or
 * the user when unresolved (a person's own key is always one of their identities, so the two
 * never meet). `days` is limited to the window; `day_events` is not.
 */
const usageMasks = `usage_masks AS (
  SELECT u.half AS half, ip.product AS product, u.user AS user, pn.pk AS pk, if(pn.pk != 0, pn.pk, u.user) AS who,
         bitAnd(u.days, w.wm) AS days, u.day_events AS day_events
  FROM usage_days AS u
  INNER JOIN win AS w ON w.half = u.half
  INNER JOIN ident_product AS ip ON ip.product_ident = u.product_ident
  LEFT JOIN ident_pk AS pn ON pn.user = u.user
  WHERE u.half >= ${halfOf('{from:Date}')} AND u.half <= {to:Date} AND days != 0 AND ip.product != ''
    AND (empty({products:Array(String)}) OR (has({products:Array(String)}, ip.product)
      AND u.product_ident IN (SELECT product_ident FROM ident_product WHERE has({products:Array(String)}, product)))))`;

/**
 * Persons whose scopes and roles are alike (the pupils of one class who did not move: same
 * unit, same group, same dates) share a signature, and figure 5 is worked out once per
 * signature instead of once per person: at scale 0.2 of the benchmark 6,600 persons have
 * about 400 signatures, and the entitlement rows fall from 189,000 to 11,000. The signature
 * is a 128-bit hash of the sorted scopes; a collision between two of a few thousand
 * signatures has a probability below 10^-30. Pupil and staff are read off the scopes' sources
 * as `pupils` and `staff` define them (for anyone with a scope, the only persons that matter).
 */
const personSig = `person_sig AS (
  SELECT pk, sipHash128(scopes, pupil, staff) AS sig, scopes, pupil, staff FROM (
    SELECT pk, arraySort(groupUniqArray((k, ref, start, end))) AS scopes,
           max(src = 'e') OR (max(src = 'm') AND NOT max(src = 'd')) AS pupil, max(src = 'd') AS staff
    FROM person_scopes GROUP BY pk))`;

/** User pseudonym -> person and their signature, for the persons with any scope. */
const identSig = `ident_sig AS (
  SELECT i.user AS user, i.pk AS pk, s.sig AS sig FROM ident_pk AS i INNER JOIN person_sig AS s ON s.pk = i.pk)`;

/**
 * Days of use in the window per person with a scope, product and half-year, whatever
 * identifiers they used; with the person's signature.
 */
const personDays = `person_days AS (
  SELECT pn.pk AS pk, any(pn.sig) AS sig, ip.product AS product, u.half AS half, groupBitOr(bitAnd(u.days, w.wm)) AS used
  FROM usage_days AS u
  INNER JOIN win AS w ON w.half = u.half
  INNER JOIN ident_product AS ip ON ip.product_ident = u.product_ident
  INNER JOIN ident_sig AS pn ON pn.user = u.user
  WHERE u.half >= ${halfOf('{from:Date}')} AND u.half <= {to:Date} AND bitAnd(u.days, w.wm) != 0 AND ip.product != ''
    AND (empty({products:Array(String)}) OR (has({products:Array(String)}, ip.product)
      AND u.product_ident IN (SELECT product_ident FROM ident_product WHERE has({products:Array(String)}, product))))
  GROUP BY pk, product, half)`;

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
 * computed these masks once per person instead of once per signature (200 ms more a month).
 */
const candidates = `candidates AS (
  SELECT sig, product, half, arrayMap(x -> x.1, cs) AS licences,
         arrayMap(x -> ${span('half', 'x.4', 'x.5')}, cs) AS ranges,
         arrayMap((r, i) -> bitAnd(r, bitNot(arrayReduce('groupBitOr', arraySlice(ranges, 1, i - 1)))), ranges, arrayEnumerate(ranges)) AS owns
  FROM (SELECT sig, product, arraySort(c -> (c.2, c.3, c.1), groupArray((licence, rank, lstart, cf, ct))) AS cs FROM entitled GROUP BY sig, product)
  ARRAY JOIN ${windowHalves} AS half)`;

/**
 * Each person-day of use goes to the licence that wins that day: one row per person x
 * product x half-year x licence with the days it claimed. The licensed active users of L are
 * the distinct persons with a row of L.
 */
const claims = `claims AS (
  SELECT pk, product, half, licence, claim FROM (
    SELECT p.pk AS pk, p.product AS product, p.half AS half, c.licences AS licences, arrayMap(o -> bitAnd(p.used, o), c.owns) AS cl
    FROM person_days AS p INNER JOIN candidates AS c ON c.sig = p.sig AND c.product = p.product AND c.half = p.half)
  ARRAY JOIN licences AS licence, cl AS claim
  WHERE claim != 0)`;

const BLOCKS = [
  productMap, identProduct, identPerson, usage, pday, staff, pupils, mships, unitRefs, affil, personScopes, lic, licScope, attributed,
  win, identPk, pupilPks, staffPks, usageMasks, personSig, identSig, personDays, entitled, candidates, claims,
];

export const ALL_CTES = BLOCKS.join(',\n');

/** `WITH` and every shared block, followed by the report's own blocks. */
export function withShared(...own: string[]): string {
  return `WITH ${[ALL_CTES, ...own].join(',\n')}\n`;
}

const named = BLOCKS.map((sql) => ({ name: /^(\w+) AS \(/.exec(sql)![1], sql }));
const mentions = (text: string, name: string) => new RegExp(`\\b${name}\\b`).test(text);

/**
 * A query with only the shared blocks it needs (those its text and its own blocks name, and
 * theirs in turn). Every block of a WITH is parsed and analysed even when unused: all 22
 * cost about 12 ms of CPU per query, a tenth of a small report.
 */
export function withBlocks(select: string, ...own: string[]): string {
  const needed = new Set<string>();
  let frontier = [select, ...own].join('\n');
  for (;;) {
    const found = named.filter((b) => !needed.has(b.name) && mentions(frontier, b.name));
    if (!found.length) break;
    for (const b of found) needed.add(b.name);
    frontier = found.map((b) => b.sql).join('\n');
  }
  const blocks = [...named.filter((b) => needed.has(b.name)).map((b) => b.sql), ...own];
  return blocks.length ? `WITH ${blocks.join(',\n')}\n${select}` : select;
}
