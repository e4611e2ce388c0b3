import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayInZone } from '@licenskoll/core';
import { api } from '../helpers/server.ts';
import { organiserFixture } from './organiser-fixture.ts';
import { ROLES, startTwoOrganisers, type TwoOrganisers } from './two-organisers.ts';

/**
 * Joint procurements (figure 27): framework agreements of the region, each organiser's call-offs
 * (its licences naming one) and the report per agreement, by hand from organiser-fixture.ts and
 * the events below. ALFA and BETA keep Europe/Stockholm; GAMMA is in Pacific/Auckland, 11 hours
 * ahead on 31 October 2026 (CET +1, NZDT +13), so that the same instants fall on other days.
 */
let t: TwoOrganisers;
let gamma: ReturnType<typeof api>;
const gfx = organiserFixture('BETA'); // GAMMA's roster: a database and pseudonym key of its own

const MATTE = {
  id: 'GR-MATTE-26', name: 'Matematik åk 7-9, GR-upphandling 2026', product: 'MATTE', supplier: 'Förlaget AB',
  pricePerSeat: 250, currency: 'SEK', start: '2026-08-01', end: '2026-10-31', organisers: ['default', 'beta', 'gamma'],
};
const ENG = { ...MATTE, id: 'GR-ENG-26', name: 'Engelska, GR-upphandling 2026', product: 'ENG', pricePerSeat: 100, organisers: ['default', 'beta'] };
const NOT_IN = 'is not a framework agreement this organiser takes part in';

const ok = async (r: Promise<{ status: number; text: string; json: any }>, want: number) => {
  const got = await r;
  expect(got.status, got.text.slice(0, 300)).toBe(want);
  return got.json;
};

beforeAll(async () => {
  t = await startTwoOrganisers();
  const made = await ok(t.region.post('/v1/region/organisers', { id: 'gamma', name: 'Gamma kommun', timeZone: 'Pacific/Auckland' }), 201);
  gamma = api(t.s.url, made.adminToken.token);
  await ok(gamma.post('/v1/import/ss12000?asOf=2026-08-20', gfx.roster), 200);
  await ok(gamma.post('/v1/products', [{ id: 'G-MATTE', name: 'Gamma Matte', identifiers: ['gamma-matte.example'] }]), 201);
  await ok(t.region.post('/v1/region/agreements', MATTE), 201);
  await ok(t.region.post('/v1/region/agreements', ENG), 201);
  // ALFA: its sixth pupil logs in at 23:30 on 31 October in Stockholm (in the period; in Auckland it would be 1 November).
  await ok(t.alfa.client('ingest').post('/v1/events', [
    { id: 'late-6', type: 'login', time: '2026-10-31T22:30:00Z', user: t.alfa.fx.email(5), product: 'https://alfa-matte.example/shibboleth' },
    // Two pupils use ENG: 2 persons, below the rule.
    ...[1, 2].map((i) => ({ id: `eng-${i}`, type: 'login', time: '2026-10-07T10:00:00+02:00', user: t.alfa.fx.email(i), product: 'alfa-eng.example' })),
  ]), 202);
  // GAMMA: five pupils at 23:30 on 31 October in Auckland, the sixth at 00:30 on 1 November
  // there (still 31 October in Stockholm): after the period.
  await ok(gamma.post('/v1/events', gfx.id.pupils.map((_, i) => ({
    id: `g-${i}`, type: 'login', time: i < 5 ? '2026-10-31T10:30:00Z' : '2026-10-31T11:30:00Z', user: gfx.email(i), product: 'gamma-matte.example',
  }))), 202);
}, 300_000);
afterAll(async () => {
  await t?.s.stop();
});

const callOff = (o: { fx: { licences: Record<string, unknown>[] } }, n: number, agreement: string) => ({ ...o.fx.licences[n], agreement });

describe('framework agreements in the region', () => {
  it('refuses a bad agreement with 400 naming the field: unknown organisers, end before start, unknown keys; a taken id is 409', async () => {
    const unknown = await t.region.post('/v1/region/agreements', { ...MATTE, id: 'X-1', organisers: ['default', 'nobody'] });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe('invalid_agreement');
    expect(unknown.json.error.details).toEqual([{ field: 'organisers', reason: '"nobody" is not an organiser of this region' }]);
    const backwards = await t.region.post('/v1/region/agreements', { ...MATTE, id: 'X-2', start: '2026-08-01', end: '2026-07-31' });
    expect(backwards.status).toBe(400);
    expect(backwards.json.error.details).toEqual([{ field: 'end', reason: 'must not be before start' }]);
    const bad = await t.region.post('/v1/region/agreements', { ...MATTE, id: 'x y', pricePerSeat: -1, organisers: [], colour: 'blå' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['colour', 'id', 'organisers', 'pricePerSeat']);
    expect((await t.region.post('/v1/region/agreements', MATTE)).status).toBe(409);
    const list = await ok(t.region.get('/v1/region/agreements'), 200);
    expect(list.rows.map((a: { id: string }) => a.id)).toEqual(['GR-ENG-26', 'GR-MATTE-26']);
  });

  it('a region analyst reads agreements and reports but changes nothing; organiser tokens get 403', async () => {
    const issued = await ok(t.region.post('/v1/region/tokens', { name: 'Avtalsanalytiker', role: 'region_analyst' }), 201);
    const analyst = api(t.s.url, issued.token);
    expect((await analyst.get('/v1/region/agreements')).status).toBe(200);
    expect((await analyst.get('/v1/region/agreements/GR-MATTE-26')).status).toBe(200);
    expect((await analyst.post('/v1/region/agreements', { ...MATTE, id: 'X-3' })).status).toBe(403);
    expect((await analyst.put('/v1/region/agreements/GR-MATTE-26', { ...MATTE, id: undefined })).status).toBe(403);
    expect((await t.region.get('/v1/region/agreements/NO-SUCH')).status).toBe(404);
    for (const o of [t.alfa, t.beta]) {
      for (const role of ROLES) {
        for (const [m, path] of [['GET', '/v1/region/agreements'], ['GET', '/v1/region/agreements/GR-MATTE-26'], ['POST', '/v1/region/agreements']] as const) {
          const r = m === 'GET' ? await o.client(role).get(path) : await o.client(role).post(path, { ...MATTE, id: 'X-4' });
          expect(r.status, `${o.fx.tag} ${role} ${m} ${path}`).toBe(403);
        }
      }
    }
  });
});

describe('call-offs: licences naming an agreement', () => {
  it("an organiser's admin and purchaser see the agreements it takes part in, terms only", async () => {
    const a = await ok(t.alfa.client('admin').get('/v1/agreements'), 200);
    expect(a.rows.map((r: { id: string }) => r.id)).toEqual(['GR-ENG-26', 'GR-MATTE-26']);
    expect(a.rows[1]).toEqual({ id: 'GR-MATTE-26', name: MATTE.name, product: 'MATTE', supplier: 'Förlaget AB', pricePerSeat: 250, currency: 'SEK', start: '2026-08-01', end: '2026-10-31' });
    expect((await ok(t.alfa.client('purchaser').get('/v1/agreements'), 200)).rows).toHaveLength(2);
    // GAMMA is not in ENG: it learns nothing of it, nor who else takes part in MATTE.
    const g = await ok(gamma.get('/v1/agreements'), 200);
    expect(g.rows.map((r: { id: string }) => r.id)).toEqual(['GR-MATTE-26']);
    expect(g.rows[0]).not.toHaveProperty('organisers');
    for (const role of ['principal', 'teacher', 'ingest'] as const) expect((await t.alfa.client(role).get('/v1/agreements')).status).toBe(403);
  });

  it('a licence naming an agreement the organiser is not in is refused exactly as one naming none that exists', async () => {
    const licence = { id: 'G-L2', product: 'G-MATTE', seats: 5, scope: { type: 'organisation', ids: [gfx.id.org] }, audience: 'students', start: '2026-08-01', end: '2027-07-31', price: 1000, buyer: 'Gamma inköp' };
    const other = await gamma.put('/v1/licences/G-L2', { ...licence, agreement: 'GR-ENG-26' });
    const none = await gamma.put('/v1/licences/G-L2', { ...licence, agreement: 'GR-ENG-27' });
    expect(other.status).toBe(400);
    expect(other.json.error.details).toEqual([{ field: 'agreement', reason: NOT_IN }]);
    expect(other.json).toEqual(none.json);
    const posted = await gamma.post('/v1/licences', { ...licence, agreement: 'GR-ENG-26' });
    expect(posted.status).toBe(400);
    expect(posted.json.error.details.rejected[0].fields).toEqual([{ field: 'agreement', reason: NOT_IN }]);
    // A licence sheet: the Ramavtal cell is refused with its row; the good row is kept.
    const csv = `id;produkt;antal;omfattning;omfattning id;start;slut;pris;köpare;Ramavtal\nG-L3;G-MATTE;5;organisation;${gfx.id.org};2026-08-01;2027-07-31;100;Gamma;GR-ENG-26\nG-L4;G-MATTE;5;organisation;${gfx.id.org};2026-08-01;2027-07-31;100;Gamma;\n`;
    const imported = await ok(gamma.post('/v1/import/licences', csv, { 'content-type': 'text/csv' }), 200);
    expect(imported.stored).toBe(1);
    expect(imported.rejected).toEqual([{ row: 2, line: 2, field: 'Ramavtal', reason: NOT_IN }]);
    expect((await ok(gamma.get('/v1/licences'), 200)).rows.map((l: { id: string }) => l.id)).toEqual(['G-L4']);
    expect((await gamma.del('/v1/licences/G-L4')).status).toBe(204);
  });

  it('call-offs are written with their agreement and read back with it', async () => {
    // One call-off per organiser: ALFA's and BETA's maths (10 seats each) and English (30 seats) licences, GAMMA's 20 seats.
    await ok(t.alfa.client('admin').put('/v1/licences/ALFA-L1', callOff(t.alfa, 0, 'GR-MATTE-26')), 200);
    await ok(t.alfa.client('admin').put('/v1/licences/ALFA-L2', callOff(t.alfa, 1, 'GR-ENG-26')), 200);
    await ok(t.beta.client('admin').post('/v1/licences', [callOff(t.beta, 0, 'GR-MATTE-26'), callOff(t.beta, 1, 'GR-ENG-26')]), 201);
    await ok(gamma.post('/v1/licences', {
      id: 'G-L1', product: 'G-MATTE', seats: 20, scope: { type: 'organisation', ids: [gfx.id.org] }, audience: 'students',
      start: '2026-08-01', end: '2027-07-31', price: 5000, buyer: 'Gamma inköp', agreement: 'GR-MATTE-26',
    }), 201);
    // And a 2-seat licence for the class: the most specific scope, so its pupils' days are its (figure 6). One more, deleted, is no call-off.
    const classLicence = { id: 'G-L5', product: 'G-MATTE', seats: 2, scope: { type: 'group', ids: [gfx.id.group] }, audience: 'students', start: '2026-08-01', end: '2027-07-31', price: 600, buyer: 'Mentor', agreement: 'GR-MATTE-26' };
    await ok(gamma.post('/v1/licences', [classLicence, { ...classLicence, id: 'G-L6' }]), 201);
    expect((await gamma.del('/v1/licences/G-L6')).status).toBe(204);
    expect((await ok(t.alfa.client('purchaser').get('/v1/licences/ALFA-L1'), 200)).agreement).toBe('GR-MATTE-26');
    // A licence written without the field keeps its agreement (as förvaltning); '' clears it.
    const { agreement: _, ...plain } = callOff(t.beta, 0, '');
    await ok(t.beta.client('admin').put('/v1/licences/BETA-L1', plain), 200);
    expect((await ok(t.beta.client('admin').get('/v1/licences/BETA-L1'), 200)).agreement).toBe('GR-MATTE-26');
  });
});

describe('figure 27: the report per agreement', () => {
  const line = (r: any) => ({ id: r.organiser.id, callOffs: r.callOffs, seats: r.seats, used: r.used, unusedSeats: r.unusedSeats, unusedSek: r.unusedSek, suppressed: r.suppressed });

  it('seats called off, used, unused SEK per organiser and in total, each organiser counted in its own days', async () => {
    const before = new Date();
    const r = await ok(t.region.get('/v1/region/agreements/GR-MATTE-26'), 200);
    const after = new Date();
    // Period 2026-08-01..2026-10-31, 250 kr a seat; each organiser's today is past its end, so the whole period counts.
    // ALFA: 10 seats; 5 pupils on 5 October and the sixth at 23:30 on 31 October Stockholm time: 6 used, 4 unused, 1,000 kr.
    // BETA: 10 seats, 6 pupils on 5 October: 6 used, 4 unused, 1,000 kr.
    // GAMMA: 20 + 2 seats; 5 pupils at 23:30 on 31 October Auckland time, the sixth on 1 November there (after the period).
    // The 5 are the class licence's (the most specific scope): 3 over its 2 seats, which fill none of the other's 20:
    // 5 used, 0 + 20 unused, 5,000 kr (not 22 - 5 = 17).
    // Total: 4 call-offs, 42 seats, 17 used, 28 unused, 7,000 kr.
    expect(r.rows.map(line)).toEqual([
      { id: 'default', callOffs: 1, seats: 10, used: 6, unusedSeats: 4, unusedSek: 1000, suppressed: false },
      { id: 'beta', callOffs: 1, seats: 10, used: 6, unusedSeats: 4, unusedSek: 1000, suppressed: false },
      { id: 'gamma', callOffs: 2, seats: 22, used: 5, unusedSeats: 20, unusedSek: 5000, suppressed: false },
    ]);
    expect(r.total).toEqual({ callOffs: 4, seats: 42, used: 17, unusedSeats: 28, unusedSek: 7000, suppressed: false });
    expect(r.agreement).toMatchObject({ id: 'GR-MATTE-26', pricePerSeat: 250, organisers: ['default', 'beta', 'gamma'] });
    for (const row of r.rows) {
      const zone = row.organiser.id === 'gamma' ? 'Pacific/Auckland' : 'Europe/Stockholm';
      expect([dayInZone(before, zone), dayInZone(after, zone)]).toContain(row.asOf);
      expect(row.window).toEqual({ from: '2026-08-01', to: '2026-10-31' });
    }
    // Counts only: no licence, school unit, class or person of any organiser.
    for (const fx of [t.alfa.fx, t.beta.fx, gfx]) {
      const below = [fx.code, fx.id.school, fx.id.group, ...fx.id.pupils, ...fx.licences.map((l) => l.id), fx.email(1), 'G-L1', 'G-L5'];
      expect(below.filter((m) => JSON.stringify(r).includes(m))).toEqual([]);
    }
  });

  it('1 to 4 persons are blanked with every figure made from them, and so is the total', async () => {
    // ENG, 100 kr a seat: ALFA 30 seats and 2 users, blanked; BETA 30 seats, nobody: 30 unused, 3,000 kr.
    const r = await ok(t.region.get('/v1/region/agreements/GR-ENG-26'), 200);
    expect(r.rows.map(line)).toEqual([
      { id: 'default', callOffs: 1, seats: 30, used: null, unusedSeats: null, unusedSek: null, suppressed: true },
      { id: 'beta', callOffs: 1, seats: 30, used: 0, unusedSeats: 30, unusedSek: 3000, suppressed: false },
    ]);
    expect(r.total).toEqual({ callOffs: 2, seats: 60, used: null, unusedSeats: null, unusedSek: null, suppressed: true });
    expect(r.minCount).toBe(5);
  });

  it('changing the participants: one left out is no longer reported and can write no call-off of it', async () => {
    const { id: _, ...terms } = ENG;
    const changed = await ok(t.region.put('/v1/region/agreements/GR-ENG-26', { ...terms, organisers: ['default'] }), 200);
    expect(changed.organisers).toEqual(['default']);
    expect((await t.region.put('/v1/region/agreements/GR-ENG-26', { ...terms, organisers: ['default', 'nobody'] })).json.error.details[0].field).toBe('organisers');
    const r = await ok(t.region.get('/v1/region/agreements/GR-ENG-26'), 200);
    expect(r.rows.map(line)).toEqual([{ id: 'default', callOffs: 1, seats: 30, used: null, unusedSeats: null, unusedSek: null, suppressed: true }]);
    const refused = await t.beta.client('admin').put('/v1/licences/BETA-L2', callOff(t.beta, 1, 'GR-ENG-26'));
    expect(refused.status).toBe(400);
    expect(refused.json.error.details).toEqual([{ field: 'agreement', reason: NOT_IN }]);
    expect((await ok(t.beta.client('admin').get('/v1/agreements'), 200)).rows.map((a: { id: string }) => a.id)).toEqual(['GR-MATTE-26']);
  });
});
