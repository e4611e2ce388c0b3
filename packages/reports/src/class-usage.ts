import { queryRows, type Storage } from '@licenskoll/storage';
import { withShared } from './sql.ts';
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
  const sql = withShared(
    `grp AS (
      SELECT id, name, type, unit FROM groups FINAL
      WHERE start <= {to:Date} AND end >= {from:Date}
        AND (empty({groups:Array(String)}) OR has({groups:Array(String)}, id))
        AND (empty({schools:Array(String)}) OR unit IN (SELECT unit FROM unit_refs WHERE has({schools:Array(String)}, ref))))`,
    `enrolled AS (
      SELECT group_id, uniqExact(person_key) AS enrolled FROM mships
      WHERE start <= {to:Date} AND end >= {from:Date} AND group_id IN (SELECT id FROM grp)
        AND person_key IN (SELECT person_key FROM pupils)
      GROUP BY group_id)`,
    `member_days AS (
      SELECT DISTINCT m.group_id AS group_id, p.product AS product, p.person_key AS person_key, p.day AS day, p.events AS events
      FROM pday AS p INNER JOIN mships AS m ON m.person_key = p.person_key
      WHERE p.day >= m.start AND p.day <= m.end AND m.group_id IN (SELECT id FROM grp)
        AND p.person_key IN (SELECT person_key FROM pupils))`,
    `activity AS (
      SELECT group_id, product, uniqExact(person_key) AS active, sum(events) AS events,
             uniqExact(day) AS active_days, max(day) AS last_active
      FROM member_days GROUP BY group_id, product)`,
    `live_scope AS (SELECT product, k, ref FROM lic_scope WHERE lstart <= {to:Date} AND lend >= {from:Date}
        AND (empty({products:Array(String)}) OR has({products:Array(String)}, product)))`,
    `pairs AS (
      SELECT group_id, product FROM activity
      UNION DISTINCT SELECT g.id AS group_id, s.product AS product FROM grp AS g INNER JOIN live_scope AS s ON s.k = 'g' AND s.ref = g.id
      UNION DISTINCT SELECT g.id AS group_id, s.product AS product FROM grp AS g INNER JOIN live_scope AS s ON s.k = 'u' AND s.ref = g.unit
      UNION DISTINCT SELECT id AS group_id, arrayJoin({products:Array(String)}) AS product FROM grp)`,
  );
  const rows = await queryRows<ClassUsageRow & { last_active: string }>(
    storage.read,
    `${sql}SELECT g.unit AS school, o.name AS schoolName, g.id AS group, g.name AS groupName, g.type AS groupType,
       pr.product AS product, pn.name AS productName, e.enrolled AS enrolled, a.active AS active, a.events AS events,
       a.active_days AS activeDays, toString(a.last_active) AS last_active
     FROM pairs AS pr
     INNER JOIN grp AS g ON g.id = pr.group_id
     LEFT JOIN enrolled AS e ON e.group_id = pr.group_id
     LEFT JOIN activity AS a ON a.group_id = pr.group_id AND a.product = pr.product
     LEFT JOIN (SELECT id, name FROM organisations FINAL) AS o ON o.id = g.unit
     LEFT JOIN (SELECT id, name FROM products FINAL WHERE deleted = 0) AS pn ON pn.id = pr.product
     ORDER BY schoolName, school, groupName, group, productName, product`,
    { from: p.window.from, to: p.window.to, products: p.products, schools: p.schools, groups: p.groups },
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
