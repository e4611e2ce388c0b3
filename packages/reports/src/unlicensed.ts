import { queryRows, type Storage } from '@licenskoll/storage';
import { getLicences } from '@licenskoll/licensing';
import { productNames } from './licence-figures.ts';
import { span, windowHalves } from './masks.ts';
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

/** Unlicensed days per person, product and half-year, with the events of every day of use. */
const unl = `unl AS (
  SELECT u.pk AS pk, u.product AS product, u.half AS half, bitAnd(u.days, bitNot(c.cl)) AS d, u.des AS des
  FROM (SELECT pk, product, half, groupBitOr(days) AS days, groupArray(day_events) AS des FROM usage_masks WHERE pk != 0 GROUP BY pk, product, half) AS u
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
  // Per product: all unlicensed days, or (limited to units) those on which the person belonged to one of them.
  const productDays = limited
    ? `SELECT u.pk AS pk, u.product AS product, bitAnd(u.d, s.pm) AS dd, u.des AS des FROM unl AS u
       INNER JOIN (SELECT pk, half, groupBitOr(pm) AS pm FROM places WHERE level = 'school' GROUP BY pk, half) AS s ON s.pk = u.pk AND s.half = u.half
       WHERE dd != 0`
    : `SELECT pk, product, d AS dd, des FROM unl`;
  const deniedIn = limited
    ? `SELECT DISTINCT d.pk AS pk, d.product AS product, d.day AS day, d.n AS n FROM den AS d
       INNER JOIN affil AS f ON reinterpretAsUInt128(unhex(f.person_key)) = d.pk
       WHERE f.start <= d.day AND f.end >= d.day AND has({units:Array(String)}, f.unit)`
    : `SELECT pk, product, day, n FROM den`;
  const [counted, enrolled, names, licences] = await Promise.all([
    queryRows<Counted>(
      storage.read,
      sql(
        `SELECT 'product' AS level, '' AS unit, '' AS group_id, product, uniqExact(pk) AS persons, sum(bitCount(dd)) AS days,
                sum(${eventsOn('dd', 'des')}) AS events, 0 AS denied_persons, 0 AS denied_events
         FROM (${productDays}) GROUP BY product
         UNION ALL
         SELECT s.level AS level, s.unit AS unit, s.group_id AS group_id, u.product AS product, uniqExact(u.pk) AS persons,
                sum(bitCount(bitAnd(u.d, s.pm))) AS days, sum(${eventsOn('bitAnd(u.d, s.pm)', 'u.des')}) AS events, 0 AS denied_persons, 0 AS denied_events
         FROM unl AS u INNER JOIN places AS s ON s.pk = u.pk AND s.half = u.half
         WHERE bitAnd(u.d, s.pm) != 0
         GROUP BY level, unit, group_id, product
         UNION ALL
         SELECT 'product' AS level, '' AS unit, '' AS group_id, product, 0, 0, 0, uniqExact(pk) AS denied_persons, sum(n) AS denied_events
         FROM (${deniedIn}) GROUP BY product
         UNION ALL
         SELECT s.level AS level, s.unit AS unit, s.group_id AS group_id, d.product AS product, 0, 0, 0, uniqExact(d.pk), sum(d.n)
         FROM den AS d INNER JOIN places AS s ON s.pk = d.pk AND s.half = ${'makeDate(toYear(d.day), if(toMonth(d.day) < 7, 1, 7), 1)'}
         WHERE bitAnd(s.pm, bitShiftLeft(toUInt256(1), toUInt16(d.day) - toUInt16(s.half))) != 0
         GROUP BY level, unit, group_id, product`,
        unl, placesOf(limited), den,
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

/**
 * Figure 15's persons per school unit and product only (the seat moves' demand, figure 16):
 * the school rows of the report without its classes, events and refused launches.
 */
export async function unlicensedPersonsByUnit(storage: Storage, window: Window, products: string[]): Promise<{ unit: string; product: string; persons: number }[]> {
  const res = await resolutionFor(storage, window);
  const places = `places AS (
    SELECT reinterpretAsUInt128(unhex(person_key)) AS pk, unit, h AS half,
           groupBitOr(${span('h', 'greatest(start, {from:Date})', 'least(end, {to:Date})')}) AS pm
    FROM affil ARRAY JOIN ${windowHalves} AS h
    WHERE start <= {to:Date} AND end >= {from:Date}
    GROUP BY pk, unit, half HAVING pm != 0)`;
  return queryRows<{ unit: string; product: string; persons: number }>(
    storage.read,
    sqlFor(res)(
      `SELECT s.unit AS unit, u.product AS product, uniqExact(u.pk) AS persons
       FROM unl AS u INNER JOIN places AS s ON s.pk = u.pk AND s.half = u.half
       WHERE bitAnd(u.d, s.pm) != 0 GROUP BY unit, product`,
      unl, places,
    ),
    { from: window.from, to: window.to, products, ...resolutionParams(res) },
    ['persons'],
  );
}
