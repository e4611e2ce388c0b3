import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { loadScenario, roleClients, type Api } from '../helpers/scenario.ts';
import { AS_OF, CODE, HOLIDAY_WEEK, ID, SCHOOL_WEEKS, events, licences, products, roster } from './flag-scenario.ts';

/**
 * The low-value flags (docs/figures.md, figures 20–25) against hand-computed answers
 * (flag-scenario.ts), through real HTTP on the real engine, with the edge of every threshold.
 */
let s: RunningServer;
let a: Api;
const who: Record<string, Api> = {};
const flags = async (query = '', as = a) => {
  const r = await as.get(`/v1/reports/flags?asOf=${AS_OF}${query}`);
  expect(r.status, r.text).toBe(200);
  return r.json.rows as any[];
};
const one = (rows: any[], flag: string, licence: string) => rows.filter((r) => r.flag === flag && r.licenceId === licence);

beforeAll(async () => {
  s = await startServer();
  a = api(s.url, s.adminToken);
  await loadScenario(a, { events, roster, rosterAsOf: '2025-08-15', products, licences });
  Object.assign(who, await roleClients(s.url, a, { principal1: { role: 'principal', schools: [CODE.u1] }, teacher: { role: 'teacher', groups: [ID.k(1)] }, purchaser: { role: 'purchaser' } }));
  // Events are stored asynchronously: wait until the last one counts.
  for (let i = 0; i < 100; i++) {
    const rows = await flags();
    if (rows.some((r) => r.flag === 'expensive')) break;
    await new Promise((res) => setTimeout(res, 200));
  }
}, 120_000);

afterAll(async () => {
  await s?.stop();
});

// A report takes seconds on a loaded machine, and some tests ask several.
describe('the flags with their defaults', { timeout: 300_000 }, () => {
  it('answers each flag once with the numbers computed by hand', async () => {
    const rows = await flags();
    expect(rows.map((r) => `${r.flag} ${r.licenceId}`)).toEqual([
      'never-used L-NEVER', 'low-utilisation L-FALL', 'concentrated L-ORG', 'falling L-FALL', 'expensive L-E2',
    ]);
  });

  it('never used: the licence cost after 80 days, past the 30-day grace period', async () => {
    const [r] = one(await flags(), 'never-used', 'L-NEVER');
    expect(r).toMatchObject({ productId: 'NEVER', productName: 'Aldrig', buyer: 'Rektor 1', sek: 1000, currency: 'SEK', link: '/licences?q=L-NEVER&product=NEVER' });
    expect(r.numbers).toEqual({ daysSinceStart: 80, graceDays: 30, seats: 10, licensedActive: 0 });
    expect(r.reason).toBe('Ingen har använt licensen under de 80 dagar den har gällt (efter 30 dagars startperiod). Fråga beställaren om den behövs.');
    expect(r.reasonEn).toMatch(/^Nobody has used the licence in the 80 days/);
  });

  it('never used: 29 days after the start is inside the grace period, 30 is past it', async () => {
    const r29 = await a.get('/v1/reports/flags?asOf=2026-01-30&flag=never-used');
    expect(r29.json.rows.map((r: any) => r.licenceId)).not.toContain('L-NEVER');
    const r30 = await a.get('/v1/reports/flags?asOf=2026-01-31&flag=never-used');
    expect(one(r30.json.rows, 'never-used', 'L-NEVER')[0].numbers.daysSinceStart).toBe(30);
  });

  it('low utilisation: 2 of min(10 seats, 6 in the target) is flagged with the unused cost; exactly 0.5 is not', async () => {
    const rows = await flags();
    const [f] = one(rows, 'low-utilisation', 'L-FALL');
    expect(f.numbers).toMatchObject({ licensedActive: 2, seats: 10, targetSize: 6, base: 6, unusedSeats: 8, threshold: 0.5, days: 30 });
    expect(f.numbers.utilisation).toBeCloseTo(2 / 6, 10);
    expect(f.sek).toBe(3200);
    // L-LOW: 3 / 6 and L-P46A: 1 / 2 meet the threshold exactly.
    expect(one(rows, 'low-utilisation', 'L-LOW')).toEqual([]);
    const above = await flags('&lowUtilisation=0.51');
    expect(one(above, 'low-utilisation', 'L-LOW')[0]).toMatchObject({ sek: 1400, numbers: { utilisation: 0.5, base: 6, unusedSeats: 7 } });
    expect(one(above, 'low-utilisation', 'L-P46A')[0]).toMatchObject({ sek: 90, numbers: { utilisation: 0.5, base: 2, unusedSeats: 9 } });
  });

  it('concentrated: 9 of the 10 users at two of four schools, where 9 of its 13 pupils are; the share exactly met is flagged', async () => {
    const [r] = one(await flags(), 'concentrated', 'L-ORG');
    expect(r.numbers).toEqual({
      schools: 4, schoolsWithUse: 3, licensedActive: 10, topSchools: [ID.u(1), ID.u(2)], topPersons: 9, topShare: 0.9, threshold: 0.8,
      audience: 13, audienceAtTop: 9, days: 30,
    });
    expect(r.schoolIds).toEqual([ID.u(1), ID.u(2)]);
    // What a licence for U1 and U2 alone would save at the same price per pupil: 12,000 × 4 / 13.
    expect(r.sek).toBe(3692.31);
    const [met, above, fewer] = await Promise.all(['&concentratedShare=0.9', '&concentratedShare=0.91', '&concentratedMinSchools=5'].map((x) => flags(`${x}&flag=concentrated`)));
    expect(one(met, 'concentrated', 'L-ORG')).toHaveLength(1);
    expect(one(above, 'concentrated', 'L-ORG')).toEqual([]);
    expect(one(fewer, 'concentrated', 'L-ORG')).toEqual([]);
  });

  it('falling: 6 a week down to 2 over the last four school weeks, the holiday week skipped', async () => {
    const [r] = one(await flags(), 'falling', 'L-FALL');
    expect(r.numbers).toMatchObject({ before: 6, last: 2, drop: 0.5, weeksBefore: SCHOOL_WEEKS.slice(0, 4), weeksLast: SCHOOL_WEEKS.slice(4), holidayWeeks: [HOLIDAY_WEEK] });
    expect(r.numbers.change).toBeCloseTo(-2 / 3, 10);
    expect(r.sek).toBe(2666.67);
    expect(r.reason).toBe('Användningen har sjunkit från 6 till 2 personer i veckan (-67 %), de fyra senaste skolveckorna mot de fyra före. Lovveckor räknas inte.');
  });

  it('falling: counting the holiday week as a school week moves the window and lowers "before" to 4.5', async () => {
    // (With "before" at 4.5, the fewest users a flag is raised on must come down from 5 to 4.)
    expect(one(await flags('&schoolWeekShare=0'), 'falling', 'L-FALL')).toEqual([]);
    const [r] = one(await flags('&schoolWeekShare=0&minActive=4'), 'falling', 'L-FALL');
    expect(r.numbers).toMatchObject({ before: 4.5, last: 2, weeksBefore: [...SCHOOL_WEEKS.slice(1, 4), HOLIDAY_WEEK], holidayWeeks: [] });
    expect(r.sek).toBe(2222.22);
  });

  it('falling: a week still running is not judged (Saturday: seven school weeks, no flag), nor a fall smaller than the drop', async () => {
    const r = await a.get('/v1/reports/flags?asOf=2026-03-21&flag=falling');
    expect(r.json.rows).toEqual([]);
    expect(one(await flags('&fallingDrop=0.7'), 'falling', 'L-FALL')).toEqual([]);
  });

  it('expensive: 1,500 kr per active user against the median 666.67 of four peers; two peers give no median', async () => {
    const rows = await flags();
    const [r] = one(rows, 'expensive', 'L-E2');
    expect(r.numbers).toMatchObject({ costPerActiveUser: 1500, median: 666.67, factor: 2, ratio: 2.25, peers: 4, peerProducts: ['E1', 'E2', 'FALL', 'LOW'], licensedActive: 3 });
    expect(r.sek).toBe(2500);
    // P46B costs 100 times P46A, but GR 4–6 has only those two products.
    expect(one(rows, 'expensive', 'L-P46B')).toEqual([]);
    expect(one(await flags('&expensiveFactor=2.3'), 'expensive', 'L-E2')).toEqual([]);
  });

  it('overlap: the same subject and years in the same class, on the licence with fewer pupils there (a tie: the cheaper)', async () => {
    expect((await flags()).filter((r) => r.flag === 'overlap')).toEqual([]);
    const three = (await flags('&minActive=3')).filter((r) => r.flag === 'overlap');
    expect(three).toHaveLength(1);
    expect(three[0]).toMatchObject({
      licenceId: 'L-E1', productId: 'E1', otherLicenceId: 'L-E2', otherProductId: 'E2', sek: 300, schoolIds: [ID.u(2)],
      link: `/classes?product=E1&school=${ID.u(2)}`,
      numbers: { subjects: ['matematik'], classes: 1, groups: [ID.k(2)], pupils: 3, otherPupils: 3, otherLicence: 'L-E2', otherProduct: 'Matte dyr' },
    });
    // With one pupil enough, the GR 4–6 pair overlaps too; GR 4–6 and GR 7–9 never meet.
    const all = (await flags('&minActive=1')).filter((r) => r.flag === 'overlap');
    expect(all.map((r) => `${r.licenceId}/${r.otherLicenceId} ${r.sek}`)).toEqual(['L-E1/L-E2 300', 'L-P46A/L-P46B 100']);
  });
});

describe('roles, scopes and formats', { timeout: 300_000 }, () => {
  it('a principal sees only the flags of licences within their school', async () => {
    const rows = await flags('', who.principal1);
    expect(rows.map((r) => `${r.flag} ${r.licenceId}`)).toEqual(['never-used L-NEVER', 'low-utilisation L-FALL', 'falling L-FALL']);
    const u2 = await flags(`&school=${CODE.u2}`, who.purchaser);
    expect(u2.map((r) => `${r.flag} ${r.licenceId}`)).toEqual(['expensive L-E2']);
    expect((await who.principal1.get(`/v1/reports/flags?school=${CODE.u2}`)).status).toBe(403);
    expect((await who.teacher.get('/v1/reports/flags')).status).toBe(403);
  });

  it('answers CSV, and filters by product and kind', async () => {
    const r = await a.get(`/v1/reports/flags?asOf=${AS_OF}&format=csv`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/csv/);
    const header = r.text.replace(/^\uFEFF/, '').split(/\r?\n/)[0].split(',');
    expect(header.slice(0, 5)).toEqual(['flag', 'licenceId', 'productId', 'productName', 'buyer']);
    expect(r.text).toContain('L-NEVER');
    expect((await flags('&product=FALL')).map((x) => x.flag)).toEqual(['low-utilisation', 'falling']);
    expect((await flags('&flag=falling,never-used')).map((x) => x.flag)).toEqual(['never-used', 'falling']);
  });

  it('refuses unknown values with 400 naming the parameter', async () => {
    const bad = async (q: string, field: string) => {
      const r = await a.get(`/v1/reports/flags?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.json.error.details.map((d: any) => d.field), q).toContain(field);
    };
    await bad('format=pdf', 'format');
    await bad('lowUtilisation=2', 'lowUtilisation');
    await bad('graceDays=1.5', 'graceDays');
    await bad('flag=cheap', 'flag');
    await bad('product=NOPE', 'product');
    await bad('colour=red', 'colour');
    await bad('asOf=2026-02-30', 'asOf');
  });
});
