import { addDays } from '@licenskoll/core';
import type { OneRosterRow, OneRosterTableData, OneRosterTables } from './oneroster-files.ts';
import type { Rejection, Tally } from './result.ts';
import type {
  Ss12000Duty, Ss12000Enrolment, Ss12000ExternalIdentifier, Ss12000Group, Ss12000Import, Ss12000Organisation, Ss12000Person,
} from './ss12000-types.ts';
import { parseDate } from './values.ts';
import { CIVIC_NO, NOT_ROSTERED, ORG_TYPES, STAFF_ROLES, parseUserIds, schoolOfGrades, termList } from './oneroster-values.ts';

/*
 * OneRoster rows → SS12000 objects, table by table in dependency order (sessions, orgs,
 * users, roles, classes, enrollments), so that each reference can be checked against
 * what came before it. Every row is counted once in the tally: kept, skipped or rejected.
 */

interface RoleRow { userId: string; role: string; orgId: string; begin?: string; end?: string; id: string; at: Rejection }

export class Mapper {
  readonly orgs = new Map<string, Ss12000Organisation & { _type?: string }>();
  readonly persons = new Map<string, Ss12000Person>();
  readonly groups = new Map<string, Ss12000Group & { _homeroom?: boolean }>();
  readonly duties = new Map<string, Ss12000Duty>();
  private readonly studentSchools = new Map<string, Set<string>>();
  private readonly sessions = new Map<string, { start?: string; end?: string }>();
  private droppedCivic = 0;

  constructor(private readonly t: OneRosterTables, private readonly tally: Tally, private readonly exclusiveEnd: boolean) {}

  private where(tab: OneRosterTableData, r: OneRosterRow, field?: string): Rejection {
    return { file: tab.file, row: r.row, line: r.line, ...(field ? { field } : {}), reason: '' };
  }

  /** Count the row; `false` when it is to be left out (deleted in a delta, or not rostered). */
  private admit(r: OneRosterRow): boolean {
    this.tally.stats.read++;
    if (r.get('status').toLowerCase() === 'tobedeleted') { this.tally.skip('status tobedeleted'); return false; }
    return true;
  }

  private dates(tab: OneRosterTableData, r: OneRosterRow, beginCol: string, endCol: string, problems: Rejection[]) {
    const get = (col: string) => {
      const v = r.get(col);
      if (!v) return undefined;
      const p = parseDate(v);
      if (p.error !== undefined) { problems.push({ ...this.where(tab, r, col), reason: p.error }); return undefined; }
      return p.value;
    };
    const begin = get(beginCol);
    let end = get(endCol);
    if (end && this.exclusiveEnd) end = addDays(end, -1);
    if (begin && end && end < begin) {
      problems.push({ ...this.where(tab, r, endCol), reason: `${r.get(endCol)} leaves no day after ${begin}${this.exclusiveEnd ? ' (end dates are exclusive)' : ''}` });
    }
    return { begin, end };
  }

  private reject(problems: Rejection[]): void {
    this.tally.reject(problems[0]);
    for (const p of problems.slice(1)) if (this.tally.rejected.length < this.tally.maxRejections) this.tally.rejected.push(p);
  }

  private seen(tab: OneRosterTableData, r: OneRosterRow, map: Map<string, unknown>): string | null {
    const id = r.get('sourcedId');
    if (!id) { this.tally.reject({ ...this.where(tab, r, 'sourcedId'), reason: 'missing' }); return null; }
    if (map.has(id)) { this.tally.reject({ ...this.where(tab, r, 'sourcedId'), reason: `"${id}" appears twice in ${tab.file}` }); return null; }
    return id;
  }

  academicSessions(): void {
    const tab = this.t.academicSessions;
    if (!tab) return;
    for (const r of tab.rows) {
      if (!this.admit(r)) continue;
      const id = this.seen(tab, r, this.sessions);
      if (!id) continue;
      const problems: Rejection[] = [];
      const { begin, end } = this.dates(tab, r, 'startDate', 'endDate', problems);
      if (problems.length) { this.reject(problems); continue; }
      this.sessions.set(id, { start: begin, end });
      this.tally.stats.kept++;
    }
  }

  organisations(): void {
    const tab = this.t.orgs;
    if (!tab) return;
    for (const r of tab.rows) {
      if (!this.admit(r)) continue;
      const id = this.seen(tab, r, this.orgs);
      if (!id) continue;
      const name = r.get('name');
      if (!name) { this.tally.reject({ ...this.where(tab, r, 'name'), reason: 'missing: an organisation needs a name' }); continue; }
      const type = r.get('type');
      const code = r.get('identifier');
      const org: Ss12000Organisation & { _type?: string } = { id, displayName: name, organisationType: ORG_TYPES[type] ?? 'Övrigt', _type: type };
      if (code) org.organisationCode = code;
      // The identifier column holds whatever national code the exporter uses; in Sweden an
      // 8-digit one on a school is the skolenhetskod, a 4-digit one on a district the kommunkod.
      if (type === 'school' && /^\d{8}$/.test(code)) org.schoolUnitCode = code;
      if (type === 'district' && /^\d{4}$/.test(code)) org.municipalityCode = code;
      if (type === 'district' && /^\d{6}-?\d{4}$/.test(code)) org.organisationNumber = code.replace('-', '');
      if (r.get('parentSourcedId')) org.parentOrganisation = { id: r.get('parentSourcedId') };
      this.orgs.set(id, org);
      this.tally.stats.kept++;
    }
    for (const o of this.orgs.values()) {
      if (o.parentOrganisation && !this.orgs.has(o.parentOrganisation.id)) this.tally.note(`orgs.csv: parent "${o.parentOrganisation.id}" of "${o.id}" is not in the file`);
    }
  }

  private identifiers(r: OneRosterRow): { eppns: string[]; ext: Ss12000ExternalIdentifier[] } {
    const eppns: string[] = [];
    const ext: Ss12000ExternalIdentifier[] = [];
    const add = (value: string, context: string) => {
      if (!value) return;
      if (CIVIC_NO.test(value.replace(/\s/g, ''))) { this.droppedCivic++; return; }
      if (!ext.some((e) => e.value === value && e.context === context)) ext.push({ value, context, globallyUnique: false });
    };
    const username = r.get('username');
    if (username.includes('@')) eppns.push(username);
    else add(username, 'oneroster:username');
    for (const { type, id } of parseUserIds(r.get('userIds'))) add(id, `oneroster:userIds:${type}`);
    add(r.get('identifier'), 'oneroster:identifier');
    add(r.get('userMasterIdentifier'), 'oneroster:userMasterIdentifier');
    return { eppns, ext };
  }

  /** Persons, plus (1.1) the role rows users.csv carries itself. */
  users(version: string): RoleRow[] {
    const tab = this.t.users;
    const roles: RoleRow[] = [];
    if (!tab) return roles;
    for (const r of tab.rows) {
      if (!this.admit(r)) continue;
      const id = this.seen(tab, r, this.persons);
      if (!id) continue;
      const { eppns, ext } = this.identifiers(r);
      const p: Ss12000Person = { id, givenName: r.get('givenName'), familyName: r.get('familyName') };
      if (r.get('middleName')) p.middleName = r.get('middleName');
      if (eppns.length) p.eduPersonPrincipalNames = eppns;
      if (ext.length) p.externalIdentifiers = ext;
      if (r.get('email')) p.emails = [{ value: r.get('email') }];
      const grades = r.get('grades');
      if (grades) Object.defineProperty(p, '_grades', { value: grades, enumerable: false });
      this.persons.set(id, p);
      if (version.startsWith('1.0') || version.startsWith('1.1') || r.get('role')) {
        const role = r.get('role');
        for (const org of r.get('orgSourcedIds').split(',').map((s) => s.trim()).filter(Boolean)) {
          roles.push({ userId: id, role, orgId: org, id: `${id}-${org}-${role}`, at: this.where(tab, r, 'orgSourcedIds') });
        }
      }
    }
    return roles;
  }

  roles(): RoleRow[] {
    const tab = this.t.roles;
    const out: RoleRow[] = [];
    if (!tab) return out;
    for (const r of tab.rows) {
      this.tally.stats.read++;
      if (r.get('status').toLowerCase() === 'tobedeleted') { this.tally.skip('status tobedeleted'); continue; }
      const problems: Rejection[] = [];
      const { begin, end } = this.dates(tab, r, 'beginDate', 'endDate', problems);
      for (const col of ['userSourcedId', 'role', 'orgSourcedId']) if (!r.get(col)) problems.push({ ...this.where(tab, r, col), reason: 'missing' });
      if (problems.length) { this.reject(problems); continue; }
      out.push({
        userId: r.get('userSourcedId'), role: r.get('role'), orgId: r.get('orgSourcedId'), begin, end,
        id: r.get('sourcedId') || `${r.get('userSourcedId')}-${r.get('orgSourcedId')}-${r.get('role')}`, at: this.where(tab, r),
      });
    }
    return out;
  }

  /** Student roles become enrolments, staff roles duties; guardians are not people Licenskoll counts. */
  applyRoles(rows: RoleRow[], counted: boolean): void {
    // 1.2 role rows are records of their own; 1.1 roles are cells of a users.csv row that is
    // already counted as kept, so a skipped 1.1 role only shows in the reasons, and a bad
    // one is a note while the row has a good role beside it (each row is counted once:
    // read = kept + rejected + skipped). A 1.1 row without any good role is rejected.
    let bad: Rejection[] = [];
    const reject = (r: Rejection) => (counted ? this.tally.reject(r) : bad.push(r));
    const skip = (reason: string) => {
      if (counted) this.tally.skip(reason);
      else this.tally.skippedReasons[reason] = (this.tally.skippedReasons[reason] ?? 0) + 1;
    };
    const byUser = new Map<string, RoleRow[]>();
    for (const r of rows) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r]);
    for (const [userId, list] of byUser) {
      const p = this.persons.get(userId);
      if (!p) {
        for (const r of list) reject({ ...r.at, field: 'userSourcedId', reason: `no user "${userId}" in users.csv` });
        continue;
      }
      if (list.every((r) => NOT_ROSTERED.has(r.role))) {
        this.persons.delete(userId);
        this.tally.stats.kept--; // the users.csv row
        this.tally.skip('guardian, parent or relative (not a pupil or staff)');
        for (const r of list) skip(`${r.role} role`);
        continue;
      }
      bad = [];
      let good = 0;
      for (const r of list) {
        const org = this.orgs.get(r.orgId);
        if (this.orgs.size && !org) { reject({ ...r.at, field: r.at.field ?? 'orgSourcedId', reason: `no org "${r.orgId}" in orgs.csv` }); continue; }
        if (r.role === 'student') {
          if (org?._type && org._type !== 'school') { skip('student role above school level (enrolments come from class schools)'); continue; }
          const e: Ss12000Enrolment = { enroledAt: { id: r.orgId }, ...schoolOfGrades(String((p as { _grades?: string })._grades ?? '')) };
          if (r.begin) e.startDate = r.begin;
          if (r.end) e.endDate = r.end;
          p.enrolments = [...(p.enrolments ?? []), e];
        } else if (STAFF_ROLES[r.role]) {
          const d: Ss12000Duty = { id: r.id, person: { id: userId }, dutyAt: { id: r.orgId }, dutyRole: STAFF_ROLES[r.role](org?._type) };
          if (r.begin) d.startDate = r.begin;
          if (r.end) d.endDate = r.end;
          this.duties.set(d.id, d);
        } else if (NOT_ROSTERED.has(r.role)) {
          skip(`${r.role} role`);
          continue;
        } else {
          reject({ ...r.at, field: 'role', reason: `"${r.role}" is not a OneRoster role` });
          continue;
        }
        if (counted) this.tally.stats.kept++;
        good++;
      }
      if (bad.length && good === 0 && !list.some((r) => NOT_ROSTERED.has(r.role))) {
        this.persons.delete(userId);
        this.tally.stats.kept--; // the users.csv row, counted as rejected instead
        this.reject(bad);
        continue;
      }
      for (const b of bad) this.tally.note(`${b.file} row ${b.row}: ${b.field}: ${b.reason}; the row's other roles are kept`);
      const staff = list.some((r) => r.role !== 'student' && !NOT_ROSTERED.has(r.role));
      if (p.emails) p.emails[0].type = staff && !list.some((r) => r.role === 'student') ? 'Skola personal' : 'Skola elev';
    }
  }

  classes(): void {
    const tab = this.t.classes;
    if (!tab) return;
    let undated = false;
    const unknownTerms = new Map<string, number>();
    const termColumn = tab.has('termSourcedIds');
    for (const r of tab.rows) {
      if (!this.admit(r)) continue;
      const id = this.seen(tab, r, this.groups);
      if (!id) continue;
      const school = r.get('schoolSourcedId');
      const name = r.get('title') || r.get('classCode');
      const problems: Rejection[] = [];
      if (!name) problems.push({ ...this.where(tab, r, 'title'), reason: 'missing (and no classCode)' });
      if (!school) problems.push({ ...this.where(tab, r, 'schoolSourcedId'), reason: 'missing: a group belongs to a school' });
      else if (this.orgs.size && !this.orgs.has(school)) problems.push({ ...this.where(tab, r, 'schoolSourcedId'), reason: `no org "${school}" in orgs.csv` });
      if (problems.length) { this.reject(problems); continue; }
      const homeroom = r.get('classType').toLowerCase() === 'homeroom';
      const g: Ss12000Group & { _homeroom?: boolean } = { id, displayName: name, groupType: homeroom ? 'Klass' : 'Undervisning', organisation: { id: school } };
      Object.defineProperty(g, '_homeroom', { value: homeroom, enumerable: false });
      const { schoolType } = schoolOfGrades(r.get('grades'));
      if (schoolType) g.schoolType = schoolType;
      const termIds = termList(r.get('termSourcedIds'));
      for (const t of termIds) if (!this.sessions.has(t)) unknownTerms.set(t, (unknownTerms.get(t) ?? 0) + 1);
      const terms = termIds.map((t) => this.sessions.get(t)).filter((s) => s !== undefined);
      const starts = terms.map((s) => s.start).filter((s): s is string => !!s).sort();
      const ends = terms.map((s) => s.end).filter((s): s is string => !!s).sort();
      if (starts.length) g.startDate = starts[0];
      if (ends.length) g.endDate = ends[ends.length - 1];
      if (!starts.length && (!termIds.length || terms.length)) undated = true;
      g.groupMemberships = [];
      this.groups.set(id, g);
      this.tally.stats.kept++;
    }
    // Say which way the dates went missing: no term column, terms not in the sessions file, or empty cells.
    if (undated && !termColumn) {
      this.tally.note(`${tab.file} has no termSourcedIds column (nor terms or termSourcedId): its groups carry no start or end date`);
    } else if (unknownTerms.size) {
      const list = [...unknownTerms.keys()].slice(0, 10).map((t) => `"${t}"`).join(', ');
      this.tally.note(`${tab.file}: term(s) ${list}${unknownTerms.size > 10 ? ' …' : ''} not in ${this.t.academicSessions ? this.t.academicSessions.file : 'academicSessions.csv (absent)'}: those classes carry no dates from them`);
    }
    if (undated && termColumn) this.tally.note('some classes have no term in academicSessions.csv: their groups carry no start or end date');
  }

  enrollments(): void {
    const tab = this.t.enrollments;
    if (!tab) return;
    for (const r of tab.rows) {
      if (!this.admit(r)) continue;
      const problems: Rejection[] = [];
      const classId = r.get('classSourcedId');
      const userId = r.get('userSourcedId');
      const role = r.get('role');
      const { begin, end } = this.dates(tab, r, 'beginDate', 'endDate', problems);
      const g = this.groups.get(classId);
      if (!classId) problems.push({ ...this.where(tab, r, 'classSourcedId'), reason: 'missing' });
      else if (!g) problems.push({ ...this.where(tab, r, 'classSourcedId'), reason: `no class "${classId}" in classes.csv` });
      if (!userId) problems.push({ ...this.where(tab, r, 'userSourcedId'), reason: 'missing' });
      else if (this.t.users && !this.persons.has(userId)) problems.push({ ...this.where(tab, r, 'userSourcedId'), reason: `no user "${userId}" in users.csv` });
      if (problems.length) { this.reject(problems); continue; }
      if (role === 'student') {
        const m = { person: { id: userId }, ...(begin ? { startDate: begin } : {}), ...(end ? { endDate: end } : {}) };
        const same = g!.groupMemberships!.some((x) => x.person.id === userId && x.startDate === m.startDate && x.endDate === m.endDate);
        if (!same) g!.groupMemberships!.push(m);
        const school = r.get('schoolSourcedId') || g!.organisation.id;
        this.studentSchools.set(userId, (this.studentSchools.get(userId) ?? new Set()).add(school));
        this.tally.stats.kept++;
      } else if (role === 'teacher' && g!._homeroom) {
        this.mentor(userId, g!, begin, end);
        this.tally.stats.kept++;
      } else if (role === 'teacher') {
        this.tally.skip('teacher of a teaching group (SS12000 links these through activities)');
      } else if (role === 'administrator' || role === 'proctor') {
        this.tally.skip(`${role} enrolment in a class`);
      } else {
        this.tally.reject({ ...this.where(tab, r, 'role'), reason: `"${role}" is not an enrolment role (student, teacher, administrator, proctor)` });
      }
    }
  }

  /** A homeroom teacher is the class's mentor: an assignment role on their duty at that school. */
  private mentor(userId: string, g: Ss12000Group, begin?: string, end?: string): void {
    const school = g.organisation.id;
    let duty = [...this.duties.values()].find((d) => d.person?.id === userId && d.dutyAt.id === school && d.dutyRole === 'Lärare')
      ?? [...this.duties.values()].find((d) => d.person?.id === userId && d.dutyAt.id === school);
    if (!duty) {
      duty = { id: `${userId}-${school}-teacher`, person: { id: userId }, dutyAt: { id: school }, dutyRole: 'Lärare' };
      this.duties.set(duty.id, duty);
    }
    duty.assignmentRole = [...(duty.assignmentRole ?? []), {
      group: { id: g.id }, assignmentRoleType: 'Mentor', ...(begin ? { startDate: begin } : {}), ...(end ? { endDate: end } : {}),
    }];
  }

  /** Pupils without a school-level role (1.2 files without roles.csv) are enrolled where their classes are. */
  enrolFromClasses(): void {
    let n = 0;
    for (const [userId, schools] of this.studentSchools) {
      const p = this.persons.get(userId);
      if (!p || p.enrolments?.length) continue;
      p.enrolments = [...schools].map((s) => ({ enroledAt: { id: s }, ...schoolOfGrades(String((p as { _grades?: string })._grades ?? '')) }));
      if (p.emails) p.emails[0].type ??= 'Skola elev';
      n++;
    }
    if (n) this.tally.note(`${n} pupil(s) enrolled at the schools of their classes (no student role at a school)`);
  }

  result(): Ss12000Import {
    if (this.droppedCivic) this.tally.note(`${this.droppedCivic} personal identity number(s) in identifier columns were not imported`);
    const clean = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('_'))) as T;
    return {
      organisations: [...this.orgs.values()].map(clean),
      persons: [...this.persons.values()],
      groups: [...this.groups.values()],
      duties: [...this.duties.values()],
    };
  }
}

