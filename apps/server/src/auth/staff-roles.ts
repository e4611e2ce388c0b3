import { queryRows, type Storage } from '@licenskoll/storage';
import type { Caller } from '../context.ts';

/**
 * A signed-in person's role and scope, from the roster: SS12000 duties (`dutyRole` at
 * `dutyAt`) mapped to roles, and for teachers the groups their duties are assigned to
 * (Duty.assignmentRole, Activity.teachers) or that they are members of. Only duties and
 * assignments valid today count, so a principal who leaves loses access at the next import.
 */

export type StaffRole = 'principal' | 'teacher';

/** SS12000 dutyRole -> role. Matched without regard to case or surrounding spaces. */
export const DEFAULT_DUTY_ROLES: Record<string, StaffRole> = {
  Rektor: 'principal',
  'Biträdande rektor': 'principal',
  Lärare: 'teacher',
  Förstelärare: 'teacher',
  Förskollärare: 'teacher',
  'Speciallärare/specialpedagog': 'teacher',
};

/** `LICENSKOLL_DUTY_ROLES="Rektor=principal,Lärare=teacher"`: replaces the defaults when set. */
export function dutyRolesFromEnv(env: NodeJS.ProcessEnv = process.env): Map<string, StaffRole> {
  const raw = env.LICENSKOLL_DUTY_ROLES;
  const entries: [string, string][] = raw
    ? raw.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
        const i = p.lastIndexOf('=');
        if (i <= 0) throw new Error(`LICENSKOLL_DUTY_ROLES: "${p}" must be dutyRole=principal or dutyRole=teacher`);
        return [p.slice(0, i), p.slice(i + 1)];
      })
    : Object.entries(DEFAULT_DUTY_ROLES);
  const map = new Map<string, StaffRole>();
  for (const [duty, role] of entries) {
    const r = role.trim().toLowerCase();
    if (r !== 'principal' && r !== 'teacher') throw new Error(`LICENSKOLL_DUTY_ROLES: "${duty}=${role}": the role must be principal or teacher`);
    map.set(duty.trim().toLowerCase(), r);
  }
  return map;
}

export interface DerivedScope {
  role: StaffRole;
  schools: string[];
  groups: string[];
}

/**
 * The broadest role the person's duties give today: principal (of the units of their
 * principal duties) before teacher (of their assigned groups). Null without a mapped duty.
 */
export async function scopeFromRoster(storage: Storage, personKey: string, today: string, dutyRoles: Map<string, StaffRole>): Promise<DerivedScope | null> {
  if (!personKey) return null;
  const duties = await queryRows<{ id: string; unit: string; role: string }>(
    storage.read,
    `SELECT id, unit, role FROM duties FINAL
     WHERE person_key = {pk:String} AND start <= {today:Date} AND end >= {today:Date}`,
    { pk: personKey, today },
  );
  const mapped = duties.map((d) => ({ ...d, as: dutyRoles.get(d.role.trim().toLowerCase()) })).filter((d) => d.as);
  const principal = mapped.filter((d) => d.as === 'principal');
  if (principal.length) return { role: 'principal', schools: [...new Set(principal.map((d) => d.unit))].sort(), groups: [] };
  const teacher = mapped.filter((d) => d.as === 'teacher');
  if (!teacher.length) return null;
  const rows = await queryRows<{ group_id: string }>(
    storage.read,
    `SELECT DISTINCT group_id FROM (
       SELECT group_id FROM duty_assignments FINAL
       WHERE has({duties:Array(String)}, duty_id) AND start <= {today:Date} AND end >= {today:Date}
       UNION ALL
       SELECT group_id FROM memberships FINAL
       WHERE person_key = {pk:String} AND start <= {today:Date} AND end >= {today:Date})
     WHERE group_id IN (SELECT id FROM groups FINAL WHERE start <= {today:Date} AND end >= {today:Date})
     ORDER BY group_id`,
    { duties: teacher.map((d) => d.id), pk: personKey, today },
  );
  return { role: 'teacher', schools: [], groups: rows.map((r) => r.group_id) };
}

export interface RoleSources {
  /** Pseudonyms of the identifiers listed as administrators / purchasers (LICENSKOLL_OIDC_ADMINS, _PURCHASERS). */
  admins: Set<string>;
  purchasers: Set<string>;
  dutyRoles: Map<string, StaffRole>;
}

/**
 * Role and scope of a signed-in subject: an administrator or purchaser by configuration
 * (matched on any identifier of their roster person, or the claim itself), else from the roster.
 */
export async function roleOf(
  storage: Storage,
  subject: { subjectKey: string; personKey: string },
  today: string,
  sources: RoleSources,
): Promise<Pick<Caller, 'role' | 'schools' | 'groups'> | null> {
  let keys = [subject.subjectKey];
  if (subject.personKey && (sources.admins.size || sources.purchasers.size)) {
    const idents = await queryRows<{ ident_key: string }>(
      storage.read,
      'SELECT ident_key FROM identities FINAL WHERE person_key = {pk:String}',
      { pk: subject.personKey },
    );
    keys = [...keys, subject.personKey, ...idents.map((i) => i.ident_key)];
  }
  if (keys.some((k) => sources.admins.has(k))) return { role: 'admin', schools: [], groups: [] };
  if (keys.some((k) => sources.purchasers.has(k))) return { role: 'purchaser', schools: [], groups: [] };
  const s = await scopeFromRoster(storage, subject.personKey, today, sources.dutyRoles);
  if (!s) return null;
  if (s.role === 'teacher' && s.groups.length === 0) return null;
  return s;
}

/** The roster person an identity provider's claim value names: normalised and pseudonymised like every identifier. */
export async function personOf(storage: Storage, subjectKey: string): Promise<string> {
  const rows = await queryRows<{ person_key: string }>(
    storage.read,
    `SELECT argMax(person_key, version) AS person_key FROM identities WHERE ident_key = {k:String} GROUP BY ident_key`,
    { k: subjectKey },
  );
  return rows[0]?.person_key ?? '';
}
