import { queryRows, type Storage } from '@licenskoll/storage';
import { licensedPairs, memberUseBlocks } from './class-activity.ts';
import { classTargetsFor } from './class-targets.ts';
import { productNames } from './licence-figures.ts';
import { halfStart } from './half.ts';
import { resolutionFor } from './resolution.ts';
import { resolutionParams } from './resolution-state.ts';
import { sqlFor } from './sql.ts';
import type { Window } from './params.ts';

export interface ClassUsageParams {
  window: Window;
  products: string[];
  /** Organisation refs (ids or codes); empty = all. Groups of units under them. */
  schools: string[];
  groups: string[];
}

export interface ClassUsageRow {
  school: string;
  schoolName: string;
  group: string;
  groupName: string;
  groupType: string;
  product: string;
  productName: string;
  enrolled: number;
  active: number;
  adoption: number | null;
  events: number;
  activeDays: number;
  lastActive: string | null;
  /**
   * Whether the class is in the product's target over the period (class-targets.ts, figure
   * 13): false is neutral, never a class that has not started; null when no target applies.
   */
  inTarget: boolean | null;
}

interface GroupRow { id: string; name: string; type: string; unit: string; schoolName: string; enrolled: number }
interface ActivityRow { group_id: string; product: string; active: number; events: number; active_days: number; last_active: string }

/** Byte order of UTF-8, as ClickHouse sorts strings (for the Basic Multilingual Plane, UTF-16 order is the same). */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Each row of member use carries a pupil's events per day (up to 184 pairs) through a join
 * and an arraySum: small blocks halve the unfiltered year's memory and time against the
 * default 65,536 rows (docs/benchmarks.md, "Measurements behind the code", "Class usage in small
 * blocks"). In the statement, not as clickhouse_settings (which the embedded engine keeps on
 * the session).
 */
const SMALL_BLOCKS = '\nSETTINGS max_block_size = 2048';

const halfEndOf = (half: string) => (half.slice(5, 7) === '01' ? `${half.slice(0, 4)}-06-30` : `${half.slice(0, 4)}-12-31`);

/**
 * `/v1/reports/class-usage` (figure 4). Pupils count for a group only on days they were its
 * members, so a move on 1 March splits their use at that day and no later roster rewrites it.
 * Rows: every group live in the window against each product it is licensed for or used,
 * or against the requested products; groups without activity show zeros.
 *
 * Two small queries (the groups with their licensed products; their activity with their
 * enrolled pupils) joined here: as one query, planning took a third to a half of its time, each
 * block being planned again wherever it is named (docs/benchmarks.md, "Measurements behind the code",
 * "Class usage as two queries").
 */
export async function classUsageReport(storage: Storage, p: ClassUsageParams): Promise<ClassUsageRow[]> {
  const res = await resolutionFor(storage, p.window);
  const sql = sqlFor(res);
  const params = { from: p.window.from, to: p.window.to, products: p.products, schools: p.schools, groups: p.groups, ...resolutionParams(res) };
  // Each filter is left out when not asked for. A school is any name of a node above the
  // group's unit (org_closure), or the unit's own id where the tree lacks it: `unit_refs`
  // says the same with three more tables to read, in each of the five places `grp` is named.
  const grp = `grp AS (
      SELECT id, name, type, unit FROM groups FINAL
      WHERE start <= {to:Date} AND end >= {from:Date}${p.groups.length ? `
        AND has({groups:Array(String)}, id)` : ''}${p.schools.length ? `
        AND (has({schools:Array(String)}, unit) OR unit IN (SELECT unit FROM org_closure WHERE has({schools:Array(String)}, ref)))` : ''})`;
  // Enrolled pupils from the cache's member spans when the build holds every half-year of the
  // window (a membership overlaps the window exactly when its days in it are not none).
  const wholly = res && halfStart(p.window.from) >= res.hmin && p.window.to <= halfEndOf(res.hmax);
  const enrolled = wholly
    ? `SELECT group_id, uniqExact(pk) AS enrolled FROM member_spans GROUP BY group_id`
    : `SELECT group_id, uniqExact(person_key) AS enrolled FROM mships
       WHERE start <= {to:Date} AND end >= {from:Date} AND group_id IN (SELECT id FROM grp) AND person_key IN (SELECT person_key FROM pupils)
       GROUP BY group_id`;
  const [listed, counted, names] = await Promise.all([
    // The groups, and the products each is licensed for.
    queryRows<{ kind: string; id: string; name: string; type: string; unit: string; school_name: string; product: string }>(
      storage.read,
      sql(
        `SELECT 'g' AS kind, g.id AS id, g.name AS name, g.type AS type, g.unit AS unit, o.name AS school_name, '' AS product
         FROM grp AS g LEFT JOIN (SELECT id, name FROM organisations FINAL) AS o ON o.id = g.unit
         UNION ALL
         SELECT 'l' AS kind, group_id AS id, '' AS name, '' AS type, '' AS unit, '' AS school_name, product FROM (${licensedPairs(res)})`,
        grp,
      ),
      params,
    ),
    // Their activity per product, and their enrolled pupils.
    queryRows<ActivityRow & { kind: string }>(
      storage.read,
      sql(
        `SELECT 'a' AS kind, group_id, product, active, events, active_days, toString(last_active) AS last_active FROM activity
         UNION ALL
         SELECT 'e' AS kind, group_id, '' AS product, enrolled AS active, 0 AS events, 0 AS active_days, '' AS last_active FROM (${enrolled})`,
        grp,
        ...memberUseBlocks(res),
      ) + SMALL_BLOCKS,
      params,
      ['active', 'events', 'active_days'],
    ),
    productNames(storage),
  ]);
  const enrolledBy = new Map(counted.filter((r) => r.kind === 'e').map((r) => [r.group_id, r.active]));
  const groups: GroupRow[] = listed
    .filter((r) => r.kind === 'g')
    .map((r) => ({ id: r.id, name: r.name, type: r.type, unit: r.unit, schoolName: r.school_name, enrolled: enrolledBy.get(r.id) ?? 0 }));
  const activity = counted.filter((r) => r.kind === 'a');
  const licensed = listed.filter((r) => r.kind === 'l').map((r) => ({ group_id: r.id, product: r.product }));

  const byGroup = new Map(groups.map((g) => [g.id, g]));
  const pairs = new Map<string, { group: string; product: string; a?: ActivityRow }>();
  const add = (group: string, product: string, a?: ActivityRow) => {
    if (!byGroup.has(group)) return;
    const key = `${group}\u0000${product}`;
    const prev = pairs.get(key);
    if (!prev) pairs.set(key, { group, product, a });
    else if (a) prev.a = a;
  };
  for (const a of activity) add(a.group_id, a.product, a);
  for (const l of licensed) add(l.group_id, l.product);
  for (const g of groups) for (const product of p.products) add(g.id, product);

  // The groups' placements are read only when some target exists, for the groups the answer has.
  const inTargetOf = await classTargetsFor(storage, p.window, groups);
  const rows = [...pairs.values()].map(({ group, product, a }) => {
    const g = byGroup.get(group)!;
    const enrolled = g.enrolled ?? 0;
    const active = a?.active ?? 0;
    return {
      school: g.unit,
      schoolName: g.schoolName || g.unit,
      group: g.id,
      groupName: g.name,
      groupType: g.type,
      product,
      productName: names.name(product),
      enrolled,
      active,
      adoption: enrolled > 0 ? active / enrolled : null,
      events: a?.events ?? 0,
      activeDays: a?.active_days ?? 0,
      lastActive: active > 0 ? a!.last_active : null,
      inTarget: inTargetOf(g.id, g.unit, product),
    };
  });
  // As before: by school name, school, group name, group, product name, product; the names
  // the rows show are the ids where a name is missing, but the order uses the stored name.
  const sortName = (r: ClassUsageRow) => byGroup.get(r.group)!.schoolName;
  return rows.sort(
    (a, b) =>
      cmp(sortName(a), sortName(b)) || cmp(a.school, b.school) || cmp(a.groupName, b.groupName) || cmp(a.group, b.group) ||
      cmp(names.stored(a.product), names.stored(b.product)) || cmp(a.product, b.product),
  );
}
