/**
 * Three schools for seat moves (figure 18) and the action list (19), computed by hand in
 * decisions.test.ts. Reports ask as of 2026-03-15: seats in use are counted over December to
 * February and 1-15 March, renewal peaks (figure 9) over December to February.
 *
 * - Norrskolan (S1): P1, P2, P3. Söderskolan (S2): Q1-Q4. Västerskolan (S3): R1, R2. All GR 7.
 * - MATTE: L-M1 at S1, 6 seats for 600 kr (100 kr a seat): P1, P2 in February, P1-P3 in March
 *   (3 in use, 3 spare; the renewal peak is 2). L-M2 at S2, 2 seats for 300 kr (150 kr a seat):
 *   Q1-Q4 in February (4 in use, 2 lacking). S3 has no licence: R1, R2 in February (2 lacking).
 * - ENG: L-E1 at S1, 3 seats, P1-P3 in February (every seat in use); L-E2 at S2, 1 seat, Q1, Q2.
 * - BIO: L-CUT at S1, 20 seats for 2,000 kr, ending 2026-05-31, used by nobody.
 */
import { huvudman, skolenhet } from '../helpers/ss12000-records.ts';
export const ID = {
  org: 'a2000000-0000-4000-8000-000000000001',
  s1: 'a2000000-0000-4000-8000-000000000011',
  s2: 'a2000000-0000-4000-8000-000000000012',
  s3: 'a2000000-0000-4000-8000-000000000013',
  g7A: 'b2000000-0000-4000-8000-00000000007a',
};
export const CODE = { s1: '33300001', s2: '33300002', s3: '33300003' };
export const AS_OF = '2026-03-15';

const meta = { created: '2025-06-01T08:00:00+02:00', modified: '2025-08-01T08:00:00+02:00' };
const pupil = (name: string, n: number, unit: string) => ({
  id: `c2000000-0000-4000-8000-0000000000${n.toString().padStart(2, '0')}`, meta, givenName: name, familyName: 'Elev',
  eduPersonPrincipalNames: [`${name.toLowerCase()}@d.exempel.se`], enrolments: [{ enroledAt: { id: unit }, schoolType: 'GR', schoolYear: 7, startDate: '2025-08-15' }],
});
export const roster = {
  organisations: [
    huvudman(ID.org, meta, 'Flyttstads kommun', '2120000003'),
    skolenhet(ID.s1, meta, 'Norrskolan', CODE.s1, ID.org),
    skolenhet(ID.s2, meta, 'Söderskolan', CODE.s2, ID.org),
    skolenhet(ID.s3, meta, 'Västerskolan', CODE.s3, ID.org),
  ],
  persons: [
    pupil('P1', 1, ID.s1), pupil('P2', 2, ID.s1), pupil('P3', 3, ID.s1),
    pupil('Q1', 11, ID.s2), pupil('Q2', 12, ID.s2), pupil('Q3', 13, ID.s2), pupil('Q4', 14, ID.s2),
    pupil('R1', 21, ID.s3), pupil('R2', 22, ID.s3),
  ],
  // One class, so a teacher token can be issued (and refused these reports).
  groups: [{
    id: ID.g7A, meta, displayName: '7A', groupType: 'Klass', startDate: '2025-08-15', endDate: '2026-06-15', organisation: { id: ID.s1 },
    groupMemberships: [1, 2, 3].map((n) => ({ person: { id: `c2000000-0000-4000-8000-0000000000${n.toString().padStart(2, '0')}` }, startDate: '2025-08-15' })),
  }],
};

export const products = [
  { id: 'MATTE', name: 'Matte 7', supplier: 'Förlaget', identifiers: ['matte.example'] },
  { id: 'ENG', name: 'Engelska 7', supplier: 'Förlaget', identifiers: ['eng.example'] },
  { id: 'BIO', name: 'Biologi 7', supplier: 'Förlaget', identifiers: ['bio.example'] },
];

const school = (code: string) => ({ type: 'school', ids: [code] });
const base = { start: '2025-08-01', audience: 'students', currency: 'SEK' };
export const licences = [
  { ...base, id: 'L-M1', product: 'MATTE', seats: 6, price: 600, end: '2026-06-30', scope: school(CODE.s1), buyer: 'Rektor Norrskolan' },
  { ...base, id: 'L-M2', product: 'MATTE', seats: 2, price: 300, end: '2026-06-30', scope: school(CODE.s2), buyer: 'Rektor Söderskolan', forvaltning: 'Förvaltning Syd' },
  { ...base, id: 'L-E1', product: 'ENG', seats: 3, price: 300, end: '2026-07-31', scope: school(CODE.s1), buyer: 'Rektor Norrskolan' },
  { ...base, id: 'L-E2', product: 'ENG', seats: 1, price: 200, end: '2026-07-31', scope: school(CODE.s2), buyer: 'Rektor Söderskolan' },
  { ...base, id: 'L-CUT', product: 'BIO', seats: 20, price: 2000, end: '2026-05-31', scope: school(CODE.s1), buyer: 'Rektor Norrskolan' },
];

const FEB = '2026-02-10T09:00:00+01:00';
const MAR = '2026-03-02T09:00:00+01:00';
let n = 0;
const use = (who: string[], product: string, time: string) =>
  who.map((w) => ({ id: `e${++n}`, type: 'login', time, user: `${w.toLowerCase()}@d.exempel.se`, product }));
export const events = [
  ...use(['P1', 'P2'], 'matte.example', FEB),
  ...use(['P1', 'P2', 'P3'], 'matte.example', MAR),
  ...use(['Q1', 'Q2', 'Q3', 'Q4'], 'matte.example', FEB),
  ...use(['R1', 'R2'], 'matte.example', FEB),
  ...use(['P1', 'P2', 'P3'], 'eng.example', FEB),
  ...use(['Q1', 'Q2'], 'eng.example', FEB),
];
