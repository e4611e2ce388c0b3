/**
 * A small municipality whose every figure is computed by hand in figures.test.ts.
 * Two school units, four groups, five pupils, one teacher, five licences of one product and
 * one of another, events sent before the roster, a move by explicit dates (P1: 7A -> 8B on
 * 2026-03-01) and one by snapshot (P2: 7A -> 9C in the import as of 2026-01-10).
 */
import { huvudman, skolenhet } from '../helpers/ss12000-records.ts';
export const ID = {
  org: 'a0000000-0000-4000-8000-000000000001',
  s1: 'a0000000-0000-4000-8000-000000000011',
  s2: 'a0000000-0000-4000-8000-000000000012',
  g7A: 'b0000000-0000-4000-8000-00000000007a',
  g8B: 'b0000000-0000-4000-8000-00000000008b',
  g9C: 'b0000000-0000-4000-8000-00000000009c',
  gMA7: 'b0000000-0000-4000-8000-0000000000a7',
  p1: 'c0000000-0000-4000-8000-000000000001',
  p2: 'c0000000-0000-4000-8000-000000000002',
  p3: 'C0000000-0000-4000-8000-000000000003',
  p4: 'c0000000-0000-4000-8000-000000000004',
  p5: 'c0000000-0000-4000-8000-000000000005',
  t1: 'c0000000-0000-4000-8000-0000000000f1',
};

const meta = { created: '2025-06-01T08:00:00+02:00', modified: '2025-08-01T08:00:00+02:00' };
const group = (id: string, name: string, unit: string, type: string, members: object[]) => ({
  id, meta, displayName: name, groupType: type, schoolType: 'GR', startDate: '2025-08-15', endDate: '2026-06-15',
  organisation: { id: unit }, groupMemberships: members,
});
const person = (id: string, eppn: string, enrolments: object[], extra: object = {}) => ({
  id, meta, givenName: 'X', familyName: 'Y', eduPersonPrincipalNames: [eppn], enrolments, ...extra,
});
const enrol = (unit: string, startDate: string, endDate?: string) => ({
  enroledAt: { id: unit }, schoolYear: 7, schoolType: 'GR', startDate, ...(endDate ? { endDate } : {}),
});

export const organisations = [
  huvudman(ID.org, meta, 'Exempelstads kommun', '2120000001'),
  skolenhet(ID.s1, meta, 'Norrskolan', '11111111', ID.org),
  skolenhet(ID.s2, meta, 'Söderskolan', '22222222', ID.org),
];

/** The register as of 2025-08-15: the first import. */
export const importAugust = {
  organisations: { data: organisations, pageToken: null },
  persons: {
    data: [
      person(ID.p1, 'p1@edu.exempel.se', [enrol(ID.s1, '2025-08-15')]),
      person(ID.p2, 'p2@edu.exempel.se', [enrol(ID.s1, '2025-08-15')]),
      person(ID.p3, 'p3@edu.exempel.se', [enrol(ID.s1, '2025-08-15')], { emails: [{ value: 'P3.Mail@Skola.Exempel.se', type: 'Skola elev' }] }),
      person(ID.p4, 'p4@edu.exempel.se', [enrol(ID.s1, '2025-08-15')]),
      person(ID.p5, 'p5@edu.exempel.se', [enrol(ID.s2, '2025-08-15')]),
      { id: ID.t1, meta, givenName: 'T', familyName: 'One', eduPersonPrincipalNames: ['t1@edu.exempel.se'] },
    ],
  },
  groups: [
    group(ID.g7A, '7A', ID.s1, 'Klass', [
      { person: { id: ID.p1 }, startDate: '2025-08-15', endDate: '2026-02-28' },
      { person: { id: ID.p2 } },
      { person: { id: ID.p3 } },
    ]),
    group(ID.g8B, '8B', ID.s1, 'Klass', [{ person: { id: ID.p1 }, startDate: '2026-03-01' }, { person: { id: ID.p4 } }]),
    group(ID.g9C, '9C', ID.s2, 'Klass', [{ person: { id: ID.p5 } }]),
    group(ID.gMA7, 'MA 7', ID.s1, 'Undervisning', [{ person: { id: ID.p3 } }]),
  ],
  duties: [{ id: 'd0000000-0000-4000-8000-000000000001', meta, person: { id: ID.t1 }, dutyAt: { id: ID.s1 }, dutyRole: 'Lärare', startDate: '2019-08-01' }],
};

/** The register as of 2026-01-10: P2 has left 7A (no dates given) and is in 9C; their S1 enrolment ended. */
export const importJanuary = {
  persons: [
    person(ID.p2, 'p2@edu.exempel.se', [enrol(ID.s1, '2025-08-15', '2026-01-09'), enrol(ID.s2, '2026-01-10')]),
  ],
  groups: [
    group(ID.g7A, '7A', ID.s1, 'Klass', [
      { person: { id: ID.p1 }, startDate: '2025-08-15', endDate: '2026-02-28' },
      { person: { id: ID.p3 } },
    ]),
    group(ID.g8B, '8B', ID.s1, 'Klass', [{ person: { id: ID.p1 }, startDate: '2026-03-01' }, { person: { id: ID.p4 } }]),
    group(ID.g9C, '9C', ID.s2, 'Klass', [{ person: { id: ID.p5 } }, { person: { id: ID.p2 } }]),
    group(ID.gMA7, 'MA 7', ID.s1, 'Undervisning', [{ person: { id: ID.p3 } }]),
  ],
};

export const products = [
  { id: 'MATTE', name: 'Matte Direkt', supplier: 'Sanoma', identifiers: ['https://sp.matte.example/shibboleth', 'matte-lti-client'] },
  { id: 'ENG', name: 'English Online', supplier: 'Liber', identifiers: ['eng.example.com'] },
];

const base = { start: '2025-08-01', end: '2026-07-31', currency: 'SEK' };
export const licences = [
  { ...base, id: 'L-ORG', product: 'MATTE', seats: 100, scope: { type: 'organisation', ids: [ID.org] }, audience: 'students', price: 10000, buyer: 'Central förvaltning' },
  { ...base, id: 'L-S1', product: 'matte-lti-client', seats: 10, scope: { type: 'school', ids: ['11111111'] }, audience: 'students', price: 2000, buyer: 'Rektor Norrskolan' },
  { ...base, id: 'L-G', product: 'MATTE', seats: 5, scope: { type: 'group', ids: [ID.g8B] }, audience: 'all', price: 500, buyer: 'Rektor Norrskolan', start: '2026-01-01', end: '2026-06-30' },
  { ...base, id: 'L-STAFF', product: 'MATTE', seats: null, scope: { type: 'organisation', ids: ['2120000001'] }, audience: 'staff', price: 3000, buyer: 'Central förvaltning' },
  { ...base, id: 'L-ENG', product: 'ENG', seats: 20, scope: { type: 'school', ids: [ID.s2] }, audience: 'students', price: 4000, buyer: 'Central förvaltning', end: '2026-03-31' },
];

const MATTE_SP = 'https://sp.matte.example/shibboleth';
/** Sent before the roster. P3 appears as urn:uuid of their id and as their e-mail in other case. */
export const events = [
  { id: 'e-1', type: 'login', time: '2025-09-10T10:00:00+02:00', user: 'p1@edu.exempel.se', product: MATTE_SP, source: 'shibboleth' },
  { id: 'e-2', type: 'login', time: '2025-11-20T09:00:00+01:00', user: 'P1@EDU.EXEMPEL.SE', product: 'matte-lti-client', source: 'lti' },
  { id: 'e-3', type: 'launch', time: '2026-03-05T09:00:00+01:00', user: 'p1@edu.exempel.se', product: 'https://sp.matte.example/shibboleth' },
  { id: 'e-4', type: 'login', time: '2026-03-05T13:00:00+01:00', user: 'p1@edu.exempel.se', product: 'matte-lti-client' },
  { type: 'login', time: '2025-10-01T08:00:00+02:00', user: 'p2@edu.exempel.se', product: MATTE_SP },
  { type: 'login', time: '2026-02-02T08:00:00+01:00', user: 'p2@edu.exempel.se', product: MATTE_SP },
  { id: 'e-7', type: 'launch', time: '2025-11-03T10:00:00+01:00', user: `urn:uuid:${ID.p3.toLowerCase()}`, product: MATTE_SP },
  { id: 'e-8', type: 'login', time: '2025-11-04T10:00:00+01:00', user: 'p3.mail@skola.exempel.se', product: MATTE_SP },
  // 23:30 UTC on 30 November is 00:30 on 1 December in Stockholm.
  { id: 'e-9', type: 'login', time: '2025-11-30T23:30:00Z', user: 'p3@edu.exempel.se', product: MATTE_SP },
  { id: 'e-10', type: 'login', time: '2025-10-01T07:30:00+02:00', user: 't1@edu.exempel.se', product: MATTE_SP },
  { id: 'e-11', type: 'login', time: '2025-10-02T07:30:00+02:00', user: 'ghost@edu.exempel.se', product: MATTE_SP },
  { id: 'e-12', type: 'login', time: '2025-10-03T07:30:00+02:00', user: 'p1@edu.exempel.se', product: 'https://unknown.example.org/sp' },
  { id: 'e-13', type: 'login', time: '2025-10-04T07:30:00+02:00', user: 'ghost@edu.exempel.se', product: 'https://unknown.example.org/sp' },
];

/** Sends the scenario in the hard order: events first, then the roster, then products and licences. */
export async function sendScenario(a: { post: (path: string, body?: unknown) => Promise<{ status: number; json: any }> }) {
  const sent = await a.post('/v1/events', events);
  if (sent.status !== 202) throw new Error(`events: ${sent.status}`);
  for (const [path, body, status] of [
    ['/v1/import/ss12000?asOf=2025-08-15', importAugust, 200],
    ['/v1/import/ss12000?asOf=2026-01-10', importJanuary, 200],
    ['/v1/products', products, 201],
    ['/v1/licences', licences, 201],
  ] as const) {
    const r = await a.post(path, body);
    if (r.status !== status) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.json)}`);
  }
}
