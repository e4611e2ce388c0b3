import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { huvudman, skolenhet } from '../helpers/ss12000-records.ts';
import { api, startServer, type RunningServer } from '../helpers/server.ts';

/**
 * "Så gör andra" (docs/figures.md, figure 26) across four organisers of one installation, by
 * hand. Each has one school, 10 pupils in GR year 7 and one maths licence for GR 7–9:
 *
 * | organiser | active | seats | price  | adoption | kr / active | kr / seat |
 * | --------- | ------ | ----- | ------ | -------- | ----------- | --------- |
 * | A (first) | 5      | 20    | 10 000 | 0.5      | 2 000       | 500       |
 * | B         | 8      | 10    | 6 000  | 0.8      | 750         | 600       |
 * | C (NZ)    | 6      | 10    | 4 000  | 0.6      | 666.67      | 400       |
 * | D         | 3 -> 6 | 10    | 5 000  | blanked  | blanked     | 500       |
 *
 * C names the product by another id with the same identifier; C keeps New Zealand time.
 * D's 3 users are fewer than 5, so D gives no adoption or cost per active user until 3 more
 * come. A's adoption has 2 peers (not shown) and its price per seat 3 (shown).
 */
const REGION = 'test-region-admin-token-0123456789';
const WINDOW = 'from=2026-08-01&to=2026-11-28';
const IDENT = 'https://matte.example/shibboleth';
const meta = { created: '2026-06-01T08:00:00+02:00', modified: '2026-08-01T08:00:00+02:00' };

let s: RunningServer;
const client: Record<string, ReturnType<typeof api>> = {};

function organiser(tag: string, product: string) {
  const id = (n: number) => `${tag}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const email = (i: number) => `elev${i}.${tag}@skola.example.se`;
  return {
    email,
    roster: {
      organisations: [huvudman(id(1), meta, `${tag} kommun`, '2120000000'), skolenhet(id(2), meta, `${tag}skolan`, `4${tag.charCodeAt(0)}00001`, id(1))],
      persons: Array.from({ length: 10 }, (_, i) => ({
        id: id(100 + i), meta, givenName: 'Elev', familyName: String(i), eduPersonPrincipalNames: [email(i)],
        enrolments: [{ enroledAt: { id: id(2) }, schoolYear: 7, schoolType: 'GR', startDate: '2026-08-15' }],
      })),
    },
    products: [{ id: product, name: 'Matte 7–9', supplier: 'Förlaget', identifiers: [IDENT] }],
    licence: (seats: number, price: number) => ({
      id: `${tag}-L1`, product, seats, price, currency: 'SEK', buyer: 'Förvaltningen', start: '2026-08-01', end: '2027-07-31', audience: 'students',
      scope: { type: 'organisation', ids: [id(1)] }, target: { schoolTypes: ['GR'], years: [7, 8, 9] },
    }),
    events: (from: number, to: number) => Array.from({ length: to - from }, (_, k) => ({
      id: `${tag}-ev-${from + k}`, type: 'login', time: '2026-10-05T10:00:00+02:00', user: email(from + k), product: IDENT,
    })),
  };
}
const fx = { a: organiser('a', 'MATTE'), b: organiser('b', 'MATTE'), c: organiser('c', 'C-MATTE'), d: organiser('d', 'MATTE') };

async function ok(r: Promise<{ status: number; text: string; json: any }>, want = 200) {
  const got = await r;
  expect(got.status, got.text.slice(0, 300)).toBe(want);
  return got.json;
}

beforeAll(async () => {
  s = await startServer({ env: { LICENSKOLL_REGION_ADMIN_TOKEN: REGION } });
  const region = api(s.url, REGION);
  client.a = api(s.url, s.adminToken);
  for (const [tag, tz] of [['b', 'Europe/Stockholm'], ['c', 'Pacific/Auckland'], ['d', 'Europe/Stockholm']]) {
    const made = await ok(region.post('/v1/region/organisers', { id: `org-${tag}`, name: `${tag} kommun`, timeZone: tz }), 201);
    client[tag] = api(s.url, made.adminToken.token);
  }
  const load = async (tag: keyof typeof fx, seats: number, price: number, active: number) => {
    const c = client[tag];
    await ok(c.post('/v1/import/ss12000?asOf=2026-08-20', fx[tag].roster));
    await ok(c.post('/v1/products', fx[tag].products), 201);
    await ok(c.post('/v1/licences', [fx[tag].licence(seats, price)]), 201);
    await ok(c.post('/v1/events', fx[tag].events(0, active)), 202);
  };
  await Promise.all([load('a', 20, 10_000, 5), load('b', 10, 6_000, 8), load('c', 10, 4_000, 6), load('d', 10, 5_000, 3)]);
}, 240_000);
afterAll(async () => {
  await s?.stop();
});

const peers = async (tag: string) => {
  const got = await ok(client[tag].get(`/v1/peers?${WINDOW}`));
  return got as { contributing: boolean; minPeers: number; rows: any[] };
};

describe('the peer comparison (figure 26)', () => {
  it('shows a figure over 3 peers and hides one over 2, never naming a peer', async () => {
    const got = await peers('a');
    expect(got).toMatchObject({ contributing: true, minPeers: 3 });
    expect(got.rows).toHaveLength(1);
    const [row] = got.rows;
    expect(row.product).toBe('MATTE');
    // Adoption: B 0.8 and C 0.6; D's 3 users are blanked: 2 peers, nothing shown but A's own.
    expect(row.adoption).toEqual({ own: 0.5, peers: null, q1: null, median: null, q3: null, rank: null, of: null });
    // Price per seat: 400, 500, 600. Q1 (400 + 500) / 2, median (400 + 500 + 600) / 3, Q3 (500 + 600) / 2;
    // A's 500: one peer is cheaper, so 2nd of 4.
    expect(row.pricePerSeat).toEqual({ own: 500, peers: 3, q1: 450, median: 500, q3: 550, rank: 2, of: 4 });
    expect(JSON.stringify(got)).not.toMatch(/org-[bcd]|[bcd] kommun|C-MATTE/);
  });

  it('takes a peer in when its users reach five', async () => {
    await ok(client.d.post('/v1/events', fx.d.events(3, 6)), 202);
    // The next answer counts them: what D accepted is stored before the comparison is made.
    const [row] = (await peers('a')).rows;
    // Adoption 0.6, 0.6, 0.8: Q1 0.6, median (0.6 + 0.6 + 0.8) / 3, Q3 (0.6 + 0.8) / 2; A's 0.5 is last of 4.
    expect(row.adoption).toMatchObject({ own: 0.5, peers: 3, rank: 4, of: 4 });
    expect(row.adoption.q1).toBeCloseTo(0.6, 9);
    expect(row.adoption.median).toBeCloseTo(2 / 3, 9);
    expect(row.adoption.q3).toBeCloseTo(0.7, 9);
    // Per active user: 666.67 (4 000 / 6), 750 (6 000 / 8), 833.33 (5 000 / 6); median (666.67 + 750 + 833.33) / 3.
    expect(row.costPerActiveUser).toMatchObject({ own: 2000, peers: 3, median: 750, rank: 4, of: 4, q1: 708.34, q3: 791.67 });
  });

  it('a peer that opts out leaves the next answer, and sees no peers itself', async () => {
    expect(await ok(client.b.get('/v1/peers/settings'))).toEqual({ contribute: true });
    const bad = await client.b.put('/v1/peers/settings', { contribute: 'nej' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].field).toBe('contribute');
    await ok(client.b.put('/v1/peers/settings', { contribute: false }));
    const [row] = (await peers('a')).rows;
    // Without B: price per seat 400 and 500 (2 peers), adoption 0.6 and 0.6.
    expect(row.pricePerSeat.peers).toBeNull();
    expect(row.adoption.peers).toBeNull();
    expect(await peers('b')).toMatchObject({ contributing: false, rows: [] });
    const audit = await ok(client.b.get('/v1/audit?limit=20'));
    expect(JSON.stringify(audit)).toContain('"contribute":false');
    await ok(client.b.put('/v1/peers/settings', { contribute: true }));
    expect((await peers('a')).rows[0].pricePerSeat.peers).toBe(3);
  });

  it('is for admins and purchasers; only an admin changes the setting', async () => {
    const issued = await ok(client.a.post('/v1/tokens', { name: 'Inköp', role: 'purchaser' }), 201);
    const purchaser = api(s.url, issued.token);
    expect((await purchaser.get(`/v1/peers?${WINDOW}`)).status).toBe(200);
    expect((await purchaser.put('/v1/peers/settings', { contribute: false })).status).toBe(403);
    const principal = await ok(client.a.post('/v1/tokens', { name: 'Rektor', role: 'principal', schools: ['49700001'] }), 201);
    expect((await api(s.url, principal.token).get(`/v1/peers?${WINDOW}`)).status).toBe(403);
  });
});
