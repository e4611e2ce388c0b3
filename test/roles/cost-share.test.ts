import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { CODE, ID, YEAR, issueToken, loadScenario } from './scenario.ts';

/**
 * The audience share of docs/figures.md against hand-computed answers, for a purchaser, the
 * principals of both schools and a teacher over the same data (scenario.ts), through real
 * HTTP on the real engine. Every licence has audience `students`: school A has 9 pupils (7A:
 * 6, 7B: 3), school B 5 (9C), the organiser 14. Whatever day the test runs, the share day
 * falls where all 14 are enrolled (from 2026-08-15, open-ended).
 */
let s: RunningServer;
const who: Record<string, ReturnType<typeof api>> = {};
const byLicence = (rows: any[], id: string) => rows.find((r) => r.licence === id);
const costs = (rows: any[]) => Object.fromEntries(rows.map((r) => [r.licence, r.cost]));
const sum = (xs: number[]) => Math.round(xs.reduce((a, x) => a + x, 0) * 100) / 100;

beforeAll(async () => {
  s = await startServer();
  const a = api(s.url, s.adminToken);
  await loadScenario(a);
  const issue = async (name: string, body: { role: string; schools?: string[]; groups?: string[] }) => {
    who[name] = api(s.url, (await issueToken(a, { name, ...body })).token);
  };
  await issue('purchaser', { role: 'purchaser' });
  await issue('principalA', { role: 'principal', schools: [CODE.A] });
  await issue('principalB', { role: 'principal', schools: [ID.B] });
  await issue('teacher7A', { role: 'teacher', groups: [ID.g7A] });
});

afterAll(async () => {
  await s?.stop();
});

describe('a shared licence costs a scoped caller their audience share', () => {
  it('purchaser: every licence at its whole price', async () => {
    const r = await who.purchaser.get(`/v1/reports/licences?${YEAR}`);
    expect(costs(r.json.rows)).toEqual({ 'L-ORG': 10000, 'L-A': 2000, 'L-B': 2000, 'L-7B': 500, 'L-AB': 4000 });
    for (const row of r.json.rows) expect(row.cost).toBe(row.price);
    const o = await who.purchaser.get(`/v1/reports/overview?${YEAR}`);
    expect(o.json.totals.cost).toBe(18500);
  });

  it('principal of A: 9 of 14 pupils of the shared licences, the whole price beside it', async () => {
    const r = await who.principalA.get(`/v1/reports/licences?${YEAR}`);
    // 10000 x 9/14 = 6428.571..., 4000 x 9/14 = 2571.428...
    expect(costs(r.json.rows)).toEqual({ 'L-ORG': 6428.57, 'L-A': 2000, 'L-7B': 500, 'L-AB': 2571.43 });
    expect(byLicence(r.json.rows, 'L-ORG')).toMatchObject({ reach: 'partial', price: 10000, shareYours: 9, shareWhole: 14, licensedActive: 3, costPerActiveUser: 2142.86 });
    expect(byLicence(r.json.rows, 'L-ORG').share).toBeCloseTo(9 / 14, 12);
    // The whole licence's unused cost is (100 - 5) x 100 = 9500; A's share of it 9500 x 9/14.
    expect(byLicence(r.json.rows, 'L-ORG').unusedCost).toBe(6107.14);
    expect(byLicence(r.json.rows, 'L-A')).toMatchObject({ reach: 'full', share: 1, cost: 2000, price: 2000 });
    const o = await who.principalA.get(`/v1/reports/overview?${YEAR}`);
    expect(o.json.totals).toMatchObject({ cost: 11500, wholePrice: 16500, licensedActive: 5, costPerActiveUser: 2300 });
    expect(o.json.rows.find((x: any) => x.product === 'ENG')).toMatchObject({ cost: 3071.43, wholePrice: 4500 });
  });

  it('principal of B: 5 of 14; the two schools\' shares add up to the whole price', async () => {
    const r = await who.principalB.get(`/v1/reports/licences?${YEAR}`);
    expect(costs(r.json.rows)).toEqual({ 'L-ORG': 3571.43, 'L-B': 2000, 'L-AB': 1428.57 });
    const o = await who.principalB.get(`/v1/reports/overview?${YEAR}`);
    expect(o.json.totals.cost).toBe(7000);
    const a = await who.principalA.get(`/v1/reports/licences?${YEAR}`);
    expect(sum([byLicence(a.json.rows, 'L-ORG').cost, byLicence(r.json.rows, 'L-ORG').cost])).toBe(10000);
    expect(sum([byLicence(a.json.rows, 'L-AB').cost, byLicence(r.json.rows, 'L-AB').cost])).toBe(4000);
  });

  it('teacher of 7A: class usage of 7A, and no money at all', async () => {
    const r = await who.teacher7A.get(`/v1/reports/class-usage?${YEAR}`);
    expect(r.status).toBe(200);
    const rows = Object.fromEntries(r.json.rows.map((x: any) => [x.product, [x.group, x.enrolled, x.active]]));
    expect(rows).toEqual({ NO: [ID.g7A, 6, 3], MATTE: [ID.g7A, 6, 4], ENG: [ID.g7A, 6, 1] });
    for (const report of ['overview', 'licences', 'unused', 'renewals', 'buyers']) {
      expect((await who.teacher7A.get(`/v1/reports/${report}?${report === 'unused' || report === 'renewals' ? 'asOf=2026-11-28' : YEAR}`)).status).toBe(403);
    }
  });

  it('principal of A: overview, licences, unused and renewals give each licence the same cost, to the öre', async () => {
    const [o, l, u, rn] = await Promise.all([
      who.principalA.get(`/v1/reports/overview?${YEAR}`),
      who.principalA.get(`/v1/reports/licences?${YEAR}`),
      who.principalA.get('/v1/reports/unused?asOf=2026-11-28&days=90'),
      who.principalA.get('/v1/reports/renewals?asOf=2026-11-28&within=90'),
    ]);
    const perLicence = costs(l.json.rows);
    expect(o.json.totals.cost).toBe(sum(Object.values(perLicence) as number[]));
    expect(Object.keys(costs(u.json.rows)).sort()).toEqual(['L-7B', 'L-A']);
    for (const [id, cost] of Object.entries(costs(u.json.rows))) expect(cost, id).toBe(perLicence[id]);
    expect(costs(rn.json.rows)).toEqual({ 'L-AB': 2571.43 });
    for (const [id, cost] of Object.entries(costs(rn.json.rows))) expect(cost, id).toBe(perLicence[id]);
    // CSV says the same.
    const csv = await who.principalA.get(`/v1/reports/licences?${YEAR}&format=csv`);
    const [head, ...lines] = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    const col = head.split(',').indexOf('cost');
    expect(col).toBeGreaterThan(-1);
    expect(lines.map((x) => Number(x.split(',')[col])).sort((a, b) => a - b)).toEqual([500, 2000, 2571.43, 6428.57]);
  });
});
