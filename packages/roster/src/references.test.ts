import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { referencesOf, summariseUnresolved, unresolvedPolicy } from './references.ts';
import { dutySchema, groupSchema, organisationSchema, personSchema } from './ss12000-schemas.ts';
import { DANGLING } from '../../importers/test-fixtures/ss12000/dangling-references.ts';

/** The fixture: a register export that lost its school units (see the test-fixtures file). */
const raw = JSON.parse(readFileSync(new URL('../../importers/test-fixtures/ss12000/dangling-references.json', import.meta.url), 'utf8'));
const parts = {
  organisations: raw.organisations.data.map((o: unknown) => organisationSchema.parse(o)),
  groups: raw.groups.data.map((g: unknown) => groupSchema.parse(g)),
  persons: raw.persons.data.map((p: unknown) => personSchema.parse(p)),
  duties: raw.duties.data.map((d: unknown) => dutySchema.parse(d)),
};
const { H, S, U, P1, GHOST, G1, G2 } = DANGLING;

describe('referencesOf', () => {
  it('lists every reference of the snapshot with the row that makes it', () => {
    expect(referencesOf(parts)).toEqual([
      { kind: 'organisation', id: S, from: 'groups', row: G1 },
      { kind: 'person', id: P1, from: 'memberships', row: G1 },
      { kind: 'person', id: GHOST, from: 'memberships', row: G1 },
      { kind: 'organisation', id: H, from: 'groups', row: G2 },
      { kind: 'person', id: P1, from: 'memberships', row: G2 },
      { kind: 'organisation', id: S, from: 'enrolments', row: P1 },
      { kind: 'organisation', id: U, from: 'duties', row: 'c4000000-0000-4000-8000-000000000001' },
    ]);
  });
});

describe('summariseUnresolved', () => {
  const inFile = new Set([H, P1]);
  it('counts unknown references by kind and id, with the rows that name them', () => {
    const { summary, dangling } = summariseUnresolved(referencesOf(parts), (r) => inFile.has(r.id), 'keep');
    // S is named by G1 and P1's enrolment, U by the duty, the ghost by one membership: 3 references, 4 rows.
    expect(summary).toEqual({
      count: 3, rows: 4, byKind: { organisation: 2, person: 1 }, policy: 'keep',
      references: [
        { kind: 'organisation', id: S, rows: 2, referencedBy: [`groups/${G1}`, `enrolments/${P1}`] },
        { kind: 'person', id: GHOST, rows: 1, referencedBy: [`memberships/${G1}`] },
        { kind: 'organisation', id: U, rows: 1, referencedBy: ['duties/c4000000-0000-4000-8000-000000000001'] },
      ],
    });
    expect(dangling).toHaveLength(4);
  });

  it('finds nothing once the store holds what the file lacks', () => {
    const known = new Set([H, P1, S, U, GHOST]);
    expect(summariseUnresolved(referencesOf(parts), (r) => known.has(r.id), 'keep').summary).toMatchObject({ count: 0, rows: 0, references: [] });
  });
});

describe('unresolvedPolicy', () => {
  it('reads ?unresolved= and ?strict=, refusing anything else', () => {
    expect(unresolvedPolicy()).toBe('keep');
    expect(unresolvedPolicy('reject')).toBe('reject');
    expect(unresolvedPolicy(undefined, 'true')).toBe('reject');
    expect(unresolvedPolicy(undefined, 'false')).toBe('keep');
    expect(() => unresolvedPolicy('drop')).toThrow('unresolved: must be keep or reject');
    expect(() => unresolvedPolicy(undefined, 'yes')).toThrow('strict: must be true or false');
  });
});
