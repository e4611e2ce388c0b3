/**
 * A small municipality for sign-in readiness (figure 16), computed by hand in
 * sign-in-readiness.test.ts. Reference day D = 2026-03-20, 10 days: the window is
 * 2026-03-11..2026-03-20.
 *
 * - Norrskolan (S1): 3A (Klass, GR, year 3 on the group), 3B (Klass, GR, no year: its pupils'
 *   enrolments say 3), 4A (Klass, GR 4: not a tested year), Läsgrupp (Undervisning: not a class).
 *   Gymnasiet (S2): NA1 (Klass, GY, no year: its pupils are GY 1).
 * - P1..P8 GR 3 at S1; P1..P5 in 3A; P6 in 3B until 2026-03-14, then in 3A (moves inside the
 *   window); P7, P8 in 3B; P1 and P7 also in Läsgrupp. P9 GR 4 in 4A. P10..P14 GY 1 in NA1.
 *   P15 GR 3 at S1 in no class (counts for the school unit only).
 * - Sign-ins: P1 on 2026-03-11 (the window's first day); P2 on 2026-03-10 (the day before it);
 *   P3 at 23:30 local time on 2026-03-20 (the last day; 22:30 UTC); P4 only launches through
 *   LTI, Caliper and a portal, no identity provider; P5 through SATOSA (sent as "SATOSA"); P6
 *   on 2026-03-12 while still in 3B; P7 through Entra; P8 never; P9 (4A); P10, P11 of NA1;
 *   P15; and on 2026-03-21 (after D) P8 and P12, which count for nothing.
 */
import { huvudman, skolenhet } from '../helpers/ss12000-records.ts';
export const ID = {
  org: 'e1000000-0000-4000-8000-000000000001',
  s1: 'e1000000-0000-4000-8000-000000000011',
  s2: 'e1000000-0000-4000-8000-000000000012',
  g3A: 'f1000000-0000-4000-8000-00000000003a',
  g3B: 'f1000000-0000-4000-8000-00000000003b',
  g4A: 'f1000000-0000-4000-8000-00000000004a',
  gRead: 'f1000000-0000-4000-8000-0000000000ee',
  gNA1: 'f1000000-0000-4000-8000-0000000000a1',
  p: (n: number) => `d1000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`,
};
export const CODE = { s1: '55555555', s2: '66666666' };
export const D = '2026-03-20';
export const WINDOW = `date=${D}&days=10`;
export const eppn = (n: number) => `p${n}@s.exempel.se`;

const meta = { created: '2025-06-01T08:00:00+02:00', modified: '2025-08-01T08:00:00+02:00' };
const group = (id: string, name: string, unit: string, type: string, extra: object, members: object[]) => ({
  id, meta, displayName: name, groupType: type, startDate: '2025-08-15', endDate: '2026-06-15', organisation: { id: unit }, groupMemberships: members, ...extra,
});
const person = (n: number, unit: string, schoolType: string, schoolYear: number) => ({
  id: ID.p(n), meta, givenName: 'X', familyName: 'Y', eduPersonPrincipalNames: [eppn(n)],
  enrolments: [{ enroledAt: { id: unit }, schoolType, schoolYear, startDate: '2025-08-15' }],
});
const m = (n: number, startDate = '2025-08-15', endDate?: string) => ({ person: { id: ID.p(n) }, startDate, ...(endDate ? { endDate } : {}) });
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

export const roster = {
  organisations: [
    huvudman(ID.org, meta, 'Provstads kommun', '2120000003'),
    skolenhet(ID.s1, meta, 'Norrskolan', CODE.s1, ID.org),
    skolenhet(ID.s2, meta, 'Gymnasiet', CODE.s2, ID.org),
  ],
  persons: [
    ...range(1, 8).map((n) => person(n, ID.s1, 'GR', 3)),
    person(9, ID.s1, 'GR', 4),
    ...range(10, 14).map((n) => person(n, ID.s2, 'GY', 1)),
    person(15, ID.s1, 'GR', 3),
  ],
  groups: [
    group(ID.g3A, '3A', ID.s1, 'Klass', { schoolType: 'GR', schoolYear: 3 }, [...range(1, 5).map((n) => m(n)), m(6, '2026-03-15')]),
    group(ID.g3B, '3B', ID.s1, 'Klass', { schoolType: 'GR' }, [m(6, '2025-08-15', '2026-03-14'), m(7), m(8)]),
    group(ID.g4A, '4A', ID.s1, 'Klass', { schoolType: 'GR', schoolYear: 4 }, [m(9)]),
    group(ID.gRead, 'Läsgrupp', ID.s1, 'Undervisning', {}, [m(1), m(7)]),
    group(ID.gNA1, 'NA1', ID.s2, 'Klass', { schoolType: 'GY' }, range(10, 14).map((n) => m(n))),
  ],
};

const ev = (id: string, n: number, time: string, source: string, type = 'login', product = 'https://idp.exempel.se/idp/shibboleth') =>
  ({ id, type, time, user: eppn(n), product, source });
export const events = [
  ev('e1', 1, '2026-03-11T07:50:00+01:00', 'shibboleth'),
  ev('e2', 2, '2026-03-10T09:00:00+01:00', 'shibboleth'),
  ev('e3', 3, '2026-03-20T22:30:00Z', 'entra', 'login', 'app-id-1'),
  ev('e4a', 4, '2026-03-16T09:00:00+01:00', 'lti', 'launch', 'lti.exempel.se'),
  ev('e4b', 4, '2026-03-17T09:00:00+01:00', 'caliper:laromedel', 'launch', 'lti.exempel.se'),
  ev('e4c', 4, '2026-03-18T09:00:00+01:00', 'skolon', 'launch', 'portal.exempel.se'),
  ev('e5', 5, '2026-03-15T10:00:00+01:00', 'SATOSA'),
  ev('e6', 6, '2026-03-12T10:00:00+01:00', 'shibboleth'),
  ev('e7', 7, '2026-03-18T10:00:00+01:00', 'entra', 'login', 'app-id-2'),
  ev('e9', 9, '2026-03-18T10:00:00+01:00', 'shibboleth'),
  ev('e10', 10, '2026-03-13T10:00:00+01:00', 'shibboleth'),
  ev('e11', 11, '2026-03-19T10:00:00+01:00', 'entra', 'login', 'app-id-1'),
  ev('e15', 15, '2026-03-19T10:00:00+01:00', 'shibboleth'),
  ev('e8', 8, '2026-03-21T08:00:00+01:00', 'shibboleth'),
  ev('e12', 12, '2026-03-21T08:00:00+01:00', 'shibboleth'),
];
