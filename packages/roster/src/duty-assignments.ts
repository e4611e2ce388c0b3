import { addDays } from '@licenskoll/core';
import { OPEN_END, OPEN_START, queryRows, type Storage } from '@licenskoll/storage';

/**
 * Which groups a member of staff teaches or mentors, from the two places SS12000 says so:
 * - `Duty.assignmentRole: [{group: {id}, assignmentRoleType, startDate?, endDate?}]` (mentor,
 *   class teacher and the like), and
 * - `Activity.teachers: [{duty: {id}, startDate?, endDate?}]` with `Activity.groups: [{id}]`.
 * Kept by duty id, so that a `Lärare` duty gives its person a teacher's scope over exactly
 * those groups (apps/server/src/auth/staff-roles.ts). Dates from the data win; a missing date is open.
 *
 * Snapshot rule, as for memberships: an assignment of a duty (or of an activity) that this import
 * contains but no longer lists ends the day before `asOf`; nothing is ever deleted.
 */

export interface DutyAssignmentRow {
  duty_id: string;
  group_id: string;
  /** `r<start>` for an assignment role, `a:<activity id>` for an activity. */
  akey: string;
  start: string;
  end: string;
  last_seen: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : undefined);
const date = (v: unknown): string | undefined => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
const refId = (v: unknown): string | undefined => (v && typeof v === 'object' ? str((v as { id?: unknown }).id) : undefined);
const list = (v: unknown): unknown[] => {
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object' && Array.isArray((v as { data?: unknown }).data)) return (v as { data: unknown[] }).data;
  return [];
};

/** The assignments an import states, and which duties and activities it speaks for. Pure. */
export function incomingAssignments(duties: unknown, activities: unknown, asOf: string) {
  const rows = new Map<string, DutyAssignmentRow>();
  const dutiesStated = new Set<string>();
  const activitiesStated = new Set<string>();
  const put = (r: Omit<DutyAssignmentRow, 'last_seen'>) => rows.set(`${r.duty_id}\u0000${r.group_id}\u0000${r.akey}`, { ...r, last_seen: asOf });
  for (const d of list(duties)) {
    if (!d || typeof d !== 'object') continue;
    const duty = d as { id?: unknown; assignmentRole?: unknown };
    const id = str(duty.id);
    if (!id || !Array.isArray(duty.assignmentRole)) continue;
    dutiesStated.add(id);
    for (const a of duty.assignmentRole) {
      if (!a || typeof a !== 'object') continue;
      const group = refId((a as { group?: unknown }).group);
      if (!group) continue;
      const start = date((a as { startDate?: unknown }).startDate);
      put({ duty_id: id, group_id: group, akey: `r${start ?? ''}`, start: start ?? OPEN_START, end: date((a as { endDate?: unknown }).endDate) ?? OPEN_END });
    }
  }
  for (const x of list(activities)) {
    if (!x || typeof x !== 'object') continue;
    const act = x as { id?: unknown; groups?: unknown; teachers?: unknown; startDate?: unknown; endDate?: unknown };
    const id = str(act.id);
    if (!id) continue;
    activitiesStated.add(id);
    const groups = (Array.isArray(act.groups) ? act.groups : []).map(refId).filter((g): g is string => Boolean(g));
    for (const t of Array.isArray(act.teachers) ? act.teachers : []) {
      if (!t || typeof t !== 'object') continue;
      const duty = refId((t as { duty?: unknown }).duty);
      if (!duty) continue;
      const start = date((t as { startDate?: unknown }).startDate) ?? date(act.startDate) ?? OPEN_START;
      const end = date((t as { endDate?: unknown }).endDate) ?? date(act.endDate) ?? OPEN_END;
      for (const g of groups) put({ duty_id: duty, group_id: g, akey: `a:${id}`, start, end });
    }
  }
  return { rows: [...rows.values()], dutiesStated, activitiesStated };
}

/** Stores the assignments of one SS12000 import; returns how many were stated and how many this import closed. */
export async function importDutyAssignments(
  storage: Storage,
  body: { duties?: unknown; activities?: unknown },
  asOf: string,
  version: number,
): Promise<{ assignments: number; closed: number }> {
  const { rows, dutiesStated, activitiesStated } = incomingAssignments(body.duties, body.activities, asOf);
  if (!dutiesStated.size && !activitiesStated.size) return { assignments: 0, closed: 0 };
  const existing = await queryRows<DutyAssignmentRow>(
    storage.write,
    `SELECT duty_id, group_id, akey, toString(start) AS start, toString(end) AS end, toString(last_seen) AS last_seen
     FROM duty_assignments FINAL
     WHERE (startsWith(akey, 'r') AND has({duties:Array(String)}, duty_id))
        OR (startsWith(akey, 'a:') AND has({activities:Array(String)}, substring(akey, 3)))`,
    { duties: [...dutiesStated], activities: [...activitiesStated] },
  );
  const stated = new Set(rows.map((r) => `${r.duty_id}\u0000${r.group_id}\u0000${r.akey}`));
  const dayBefore = addDays(asOf, -1);
  const closing = existing.filter(
    (e) => !stated.has(`${e.duty_id}\u0000${e.group_id}\u0000${e.akey}`) && e.end === OPEN_END && e.last_seen < asOf,
  );
  const values = [...rows, ...closing.map((e) => ({ ...e, end: dayBefore }))].map((r) => ({ ...r, version }));
  for (let i = 0; i < values.length; i += 20_000) {
    await storage.write.insert({ table: 'duty_assignments', values: values.slice(i, i + 20_000), format: 'JSONEachRow' });
  }
  return { assignments: rows.length, closed: closing.length };
}
