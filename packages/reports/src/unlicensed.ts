import { queryRows, type Storage } from '@licenskoll/storage';
import { getLicences } from '@licenskoll/licensing';
import { productNames } from './licence-figures.ts';
import { halfOf, span, windowHalves } from './masks.ts';
import { touched } from './class-activity.ts';
import type { Resolution } from './resolution-state.ts';
import type { Window } from './params.ts';
import { resolutionFor } from './resolution.ts';
import { resolutionParams } from './resolution-state.ts';
import { sqlFor } from './sql.ts';

/**
 * `/v1/reports/unlicensed` (docs/figures.md, figure 15): demand without a licence. A person's
 * day of use of a product is *unlicensed* when no licence of the product claims it (figure
 * 6: none entitled them that day). Per product, and per school unit and class on the days the
 * person belonged to it (enrolled, on duty or a member; a class counts its pupils on member
 * days, as class usage does): persons, days (person-days) and events; beside them refused
 * launches (`denied` events) by persons of the register. `licensed` is false for a product with
 * no licence live in the window: shadow use. Persons the register does not know belong to no
 * school and are entitled to nothing: they are in the product totals of the overview, not here.
 */

export interface UnlicensedParams {
  window: Window;
  products: string[];
  /** Units the answer is limited to (a principal, or a `school` filter); absent = all. */
  units?: Set<string>;
}

export type UnlicensedLevel = 'product' | 'school' | 'class';

export interface UnlicensedRow {
  level: UnlicensedLevel;
  school: string;
  schoolName: string;
  group: string;
  groupName: string;
  product: string;
  productName: string;
  /** Whether any licence of the product is live in the window; false = shadow use. */
  licensed: boolean;
  persons: number;
  days: number;
  events: number;
  deniedPersons: number;
  deniedEvents: number;
  /** Pupils of the class in the window (class rows; for the small-group rule). */
  enrolled: number | null;
}

/** Events of the days of `mask` from a list of (day offset, events) lists. */
const eventsOn = (mask: string, des: string) =>
  `arraySum(x -> arraySum((o, e) -> if(bitAnd(${mask}, bitShiftLeft(toUInt256(1), o)) != 0, e, 0), x.1, x.2), ${des})`;

const unitFilter = (units: boolean) => (units ? ' AND has({units:Array(String)}, unit)' : '');

/**
 * Use per person, product and half-year in the window, with the events of every day of use:
 * from a cache build where there is one (usage already resolved to persons), else the usage
 * rows resolved now. A person with usage written since the build is read whole from the
 * usage rows, so that no event counts twice (as class usage does).
 */
const usedOf = (res: Resolution | null) => {
  const live = `SELECT pk, product, half, days, day_events FROM usage_masks WHERE pk != 0`;
  if (!res) return `used AS (SELECT pk, product, half, groupBitOr(days) AS days, groupArray(day_events) AS des FROM (${live}) GROUP BY pk, product, half)`;
  const cached = `SELECT r.pk AS pk, r.product AS product, r.half AS half, bitAnd(r.days, w.wm) AS days, r.day_events AS day_events
      FROM rc_usage AS r INNER JOIN win AS w ON w.half = r.half
      WHERE r.build = {build:UInt64} AND r.half >= ${halfOf('{from:Date}')} AND r.half <= {to:Date} AND r.pk != 0 AND days != 0
        AND (empty({products:Array(String)}) OR has({products:Array(String)}, r.product))${res.live ? ' AND r.pk NOT IN (SELECT pk FROM touched)' : ''}`;
  const rows = res.live ? `${cached}\n      UNION ALL\n      ${live} AND pk IN (SELECT pk FROM touched)` : cached;
  return `used AS (SELECT pk, product, half, groupBitOr(days) AS days, groupArray(day_events) AS des FROM (${rows}) GROUP BY pk, product, half)`;
};

/** Unlicensed days per person, product and half-year, with the events of every day of use. */
const unl = `unl AS (
  SELECT u.pk AS pk, u.product AS product, u.half AS half, bitAnd(u.days, bitNot(c.cl)) AS d, u.des AS des
  FROM used AS u
  LEFT JOIN (SELECT pk, product, half, groupBitOr(claim) AS cl FROM claims GROUP BY pk, product, half) AS c
    ON c.pk = u.pk AND c.product = u.product AND c.half = u.half
  WHERE d != 0)`;

/** Where each person belongs on which days of the window, as masks: units (affil) and classes (pupil memberships). */
const placesOf = (units: boolean) => `places AS (
  SELECT 'school' AS level, reinterpretAsUInt128(unhex(person_key)) AS pk, unit, '' AS group_id, h AS half,
         groupBitOr(${span('h', 'greatest(start, {from:Date})', 'least(end, {to:Date})')}) AS pm
  FROM affil ARRAY JOIN ${windowHalves} AS h
  WHERE start <= {to:Date} AND end >= {from:Date}${unitFilter(units)}
  GROUP BY pk, unit, half HAVING pm != 0
  UNION ALL
  SELECT 'class' AS level, pk, unit, group_id, h AS half, groupBitOr(${span('h', 'greatest(start, {from:Date})', 'least(end, {to:Date})')}) AS pm
  FROM mships ARRAY JOIN ${windowHalves} AS h
  WHERE start <= {to:Date} AND end >= {from:Date} AND pk IN (SELECT pk FROM pupil_pks)${unitFilter(units)}
  GROUP BY pk, unit, group_id, half HAVING pm != 0)`;

/**
 * Each person's places per half-year as one array, with their school-unit days ORed: joined
 * once to the stream below, so that every level is counted in one pass (each block a query
 * names is computed again wherever it is named: three passes over `unl` took 2.4 s on the demo).
 */
const placeSets = `place_sets AS (
  SELECT pk, half, groupArray((level, unit, group_id, toUInt256(pm))) AS ps, toUInt256(groupBitOrIf(pm, level = 'school')) AS spm FROM places GROUP BY pk, half)`;

/** Every day of a half-year: 2^256 - 1 (bitNot of a UInt256 is signed, which a tuple of masks cannot hold). */
const ALL_DAYS = `toUInt256('115792089237316195423570985008687907853269984665640564039457584007913129639935')`;

/** Unlicensed use (kind 'u') and refused launches (kind 'd', one day each) as one stream of day masks. */
const stream = `stream AS (
  SELECT 'u' AS kind, pk, product, half, d AS m, des, toUInt64(0) AS dn FROM unl
  UNION ALL
  SELECT 'd' AS kind, pk, product, ${halfOf('day')} AS half, bitShiftLeft(toUInt256(1), toUInt16(day) - toUInt16(half)) AS m,
         CAST([], 'Array(Tuple(Array(UInt8), Array(UInt64)))') AS des, toUInt64(n) AS dn FROM den)`;

/** Refused launches per person of the register, product and day in the window. */
const den = `den AS (
  SELECT pn.pk AS pk, ip.product AS product, d.day AS day, sum(d.events) AS n
  FROM denied_daily AS d
  INNER JOIN ident_product AS ip ON ip.product_ident = d.product_ident
  INNER JOIN ident_pk AS pn ON pn.user = reinterpretAsUInt128(unhex(d.user_key))
  WHERE d.day >= {from:Date} AND d.day <= {to:Date} AND ip.product != '' AND pn.pk != 0
    AND (empty({products:Array(String)}) OR has({products:Array(String)}, ip.product))
  GROUP BY pk, product, day)`;

interface Counted { level: UnlicensedLevel; unit: string; group_id: string; product: string; persons: number; days: number; events: number; denied_persons: number; denied_events: number }

export async function unlicensedReport(storage: Storage, p: UnlicensedParams): Promise<UnlicensedRow[]> {
  const res = await resolutionFor(storage, p.window);
  const sql = sqlFor(res);
  const limited = p.units !== undefined;
  const params = { from: p.window.from, to: p.window.to, products: p.products, units: [...(p.units ?? [])], ...resolutionParams(res) };
  // Per product: every day of the stream, or (limited to units) the days the person belonged to one of them.
  const productMask = limited ? 'p.spm' : ALL_DAYS;
  const [counted, enrolled, names, licences] = await Promise.all([
    queryRows<Counted>(
      storage.read,
      sql(
        `SELECT x.1 AS level, x.2 AS unit, x.3 AS group_id, product,
                uniqExactIf(pk, kind = 'u') AS persons, sumIf(bitCount(dd), kind = 'u') AS days, sum(${eventsOn('dd', 'des')}) AS events,
                uniqExactIf(pk, kind = 'd') AS denied_persons, sumIf(dn, kind = 'd') AS denied_events
         FROM (SELECT s.kind AS kind, s.pk AS pk, s.product AS product, s.des AS des, s.dn AS dn, x, bitAnd(s.m, x.4) AS dd
               FROM stream AS s LEFT JOIN place_sets AS p ON p.pk = s.pk AND p.half = s.half
               ARRAY JOIN arrayConcat([('product', '', '', ${productMask})], p.ps) AS x
               WHERE dd != 0)
         GROUP BY level, unit, group_id, product`,
        ...(res?.live ? [touched] : []), usedOf(res), unl, placesOf(limited), placeSets, den, stream,
      ),
      params,
      ['persons', 'days', 'events', 'denied_persons', 'denied_events'],
    ),
    // The classes' pupils in the window, for the small-group rule.
    queryRows<{ group_id: string; n: number }>(
      storage.read,
      sql(`SELECT group_id, uniqExact(person_key) AS n FROM mships
           WHERE start <= {to:Date} AND end >= {from:Date} AND person_key IN (SELECT person_key FROM pupils) GROUP BY group_id`),
      params,
      ['n'],
    ),
    productNames(storage),
    getLicences(storage),
  ]);
  const groupRows = await queryRows<{ id: string; name: string }>(storage.read, 'SELECT id, name FROM groups FINAL');
  const orgRows = await queryRows<{ id: string; name: string }>(storage.read, 'SELECT id, name FROM organisations FINAL');
  const groupName = new Map(groupRows.map((g) => [g.id, g.name]));
  const unitName = new Map(orgRows.map((o) => [o.id, o.name]));
  const enrolledBy = new Map(enrolled.map((e) => [e.group_id, e.n]));
  const live = new Set(licences.filter((l) => l.start <= p.window.to && l.end >= p.window.from).map((l) => names.resolve(l.product)));
  const merged = new Map<string, UnlicensedRow>();
  for (const c of counted) {
    const key = `${c.level}\u0000${c.unit}\u0000${c.group_id}\u0000${c.product}`;
    const r = merged.get(key) ?? {
      level: c.level, school: c.unit, schoolName: unitName.get(c.unit) || c.unit, group: c.group_id, groupName: groupName.get(c.group_id) || c.group_id,
      product: c.product, productName: names.name(c.product), licensed: live.has(c.product),
      persons: 0, days: 0, events: 0, deniedPersons: 0, deniedEvents: 0, enrolled: c.level === 'class' ? enrolledBy.get(c.group_id) ?? 0 : null,
    };
    r.persons += c.persons;
    r.days += c.days;
    r.events += c.events;
    r.deniedPersons += c.denied_persons;
    r.deniedEvents += c.denied_events;
    merged.set(key, r);
  }
  const order: Record<UnlicensedLevel, number> = { product: 0, school: 1, class: 2 };
  return [...merged.values()].sort((a, b) =>
    order[a.level] - order[b.level] || b.persons - a.persons || b.deniedPersons - a.deniedPersons
    || a.productName.localeCompare(b.productName, 'sv') || a.schoolName.localeCompare(b.schoolName, 'sv') || a.groupName.localeCompare(b.groupName, 'sv'));
}
