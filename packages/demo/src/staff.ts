import { addDays } from '@licenskoll/core';
import type { SchoolYear } from './calendar.ts';
import { signatureOf } from './names.ts';
import type { Random } from './random.ts';
import { metaOf } from './roster-records.ts';
import type { Group, Person, SchoolType, Unit } from './roster-model.ts';
import type { Ss12000Duty } from './ss12000.ts';

const SUPPORT_ROLES: Record<string, string[]> = {
  young: ['Speciallärare/specialpedagog', 'Skoladministratör', 'Kurator', 'Fritidspedagog'],
  older: ['Speciallärare/specialpedagog', 'Skoladministratör', 'Kurator', 'Bibliotekarie'],
};

/** Roughly two teachers per class, one or two principals per unit and a few support roles. */
export function buildStaff(
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
