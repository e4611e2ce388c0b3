import { addDays, maxDate } from '@licenskoll/core';
import { breaksOf, dataFrom, dayKindOf, weekdayOf, type SchoolYear } from './calendar.ts';
import { boyNames, familyNames, girlNames, loginSlug } from './names.ts';
import { Random } from './random.ts';
import {
  DOMAIN, UNIT_PLANS, type Group, type Member, type Move, type Person, type Roster, type SchoolType, type Subject, type Unit, type UnitPlan,
} from './roster-model.ts';
import { metaOf, organisationsOf, personOf } from './roster-records.ts';
import { buildStaff } from './staff.ts';
import type { Ss12000Group, Ss12000Membership } from './ss12000.ts';

const letter = (i: number): string =>
  i < 26 ? String.fromCharCode(65 + i) : letter(Math.floor(i / 26) - 1) + letter(i % 26);

const LANGUAGES: readonly (readonly [Subject | null, number])[] = [['SP', 55], ['TY', 22], ['FR', 15], [null, 8]];
const LANGUAGE_NAMES: Record<string, string> = { SP: 'Spanska', TY: 'Tyska', FR: 'Franska' };

/**
 * The demo municipality's register at `today`: units, classes and teaching groups, pupils with
 * their moves, staff with duties (staff.ts), and the SS12000 records of it all (roster-records.ts).
 */
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

