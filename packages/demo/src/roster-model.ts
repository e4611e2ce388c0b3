import type { SchoolYear } from './calendar.ts';
import type { Ss12000Duty, Ss12000Group, Ss12000Organisation, Ss12000Person } from './ss12000.ts';

/** The demo municipality's roster as the generator holds it, and the units it is built from. */
export const DOMAIN = 'exempelstad.se';
export type SchoolType = 'GR' | 'GY';
export type Subject = 'MA' | 'SP' | 'TY' | 'FR';

export interface UnitPlan {
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
export const UNIT_PLANS: UnitPlan[] = [
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
