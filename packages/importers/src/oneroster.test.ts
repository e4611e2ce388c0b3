import { readFileSync, readdirSync } from 'node:fs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseOneRoster, parseUserIds, schoolOfGrades } from './oneroster.ts';
import type { Ss12000Import } from './ss12000-types.ts';

const dir = (v: string) => new URL(`../test-fixtures/oneroster/${v}/`, import.meta.url);
const filesOf = (v: string): Record<string, Uint8Array> =>
  Object.fromEntries(readdirSync(dir(v)).map((f) => [f, new Uint8Array(readFileSync(new URL(f, dir(v))))]));
const zipOf = (v: string, prefix = '') => zipSync(Object.fromEntries(Object.entries(filesOf(v)).map(([k, b]) => [`${prefix}${k}`, b])));
const example = (name: string) => JSON.parse(readFileSync(new URL(`../test-fixtures/ss12000/${name}`, import.meta.url), 'utf8'));
const withoutMeta = <T extends { meta?: unknown }>(o: T) => { const { meta: _, ...rest } = o; return rest; };

const DIST = '6b3402f1-dffc-4396-baa6-00218cde4106';
const SCH = 'd6fd9fe6-23c4-42d5-a627-b1f43ee98f17';
const SCH2 = 'a1b2c3d4-0000-4000-8000-000000000002';
const ASTRID = '39f1dae5-ffc5-41ce-b57b-6e3218bbd902';
const NILS = '93df7ece-bc17-447f-bd72-229433c36154';
const K7B = '74937299-e333-4665-9f32-70fafc84307c';
const MA7B = 'db6ab902-0d04-4dbd-8ba0-125779cbe825';

describe('parseOneRoster 1.2 (zip)', async () => {
  const res = await parseOneRoster(zipOf('v1p2', 'export/'), { fileName: 'oneroster.zip' });
  const roster: Ss12000Import = res.records[0];
  const person = (id: string) => roster.persons.find((p) => p.id === id)!;
  const group = (id: string) => roster.groups.find((g) => g.id === id)!;

  it('is one roster record, tagged as such, with the manifest read', () => {
    expect(res.kind).toBe('oneroster');
    expect(res.produces).toBe('roster');
    expect(res.records).toHaveLength(1);
    expect(res.meta).toEqual({ version: '1.2', mode: 'bulk', tables: expect.arrayContaining(['manifest', 'orgs', 'users', 'roles', 'classes', 'enrollments', 'academicSessions', 'courses']) });
  });

  it('maps orgs: district → Huvudman, school → Skolenhet with its skolenhetskod', () => {
    expect(roster.organisations).toEqual([
      { id: DIST, displayName: 'Exempelstads kommun', organisationType: 'Huvudman', organisationCode: '9999', municipalityCode: '9999' },
      { id: SCH, displayName: 'Exempelskolan F-9', organisationType: 'Skolenhet', organisationCode: '99999999', schoolUnitCode: '99999999', parentOrganisation: { id: DIST } },
      { id: SCH2, displayName: 'Provskolan 7-9', organisationType: 'Skolenhet', organisationCode: '88888888', schoolUnitCode: '88888888', parentOrganisation: { id: DIST } },
    ]);
  });

  it('maps a pupil with every identifier and an enrolment from roles.csv', () => {
    expect(person(ASTRID)).toEqual({
      id: ASTRID,
      givenName: 'Astrid',
      familyName: 'Exempel',
      eduPersonPrincipalNames: ['astrid.exempel@edu.example.se'],
      externalIdentifiers: [
        { value: 'astexe01', context: 'oneroster:userIds:LDAP', globallyUnique: false },
        { value: '39f1dae5', context: 'oneroster:userIds:LTI', globallyUnique: false },
      ],
      emails: [{ value: 'astrid.exempel@elev.example.se', type: 'Skola elev' }],
      enrolments: [{ enroledAt: { id: SCH }, schoolType: 'GR', schoolYear: 7, startDate: '2024-08-19' }],
    });
  });

  it('maps staff: a username without @ is an external identifier, quoted commas survive, e-mail typed as staff', () => {
    expect(person('u-rut')).toEqual({
      id: 'u-rut', givenName: 'Rut', familyName: 'Rektorsson, von',
      externalIdentifiers: [{ value: 'rutrek01', context: 'oneroster:username', globallyUnique: false }],
      emails: [{ value: 'rut.rektorsson@example.se', type: 'Skola personal' }],
    });
    expect(person(NILS).emails).toEqual([{ value: 'nils.testsson@example.se', type: 'Skola personal' }]);
  });

  it('turns roles into duties: principal → Rektor, teacher → Lärare, end dates made inclusive', () => {
    expect(roster.duties.find((d) => d.id === 'r-rut')).toEqual({ id: 'r-rut', person: { id: 'u-rut' }, dutyAt: { id: SCH }, dutyRole: 'Rektor', startDate: '2020-01-01', endDate: '2025-12-31' });
  });

  it('makes the homeroom teacher the mentor of the class, as the SS12000 example duty has it', () => {
    const duty = roster.duties.find((d) => d.id === 'r-nils')!;
    const { id: _, meta: __, signature: ___, dutyPercent: ____, ...expected } = example('duties.json').data[0];
    const { id: _id, ...got } = duty;
    expect(got).toEqual(expected);
  });

  it('maps a homeroom class to the Klass group of the SS12000 example, dates from the school year', () => {
    expect(group(K7B)).toEqual(withoutMeta(example('groups.json').data[0]));
  });

  it('maps a scheduled class to an Undervisning group spanning its terms, title with comma and newline intact', () => {
    expect(group(MA7B)).toEqual({
      ...withoutMeta(example('groups.json').data[1]),
      displayName: 'MA 7B, grupp 1\n(läsår 24/25)',
    });
  });

  it('leaves guardians out and drops personnummer from identifiers', () => {
    expect(roster.persons.map((p) => p.id)).toEqual([ASTRID, NILS, 'u-rut', 'u-bo', 'u-pnr']);
    expect(person('u-pnr').externalIdentifiers).toBeUndefined();
    expect(res.notes).toContain('1 personal identity number(s) in identifier columns were not imported');
    expect(res.skippedReasons).toEqual({
      'guardian, parent or relative (not a pupil or staff)': 1,
      'guardian role': 1,
      'teacher of a teaching group (SS12000 links these through activities)': 1,
    });
  });

  it('rejects bad rows with file, row, line, field and reason, keeping the good ones', () => {
    expect(res.rejected).toEqual([
      { file: 'classes.csv', row: 5, line: 6, field: 'schoolSourcedId', reason: 'no org "o-unknown" in orgs.csv' },
      { file: 'enrollments.csv', row: 7, line: 7, field: 'classSourcedId', reason: 'no class "c-nowhere" in classes.csv' },
      { file: 'enrollments.csv', row: 8, line: 8, field: 'beginDate', reason: '"2024-13-01" is not a date YYYY-MM-DD' },
      { file: 'orgs.csv', row: 5, line: 5, field: 'name', reason: 'missing: an organisation needs a name' },
      { file: 'roles.csv', row: 8, line: 8, field: 'userSourcedId', reason: 'no user "u-ghost" in users.csv' },
      { file: 'roles.csv', row: 9, line: 9, field: 'orgSourcedId', reason: 'no org "o-unknown" in orgs.csv' },
    ]);
    expect(res.stats).toEqual({ read: 32, kept: 23, rejected: 6, skipped: 3 });
  });

  it('notes a class without a term', () => {
    expect(group('c-8a')).toEqual({ id: 'c-8a', displayName: '8A', groupType: 'Klass', schoolType: 'GR', organisation: { id: SCH2 }, groupMemberships: [{ person: { id: 'u-bo' } }] });
    expect(res.notes).toContain('some classes have no term in academicSessions.csv: their groups carry no start or end date');
  });

  it('serialises to plain SS12000 JSON without internal fields', () => {
    const json = JSON.parse(JSON.stringify(roster));
    expect(json.organisations[0]._type).toBeUndefined();
    expect(json.persons[0]._grades).toBeUndefined();
    expect(json.groups[0]._homeroom).toBeUndefined();
  });
});

describe('parseOneRoster 1.2 from separate files', () => {
  it('gives the same roster from a map of files as from the zip', async () => {
    const fromZip = await parseOneRoster(zipOf('v1p2'));
    const fromFiles = await parseOneRoster(filesOf('v1p2'));
    expect(JSON.stringify(fromFiles.records)).toBe(JSON.stringify(fromZip.records));
  });

  it('takes a single users.csv named by the caller or recognised by its header', async () => {
    const users = readFileSync(new URL('users.csv', dir('v1p2')));
    const named = await parseOneRoster(users, { fileName: 'users.csv' });
    const unnamed = await parseOneRoster(users, { fileName: 'export (3).csv' });
    for (const res of [named, unnamed]) {
      expect(res.records[0].persons).toHaveLength(6);
      expect(res.records[0].organisations).toEqual([]);
      expect(res.notes).toContain('roles.csv absent: no duties, and enrolments only from classes');
    }
  });

  it('enrols pupils at the schools of their classes when there is no roles.csv', async () => {
    const { 'roles.csv': _, ...files } = filesOf('v1p2');
    const res = await parseOneRoster(files);
    const astrid = res.records[0].persons.find((p) => p.id === ASTRID)!;
    expect(astrid.enrolments).toEqual([{ enroledAt: { id: SCH }, schoolType: 'GR', schoolYear: 7 }]);
    expect(res.notes).toContain('2 pupil(s) enrolled at the schools of their classes (no student role at a school)');
    // Without roles nobody is a guardian: Gun stays a person with no enrolment or duty.
    expect(res.records[0].persons.map((p) => p.id)).toContain('u-gun');
  });

  it('can keep end dates as written when an exporter writes inclusive ones', async () => {
    const res = await parseOneRoster(zipOf('v1p2'), { endDatesExclusive: false });
    expect(res.records[0].groups.find((g) => g.id === K7B)!.endDate).toBe('2025-06-14');
  });
});

describe('parseOneRoster 1.1 (BOM, CRLF, role and orgSourcedIds in users.csv)', async () => {
  const res = await parseOneRoster(zipOf('v1p1'));
  const roster = res.records[0];

  it('reads the version and the organisation number of the district', () => {
    expect(res.meta.version).toBe('1.1');
    expect(roster.organisations[0]).toEqual({ id: DIST, displayName: 'Exempelstads kommun', organisationType: 'Huvudman', organisationCode: '212000-9999', organisationNumber: '2120009999' });
  });

  it('maps administrator at a school to Rektor, at the district to Övrig arbetsledning', () => {
    expect(roster.duties).toEqual([
      { id: `u-adm-${SCH}-administrator`, person: { id: 'u-adm' }, dutyAt: { id: SCH }, dutyRole: 'Rektor' },
      { id: `u-dadm-${DIST}-administrator`, person: { id: 'u-dadm' }, dutyAt: { id: DIST }, dutyRole: 'Övrig arbetsledning' },
      { id: `u-multi-${SCH}-teacher`, person: { id: 'u-multi' }, dutyAt: { id: SCH }, dutyRole: 'Lärare' },
    ]);
  });

  it('enrols the pupil from users.csv and reads userIds without braces', () => {
    expect(roster.persons[0]).toMatchObject({
      id: ASTRID,
      externalIdentifiers: [{ value: 'astexe01', context: 'oneroster:userIds:LDAP', globallyUnique: false }],
      enrolments: [{ enroledAt: { id: SCH }, schoolType: 'GR', schoolYear: 7 }],
    });
    expect(roster.groups[0].groupMemberships).toEqual([{ person: { id: ASTRID }, startDate: '2024-08-19', endDate: '2025-06-13' }]);
  });

  it('leaves the parent out and reports the unknown org of a multi-school teacher', () => {
    expect(roster.persons.map((p) => p.id)).not.toContain('u-par');
    // The row is kept with its good school, so the bad one is a note, not a rejection:
    // each of the 5 rows is counted once (4 kept, the parent skipped).
    expect(res.rejected).toEqual([]);
    expect(res.notes).toContain('users.csv row 5: orgSourcedIds: no org "o-missing" in orgs.csv; the row\'s other roles are kept');
    expect(res.stats).toEqual({ read: 9, kept: 8, rejected: 0, skipped: 1 });
  });
});

describe('parseOneRoster: delta files and damage', () => {
  it('skips tobedeleted rows and warns that a delta is not a snapshot', async () => {
    const res = await parseOneRoster({
      'manifest.csv': 'propertyName,value\noneroster.version,1.2\nfile.users,delta\n',
      'users.csv': 'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName\nu1,active,2024-09-01T00:00:00Z,true,a@example.se,,A,B\nu2,tobedeleted,2024-09-01T00:00:00Z,true,b@example.se,,C,D\n',
    });
    expect(res.meta.mode).toBe('delta');
    expect(res.records[0].persons.map((p) => p.id)).toEqual(['u1']);
    expect(res.skippedReasons).toEqual({ 'status tobedeleted': 1 });
    expect(res.notes).toContain('delta files: records absent from this import have not left; import them as changes, not as a snapshot');
  });

  it('rejects a row cut off by truncation and keeps the rest', async () => {
    const res = await parseOneRoster({ 'orgs.csv': 'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\no1,,,Skola,school,12345678,\no2,,,"Avsk' });
    expect(res.records[0].organisations.map((o) => o.id)).toEqual(['o1']);
    expect(res.rejected).toEqual([{ file: 'orgs.csv', row: 3, line: 3, reason: 'the file ends inside a quoted field: the row is cut off' }]);
  });

  it('rejects a duplicated sourcedId', async () => {
    const res = await parseOneRoster({ 'orgs.csv': 'sourcedId,name,type\no1,A,school\no1,B,school\n' });
    expect(res.rejected).toEqual([{ file: 'orgs.csv', row: 3, line: 3, field: 'sourcedId', reason: '"o1" appears twice in orgs.csv' }]);
  });

  it('refuses a licence sheet passed as OneRoster', async () => {
    const lic = readFileSync(new URL('../test-fixtures/licences/licences-en.csv', import.meta.url));
    await expect(parseOneRoster(lic)).rejects.toThrow('this looks like a licence sheet (CSV), not a OneRoster CSV export');
  });

  it('says when nothing in the input is a OneRoster table', async () => {
    const res = await parseOneRoster(zipSync({ 'readme.txt': new TextEncoder().encode('hej') }));
    expect(res.records[0]).toEqual({ organisations: [], persons: [], groups: [], duties: [] });
    expect(res.notes).toContain('no OneRoster table found (orgs.csv, users.csv, roles.csv, classes.csv, enrollments.csv…)');
  });
});

describe('OneRoster helpers', () => {
  it('maps CEDS grades to school type and year', () => {
    expect(schoolOfGrades('07')).toEqual({ schoolType: 'GR', schoolYear: 7 });
    expect(schoolOfGrades('KG')).toEqual({ schoolType: 'FKLASS', schoolYear: 0 });
    expect(schoolOfGrades('10')).toEqual({ schoolType: 'GY', schoolYear: 1 });
    expect(schoolOfGrades('07,08')).toEqual({ schoolType: 'GR' });
    expect(schoolOfGrades('09,10')).toEqual({});
    expect(schoolOfGrades('')).toEqual({});
  });

  it('parses userIds in both spellings', () => {
    expect(parseUserIds('{LDAP:astexe01},{LTI:39f1dae5}')).toEqual([{ type: 'LDAP', id: 'astexe01' }, { type: 'LTI', id: '39f1dae5' }]);
    expect(parseUserIds('LDAP:astexe01')).toEqual([{ type: 'LDAP', id: 'astexe01' }]);
    expect(parseUserIds('{Feide:a:b}')).toEqual([{ type: 'Feide', id: 'a:b' }]);
    expect(parseUserIds('')).toEqual([]);
  });
});

describe('parseOneRoster: roles in detail', () => {
  const orgs = 'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\nd,,,Kommunen,district,,\ns,,,Skolan,school,12345678,d\n';
  const users = (ids: string[]) => `sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,email\n${ids.map((i) => `${i},,,true,${i},,G,F,${i}@example.se`).join('\n')}\n`;
  const roles = (rows: string[][]) => `sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId\n${rows.map((r) => r.join(',')).join('\n')}\n`;

  const cases: [string, string, string, string | null][] = [
    ['teacher at a school', 'teacher', 's', 'Lärare'],
    ['principal', 'principal', 's', 'Rektor'],
    ['site administrator', 'siteAdministrator', 's', 'Rektor'],
    ['district administrator', 'districtAdministrator', 'd', 'Övrig arbetsledning'],
    ['system administrator', 'systemAdministrator', 'd', 'Övrig arbetsledning'],
    ['aide', 'aide', 's', 'Lärarassistent'],
    ['counselor', 'counselor', 's', 'Annan personal'],
    ['proctor', 'proctor', 's', 'Annan personal'],
  ];
  for (const [name, role, org, dutyRole] of cases) {
    it(`${name} → ${dutyRole}`, async () => {
      const res = await parseOneRoster({ 'orgs.csv': orgs, 'users.csv': users(['u1']), 'roles.csv': roles([['r1', '', '', 'u1', 'primary', role, '', '', org, '']]) });
      expect(res.records[0].duties).toEqual([{ id: 'r1', person: { id: 'u1' }, dutyAt: { id: org }, dutyRole }]);
      expect(res.records[0].persons[0].emails).toEqual([{ value: 'u1@example.se', type: 'Skola personal' }]);
    });
  }

  it('gives a pupil who is also a guardian an enrolment and stays a pupil', async () => {
    const res = await parseOneRoster({ 'orgs.csv': orgs, 'users.csv': users(['u1']), 'roles.csv': roles([['r1', '', '', 'u1', 'primary', 'student', '', '', 's', ''], ['r2', '', '', 'u1', 'secondary', 'guardian', '', '', 's', '']]) });
    expect(res.records[0].persons[0].enrolments).toEqual([{ enroledAt: { id: 's' } }]);
    expect(res.skippedReasons).toEqual({ 'guardian role': 1 });
  });

  it('does not enrol a pupil at a district', async () => {
    const res = await parseOneRoster({ 'orgs.csv': orgs, 'users.csv': users(['u1']), 'roles.csv': roles([['r1', '', '', 'u1', 'primary', 'student', '', '', 'd', '']]) });
    expect(res.records[0].persons[0].enrolments).toBeUndefined();
    expect(res.skippedReasons).toEqual({ 'student role above school level (enrolments come from class schools)': 1 });
  });

  it('rejects an unknown role word and a role without user', async () => {
    const res = await parseOneRoster({ 'orgs.csv': orgs, 'users.csv': users(['u1']), 'roles.csv': roles([['r1', '', '', 'u1', 'primary', 'janitor', '', '', 's', ''], ['r2', '', '', '', 'primary', 'teacher', '', '', 's', '']]) });
    expect(res.rejected).toEqual([
      { file: 'roles.csv', row: 2, line: 2, field: 'role', reason: '"janitor" is not a OneRoster role' },
      { file: 'roles.csv', row: 3, line: 3, field: 'userSourcedId', reason: 'missing' },
    ]);
  });

  it('guesses 1.1 from the users.csv columns when there is no manifest', async () => {
    const res = await parseOneRoster({
      'users.csv': 'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName\nu1,,,true,s,teacher,nils,,Nils,T\n',
    });
    expect(res.meta).toMatchObject({ version: '1.1', mode: 'unknown' });
    expect(res.records[0].duties).toEqual([{ id: 'u1-s-teacher', person: { id: 'u1' }, dutyAt: { id: 's' }, dutyRole: 'Lärare' }]);
  });

  it('reads headers in another case than the spec', async () => {
    const res = await parseOneRoster({ 'orgs.csv': 'SOURCEDID,NAME,TYPE,IDENTIFIER\ns,Skolan,school,12345678\n' });
    expect(res.records[0].organisations).toEqual([{ id: 's', displayName: 'Skolan', organisationType: 'Skolenhet', organisationCode: '12345678', schoolUnitCode: '12345678' }]);
  });

  it('maps other org types to Övrigt and keeps a parent that is not in the file, with a note', async () => {
    const res = await parseOneRoster({ 'orgs.csv': 'sourcedId,name,type,parentSourcedId\nx,Avdelning,department,elsewhere\n' });
    expect(res.records[0].organisations[0]).toEqual({ id: 'x', displayName: 'Avdelning', organisationType: 'Övrigt', parentOrganisation: { id: 'elsewhere' } });
    expect(res.notes).toContain('orgs.csv: parent "elsewhere" of "x" is not in the file');
  });

  it('drops personnummer in every spelling but keeps other identifiers', async () => {
    const res = await parseOneRoster({
      'users.csv': 'sourcedId,username,givenName,familyName,identifier,userMasterIdentifier\nu1,a@example.se,A,B,20110315-2383,elev-17\nu2,b@example.se,C,D,110315+2383,\nu3,c@example.se,E,F,201103152383,\n',
    });
    expect(res.records[0].persons.map((p) => p.externalIdentifiers)).toEqual([[{ value: 'elev-17', context: 'oneroster:userMasterIdentifier', globallyUnique: false }], undefined, undefined]);
    expect(res.notes).toContain('3 personal identity number(s) in identifier columns were not imported');
  });
});
