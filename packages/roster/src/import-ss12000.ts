import type { z } from 'zod';
import { addDays, chTime, issuesText, type Pseudonymiser } from '@licenskoll/core';
import { OPEN_END, OPEN_START, nextVersion, queryRows, writeWhole, type Storage } from '@licenskoll/storage';
import { rebuildOrgClosure } from './org-closure.ts';
import { mergeMemberships, type IncomingMembership, type MembershipRow } from './memberships.ts';
import { importDutyAssignments } from './duty-assignments.ts';
import { knownInStore, referencesOf, summariseUnresolved, type Reference, type UnresolvedPolicy, type UnresolvedSummary } from './references.ts';
import {
  dutySchema, groupSchema, organisationSchema, personSchema,
  type Ss12000Duty, type Ss12000Group, type Ss12000Import, type Ss12000Organisation, type Ss12000Person,
} from './ss12000-schemas.ts';

export interface RosterRejection {
  kind: 'organisations' | 'persons' | 'groups' | 'duties' | 'memberships' | 'enrolments';
  index: number;
  id?: string;
  error: string;
}

export interface RosterImportResult {
  asOf: string;
  counts: { organisations: number; persons: number; identities: number; groups: number; memberships: number; duties: number; enrolments: number };
  /** Memberships this snapshot closed because it no longer contains them. */
  closedMemberships: number;
  rejected: RosterRejection[];
  /** References to organisations and persons neither in the file nor in the store (references.ts). */
  unresolved: UnresolvedSummary;
}

export interface RosterImportOptions {
  /** What to do with rows naming an unknown organisation or person: store them (default) or reject them. */
  unresolved?: UnresolvedPolicy;
}

export interface RosterContext {
  storage: Storage;
  pseudo: Pseudonymiser;
}

/** Each kind as an array or as an SS12000 page `{data: [...], pageToken}`. */
function unwrap(v: unknown, kind: RosterRejection['kind'], rejected: RosterRejection[]): unknown[] {
  if (v == null) return [];
  if (Array.isArray(v)) return v;
  if (typeof v === 'object' && Array.isArray((v as { data?: unknown }).data)) return (v as { data: unknown[] }).data;
  rejected.push({ kind, index: -1, error: `${kind}: must be an array or an SS12000 page {"data": [...]}` });
  return [];
}

/** The first string in a value that is not well-formed Unicode (a lone surrogate): ClickHouse would refuse the whole insert. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const wellFormed = (s: string) => !LONE_SURROGATE.test(s);

function brokenString(v: unknown, depth = 0): string | undefined {
  if (typeof v === 'string') return wellFormed(v) ? undefined : v;
  if (depth > 20 || !v || typeof v !== 'object') return undefined;
  for (const x of Array.isArray(v) ? v : Object.values(v)) {
    const b = brokenString(x, depth + 1);
    if (b !== undefined) return b;
  }
  return undefined;
}

/** Position of each validated item in its array as the file has it, for rejections made after validation. */
const positions = new WeakMap<object, number>();

function validate<T>(items: unknown[], schema: z.ZodType<T>, kind: RosterRejection['kind'], rejected: RosterRejection[]): T[] {
  const out: T[] = [];
  items.forEach((item, index) => {
    if (brokenString(item) !== undefined) {
      const rawId = item && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
      rejected.push({ kind, index, ...(typeof rawId === 'string' && wellFormed(rawId) ? { id: rawId } : {}), error: 'contains text that is not valid Unicode (a lone surrogate)' });
      return;
    }
    const r = schema.safeParse(item);
    if (r.success) {
      out.push(r.data);
      if (r.data && typeof r.data === 'object') positions.set(r.data, index);
    }
    else {
      const rawId = item && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
      rejected.push({ kind, index, ...(typeof rawId === 'string' ? { id: rawId } : {}), error: issuesText(r.error) });
    }
  });
  return out;
}

const d = (v: string | null | undefined, open: string) => v ?? open;

/**
 * Imports an SS12000 snapshot as of `asOf` (docs/figures.md, memberships). Identifiers are normalised and
 * pseudonymised before they are stored; names and civic numbers are never stored.
 */
export async function importSs12000(ctx: RosterContext, body: Ss12000Import, asOf: string, opts: RosterImportOptions = {}): Promise<RosterImportResult> {
  const rejected: RosterRejection[] = [];
  let orgs = validate(unwrap(body.organisations, 'organisations', rejected), organisationSchema, 'organisations', rejected);
  let groups = validate(unwrap(body.groups, 'groups', rejected), groupSchema, 'groups', rejected);
  const persons = validate(unwrap(body.persons, 'persons', rejected), personSchema, 'persons', rejected);
  let duties = validate(unwrap(body.duties, 'duties', rejected), dutySchema, 'duties', rejected);
  const version = nextVersion();
  const { storage, pseudo } = ctx;
  const personKey = (id: string) => pseudo.user(id);

  const policy = opts.unresolved ?? 'keep';
  const { summary: unresolved, dangling } = await checkReferences(ctx, { organisations: orgs, groups, persons, duties });
  if (policy === 'reject' && dangling.length) ({ orgs, groups, duties } = dropDangling({ orgs, groups, persons, duties }, dangling, rejected));
  unresolved.policy = policy;

  const orgRows = orgs.map((o: Ss12000Organisation) => ({
    id: o.id, name: o.displayName, type: o.organisationType ?? '', parent: o.parentOrganisation?.id ?? '',
    school_unit_code: o.schoolUnitCode ?? '', organisation_code: o.organisationCode ?? '', organisation_number: o.organisationNumber ?? '',
    start: d(o.startDate, OPEN_START), end: d(o.endDate, OPEN_END), version,
  }));

  const groupRows = new Map<string, Record<string, unknown>>();
  const incoming: IncomingMembership[] = [];
  const snapshotGroups = new Set<string>();
  for (const g of groups as Ss12000Group[]) {
    groupRows.set(g.id, {
      id: g.id, name: g.displayName, type: g.groupType ?? '', unit: g.organisation.id,
      start: d(g.startDate, OPEN_START), end: d(g.endDate, OPEN_END), version,
      school_type: g.schoolType ?? '', school_year: g.schoolYear ?? -1,
    });
    if (g.groupMemberships) {
      snapshotGroups.add(g.id);
      for (const m of g.groupMemberships) incoming.push({ group_id: g.id, person_key: personKey(m.person.id), start: m.startDate, end: m.endDate });
    }
  }

  const personRows: { person_key: string; version: number }[] = [];
  const identityRows: { ident_key: string; person_key: string; version: number }[] = [];
  const enrolmentIncoming = new Map<string, { person_key: string; unit: string; start: string; end: string; school_type: string; school_year: number }[]>();
  for (const p of persons as Ss12000Person[]) {
    const pk = personKey(p.id);
    personRows.push({ person_key: pk, version });
    const idents = new Set<string>([pk]);
    for (const v of p.eduPersonPrincipalNames ?? []) if (v.trim()) idents.add(pseudo.user(v));
    for (const e of p.emails ?? []) if (e.value.trim()) idents.add(pseudo.user(e.value));
    for (const e of p.externalIdentifiers ?? []) if (e.value.trim()) idents.add(pseudo.user(e.value));
    for (const ik of idents) identityRows.push({ ident_key: ik, person_key: pk, version });
    const enrolments = (p.enrolments ?? [])
      .filter((e) => !e.cancelled)
      .map((e) => ({
        person_key: pk, unit: e.enroledAt.id, start: d(e.startDate, OPEN_START), end: d(e.endDate, OPEN_END),
        school_type: e.schoolType ?? '', school_year: e.schoolYear ?? -1,
      }));
    if (p.enrolments) enrolmentIncoming.set(pk, enrolments);
    const embedded = p._embedded?.groupMemberships;
    if (embedded) {
      for (const m of embedded) {
        incoming.push({ group_id: m.group.id, person_key: pk, start: m.startDate, end: m.endDate });
        if (!groupRows.has(m.group.id) && m.group.organisation) {
          groupRows.set(m.group.id, {
            id: m.group.id, name: m.group.displayName ?? m.group.id, type: m.group.groupType ?? '', unit: m.group.organisation.id,
            start: d(m.group.startDate, OPEN_START), end: d(m.group.endDate, OPEN_END), version,
            school_type: m.group.schoolType ?? '', school_year: m.group.schoolYear ?? -1,
          });
        }
      }
    }
  }

  const dutyRows = (duties as Ss12000Duty[]).map((x) => ({
    id: x.id, person_key: x.person ? personKey(x.person.id) : '', unit: x.dutyAt.id, role: x.dutyRole,
    start: d(x.startDate, OPEN_START), end: d(x.endDate, OPEN_END), version,
  }));
  for (const x of dutyRows) if (x.person_key) personRows.push({ person_key: x.person_key, version });

  // Groups known only from an embedded fragment must not overwrite a full group row already stored.
  const fullGroupIds = new Set((groups as Ss12000Group[]).map((g) => g.id));
  const fragmentIds = [...groupRows.keys()].filter((id) => !fullGroupIds.has(id));
  if (fragmentIds.length) {
    const known = await queryRows<{ id: string }>(storage.write, 'SELECT id FROM groups FINAL WHERE id IN {ids:Array(String)}', { ids: fragmentIds });
    for (const k of known) groupRows.delete(k.id);
  }

  let closed = 0;
  let membershipRows: MembershipRow[] = [];
  if (incoming.length || snapshotGroups.size) {
    const groupIds = [...new Set([...snapshotGroups, ...incoming.map((m) => m.group_id)])];
    const existing = await queryRows<MembershipRow>(
      storage.write,
      `SELECT group_id, person_key, mkey, toString(start) AS start, toString(end) AS end, explicit_start, explicit_end, toString(last_seen) AS last_seen
       FROM memberships FINAL WHERE group_id IN {ids:Array(String)}`,
      { ids: groupIds },
      ['explicit_start', 'explicit_end'],
    );
    const earlier = await queryRows<{ n: number }>(
      storage.write,
      `SELECT count() AS n FROM roster_imports WHERE as_of < {asOf:Date} AND has(kinds, 'memberships')`,
      { asOf },
      ['n'],
    );
    membershipRows = mergeMemberships(existing, incoming, { asOf, earlierImportExists: earlier[0].n > 0, snapshotGroups });
    const existingKeys = new Map(existing.map((m) => [`${m.group_id}\u0000${m.person_key}\u0000${m.mkey}`, m]));
    closed = membershipRows.filter((m) => {
      const prev = existingKeys.get(`${m.group_id}\u0000${m.person_key}\u0000${m.mkey}`);
      return prev && prev.end !== m.end && m.end === addDays(asOf, -1);
    }).length;
  }

  // Enrolments follow the same snapshot rule per imported person.
  const enrolmentRows: Record<string, unknown>[] = [];
  if (enrolmentIncoming.size) {
    // With their school form and year: an enrolment closed here is written again whole.
    const existing = await queryRows<{ person_key: string; unit: string; start: string; end: string; last_seen: string; school_type: string; school_year: number }>(
      storage.write,
      `SELECT person_key, unit, toString(start) AS start, toString(end) AS end, toString(last_seen) AS last_seen, school_type, school_year
       FROM enrolments FINAL WHERE person_key IN {keys:Array(String)}`,
      { keys: [...enrolmentIncoming.keys()] },
      ['school_year'],
    );
    const seen = new Set<string>();
    for (const list of enrolmentIncoming.values()) {
      for (const e of list) {
        seen.add(`${e.person_key}\u0000${e.unit}\u0000${e.start}`);
        enrolmentRows.push({ ...e, last_seen: asOf, version });
      }
    }
    for (const e of existing) {
      if (seen.has(`${e.person_key}\u0000${e.unit}\u0000${e.start}`)) continue;
      if (e.last_seen >= asOf || e.end !== OPEN_END) continue;
      enrolmentRows.push({ ...e, end: addDays(asOf, -1), version });
    }
  }

  const insert = async (table: string, values: Record<string, unknown>[]) => {
    for (let i = 0; i < values.length; i += 20_000) {
      await storage.write.insert({ table, values: values.slice(i, i + 20_000), format: 'JSONEachRow' });
    }
  };
  // One step for the reports of this process: they see the roster before the snapshot or after it (whole-writes.ts).
  await writeWhole(storage, async () => {
    await insert('organisations', orgRows);
    if (orgRows.length) await rebuildOrgClosure(storage);
    await insert('groups', [...groupRows.values()]);
    await insert('persons', personRows);
    await insert('identities', identityRows);
    await insert('enrolments', enrolmentRows);
    await insert('duties', dutyRows);
    await insert('memberships', membershipRows.map((m) => ({ ...m, version })));
    // Teaching and mentoring assignments (Duty.assignmentRole, Activity.teachers): a teacher's groups.
    await importDutyAssignments(storage, { duties, activities: body.activities }, asOf, version);
  });

  const kinds = [
    ...(orgs.length ? ['organisations'] : []),
    ...(persons.length ? ['persons'] : []),
    ...(groups.length ? ['groups'] : []),
    ...(duties.length ? ['duties'] : []),
    ...(incoming.length || snapshotGroups.size ? ['memberships'] : []),
  ];
  const counts = {
    organisations: orgRows.length, persons: persons.length, identities: identityRows.length, groups: groups.length,
    memberships: incoming.length, duties: dutyRows.length, enrolments: [...enrolmentIncoming.values()].reduce((a, l) => a + l.length, 0),
  };
  await storage.write.insert({
    table: 'roster_imports',
    values: [{ as_of: asOf, at: chTime(Date.now()), kinds, counts: JSON.stringify(counts) }],
    format: 'JSONEachRow',
  });
  return { asOf, counts, closedMemberships: closed, rejected, unresolved };
}

/** The snapshot's references, checked against the file and then the store (references.ts). */
async function checkReferences(ctx: RosterContext, parts: Parameters<typeof referencesOf>[0]) {
  const refs = referencesOf(parts);
  const fileOrgs = new Set(parts.organisations.map((o) => o.id));
  // A duty's person is stored as a person by the duty itself.
  const filePersons = new Set([...parts.persons.map((p) => p.id), ...parts.duties.flatMap((d) => (d.person ? [d.person.id] : []))]);
  const key = (id: string) => ctx.pseudo.user(id);
  const askOrgs = [...new Set(refs.filter((r) => r.kind === 'organisation' && !fileOrgs.has(r.id)).map((r) => r.id))];
  const askPersons = [...new Set(refs.filter((r) => r.kind === 'person' && !filePersons.has(r.id)).map((r) => key(r.id)))];
  const store = await knownInStore(ctx.storage, askOrgs, askPersons);
  return summariseUnresolved(
    refs,
    (r) => (r.kind === 'organisation' ? fileOrgs.has(r.id) || store.orgs.has(r.id) : filePersons.has(r.id) || store.persons.has(key(r.id))),
    'keep',
  );
}

/** `unresolved=reject`: each row naming nothing becomes a rejection and is left out (a group with its memberships). */
function dropDangling(
  s: { orgs: Ss12000Organisation[]; groups: Ss12000Group[]; persons: Ss12000Person[]; duties: Ss12000Duty[] },
  dangling: Reference[],
  rejected: RosterRejection[],
) {
  const bad = (from: Reference['from'], row: string) => dangling.filter((r) => r.from === from && r.row === row);
  const what = (r: Reference) => `${r.kind} "${r.id}" is neither in the file nor in the store`;
  const at = (o: object) => positions.get(o) ?? -1;
  const orgs = s.orgs.filter((o) => {
    const b = bad('organisations', o.id);
    if (b.length) rejected.push({ kind: 'organisations', index: at(o), id: o.id, error: `parentOrganisation: ${what(b[0])}` });
    return !b.length;
  });
  const groups = s.groups.filter((g) => {
    const b = bad('groups', g.id).filter((r) => r.id === g.organisation.id);
    if (b.length) { rejected.push({ kind: 'groups', index: at(g), id: g.id, error: `organisation: ${what(b[0])}` }); return false; }
    const unknown = new Set(bad('memberships', g.id).map((r) => r.id));
    if (unknown.size && g.groupMemberships) {
      g.groupMemberships = g.groupMemberships.filter((m) => {
        if (!unknown.has(m.person.id)) return true;
        rejected.push({ kind: 'memberships', index: at(g), id: g.id, error: `groupMemberships: ${what({ kind: 'person', id: m.person.id, from: 'memberships', row: g.id })}` });
        return false;
      });
    }
    return true;
  });
  const unknownOrgs = new Set(dangling.filter((r) => r.kind === 'organisation').map((r) => r.id));
  for (const p of s.persons) {
    if (p.enrolments) {
      p.enrolments = p.enrolments.filter((e) => {
        if (e.cancelled || !unknownOrgs.has(e.enroledAt.id)) return true;
        rejected.push({ kind: 'enrolments', index: at(p), id: p.id, error: `enrolments: organisation "${e.enroledAt.id}" is neither in the file nor in the store` });
        return false;
      });
    }
    const embedded = p._embedded?.groupMemberships;
    if (embedded && p._embedded) {
      p._embedded.groupMemberships = embedded.filter((m) => {
        if (!m.group.organisation || !unknownOrgs.has(m.group.organisation.id)) return true;
        rejected.push({ kind: 'memberships', index: at(p), id: m.group.id, error: `group.organisation: organisation "${m.group.organisation.id}" is neither in the file nor in the store` });
        return false;
      });
    }
  }
  const duties = s.duties.filter((d) => {
    const b = bad('duties', d.id);
    if (b.length) rejected.push({ kind: 'duties', index: at(d), id: d.id, error: `dutyAt: ${what(b[0])}` });
    return !b.length;
  });
  return { orgs, groups, duties };
}
