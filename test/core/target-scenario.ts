/**
 * A small municipality for the targets (figure 13, 14) and demand without a licence (15),
 * computed by hand in targets.test.ts. One import (explicit dates throughout):
 *
 * - Norrskolan (S1): 6A (GR, no year: its pupils' years), 7A (GR, year 7 on the group), Mix
 *   (a teaching group with no school form: a year-6 and a year-7 pupil). Söderskolan (S2): NA1 (GY).
 * - P1 GR 6 in 6A; P2 GR 6 in 6A until 2026-01-09, then GR 7 in 7A (moves class and year);
 *   P3 GR 7 in 7A and Mix; P4 GR 6 in 6A and Mix; P5 GY 1 in NA1; P6 GR 8 at S1, in no group.
 * - T1 Lärare and T2 Bibliotekarie at S1.
 * - KEMI's product target is GR 7–9; BIO has none; SHADOW has no licence at all, and refuses P5 twice.
 */
import { huvudman, skolenhet } from '../helpers/ss12000-records.ts';
export const ID = {
  org: 'a1000000-0000-4000-8000-000000000001',
  s1: 'a1000000-0000-4000-8000-000000000011',
  s2: 'a1000000-0000-4000-8000-000000000012',
  g6A: 'b1000000-0000-4000-8000-00000000006a',
  g7A: 'b1000000-0000-4000-8000-00000000007a',
  gMix: 'b1000000-0000-4000-8000-0000000000ee',
  gNA1: 'b1000000-0000-4000-8000-0000000000a1',
  p: (n: number) => `c1000000-0000-4000-8000-00000000000${n}`,
  t1: 'c1000000-0000-4000-8000-0000000000f1',
  t2: 'c1000000-0000-4000-8000-0000000000f2',
};
export const CODE = { s1: '33333333', s2: '44444444' };
export const YEAR = 'from=2025-08-01&to=2026-07-31';

const meta = { created: '2025-06-01T08:00:00+02:00', modified: '2025-08-01T08:00:00+02:00' };
const group = (id: string, name: string, unit: string, type: string, extra: object, members: object[]) => ({
  id, meta, displayName: name, groupType: type, startDate: '2025-08-15', endDate: '2026-06-15', organisation: { id: unit }, groupMemberships: members, ...extra,
});
const enrol = (unit: string, schoolType: string, schoolYear: number, startDate: string, endDate?: string) => ({
  enroledAt: { id: unit }, schoolType, schoolYear, startDate, ...(endDate ? { endDate } : {}),
});
const person = (n: number, enrolments: object[]) => ({ id: ID.p(n), meta, givenName: 'X', familyName: 'Y', eduPersonPrincipalNames: [`p${n}@t.exempel.se`], enrolments });
const m = (n: number, startDate?: string, endDate?: string) => ({ person: { id: ID.p(n) }, ...(startDate ? { startDate } : {}), ...(endDate ? { endDate } : {}) });

export const roster = {
  organisations: [
    huvudman(ID.org, meta, 'Målstads kommun', '2120000002'),
    skolenhet(ID.s1, meta, 'Norrskolan', CODE.s1, ID.org),
    skolenhet(ID.s2, meta, 'Söderskolan', CODE.s2, ID.org),
  ],
  persons: [
    person(1, [enrol(ID.s1, 'GR', 6, '2025-08-15')]),
    person(2, [enrol(ID.s1, 'GR', 6, '2025-08-15', '2026-01-09'), enrol(ID.s1, 'GR', 7, '2026-01-10')]),
    person(3, [enrol(ID.s1, 'GR', 7, '2025-08-15')]),
    person(4, [enrol(ID.s1, 'GR', 6, '2025-08-15')]),
    person(5, [enrol(ID.s2, 'GY', 1, '2025-08-15')]),
    person(6, [enrol(ID.s1, 'GR', 8, '2025-08-15')]),
    { id: ID.t1, meta, givenName: 'T', familyName: 'Ett', eduPersonPrincipalNames: ['t1@t.exempel.se'] },
    { id: ID.t2, meta, givenName: 'T', familyName: 'Två', eduPersonPrincipalNames: ['t2@t.exempel.se'] },
  ],
  groups: [
    group(ID.g6A, '6A', ID.s1, 'Klass', { schoolType: 'GR' }, [m(1, '2025-08-15'), m(2, '2025-08-15', '2026-01-09'), m(4, '2025-08-15')]),
    group(ID.g7A, '7A', ID.s1, 'Klass', { schoolType: 'GR', schoolYear: 7 }, [m(2, '2026-01-10'), m(3, '2025-08-15')]),
    group(ID.gMix, 'Mix', ID.s1, 'Undervisning', {}, [m(3, '2025-08-15'), m(4, '2025-08-15')]),
    group(ID.gNA1, 'NA1', ID.s2, 'Klass', { schoolType: 'GY' }, [m(5, '2025-08-15')]),
  ],
  duties: [
    { id: 'd1000000-0000-4000-8000-000000000001', meta, person: { id: ID.t1 }, dutyAt: { id: ID.s1 }, dutyRole: 'Lärare', startDate: '2019-08-01' },
    { id: 'd1000000-0000-4000-8000-000000000002', meta, person: { id: ID.t2 }, dutyAt: { id: ID.s1 }, dutyRole: 'Bibliotekarie', startDate: '2019-08-01' },
  ],
};

export const products = [
  { id: 'KEMI', name: 'Kemi 7–9', supplier: 'NoK', identifiers: ['kemi.example'], target: { schoolTypes: ['GR'], years: '7-9' } },
  { id: 'BIO', name: 'Biologi', supplier: 'Gleerups', identifiers: ['bio.example'] },
  { id: 'SHADOW', name: 'Skuggtjänst', supplier: 'Okänd', identifiers: ['shadow.example'] },
];

const base = { start: '2025-08-01', end: '2026-07-31', currency: 'SEK' };
export const licences = [
  { ...base, id: 'L-KEMI', product: 'KEMI', seats: 10, scope: { type: 'organisation', ids: [ID.org] }, audience: 'students', price: 1000, buyer: 'Central' },
  { ...base, id: 'L-KEMI-STAFF', product: 'KEMI', seats: 5, scope: { type: 'organisation', ids: [ID.org] }, audience: 'staff', price: 500, buyer: 'Central', target: { dutyRoles: ['Lärare'] } },
  { ...base, id: 'L-BIO', product: 'BIO', seats: 4, scope: { type: 'school', ids: [CODE.s1] }, audience: 'students', price: 400, buyer: 'Rektor Norrskolan' },
  { ...base, id: 'L-BIO-S2', product: 'BIO', seats: 2, scope: { type: 'school', ids: [CODE.s2] }, audience: 'students', price: 200, buyer: 'Rektor Söderskolan', start: '2026-02-01' },
];

const ev = (id: string, user: string, product: string, time: string, type = 'login') => ({ id, type, time, user, product });
export const events = [
  // KEMI: P3 in target (2 events on one day, 1 the next); P1 (year 6) and P5 (GY) outside it;
  // P2 outside in October (year 6), in target on 1 February (year 7).
  ev('k1', 'p3@t.exempel.se', 'kemi.example', '2025-09-01T09:00:00+02:00'),
  ev('k2', 'p3@t.exempel.se', 'kemi.example', '2025-09-01T10:00:00+02:00'),
  ev('k3', 'p3@t.exempel.se', 'kemi.example', '2025-09-02T09:00:00+02:00'),
  ev('k4', 'p1@t.exempel.se', 'kemi.example', '2025-09-03T09:00:00+02:00'),
  ev('k5', 'p2@t.exempel.se', 'kemi.example', '2025-10-01T09:00:00+02:00'),
  ev('k6', 'p2@t.exempel.se', 'kemi.example', '2026-02-01T09:00:00+01:00'),
  ev('k7', 'p5@t.exempel.se', 'kemi.example', '2025-09-10T09:00:00+02:00'),
  // Staff: T1 (Lärare) in the staff licence's target, T2 (Bibliotekarie) outside it.
  ev('k8', 't1@t.exempel.se', 'kemi.example', '2025-09-05T09:00:00+02:00'),
  ev('k9', 't2@t.exempel.se', 'kemi.example', '2025-09-05T09:00:00+02:00'),
  // BIO: P4 licensed by L-BIO; P5 on 31 January with no licence (L-BIO-S2 starts the next day), then licensed.
  ev('b1', 'p4@t.exempel.se', 'bio.example', '2025-09-15T09:00:00+02:00'),
  ev('b2', 'p5@t.exempel.se', 'bio.example', '2026-01-31T09:00:00+01:00'),
  ev('b3', 'p5@t.exempel.se', 'bio.example', '2026-01-31T10:00:00+01:00'),
  ev('b4', 'p5@t.exempel.se', 'bio.example', '2026-02-01T09:00:00+01:00'),
  // SHADOW, bought by nobody: P4 three times on one day, P3 once on two days, and someone the register does not know.
  ev('s1', 'p4@t.exempel.se', 'shadow.example', '2025-11-03T09:00:00+01:00', 'launch'),
  ev('s2', 'p4@t.exempel.se', 'shadow.example', '2025-11-03T10:00:00+01:00', 'launch'),
  ev('s3', 'p4@t.exempel.se', 'shadow.example', '2025-11-03T11:00:00+01:00', 'launch'),
  ev('s4', 'p3@t.exempel.se', 'shadow.example', '2025-11-04T09:00:00+01:00'),
  ev('s5', 'p3@t.exempel.se', 'shadow.example', '2025-11-05T09:00:00+01:00'),
  ev('s6', 'ghost@t.exempel.se', 'shadow.example', '2025-11-05T09:00:00+01:00'),
  // Refused twice: a demand signal, not use.
  ev('d1', 'p5@t.exempel.se', 'shadow.example', '2025-11-06T09:00:00+01:00', 'denied'),
  ev('d2', 'p5@t.exempel.se', 'shadow.example', '2025-11-06T09:05:00+01:00', 'denied'),
];
