import { ApiError } from '@licenskoll/core';
import { queryRows, type Storage } from '@licenskoll/storage';
import type { Ss12000Duty, Ss12000Group, Ss12000Organisation, Ss12000Person } from './ss12000-schemas.ts';

/*
 * References an SS12000 snapshot makes to organisations and persons, checked against the
 * file and the store. A register export that lost its organisations still imports (a
 * register may deliver them separately), but nobody may be left unaware that its pupils
 * then belong to no school: the import answer lists the unknown references, and the store
 * answers "which rows point at nothing" at any time (`unresolvedInStore`), so a reference
 * resolves by itself once the organisation arrives.
 */

export type ReferenceKind = 'organisation' | 'person';
/** The kind of row that names the reference. */
export type ReferringKind = 'organisations' | 'groups' | 'duties' | 'enrolments' | 'memberships';

/** `unresolved=keep` (default): rows are stored and reported. `reject`: those rows are rejections. */
export type UnresolvedPolicy = 'keep' | 'reject';
export const UNRESOLVED_POLICIES: readonly UnresolvedPolicy[] = ['keep', 'reject'];

/** The policy from `?unresolved=keep|reject` (or `?strict=true`, the same as reject); anything else is a 400. */
export function unresolvedPolicy(unresolved?: string, strict?: string): UnresolvedPolicy {
  if (strict !== undefined && !['true', 'false', '1', '0', ''].includes(strict)) {
    throw new ApiError(400, 'bad_request', 'strict: must be true or false', [{ field: 'strict', reason: 'must be true or false' }]);
  }
  if (unresolved !== undefined && !(UNRESOLVED_POLICIES as readonly string[]).includes(unresolved)) {
    throw new ApiError(400, 'bad_request', 'unresolved: must be keep or reject', [{ field: 'unresolved', reason: 'must be keep or reject' }]);
  }
  if (unresolved) return unresolved as UnresolvedPolicy;
  return strict === 'true' || strict === '1' || strict === '' ? 'reject' : 'keep';
}

export interface UnresolvedReference {
  kind: ReferenceKind;
  /** The id as the file names it (an organisation id, a person id). */
  id: string;
  /** Rows that name it. */
  rows: number;
  /** The first few of those rows, as `groups/<id>`, `duties/<id>`, `memberships/<group>`… */
  referencedBy: string[];
}

export interface UnresolvedSummary {
  /** Distinct unknown references. */
  count: number;
  /** Rows naming one (a group, a duty, a membership, an enrolment, an organisation's parent). */
  rows: number;
  byKind: Record<ReferenceKind, number>;
  /** Listed up to `MAX_LISTED`; `count` is complete. */
  references: UnresolvedReference[];
  /** What was done with the rows. */
  policy: UnresolvedPolicy;
}

const MAX_LISTED = 1000;
const MAX_REFERRERS = 5;

/** One row's reference: `key` identifies the row so a policy can drop exactly it. */
export interface Reference {
  kind: ReferenceKind;
  id: string;
  from: ReferringKind;
  /** The referring row, readable: a group id, a duty id, a membership's group. */
  row: string;
}

export interface SnapshotParts {
  organisations: Ss12000Organisation[];
  groups: Ss12000Group[];
  persons: Ss12000Person[];
  duties: Ss12000Duty[];
}

/** Every reference a snapshot makes, in file order. */
export function referencesOf(s: SnapshotParts): Reference[] {
  const out: Reference[] = [];
  for (const o of s.organisations) if (o.parentOrganisation?.id) out.push({ kind: 'organisation', id: o.parentOrganisation.id, from: 'organisations', row: o.id });
  for (const g of s.groups) {
    out.push({ kind: 'organisation', id: g.organisation.id, from: 'groups', row: g.id });
    for (const m of g.groupMemberships ?? []) out.push({ kind: 'person', id: m.person.id, from: 'memberships', row: g.id });
  }
  for (const p of s.persons) {
    for (const e of p.enrolments ?? []) if (!e.cancelled) out.push({ kind: 'organisation', id: e.enroledAt.id, from: 'enrolments', row: p.id });
    for (const m of p._embedded?.groupMemberships ?? []) {
      if (m.group.organisation?.id) out.push({ kind: 'organisation', id: m.group.organisation.id, from: 'groups', row: m.group.id });
    }
  }
  for (const d of s.duties) out.push({ kind: 'organisation', id: d.dutyAt.id, from: 'duties', row: d.id });
  return out;
}

/** The references that name nothing in `known`, summed up by reference (pure: the store lookup is the caller's). */
export function summariseUnresolved(refs: Reference[], known: (r: Reference) => boolean, policy: UnresolvedPolicy): { summary: UnresolvedSummary; dangling: Reference[] } {
  const dangling = refs.filter((r) => !known(r));
  const byRef = new Map<string, UnresolvedReference>();
  for (const r of dangling) {
    const key = `${r.kind}\u0000${r.id}`;
    let u = byRef.get(key);
    if (!u) byRef.set(key, (u = { kind: r.kind, id: r.id, rows: 0, referencedBy: [] }));
    u.rows++;
    const by = `${r.from}/${r.row}`;
    if (u.referencedBy.length < MAX_REFERRERS && !u.referencedBy.includes(by)) u.referencedBy.push(by);
  }
  const all = [...byRef.values()];
  return {
    dangling,
    summary: {
      count: all.length,
      rows: dangling.length,
      byKind: { organisation: all.filter((u) => u.kind === 'organisation').length, person: all.filter((u) => u.kind === 'person').length },
      references: all.slice(0, MAX_LISTED),
      policy,
    },
  };
}

/** One line for people: "2 unknown organisations and 1 unknown person named by 4 rows, kept (unresolved)". */
export function unresolvedNote(u: UnresolvedSummary): string {
  const parts = [
    u.byKind.organisation ? `${u.byKind.organisation} unknown organisation${u.byKind.organisation > 1 ? 's' : ''}` : '',
    u.byKind.person ? `${u.byKind.person} unknown person${u.byKind.person > 1 ? 's' : ''}` : '',
  ].filter(Boolean).join(' and ');
  const done = u.policy === 'reject' ? 'rejected (unresolved=reject)' : 'stored, marked unresolved (unresolved=reject refuses them)';
  return `${parts} named by ${u.rows} row${u.rows > 1 ? 's' : ''}, neither in the file nor in the store: ${done}`;
}

/** Which of the ids the store already holds: organisations by id, persons by their key. */
export async function knownInStore(storage: Storage, orgIds: string[], personKeys: string[]): Promise<{ orgs: Set<string>; persons: Set<string> }> {
  const orgs = orgIds.length
    ? await queryRows<{ id: string }>(storage.write, 'SELECT DISTINCT id FROM organisations FINAL WHERE id IN {ids:Array(String)}', { ids: orgIds })
    : [];
  const persons = personKeys.length
    ? await queryRows<{ k: string }>(storage.write, 'SELECT DISTINCT person_key AS k FROM persons FINAL WHERE person_key IN {ids:Array(String)}', { ids: personKeys })
    : [];
  return { orgs: new Set(orgs.map((o) => o.id)), persons: new Set(persons.map((p) => p.k)) };
}

/** One kind of stored row that points at nothing, for the data-quality view. */
export interface StoredUnresolved {
  /** What the rows name: an organisation, or a person the register never delivered. */
  kind: ReferenceKind;
  from: ReferringKind;
  /** Organisation ids as the register names them; persons only as a count (they are pseudonyms). */
  id: string | null;
  rows: number;
  /** A few referring ids (groups, duties, organisations), never a person's. */
  examples: string[];
}

/**
 * Rows in the store that name an organisation or person the store does not hold, now: what
 * the data-quality view shows. Computed when asked, so a reference resolves the moment the
 * missing organisation is imported.
 */
export async function unresolvedInStore(storage: Storage, limit = 200): Promise<StoredUnresolved[]> {
  const orgs = await queryRows<{ from: ReferringKind; id: string; rows: number; examples: string[] }>(
    storage.read,
    `SELECT src AS from, ref AS id, count() AS rows, groupUniqArray(5)(sid) AS examples FROM (
       SELECT unit AS ref, 'groups' AS src, id AS sid FROM groups FINAL
       UNION ALL SELECT unit AS ref, 'duties' AS src, id AS sid FROM duties FINAL
       UNION ALL SELECT unit AS ref, 'enrolments' AS src, '' AS sid FROM enrolments FINAL
       UNION ALL SELECT parent AS ref, 'organisations' AS src, id AS sid FROM organisations FINAL WHERE parent != ''
     ) WHERE ref NOT IN (SELECT id FROM organisations FINAL)
     GROUP BY src, ref ORDER BY rows DESC, ref LIMIT {limit:UInt32}`,
    { limit },
    ['rows'],
  );
  const persons = await queryRows<{ rows: number; examples: string[] }>(
    storage.read,
    `SELECT count() AS rows, groupUniqArray(5)(group_id) AS examples FROM memberships FINAL
     WHERE person_key NOT IN (SELECT person_key FROM persons FINAL)`,
    {},
    ['rows'],
  );
  const out: StoredUnresolved[] = orgs.map((o) => ({ kind: 'organisation', from: o.from, id: o.id, rows: o.rows, examples: o.examples.filter(Boolean) }));
  if (persons[0]?.rows) out.push({ kind: 'person', from: 'memberships', id: null, rows: persons[0].rows, examples: persons[0].examples });
  return out;
}
