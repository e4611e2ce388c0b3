import type { Block } from './block.ts';
import { halfOf, span, windowHalves } from './masks.ts';

/**
 * Use at mask level, from `usage_days`: one row per product identifier x user x half-year,
 * the days as a 256-bit mask (masks.ts). Unmerged rows may repeat a key; every figure ORs
 * masks, sums events or counts distinct, which repeats do not change.
 */

const inWindow = (half: string) => `${half} >= ${halfOf('{from:Date}')} AND ${half} <= {to:Date}`;
const productFilter = (col: string) => `(empty({products:Array(String)}) OR has({products:Array(String)}, ${col}))`;

/**
 * The window as a mask of each half-year it touches. Joined to usage rows by half-year: the
 * mask computed in each row instead costs several 256-bit operations per row, four times the
 * CPU of the join (docs/benchmarks.md, "Measurements behind the code", "The window as a mask").
 */
const win: Block = {
  name: 'win',
  live: `win AS (SELECT h AS half, ${span('h', '{from:Date}', '{to:Date}')} AS wm FROM (SELECT arrayJoin(${windowHalves}) AS h))`,
  // With a build the half-years come as a parameter: cutting the window to the stored use
  // reads usage_days twice wherever `win` is named, and the planner does it while planning.
  cached: () => `win AS (SELECT h AS half, ${span('h', '{from:Date}', '{to:Date}')} AS wm FROM (SELECT arrayJoin({halves:Array(Date)}) AS h))`,
};

/** User pseudonym (as the number `usage_days` keys it by) -> person, both as 128-bit numbers. */
const identPk = `ident_pk AS (
  SELECT reinterpretAsUInt128(unhex(ident_key)) AS user, reinterpretAsUInt128(unhex(argMax(person_key, version))) AS pk
  FROM identities GROUP BY ident_key)`;

/**
 * Use in the window with the product resolved; `days` limited to the window, `day_events`
 * not. No person: for reports that join on the user (class usage joins its members' users).
 */
const usageRows = `usage_rows AS (
  SELECT u.half AS half, ip.product AS product, u.user AS user, bitAnd(u.days, w.wm) AS days, u.day_events AS day_events, u.seen AS seen
  FROM usage_days AS u
  INNER JOIN win AS w ON w.half = u.half
  INNER JOIN ident_product AS ip ON ip.product_ident = u.product_ident
  WHERE ${inWindow('u.half')} AND days != 0 AND ip.product != '' AND (empty({products:Array(String)}) OR (has({products:Array(String)}, ip.product)
    AND u.product_ident IN (SELECT product_ident FROM ident_product WHERE has({products:Array(String)}, product)))))`;

/**
 * The same with the person resolved: `pk` is 0 for an unresolved user; `who` is the person,
 * or the user when unresolved (a person's own key is always one of their identities, so the
 * two never meet).
 */
const usageMasks = `usage_masks AS (
  SELECT r.half AS half, r.product AS product, r.user AS user, pn.pk AS pk, if(pn.pk != 0, pn.pk, r.user) AS who,
         r.days AS days, r.day_events AS day_events, r.seen AS seen
  FROM usage_rows AS r LEFT JOIN ident_pk AS pn ON pn.user = r.user)`;

/**
 * Days of use in the window per product x person (or unresolved user) x half-year row. From a
 * cache build: its rows, and the usage rows written since it was made, resolved now (a mask
 * ORed twice is the same mask, so rows in both count once).
 */
const people: Block = {
  name: 'people',
  live: `people AS (SELECT half, product, who, pk, days FROM usage_masks)`,
  cached: (res) => `people AS (
  SELECT r.half AS half, r.product AS product, r.who AS who, r.pk AS pk, bitAnd(r.days, w.wm) AS days
  FROM rc_usage AS r INNER JOIN win AS w ON w.half = r.half
  WHERE r.build = {build:UInt64} AND ${inWindow('r.half')} AND days != 0 AND ${productFilter('r.product')}${res.live ? `
  UNION ALL
  SELECT half, product, who, pk, days FROM usage_masks WHERE seen >= {since:DateTime}` : ''})`,
};

const named = (sql: string): Block => ({ name: /^(\w+) AS \(/.exec(sql)![1], live: sql });

export const USAGE_BLOCKS: Block[] = [win, named(identPk), named(usageRows), named(usageMasks), people];
