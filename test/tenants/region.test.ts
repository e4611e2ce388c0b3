import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pseudonymiser } from '@licenskoll/core';
import { api } from '../helpers/server.ts';
import { SHARED_EMAIL, WINDOW } from './organiser-fixture.ts';
import { startTwoOrganisers, type TwoOrganisers } from './two-organisers.ts';

/**
 * The region role and what each organiser keeps to itself: organisers made by the region
 * admin, the aggregates the region reads (hand-computed from organiser-fixture.ts), the same
 * view for an organiser's admin, and a pseudonym key per organiser.
 */
let t: TwoOrganisers;
const PSEUDONYM_KEY = 'test-pseudonym-key-0123456789abcdef'; // test/helpers/server.ts

beforeAll(async () => {
  t = await startTwoOrganisers();
}, 240_000);
afterAll(async () => {
  await t?.s.stop();
});

describe('the region admin creates organisers', () => {
  it('refuses a bad organiser with 400 naming each field, a taken id with 409', async () => {
    const bad = await t.region.post('/v1/region/organisers', { id: 'Gamma Kommun', name: '', timeZone: 'Mars/Olympus', colour: 'blue' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_organiser');
    expect(bad.json.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['colour', 'id', 'name', 'timeZone']);
    const taken = await t.region.post('/v1/region/organisers', { id: 'beta', name: 'Beta igen' });
    expect(taken.status).toBe(409);
    expect((await t.region.post('/v1/region/organisers', { id: 'default', name: 'Först' })).status).toBe(409);
  });

  it('a region analyst reads the aggregates but creates nothing; an unknown region token is 401', async () => {
    const issued = await t.region.post('/v1/region/tokens', { name: 'Analytiker', role: 'region_analyst' });
    expect(issued.status, issued.text).toBe(201);
    expect(issued.json.token).toMatch(/^lkr_/);
    const analyst = api(t.s.url, issued.json.token);
    expect((await analyst.get('/v1/region/aggregates')).status).toBe(200);
    expect((await analyst.post('/v1/region/organisers', { id: 'gamma', name: 'Gamma' })).status).toBe(403);
    expect((await analyst.post('/v1/region/tokens', { name: 'x', role: 'region_admin' })).status).toBe(403);
    expect((await api(t.s.url, 'lkr_never-issued-000000000000000').get('/v1/region/aggregates')).status).toBe(401);
    expect((await t.region.post('/v1/region/tokens', { name: 'x', role: 'admin' })).json.error.details).toEqual([
      { field: 'role', reason: 'must be region_admin or region_analyst' },
    ]);
  });

  it("a new organiser's first admin token works at once, and only there", async () => {
    const made = await t.region.post('/v1/region/organisers', { id: 'gamma', name: 'Gamma kommun', timeZone: 'Europe/Helsinki' });
    expect(made.status, made.text).toBe(201);
    expect(made.json.organiser).toMatchObject({ id: 'gamma', name: 'Gamma kommun', timeZone: 'Europe/Helsinki' });
    expect(made.json.adminToken.token).toMatch(/^lk_gamma\./);
    const g = api(t.s.url, made.json.adminToken.token);
    expect((await g.get('/v1/me')).json).toMatchObject({ role: 'admin', organiser: { id: 'gamma', name: 'Gamma kommun' } });
    expect((await g.get('/v1/licences')).json.rows).toEqual([]);
    expect((await g.get('/v1/products')).json.rows).toEqual([]);
    // The same secret under another organiser's prefix is unknown there.
    const secret = made.json.adminToken.token.slice('lk_gamma.'.length);
    expect((await api(t.s.url, `lk_beta.${secret}`).get('/v1/me')).status).toBe(401);
    expect((await api(t.s.url, `lk_${secret}`).get('/v1/me')).status).toBe(401);
    const list = await t.region.get('/v1/region/organisers');
    expect(list.json.rows.map((r: { id: string }) => r.id)).toEqual(['default', 'beta', 'gamma']);
  });
});

describe("the region's own audit log and tokens", () => {
  it('records what region tokens did, with who and the answer, for the region admin only', async () => {
    const audit = await t.region.get('/v1/region/audit?limit=1000');
    expect(audit.status, audit.text).toBe(200);
    const made = audit.json.rows.find((r: { method: string; path: string }) => r.method === 'POST' && r.path === '/v1/region/organisers');
    expect(made).toMatchObject({ actor: 'LICENSKOLL_REGION_ADMIN_TOKEN', role: 'region_admin', status: 201 });
    // A first admin token was in that answer: no body is kept.
    expect(audit.text).not.toMatch(/lk_beta\./);
    expect((await t.region.get('/v1/region/audit?limit=0')).json.error.details[0].field).toBe('limit');
    const analyst = api(t.s.url, (await t.region.post('/v1/region/tokens', { name: 'Läsare', role: 'region_analyst' })).json.token);
    expect((await analyst.get('/v1/region/audit')).status).toBe(403);
  });

  it('a revoked region token stops working at once', async () => {
    const issued = await t.region.post('/v1/region/tokens', { name: 'Tillfällig', role: 'region_analyst' });
    const temp = api(t.s.url, issued.json.token);
    expect((await temp.get('/v1/region/organisers')).status).toBe(200);
    const listed = (await t.region.get('/v1/region/tokens')).json.rows.find((r: { id: string }) => r.id === issued.json.id);
    expect(listed).toMatchObject({ name: 'Tillfällig', role: 'region_analyst', revoked: 0 });
    expect(JSON.stringify(listed)).not.toContain('hash');
    expect((await t.region.del(`/v1/region/tokens/${issued.json.id}`)).status).toBe(200);
    expect((await temp.get('/v1/region/organisers')).status).toBe(401);
    expect((await t.region.del('/v1/region/tokens/no-such-token')).status).toBe(404);
  });
});

describe('what the region sees', () => {
  /**
   * By hand from organiser-fixture.ts, window 2026-08-01..2026-11-28: six pupils enrolled in
   * GR at each organiser. ALFA: 5 of them used MATTE (a 10-seat school licence, 2,000 kr),
   * nobody ENG (30 seats, organisation-wide, 5,000 kr). BETA: all 6 used MATTE (3,000 kr), ENG 7,000 kr.
   */
  const alfa = [
    { product: 'ALFA-ENG', licences: 1, seats: 30, cost: 5000, licensedActive: 0, utilisation: 0, costPerActiveUser: null,
      adoption: [{ schoolForm: 'GR', audience: 6, active: 0, adoption: 0, suppressed: false }] },
    { product: 'ALFA-MATTE', licences: 1, seats: 10, cost: 2000, licensedActive: 5, utilisation: 0.5, costPerActiveUser: 400,
      adoption: [{ schoolForm: 'GR', audience: 6, active: 5, adoption: 5 / 6, suppressed: false }] },
  ];
  const beta = [
    { product: 'BETA-ENG', licences: 1, seats: 30, cost: 7000, licensedActive: 0, utilisation: 0, costPerActiveUser: null,
      adoption: [{ schoolForm: 'GR', audience: 6, active: 0, adoption: 0, suppressed: false }] },
    { product: 'BETA-MATTE', licences: 1, seats: 10, cost: 3000, licensedActive: 6, utilisation: 0.6, costPerActiveUser: 500,
      adoption: [{ schoolForm: 'GR', audience: 6, active: 6, adoption: 1, suppressed: false }] },
  ];

  it('per organiser: licences, cost, utilisation and adoption per product and school form', async () => {
    const r = await t.region.get(`/v1/region/aggregates?${WINDOW}`);
    expect(r.status, r.text).toBe(200);
    const by = Object.fromEntries(r.json.rows.map((x: { organiser: { id: string } }) => [x.organiser.id, x]));
    expect(by.default.products).toMatchObject(alfa);
    expect(by.default.totals).toMatchObject({ licences: 2, cost: 7000 });
    expect(by.beta.products).toMatchObject(beta);
    expect(by.beta.totals).toMatchObject({ licences: 2, cost: 10000 });
    // Keys of a product row: nothing that names a school unit, a class or a person.
    expect(Object.keys(by.beta.products[0]).sort()).toEqual(
      ['adoption', 'cost', 'costPerActiveUser', 'licences', 'licensedActive', 'name', 'product', 'seats', 'supplier', 'unusedCost', 'utilisation'],
    );
  });

  it("an organiser's admin sees exactly what the region sees of it; other roles do not", async () => {
    for (const [o, id] of [[t.alfa, 'default'], [t.beta, 'beta']] as const) {
      const own = await o.client('admin').get(`/v1/region-view?${WINDOW}`);
      const region = await t.region.get(`/v1/region/organisers/${id}/aggregates?${WINDOW}`);
      expect(own.status, own.text).toBe(200);
      expect(own.json).toEqual(region.json);
      for (const role of ['purchaser', 'principal', 'teacher', 'ingest'] as const) expect((await o.client(role).get('/v1/region-view')).status).toBe(403);
    }
    expect((await t.region.get('/v1/region/organisers/nobody/aggregates')).status).toBe(404);
    expect((await t.region.get('/v1/region/aggregates?from=2026-13-01')).status).toBe(400);
  });

  it('a count of fewer than 5 persons is blanked, with every figure made from it', async () => {
    // Two of ALFA's pupils start using ENG: 2 licensed active users, below the rule.
    const events = [1, 2].map((i) => ({ id: `eng-${i}`, type: 'login', time: '2026-10-07T10:00:00+02:00', user: t.alfa.fx.email(i), product: 'alfa-eng.example' }));
    expect((await t.alfa.client('ingest').post('/v1/events', events)).status).toBe(202);
    const r = await t.region.get(`/v1/region/organisers/default/aggregates?${WINDOW}`);
    const eng = r.json.products.find((p: { product: string }) => p.product === 'ALFA-ENG');
    expect(eng).toMatchObject({ licensedActive: null, utilisation: null, costPerActiveUser: null, cost: 5000, seats: 30 });
    expect(eng.adoption).toEqual([{ schoolForm: 'GR', audience: 6, active: null, adoption: null, suppressed: true }]);
    // BETA's figures are untouched by ALFA's events.
    const b = await t.region.get(`/v1/region/organisers/beta/aggregates?${WINDOW}`);
    expect(b.json.products).toMatchObject(beta);
  });
});

describe('pseudonym keys per organiser', () => {
  it('the same e-mail at two organisers gives two unrelated pseudonyms', async () => {
    const at = async (o: typeof t.alfa) => {
      const r = await o.client('admin').post('/v1/privacy/access', { identifier: SHARED_EMAIL });
      expect(r.status, r.text).toBe(200);
      expect(r.json.subject.found).toBe(true);
      return r.json.subject as { pseudonym: string; pseudonyms: string[] };
    };
    const a = await at(t.alfa);
    const b = await at(t.beta);
    expect(a.pseudonym).toMatch(/^[0-9a-f]{32}$/);
    expect(b.pseudonym).toMatch(/^[0-9a-f]{32}$/);
    expect(a.pseudonym).not.toBe(b.pseudonym);
    expect(a.pseudonyms.filter((p) => b.pseudonyms.includes(p))).toEqual([]);
    // ALFA (the first organiser) keeps the installation's key; BETA has a key of its own, generated into its directory.
    const betaKey = readFileSync(join(t.s.dataDir, 'organisers', 'beta', 'pseudonym.key'), 'utf8').trim();
    expect(betaKey).toMatch(/^[0-9a-f]{64}$/);
    expect(betaKey).not.toBe(PSEUDONYM_KEY);
    expect(a.pseudonym).toBe(new Pseudonymiser(PSEUDONYM_KEY).user(SHARED_EMAIL));
    expect(b.pseudonym).toBe(new Pseudonymiser(betaKey).user(SHARED_EMAIL));
    // Neither key makes the other's pseudonym.
    expect(new Pseudonymiser(PSEUDONYM_KEY).user(SHARED_EMAIL)).not.toBe(b.pseudonym);
  });
});
