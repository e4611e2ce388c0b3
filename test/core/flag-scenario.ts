/**
 * A small municipality for the low-value flags (figures 20–25), computed by hand in
 * flags.test.ts. Reports name asOf 2026-03-22, a Sunday: the last complete week starts on
 * Monday 16 March, and the recent window (30 days) is 2026-02-21..2026-03-22.
 *
 * - Four schools: U1 (a1..a6, class K1), U2 (b1..b3, K2), U3 (c1, c2, K3): all GR year 8;
 *   U4 (d1, d2, K4): GR year 5.
 * - Weeks: W1..W8 are the school weeks from Monday 19 January to Monday 16 March, with the
 *   week of 16 February (sportlov) between W4 and W5: only d1 uses anything in it. Every pupil
 *   uses BG (bought by nobody) on the Tuesday of each school week, so the organiser has 12
 *   active persons in each school week and 1 in the holiday week.
 * - Licences (all of a school year but L-NEVER, which starts on 1 January 2026):
 *   L-NEVER (U1, 10 seats, 1,000 kr): nobody uses it.
 *   L-LOW (U1, 10 seats, 2,000 kr, target GR 7–9: size 6): a1..a3 on 10 March: 3 / 6 = 0.5.
 *   L-FALL (U1, 10 seats, 4,000 kr, GR 7–9): a1..a6 each Wednesday of W1..W4, a1, a2 of W5..W8.
 *   L-ORG (organiser, unlimited, 12,000 kr, no target): a1..a6, b1..b3, c1 on 11 March.
 *   L-E1 (U2, 10 seats, 300 kr, GR 7–9 Matematik) and L-E2 (U2, 10 seats, 4,500 kr, GR 7–9
 *   Matematik): b1..b3 each on 12 March, in class K2.
 *   L-P46A (U4, 100 kr) and L-P46B (U4, 10,000 kr), both GR 4–6: d1 on 12 March.
 */
import { huvudman } from '../helpers/ss12000-records.ts';
export const ID = {
  org: 'f1000000-0000-4000-8000-000000000001',
  u: (n: number) => `f1000000-0000-4000-8000-00000000001${n}`,
  k: (n: number) => `f2000000-0000-4000-8000-00000000000${n}`,
};
export const CODE = { u1: '55555551', u2: '55555552' };
export const AS_OF = '2026-03-22';

const meta = { created: '2025-06-01T08:00:00+02:00', modified: '2025-08-01T08:00:00+02:00' };
const pupils: Record<string, { unit: number; year: number }> = {
  a1: { unit: 1, year: 8 }, a2: { unit: 1, year: 8 }, a3: { unit: 1, year: 8 }, a4: { unit: 1, year: 8 }, a5: { unit: 1, year: 8 }, a6: { unit: 1, year: 8 },
  b1: { unit: 2, year: 8 }, b2: { unit: 2, year: 8 }, b3: { unit: 2, year: 8 },
  c1: { unit: 3, year: 8 }, c2: { unit: 3, year: 8 },
  d1: { unit: 4, year: 5 }, d2: { unit: 4, year: 5 },
};
const personId = (p: string) => `f3000000-0000-4000-8000-0000000000${p}`;

export const roster = {
  organisations: [
    huvudman(ID.org, meta, 'Signalstads kommun', '2120000003'),
    ...[1, 2, 3, 4].map((n) => ({
      id: ID.u(n), meta, displayName: `Skola ${n}`, organisationType: 'Skolenhet', schoolUnitCode: `5555555${n}`, parentOrganisation: { id: ID.org },
    })),
  ],
  persons: Object.entries(pupils).map(([p, x]) => ({
    id: personId(p), meta, givenName: 'X', familyName: p, eduPersonPrincipalNames: [`${p}@s.exempel.se`],
    enrolments: [{ enroledAt: { id: ID.u(x.unit) }, schoolType: 'GR', schoolYear: x.year, startDate: '2025-08-15' }],
  })),
  groups: [1, 2, 3, 4].map((n) => ({
    id: ID.k(n), meta, displayName: `K${n}`, groupType: 'Klass', startDate: '2025-08-15', endDate: '2026-06-15', organisation: { id: ID.u(n) },
    schoolType: 'GR', schoolYear: n === 4 ? 5 : 8,
    groupMemberships: Object.entries(pupils).filter(([, x]) => x.unit === n).map(([p]) => ({ person: { id: personId(p) }, startDate: '2025-08-15' })),
  })),
};

const gr79 = (subjects: string[] = []) => ({ schoolTypes: ['GR'], years: '7-9', subjects });
export const products = [
  { id: 'BG', name: 'Bakgrund', identifiers: ['bg.example'] },
  { id: 'NEVER', name: 'Aldrig', identifiers: ['never.example'], target: gr79(['Kemi']) },
  { id: 'LOW', name: 'Låg', identifiers: ['low.example'], target: gr79(['Fysik']) },
  { id: 'FALL', name: 'Fallande', identifiers: ['fall.example'], target: gr79() },
  { id: 'ORG', name: 'Hela kommunen', identifiers: ['org.example'] },
  { id: 'E1', name: 'Matte billig', identifiers: ['e1.example'], target: gr79(['Matematik']) },
  { id: 'E2', name: 'Matte dyr', identifiers: ['e2.example'], target: gr79(['matematik ']) },
  { id: 'P46A', name: 'Mellan billig', identifiers: ['p46a.example'], target: { schoolTypes: ['GR'], years: '4-6', subjects: ['Matematik'] } },
  { id: 'P46B', name: 'Mellan dyr', identifiers: ['p46b.example'], target: { schoolTypes: ['GR'], years: '4-6', subjects: ['Matematik'] } },
];

const year = { start: '2025-08-01', end: '2026-07-31', currency: 'SEK', audience: 'students' };
const school = (code: string) => ({ type: 'school', ids: [code] });
export const licences = [
  { ...year, id: 'L-NEVER', product: 'NEVER', seats: 10, scope: school(CODE.u1), price: 1000, buyer: 'Rektor 1', start: '2026-01-01', end: '2026-12-31' },
  { ...year, id: 'L-LOW', product: 'LOW', seats: 10, scope: school(CODE.u1), price: 2000, buyer: 'Rektor 1' },
  { ...year, id: 'L-FALL', product: 'FALL', seats: 10, scope: school(CODE.u1), price: 4000, buyer: 'Rektor 1' },
  { ...year, id: 'L-ORG', product: 'ORG', seats: null, scope: { type: 'organisation', ids: [ID.org] }, price: 12000, buyer: 'Central' },
  { ...year, id: 'L-E1', product: 'E1', seats: 10, scope: school(CODE.u2), price: 300, buyer: 'Rektor 2' },
  { ...year, id: 'L-E2', product: 'E2', seats: 10, scope: school(CODE.u2), price: 4500, buyer: 'Rektor 2' },
  { ...year, id: 'L-P46A', product: 'P46A', seats: 10, scope: school('55555554'), price: 100, buyer: 'Rektor 4' },
  { ...year, id: 'L-P46B', product: 'P46B', seats: 10, scope: school('55555554'), price: 10000, buyer: 'Rektor 4' },
];

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
export const SCHOOL_WEEKS = ['2026-01-19', '2026-01-26', '2026-02-02', '2026-02-09', '2026-02-23', '2026-03-02', '2026-03-09', '2026-03-16'];
export const HOLIDAY_WEEK = '2026-02-16';

let n = 0;
const ev = (user: string, product: string, day: string) => ({ id: `f${++n}`, type: 'login', time: `${day}T10:00:00+01:00`, user: `${user}@s.exempel.se`, product: `${product}.example` });
export const events = [
  ...SCHOOL_WEEKS.flatMap((w) => Object.keys(pupils).map((p) => ev(p, 'bg', addDays(w, 1)))),
  ev('d1', 'bg', addDays(HOLIDAY_WEEK, 1)),
  ...SCHOOL_WEEKS.flatMap((w, i) => (i < 4 ? ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'] : ['a1', 'a2']).map((p) => ev(p, 'fall', addDays(w, 2)))),
  ...['a1', 'a2', 'a3'].map((p) => ev(p, 'low', '2026-03-10')),
  ...['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'b1', 'b2', 'b3', 'c1'].map((p) => ev(p, 'org', '2026-03-11')),
  ...['b1', 'b2', 'b3'].flatMap((p) => [ev(p, 'e1', '2026-03-12'), ev(p, 'e2', '2026-03-12')]),
  ev('d1', 'p46a', '2026-03-12'),
  ev('d1', 'p46b', '2026-03-12'),
];
