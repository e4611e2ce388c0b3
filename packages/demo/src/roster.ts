import { addDays, maxDate, minDate } from '@licenskoll/core';
import { breaksOf, dataFrom, dayKindOf, weekdayOf, type SchoolYear } from './calendar.ts';
import { boyNames, familyNames, girlNames, loginSlug, signatureOf } from './names.ts';
import { Random } from './random.ts';
import type {
  Meta, Ss12000Duty, Ss12000Enrolment, Ss12000Group, Ss12000Membership, Ss12000Organisation, Ss12000Person,
} from './ss12000.ts';

export const DOMAIN = 'exempelstad.se';
export type SchoolType = 'GR' | 'GY';
export type Subject = 'MA' | 'SP' | 'TY' | 'FR';

interface UnitPlan {
  name: string;
  code: string;
  type: SchoolType;
  grades: number[];
  /** Classes per grade at scale 1; for GY, per programme and year. */
  parallels: number;
  classSize: number;
  programmes?: string[];
  street: string;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * A dozen units in the shapes a Swedish municipality really has: F–6 schools, 7–9 schools,
 * F–9 schools and two upper secondary schools, one academic and one vocational. Together
 * about 4,000 pupils at scale 1.
 */
const UNIT_PLANS: UnitPlan[] = [
  { name: 'Norrskolan', code: 'NORR', type: 'GR', grades: range(1, 6), parallels: 2, classSize: 24, street: 'Norra Skolgatan 4' },
  { name: 'Söderskolan', code: 'SODR', type: 'GR', grades: range(1, 6), parallels: 2, classSize: 24, street: 'Södra vägen 21' },
  { name: 'Ekbackens skola', code: 'EKBA', type: 'GR', grades: range(1, 6), parallels: 2, classSize: 24, street: 'Ekbacksvägen 2' },
  { name: 'Lindgårdens skola', code: 'LIND', type: 'GR', grades: range(1, 6), parallels: 2, classSize: 24, street: 'Lindgårdsgatan 9' },
  { name: 'Västerskolan', code: 'VAST', type: 'GR', grades: range(7, 9), parallels: 4, classSize: 25, street: 'Västra Allén 30' },
  { name: 'Österskolan', code: 'OSTR', type: 'GR', grades: range(7, 9), parallels: 4, classSize: 25, street: 'Östra Långgatan 12' },
  { name: 'Tallbacksskolan', code: 'TALL', type: 'GR', grades: range(7, 9), parallels: 4, classSize: 25, street: 'Tallbacken 1' },
  { name: 'Björkängsskolan', code: 'BJOR', type: 'GR', grades: range(1, 9), parallels: 2, classSize: 23, street: 'Björkängsvägen 5' },
  { name: 'Sjöviksskolan', code: 'SJOV', type: 'GR', grades: range(1, 9), parallels: 2, classSize: 23, street: 'Sjövikstorget 3' },
  { name: 'Kvarnbyskolan', code: 'KVAR', type: 'GR', grades: range(1, 9), parallels: 2, classSize: 23, street: 'Kvarnbygatan 17' },
  { name: 'Exempelstads gymnasium', code: 'EXGY', type: 'GY', grades: range(1, 3), parallels: 1, classSize: 30, programmes: ['NA', 'SA', 'EK', 'TE', 'ES'], street: 'Gymnasievägen 1' },
  { name: 'Hagagymnasiet', code: 'HAGA', type: 'GY', grades: range(1, 3), parallels: 1, classSize: 18, programmes: ['BF', 'EE', 'HA', 'VO', 'FT'], street: 'Hagavägen 40' },
];

export interface Unit {
  idx: number;
  id: string;
  name: string;
  code: string;
  schoolUnitCode: string;
  schoolType: SchoolType;
  grades: number[];
}

export interface Member {
  person: number;
  start?: string;
  end?: string;
}

export interface Group {
  idx: number;
  id: string;
  unit: number;
  name: string;
  kind: 'Klass' | 'Undervisning';
  schoolType: SchoolType;
  grade: number;
  subject?: Subject;
  programme?: string;
  members: Member[];
}

/** Where a pupil belongs over a stretch of days (both included); a move starts a new segment. */
export interface Segment {
  from: string;
  to: string;
  unit: number;
  klass: number;
  groups: number[];
}

export interface Person {
  idx: number;
  id: string;
  given: string;
  family: string;
  eppn: string;
  email: string;
  kind: 'pupil' | 'staff';
  schoolType: SchoolType;
  /** Pupils: their school year (GR 1–9, GY 1–3); staff: 0. */
  grade: number;
  segments: Segment[];
  /** Staff: the units of their duties. */
  units: number[];
  dutyRole?: string;
  female: boolean;
}

export interface Move {
  person: number;
  date: string;
  from: number;
  to: number;
}

export interface Roster {
  sy: SchoolYear;
  today: string;
  organiserId: string;
  units: Unit[];
  groups: Group[];
  persons: Person[];
  moves: Move[];
  ss12000: {
    organisations: Ss12000Organisation[];
    persons: Ss12000Person[];
    groups: Ss12000Group[];
    duties: Ss12000Duty[];
  };
}

const letter = (i: number): string =>
  i < 26 ? String.fromCharCode(65 + i) : letter(Math.floor(i / 26) - 1) + letter(i % 26);

const LANGUAGES: readonly (readonly [Subject | null, number])[] = [['SP', 55], ['TY', 22], ['FR', 15], [null, 8]];
const LANGUAGE_NAMES: Record<string, string> = { SP: 'Spanska', TY: 'Tyska', FR: 'Franska' };

/** Registers stamp `meta`; the demo keeps it plausible and never after the snapshot day. */
function metaOf(created: string, modified: string, today: string): Meta {
  const m = minDate(modified, today);
  return { created: `${minDate(created, m)}T05:12:40Z`, modified: `${m}T04:30:12Z` };
}

export function buildRoster(seed: number, today: string, scale: number, sy: SchoolYear): Roster {
  const orgRnd = new Random(seed, 'organisations');
  const rnd = new Random(seed, 'roster');
  const startYear = Number(sy.start.slice(0, 4));

  const organiserId = orgRnd.uuid();
  const codes = new Set<string>();
  const units: Unit[] = UNIT_PLANS.map((p, idx) => {
    let code: string;
    do code = String(orgRnd.int(1, 9)) + orgRnd.digits(7);
    while (codes.has(code));
    codes.add(code);
    return { idx, id: orgRnd.uuid(), name: p.name, code: p.code, schoolUnitCode: code, schoolType: p.type, grades: p.grades };
  });

  // Larger scales add parallel classes; smaller ones also shrink classes so pupils stay proportional.
  const parallelsOf = (p: UnitPlan) => Math.max(1, Math.round(p.parallels * scale));
  const streams = (p: UnitPlan) => p.grades.length * (p.programmes?.length ?? 1);
  const baseClasses = UNIT_PLANS.reduce((n, p) => n + streams(p) * p.parallels, 0);
  const actualClasses = UNIT_PLANS.reduce((n, p) => n + streams(p) * parallelsOf(p), 0);
  const sizeFactor = Math.min(1, (scale * baseClasses) / actualClasses);

  const groups: Group[] = [];
  const persons: Person[] = [];
  const maOf = new Map<number, number>();
  const languageGroup = new Map<string, number>();
  const usedLogins = new Set<string>();

  const newGroup = (g: Omit<Group, 'idx' | 'id' | 'members'>): Group => {
    const group: Group = { idx: groups.length, id: rnd.uuid(), members: [], ...g };
    groups.push(group);
    return group;
  };

  const newPerson = (kind: 'pupil' | 'staff', schoolType: SchoolType, grade: number): Person => {
    const female = rnd.chance(0.5);
    const given = rnd.pick(female ? girlNames : boyNames);
    const family = rnd.pick(familyNames);
    const base = `${loginSlug(given)}.${loginSlug(family)}`;
    let local: string;
    if (kind === 'pupil') {
      do local = `${base}${rnd.int(100, 999)}`;
      while (usedLogins.has(local));
    } else {
      local = base;
      for (let n = 2; usedLogins.has(local); n++) local = `${base}${n}`;
    }
    usedLogins.add(local);
    const person: Person = {
      idx: persons.length, id: rnd.uuid(), given, family, kind, schoolType, grade,
      eppn: `${local}@edu.${DOMAIN}`,
      email: kind === 'pupil' ? `${local}@elev.${DOMAIN}` : `${local}@${DOMAIN}`,
      segments: [], units: [], female,
    };
    persons.push(person);
    return person;
  };

  for (const [u, plan] of UNIT_PLANS.entries()) {
    const unit = units[u];
    for (const grade of plan.grades) {
      if (plan.type === 'GR' && grade >= 7) {
        for (const lang of ['SP', 'TY', 'FR'] as const) {
          const g = newGroup({ unit: u, name: `${LANGUAGE_NAMES[lang]} åk ${grade}`, kind: 'Undervisning', schoolType: 'GR', grade, subject: lang });
          languageGroup.set(`${u}:${grade}:${lang}`, g.idx);
        }
      }
      const par = parallelsOf(plan);
      for (const programme of plan.programmes ?? [undefined]) {
        for (let p = 0; p < par; p++) {
          const name = programme
            ? `${programme}${String((startYear - grade + 1) % 100).padStart(2, '0')}${par > 1 ? letter(p) : ''}`
            : `${grade}${letter(p)}`;
          const klass = newGroup({ unit: u, name, kind: 'Klass', schoolType: plan.type, grade, programme });
          if (plan.type === 'GY' || grade >= 7) {
            const ma = newGroup({ unit: u, name: `MA ${name}`, kind: 'Undervisning', schoolType: plan.type, grade, subject: 'MA', programme });
            maOf.set(klass.idx, ma.idx);
          }
          const size = Math.max(3, Math.round((plan.classSize + rnd.int(-3, 3)) * sizeFactor));
          for (let i = 0; i < size; i++) {
            const pupil = newPerson('pupil', plan.type, grade);
            const own: number[] = [];
            const ma = maOf.get(klass.idx);
            if (ma !== undefined) own.push(ma);
            if (plan.type === 'GR' && grade >= 7) {
              const lang = rnd.weighted(LANGUAGES);
              if (lang) own.push(languageGroup.get(`${u}:${grade}:${lang}`)!);
            }
            pupil.segments.push({ from: sy.start, to: today, unit: unit.idx, klass: klass.idx, groups: own });
          }
        }
      }
    }
  }

  const moves = planMoves(rnd, sy, today, units, groups, persons, maOf, languageGroup);
  addMemberships(sy, groups, persons);
  const duties = buildStaff(rnd, sy, today, units, groups, newPerson);

  const ss12000 = {
    organisations: organisationsOf(sy, today, organiserId, units),
    persons: persons.map((p) => personOf(rnd, sy, today, p, units, moves)),
    groups: groups.map((g): Ss12000Group => ({
      id: g.id,
      meta: metaOf(addDays(sy.termStart, -60), addDays(sy.termStart, -3), today),
      displayName: g.name,
      groupType: g.kind,
      schoolType: g.schoolType,
      startDate: sy.termStart,
      endDate: sy.termEnd,
      organisation: { id: units[g.unit].id },
      groupMemberships: g.members.map((m) => {
        const out: Ss12000Membership = { person: { id: persons[m.person].id } };
        if (m.start) out.startDate = m.start;
        if (m.end) out.endDate = m.end;
        return out;
      }),
    })),
    duties,
  };
  return { sy, today, organiserId, units, groups, persons, moves, ss12000 };
}

/**
 * About 3% of pupils change class during the year, a third of them to another school. Only
 * teaching days between two weeks after the start of term and a week before `today` qualify,
 * so both sides of every move carry usage.
 */
function planMoves(
  rnd: Random, sy: SchoolYear, today: string, units: Unit[], groups: Group[], persons: Person[],
  maOf: Map<number, number>, languageGroup: Map<string, number>,
): Move[] {
  const breaks = breaksOf(sy);
  const days: string[] = [];
  for (let d = maxDate(addDays(sy.termStart, 14), dataFrom(sy, today)); d <= addDays(today, -7); d = addDays(d, 1)) {
    if (weekdayOf(d) < 5 && dayKindOf(d, sy, breaks) === 'term') days.push(d);
  }
  if (days.length === 0) return [];
  const pupils = persons.filter((p) => p.kind === 'pupil');
  const klasses = groups.filter((g) => g.kind === 'Klass');
  const moves: Move[] = [];
  for (const pupil of rnd.sample(pupils, Math.round(pupils.length * 0.03))) {
    const old = pupil.segments[0];
    const sameGrade = klasses.filter((k) => k.idx !== old.klass && k.grade === pupil.grade && k.schoolType === pupil.schoolType);
    const elsewhere = sameGrade.filter((k) => k.unit !== old.unit);
    const here = sameGrade.filter((k) => k.unit === old.unit);
    const pool = elsewhere.length > 0 && (here.length === 0 || rnd.chance(0.35)) ? elsewhere : here;
    if (pool.length === 0) continue;
    const to = rnd.pick(pool);
    const date = rnd.pick(days);
    const own: number[] = [];
    const ma = maOf.get(to.idx);
    if (ma !== undefined) own.push(ma);
    const lang = old.groups.map((g) => groups[g].subject).find((s) => s && s !== 'MA');
    if (lang) own.push(languageGroup.get(`${to.unit}:${pupil.grade}:${lang}`)!);
    pupil.segments = [
      { ...old, to: addDays(date, -1) },
      { from: date, to: today, unit: to.unit, klass: to.idx, groups: own },
    ];
    moves.push({ person: pupil.idx, date, from: old.klass, to: to.idx });
  }
  return moves;
}

/**
 * Class memberships carry the term start; teaching-group memberships come without dates, as
 * many registers send them. A move closes the old membership the day before and opens the
 * new one that day, explicitly, so history never depends on when a snapshot was taken.
 */
function addMemberships(sy: SchoolYear, groups: Group[], persons: Person[]): void {
  for (const p of persons) {
    if (p.kind !== 'pupil') continue;
    const segs = p.segments;
    segs.forEach((s, i) => {
      const first = i === 0;
      const last = i === segs.length - 1;
      const ownGroups = [s.klass, ...s.groups];
      for (const g of ownGroups) {
        const inAll = segs.every((o) => o.klass === g || o.groups.includes(g));
        if (inAll && !first) continue;
        const undated = groups[g].kind === 'Undervisning' && inAll;
        const m: Member = { person: p.idx };
        if (!undated) {
          m.start = first ? sy.termStart : s.from;
          if (!last && !inAll) m.end = s.to;
        }
        groups[g].members.push(m);
      }
    });
  }
}

const SUPPORT_ROLES: Record<string, string[]> = {
  young: ['Speciallärare/specialpedagog', 'Skoladministratör', 'Kurator', 'Fritidspedagog'],
  older: ['Speciallärare/specialpedagog', 'Skoladministratör', 'Kurator', 'Bibliotekarie'],
};

/** Roughly two teachers per class, one or two principals per unit and a few support roles. */
function buildStaff(
  rnd: Random, sy: SchoolYear, today: string, units: Unit[], groups: Group[],
  newPerson: (kind: 'pupil' | 'staff', schoolType: SchoolType, grade: number) => Person,
): Ss12000Duty[] {
  const duties: Ss12000Duty[] = [];
  const startYear = Number(sy.start.slice(0, 4));
  const dutyStart = () => (rnd.chance(0.1) ? sy.start : `${rnd.int(1998, startYear - 1)}-08-${String(rnd.int(1, 20)).padStart(2, '0')}`);
  const teachersByUnit = new Map<number, Person[]>();

  const addDuty = (person: Person, unit: Unit, role: string, percent: number) => {
    const start = dutyStart();
    const duty: Ss12000Duty = {
      id: rnd.uuid(),
      meta: metaOf(start, addDays(sy.termStart, -5), today),
      person: { id: person.id },
      dutyAt: { id: unit.id },
      dutyRole: role,
      signature: signatureOf(person.given, person.family),
      dutyPercent: percent,
      startDate: start,
    };
    duties.push(duty);
    if (!person.units.includes(unit.idx)) person.units.push(unit.idx);
    return duty;
  };

  for (const unit of units) {
    const klasses = groups.filter((g) => g.unit === unit.idx && g.kind === 'Klass');
    const roles = ['Rektor'];
    if (klasses.length >= 15) roles.push('Rektor');
    roles.push(...SUPPORT_ROLES[unit.grades[0] === 1 && unit.grades.length === 6 ? 'young' : 'older']);
    const teacherCount = Math.max(2, Math.round(klasses.length * 2));
    for (let i = 0; i < teacherCount; i++) roles.push('Lärare');
    const teacherDuties: Ss12000Duty[] = [];
    const teachers: Person[] = [];
    for (const role of roles) {
      const person = newPerson('staff', unit.schoolType, 0);
      person.dutyRole = role;
      const duty = addDuty(person, unit, role, 100);
      if (role === 'Lärare') {
        teacherDuties.push(duty);
        teachers.push(person);
      }
    }
    teachersByUnit.set(unit.idx, teachers);
    // Each class gets a mentor; with two teachers per class most teachers mentor at most one.
    const order = rnd.shuffle(teacherDuties.map((_, i) => i));
    klasses.forEach((k, i) => {
      const duty = teacherDuties[order[i % order.length]];
      (duty.assignmentRole ??= []).push({ group: { id: k.id }, assignmentRoleType: 'Mentor', startDate: sy.termStart });
    });
  }

  // A few teachers split their time between two units of the same school form.
  for (const unit of units) {
    const others = units.filter((u) => u.idx !== unit.idx && u.schoolType === unit.schoolType);
    for (const teacher of teachersByUnit.get(unit.idx) ?? []) {
      if (!rnd.chance(0.03) || others.length === 0) continue;
      const main = duties.find((d) => d.person.id === teacher.id)!;
      main.dutyPercent = 60;
      addDuty(teacher, rnd.pick(others), 'Lärare', 40);
    }
  }
  return duties;
}

function organisationsOf(sy: SchoolYear, today: string, organiserId: string, units: Unit[]): Ss12000Organisation[] {
  const modified = addDays(sy.start, 5);
  return [
    {
      id: organiserId,
      meta: metaOf('2018-03-01', modified, today),
      displayName: 'Exempelstads kommun',
      organisationType: 'Huvudman',
      organisationNumber: '2120009999',
      municipalityCode: '9999',
      url: `https://www.${DOMAIN}`,
      email: `kommun@${DOMAIN}`,
    },
    ...units.map((u): Ss12000Organisation => {
      const plan = UNIT_PLANS[u.idx];
      const slug = loginSlug(u.name.replace(/ /g, '-'));
      return {
        id: u.id,
        meta: metaOf('2018-03-01', modified, today),
        displayName: u.name,
        organisationType: 'Skolenhet',
        organisationCode: u.code,
        schoolUnitCode: u.schoolUnitCode,
        schoolTypes: [u.schoolType],
        municipalityCode: '9999',
        parentOrganisation: { id: organiserId },
        url: `https://www.${DOMAIN}/${slug}`,
        email: `${slug}@${DOMAIN}`,
        address: { type: 'Besöksadress', streetAddress: plan.street, locality: 'Exempelstad', postalCode: `999 ${String(10 + u.idx * 3)}` },
        startDate: `${1962 + u.idx * 4}-07-01`,
      };
    }),
  ];
}

function personOf(
  rnd: Random, sy: SchoolYear, today: string, p: Person, units: Unit[], moves: Move[],
): Ss12000Person {
  const startYear = Number(sy.start.slice(0, 4));
  const birthYear = p.kind === 'staff'
    ? rnd.int(1962, 1998)
    : startYear - 6 - (p.schoolType === 'GY' ? 9 + p.grade : p.grade);
  const birthDate = `${birthYear}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`;
  const move = moves.find((m) => m.person === p.idx);
  const out: Ss12000Person = {
    id: p.id,
    meta: metaOf(`${startYear - (p.kind === 'staff' ? 4 : p.grade - 1)}-08-10`, move?.date ?? addDays(sy.termStart, -4), today),
    givenName: p.given,
    familyName: p.family,
    eduPersonPrincipalNames: [p.eppn],
    // "TF" marks a temporary number (Skatteverket's temporary civic numbers): synthetic, never a real person's.
    civicNo: { value: `${birthDate.replace(/-/g, '')}TF${rnd.digits(2)}`, nationality: 'SE' },
    birthDate,
    sex: p.female ? 'Kvinna' : 'Man',
    securityMarking: rnd.chance(0.004) ? 'Skyddad folkbokföring' : 'Ingen',
    personStatus: 'Aktiv',
    emails: [{ value: p.email, type: p.kind === 'pupil' ? 'Skola elev' : 'Skola personal' }],
  };
  if (p.kind === 'pupil') {
    const enrolments: Ss12000Enrolment[] = [];
    p.segments.forEach((s, i) => {
      const prev = enrolments[enrolments.length - 1];
      if (prev && prev.enroledAt.id === units[s.unit].id) return;
      if (prev) prev.endDate = addDays(s.from, -1);
      enrolments.push({
        enroledAt: { id: units[s.unit].id },
        schoolYear: p.grade,
        schoolType: p.schoolType,
        startDate: i === 0 ? sy.termStart : s.from,
        cancelled: false,
      });
    });
    out.enrolments = enrolments;
  }
  return out;
}
