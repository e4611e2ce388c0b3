import { readFileSync, readdirSync } from 'node:fs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseOneRoster } from './oneroster.ts';
import { termList } from './oneroster-values.ts';

/**
 * The column names OneRoster exports use in practice beside the spec's: a `terms` column
 * instead of `termSourcedIds` (exports written from the REST binding), 1.0's singular
 * `termSourcedId`, `agents`, and a blank row at the end of enrollments.csv.
 */
const dir = new URL('../test-fixtures/oneroster/terms/', import.meta.url);
const files = Object.fromEntries(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(new URL(f, dir)))]));

describe('parseOneRoster with a terms column', async () => {
  const res = await parseOneRoster(zipSync(files), { fileName: 'export.zip' });
  const groups = res.records[0].groups;
  const group = (id: string) => groups.find((g) => g.id === id)!;

  it('gives classes the dates of the terms named in `terms` (end dates exclusive, so the day before)', () => {
    // c-1: ht25 (2025-08-18..2026-01-12) and vt26 (2026-01-12..2026-06-13) → 2025-08-18..2026-06-12.
    expect(group('c-1')).toMatchObject({ startDate: '2025-08-18', endDate: '2026-06-12' });
    // c-2: vt26 only.
    expect(group('c-2')).toMatchObject({ startDate: '2026-01-12', endDate: '2026-06-12' });
    expect(res.notes).toContain('classes.csv: column "terms" read as termSourcedIds');
    expect(res.notes).toContain('users.csv: column "agents" read as agentSourcedIds');
  });

  it('names a term that is not in academicSessions.csv instead of a generic note', () => {
    expect(group('c-3').startDate).toBeUndefined();
    expect(group('c-3').endDate).toBeUndefined();
    expect(res.notes).toContain('classes.csv: term(s) "ht24" not in academicSessions.csv: those classes carry no dates from them');
    expect(res.notes.some((n) => n.startsWith('some classes have no term'))).toBe(false);
  });

  it('counts every row of the package once, the blank one apart', () => {
    // 2 sessions + 1 org + 2 users + 3 classes + 2 enrollments = 10 rows kept; the `,,,,,,,,,` row is blank.
    expect(res.stats).toEqual({ read: 11, kept: 10, rejected: 0, skipped: 0, blank: 1 });
    expect(res.rejected).toEqual([]);
  });

  it('reads the singular termSourcedId of OneRoster 1.0 the same way', async () => {
    const one = await parseOneRoster({
      'academicSessions.csv': 'sourcedId,title,type,startDate,endDate\nt1,HT,term,2025-08-18,2026-01-12\n',
      'orgs.csv': 'sourcedId,name,type\ns,Skolan,school\n',
      'classes.csv': 'sourcedId,title,grade,classType,schoolSourcedId,termSourcedId\nc,7A,07,homeroom,s,t1\n',
    });
    expect(one.records[0].groups[0]).toMatchObject({ id: 'c', startDate: '2025-08-18', endDate: '2026-01-11', schoolType: 'GR' });
  });

  it('says so when classes.csv has no term column at all', async () => {
    const none = await parseOneRoster({ 'orgs.csv': 'sourcedId,name,type\ns,Skolan,school\n', 'classes.csv': 'sourcedId,title,classType,schoolSourcedId\nc,7A,homeroom,s\n' });
    expect(none.notes).toContain('classes.csv has no termSourcedIds column (nor terms or termSourcedId): its groups carry no start or end date');
  });
});

describe('termList', () => {
  it('reads the ways exports list terms', () => {
    expect(termList('ht25,vt26')).toEqual(['ht25', 'vt26']);
    expect(termList('{ht25},{vt26}')).toEqual(['ht25', 'vt26']);
    expect(termList('["ht25", "vt26"]')).toEqual(['ht25', 'vt26']);
    expect(termList('ht25; vt26;ht25')).toEqual(['ht25', 'vt26']);
    expect(termList('')).toEqual([]);
  });
});
