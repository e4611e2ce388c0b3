import { issueToken, loadScenario as load, type Api } from '../helpers/scenario.ts';
import { huvudman, skolenhet } from '../helpers/ss12000-records.ts';

/**
 * Two schools of one organiser, for access tests. School A (Norrskolan) has 7A (6 pupils) and
 * 7B (3 pupils: a small group); school B (Söderskolan) has 9C (5 pupils). Staff: a principal
 * of each school (SS12000 duty `Rektor`), a teacher of 7A (duty `Lärare` with an
 * assignmentRole on 7A) and a teacher of 9C (duty `Lärare`, 9C through an SS12000 Activity).
 *
 * Licences, and what a principal of A sees of them:
 * - L-ORG  organisation-wide, NO      used by 3 pupils of A and 2 of B   -> partial: 3
 * - L-A    school A, MATTE, 10 seats  used by 4 pupils of A             -> within: 4
 * - L-B    school B, MATTE, 10 seats  used by 3 pupils of B             -> outside
 * - L-7B   group 7B, ENG, 5 seats     used by 1 pupil of 7B             -> within: 1
 * - L-AB   schools A and B, ENG       used by 1 pupil of A and 1 of B   -> partial: 1
 */
export const ID = {
  org: 'e0000000-0000-4000-8000-000000000001',
  A: 'e0000000-0000-4000-8000-00000000000a',
  B: 'e0000000-0000-4000-8000-00000000000b',
  g7A: 'f0000000-0000-4000-8000-00000000007a',
  g7B: 'f0000000-0000-4000-8000-00000000007b',
  g9C: 'f0000000-0000-4000-8000-00000000009c',
  rektorA: 'd0000000-0000-4000-8000-0000000000a0',
  rektorB: 'd0000000-0000-4000-8000-0000000000b0',
  t7A: 'd0000000-0000-4000-8000-0000000007a0',
  t9C: 'd0000000-0000-4000-8000-0000000009c0',
};
export const CODE = { A: '31111111', B: '32222222' };

const meta = { created: '2026-06-01T08:00:00+02:00', modified: '2026-08-01T08:00:00+02:00' };
const pid = (n: number) => `c1000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const pupilsA7A = [1, 2, 3, 4, 5, 6].map(pid);
export const pupilsA7B = [7, 8, 9].map(pid);
export const pupilsB9C = [11, 12, 13, 14, 15].map(pid);
export const eppn = (id: string) => `elev-${id.slice(-2)}@edu.tvaskolor.se`;
export const staffEppn = { rektorA: 'rektor.a@edu.tvaskolor.se', rektorB: 'rektor.b@edu.tvaskolor.se', t7A: 'larare.7a@edu.tvaskolor.se', t9C: 'larare.9c@edu.tvaskolor.se' };

const pupil = (id: string, unit: string) => ({
  id, meta, givenName: 'Elev', familyName: 'Exempel', eduPersonPrincipalNames: [eppn(id)],
  enrolments: [{ enroledAt: { id: unit }, schoolYear: 7, schoolType: 'GR', startDate: '2026-08-15' }],
});
const staff = (id: string, e: string) => ({ id, meta, givenName: 'Personal', familyName: 'Exempel', eduPersonPrincipalNames: [e], emails: [{ value: e.toUpperCase(), type: 'Skola personal' }] });
const group = (id: string, name: string, unit: string, members: string[]) => ({
  id, meta, displayName: name, groupType: 'Klass', schoolType: 'GR', startDate: '2026-08-15', endDate: '2027-06-15',
  organisation: { id: unit }, groupMemberships: members.map((m) => ({ person: { id: m } })),
});

export const roster = {
  organisations: [
    huvudman(ID.org, meta, 'Tvåskolors kommun', '2120000002'),
    skolenhet(ID.A, meta, 'Norrskolan', CODE.A, ID.org),
    skolenhet(ID.B, meta, 'Söderskolan', CODE.B, ID.org),
  ],
  persons: [
    ...[...pupilsA7A, ...pupilsA7B].map((p) => pupil(p, ID.A)),
    ...pupilsB9C.map((p) => pupil(p, ID.B)),
    staff(ID.rektorA, staffEppn.rektorA), staff(ID.rektorB, staffEppn.rektorB), staff(ID.t7A, staffEppn.t7A), staff(ID.t9C, staffEppn.t9C),
  ],
  groups: [group(ID.g7A, '7A', ID.A, pupilsA7A), group(ID.g7B, '7B', ID.A, pupilsA7B), group(ID.g9C, '9C', ID.B, pupilsB9C)],
  duties: [
    { id: 'duty-rektor-a', meta, person: { id: ID.rektorA }, dutyAt: { id: ID.A }, dutyRole: 'Rektor', startDate: '2020-08-01' },
    { id: 'duty-rektor-b', meta, person: { id: ID.rektorB }, dutyAt: { id: ID.B }, dutyRole: 'Rektor', startDate: '2020-08-01' },
    {
      id: 'duty-t7a', meta, person: { id: ID.t7A }, dutyAt: { id: ID.A }, dutyRole: 'Lärare', startDate: '2020-08-01',
      assignmentRole: [{ group: { id: ID.g7A }, assignmentRoleType: 'Mentor', startDate: '2026-08-15' }],
    },
    { id: 'duty-t9c', meta, person: { id: ID.t9C }, dutyAt: { id: ID.B }, dutyRole: 'Lärare', startDate: '2020-08-01' },
  ],
  activities: [{ id: 'act-9c-sv', displayName: 'Svenska 9C', groups: [{ id: ID.g9C }], teachers: [{ duty: { id: 'duty-t9c' } }] }],
};

export const products = [
  { id: 'MATTE', name: 'Matte Direkt', identifiers: ['https://sp.matte.example/shibboleth'] },
  { id: 'ENG', name: 'English Online', identifiers: ['eng.example.com'] },
  { id: 'NO', name: 'Digilär NO', identifiers: ['no.example.com'] },
];

const base = { start: '2026-08-01', end: '2027-07-31', audience: 'students', currency: 'SEK' };
export const licences = [
  { ...base, id: 'L-ORG', product: 'NO', seats: 100, scope: { type: 'organisation', ids: [ID.org] }, price: 10000, buyer: 'Central förvaltning' },
  { ...base, id: 'L-A', product: 'MATTE', seats: 10, scope: { type: 'school', ids: [CODE.A] }, price: 2000, buyer: 'Rektor Norrskolan' },
  { ...base, id: 'L-B', product: 'MATTE', seats: 10, scope: { type: 'school', ids: [ID.B] }, price: 2000, buyer: 'Rektor Söderskolan' },
  { ...base, id: 'L-7B', product: 'ENG', seats: 5, scope: { type: 'group', ids: [ID.g7B] }, price: 500, buyer: 'Rektor Norrskolan' },
  { ...base, id: 'L-AB', product: 'ENG', seats: 20, scope: { type: 'school', ids: [ID.A, ID.B] }, price: 4000, buyer: 'Central förvaltning', end: '2027-01-31' },
];

let n = 0;
const ev = (user: string, product: string, time: string) => ({ id: `r-${++n}`, type: 'login', time, user, product });
export const events = [
  ...[pupilsA7A[0], pupilsA7A[1], pupilsA7A[2], pupilsB9C[0], pupilsB9C[1]].map((p) => ev(eppn(p), 'no.example.com', '2026-09-10T09:00:00+02:00')),
  ...pupilsA7A.slice(0, 4).map((p) => ev(eppn(p), 'https://sp.matte.example/shibboleth', '2026-10-05T10:00:00+02:00')),
  ...pupilsB9C.slice(0, 3).map((p) => ev(eppn(p), 'https://sp.matte.example/shibboleth', '2026-10-06T10:00:00+02:00')),
  ev(eppn(pupilsA7B[0]), 'eng.example.com', '2026-11-02T10:00:00+01:00'),
  ev(eppn(pupilsA7A[0]), 'eng.example.com', '2026-11-03T10:00:00+01:00'),
  ev(eppn(pupilsB9C[3]), 'eng.example.com', '2026-11-04T10:00:00+01:00'),
];

export const YEAR = 'from=2026-08-01&to=2026-11-28';

/** Strings that must never appear in an answer to a caller scoped to school A. */
export const SCHOOL_B_MARKERS = [ID.B, CODE.B, 'Söderskolan', ID.g9C, 'L-B'];

/** Loads the scenario through the API as an admin: events, the roster, products and licences. */
export async function loadScenario(a: Api): Promise<void> {
  await load(a, { events, roster, rosterAsOf: '2026-08-20', products, licences });
}

export { issueToken };
