import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';

/**
 * A report during an organisation import answers the figures of the old tree or of the new
 * one, never those of a tree half built. School unit S2 moves between two rektorsområden; a
 * licence scoped to the first one counts S2's pupil only while S2 is under it.
 */
const H = 'e0000000-0000-4000-8000-000000000001';
const R1 = 'e0000000-0000-4000-8000-0000000000a1';
const R2 = 'e0000000-0000-4000-8000-0000000000a2';
const S1 = 'e0000000-0000-4000-8000-000000000011';
const S2 = 'e0000000-0000-4000-8000-000000000012';
const meta = { created: '2025-06-01T08:00:00+02:00', modified: '2025-08-01T08:00:00+02:00' };
const tree = (s2Parent: string) => [
  { id: H, meta, displayName: 'Bytesby kommun', organisationType: 'Huvudman', organisationNumber: '2120000002' },
  { id: R1, meta, displayName: 'Rektorsområde Norr', organisationType: 'Rektorsområde', parentOrganisation: { id: H } },
  { id: R2, meta, displayName: 'Rektorsområde Söder', organisationType: 'Rektorsområde', parentOrganisation: { id: H } },
  { id: S1, meta, displayName: 'Ekskolan', organisationType: 'Skolenhet', schoolUnitCode: '31111111', parentOrganisation: { id: R1 } },
  { id: S2, meta, displayName: 'Aspskolan', organisationType: 'Skolenhet', schoolUnitCode: '32222222', parentOrganisation: { id: s2Parent } },
];
const pupil = (n: number, unit: string) => ({
  id: `f0000000-0000-4000-8000-00000000000${n}`, meta, givenName: 'E', familyName: String(n),
  eduPersonPrincipalNames: [`elev${n}@bytesby.example.se`], enrolments: [{ enroledAt: { id: unit }, schoolYear: 5, schoolType: 'GR', startDate: '2025-08-15' }],
});
const klass = (id: string, name: string, unit: string, person: string) => ({
  id, meta, displayName: name, groupType: 'Klass', schoolType: 'GR', startDate: '2025-08-15', endDate: '2026-06-15',
  organisation: { id: unit }, groupMemberships: [{ person: { id: person } }],
});

let s: RunningServer;
let a: ReturnType<typeof api>;

beforeAll(async () => {
  s = await startServer();
  a = api(s.url, s.adminToken);
  const p1 = pupil(1, S1);
  const p2 = pupil(2, S2);
  const roster = {
    organisations: tree(R1),
    persons: [p1, p2],
    groups: [klass('f1000000-0000-4000-8000-000000000001', '5A', S1, p1.id), klass('f1000000-0000-4000-8000-000000000002', '5B', S2, p2.id)],
  };
  expect((await a.post('/v1/import/ss12000?asOf=2025-08-15', roster)).status).toBe(200);
  expect((await a.post('/v1/products', { id: 'APP', name: 'Appen', identifiers: ['https://app.bytesby.example.com'] })).status).toBe(201);
  expect((await a.post('/v1/licences', {
    id: 'L-NORR', product: 'APP', seats: 10, scope: { type: 'school', ids: [R1] }, audience: 'students',
    start: '2025-08-01', end: '2026-07-31', price: 1000, buyer: 'Rektorsområde Norr',
  })).status).toBe(201);
  const events = [1, 2].map((n) => ({ id: `swap-${n}`, type: 'launch', time: '2026-03-02T09:00:00+01:00', user: `elev${n}@bytesby.example.se`, product: 'https://app.bytesby.example.com' }));
  expect((await a.post('/v1/events', events)).status).toBe(202);
});

afterAll(async () => {
  await s?.stop();
});

const licensedActive = async () => {
  const r = await a.get('/v1/reports/licences?from=2025-08-01&to=2026-06-30');
  expect(r.status).toBe(200);
  return r.json.rows.find((row: { licence: string }) => row.licence === 'L-NORR')?.licensedActive as number | undefined;
};

describe('reports during organisation imports', () => {
  it('see the tree before or after each import, never one half built', { timeout: 120_000 }, async () => {
    expect(await licensedActive()).toBe(2);
    expect((await a.post('/v1/import/ss12000?asOf=2025-08-15', { organisations: tree(R2) })).status).toBe(200);
    expect(await licensedActive()).toBe(1);

    const seen = new Map<string, number>();
    let importing = true;
    const reader = async () => {
      while (importing) {
        const v = String(await licensedActive());
        seen.set(v, (seen.get(v) ?? 0) + 1);
      }
    };
    const readers = [reader(), reader(), reader()];
    for (let i = 0; i < 30; i++) {
      const r = await a.post('/v1/import/ss12000?asOf=2025-08-15', { organisations: tree(i % 2 ? R2 : R1) });
      expect(r.status).toBe(200);
    }
    importing = false;
    await Promise.all(readers);
    // 1 with S2 under Söder, 2 under Norr; anything else is a tree seen half built.
    expect([...seen.keys()].sort()).toEqual(['1', '2']);
    expect(await licensedActive()).toBe(1);
  });
});
