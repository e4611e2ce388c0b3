import type { Block } from './block.ts';
import { ENTITLEMENT_BLOCKS } from './entitlement-blocks.ts';
import type { Resolution } from './resolution-state.ts';
import { USAGE_BLOCKS } from './usage-blocks.ts';

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
 * Two families of blocks: the day-level ones here (`usage`, `pday`, `attributed`: one row per
 * product x person x day, from `usage_daily`) and the mask-level ones (usage-blocks.ts,
 * entitlement-blocks.ts: one row per product x person x half-year with the days as a 256-bit
 * mask, from `usage_days`). They give the same figures (masks.test.ts); the reports of this
 * package use the mask-level ones, which read a fraction of the rows (docs/benchmarks.md).
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

const DAY_LEVEL = [
  productMap, identProduct, identPerson, usage, pday, staff, pupils, mships, unitRefs, affil, personScopes, lic, licScope, attributed,
];

const named = (sql: string): Block => ({ name: /^(\w+) AS \(/.exec(sql)![1], live: sql });
const BLOCKS: Block[] = [...DAY_LEVEL.map(named), ...USAGE_BLOCKS, ...ENTITLEMENT_BLOCKS];

export const ALL_CTES = BLOCKS.flatMap((b) => (b.live ? [b.live] : [])).join(',\n');

/** `WITH` and every shared block, followed by the report's own blocks. */
export function withShared(...own: string[]): string {
  return `WITH ${[ALL_CTES, ...own].join(',\n')}\n`;
}

const mentions = (text: string, name: string) => new RegExp(`\\b${name}\\b`).test(text);

/**
 * Queries with only the shared blocks they need (those their text and their own blocks name,
 * and theirs in turn), in the variant of a resolution cache build when one is given. Every
 * block of a WITH is parsed and analysed even when unused: all of them cost a tenth of a small
 * report (docs/benchmarks.md, "Measurements behind the code", "Only the blocks a query names").
 */
export function sqlFor(res?: Resolution | null): (select: string, ...own: string[]) => string {
  const pick = BLOCKS.flatMap((b) => {
    const sql = res && b.cached ? b.cached(res) : b.live;
    return sql ? [{ name: b.name, sql }] : [];
  });
  return (select, ...own) => {
    const needed = new Set<string>();
    let frontier = [select, ...own].join('\n');
    for (;;) {
      const found = pick.filter((b) => !needed.has(b.name) && mentions(frontier, b.name));
      if (!found.length) break;
      for (const b of found) needed.add(b.name);
      frontier = found.map((b) => b.sql).join('\n');
    }
    const blocks = [...pick.filter((b) => needed.has(b.name)).map((b) => b.sql), ...own];
    return blocks.length ? `WITH ${blocks.join(',\n')}\n${select}` : select;
  };
}

/** Live blocks only: every figure resolved from the stored rows at query time. */
export const withBlocks = sqlFor(null);
