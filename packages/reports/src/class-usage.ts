import { queryRows, type Storage } from '@licenskoll/storage';
import { memberUseBlocks } from './class-activity.ts';
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
}

/**
 * `/v1/reports/class-usage` (figure 4). Pupils count for a group only on days they were its
 * members, so a move on 1 March splits their use at that day and no later roster rewrites it.
 * Rows: every group live in the window against each product it is licensed for or used,
 * or against the requested products; groups without activity show zeros.
 */
export async function classUsageReport(storage: Storage, p: ClassUsageParams): Promise<ClassUsageRow[]> {
  const res = await resolutionFor(storage, p.window);
  // `grp` is named five times in the query, so each filter is left out when not asked for
  // (a school filter alone reads four tables).
  const own = [
    `grp AS (
      SELECT id, name, type, unit FROM groups FINAL
      WHERE start <= {to:Date} AND end >= {from:Date}${p.groups.length ? `
        AND has({groups:Array(String)}, id)` : ''}${p.schools.length ? `
        AND unit IN (SELECT unit FROM unit_refs WHERE has({schools:Array(String)}, ref))` : ''})`,
    `enrolled AS (
      SELECT group_id, uniqExact(person_key) AS enrolled FROM mships
      WHERE start <= {to:Date} AND end >= {from:Date} AND group_id IN (SELECT id FROM grp)
        AND person_key IN (SELECT person_key FROM pupils)
      GROUP BY group_id)`,
    ...memberUseBlocks(res),
    `live_scope AS (SELECT product, k, ref FROM lic_scope WHERE lstart <= {to:Date} AND lend >= {from:Date}
        AND (empty({products:Array(String)}) OR has({products:Array(String)}, product)))`,
    // Groups with activity, and groups licensed for a product or asked about with zeros: one
    // UNION over `activity`, so that it is computed once (a CTE named twice runs twice).
    `pairs AS (
      SELECT group_id, product, max(active) AS active, max(events) AS events, max(active_days) AS active_days, max(last_active) AS last_active
      FROM (
        SELECT group_id, product, active, events, active_days, last_active FROM activity
        UNION ALL SELECT g.id, s.product, 0, 0, 0, toDate(0)
          FROM (SELECT id, gk.1 AS k, gk.2 AS ref FROM grp ARRAY JOIN [('g', id), ('u', unit)] AS gk) AS g
          INNER JOIN live_scope AS s ON s.k = g.k AND s.ref = g.ref
        UNION ALL SELECT id, arrayJoin({products:Array(String)}), 0, 0, 0, toDate(0) FROM grp)
      GROUP BY group_id, product)`,
  ];
  const rows = await queryRows<ClassUsageRow & { last_active: string }>(
    storage.read,
    sqlFor(res)(
      `SELECT g.unit AS school, o.name AS schoolName, g.id AS group, g.name AS groupName, g.type AS groupType,
       pr.product AS product, pn.name AS productName, e.enrolled AS enrolled, pr.active AS active, pr.events AS events,
       pr.active_days AS activeDays, toString(pr.last_active) AS last_active
     FROM pairs AS pr
     INNER JOIN grp AS g ON g.id = pr.group_id
     LEFT JOIN enrolled AS e ON e.group_id = pr.group_id
     LEFT JOIN (SELECT id, name FROM organisations FINAL) AS o ON o.id = g.unit
     LEFT JOIN (SELECT id, name FROM products FINAL WHERE deleted = 0) AS pn ON pn.id = pr.product
     ORDER BY schoolName, school, groupName, group, productName, product`,
      ...own,
    ),
    { from: p.window.from, to: p.window.to, products: p.products, schools: p.schools, groups: p.groups, ...resolutionParams(res) },
    ['enrolled', 'active', 'events', 'activeDays'],
  );
  return rows.map(({ last_active, ...r }) => ({
    ...r,
    schoolName: r.schoolName || r.school,
    productName: r.productName || r.product,
    adoption: r.enrolled > 0 ? r.active / r.enrolled : null,
    lastActive: r.active > 0 ? last_active : null,
  }));
}
