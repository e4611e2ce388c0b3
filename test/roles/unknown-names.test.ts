import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { CODE, ID, YEAR, events, licences, products, roster } from './scenario.ts';

/**
 * Every filter value that names something (product, school, group, licence) is looked up:
 * a value that names nothing is a 400 naming the parameter and the value, in every report and
 * list and for every role that may ask, never a report that looks real but covers nothing.
 * A scoped caller naming a school unit or group that is not theirs (existing or not) keeps its 403.
 * One server for the whole file.
 */
let s: RunningServer;
const tokens: Record<string, string> = {};
const as = (who: string) => api(s.url, tokens[who]);

beforeAll(async () => {
  s = await startServer({ env: { LICENSKOLL_RATE_LIMIT_READ: '1000000' } });
  const a = api(s.url, s.adminToken);
  tokens.admin = s.adminToken;
  expect((await a.post('/v1/events', events)).status).toBe(202);
  expect((await a.post('/v1/import/ss12000?asOf=2026-08-20', roster)).status).toBe(200);
  expect((await a.post('/v1/products', products)).status).toBe(201);
  expect((await a.post('/v1/licences', licences)).status).toBe(201);
  const issue = async (body: object) => {
    const r = await a.post('/v1/tokens', body);
    expect(r.status, r.text).toBe(201);
    return (r.json as { token: string }).token;
  };
  tokens.purchaser = await issue({ name: 'Inköp', role: 'purchaser' });
  tokens.principalA = await issue({ name: 'Rektor Norrskolan', role: 'principal', schools: [CODE.A] });
  tokens.teacher7A = await issue({ name: 'Mentor 7A', role: 'teacher', groups: [ID.g7A] });
});

afterAll(async () => {
  await s?.stop();
});

/** Each report, the naming filters it takes, and a value of each that exists (the control). */
const REPORTS: Record<string, Partial<Record<'product' | 'school' | 'group', string>>> = {
  overview: { product: 'MATTE', school: CODE.A },
  'class-usage': { product: 'MATTE', school: CODE.A, group: ID.g7A },
  licences: { product: 'MATTE', school: CODE.A },
  unused: { product: 'MATTE', school: CODE.A },
  renewals: { product: 'MATTE', school: CODE.A },
  buyers: { product: 'MATTE', school: CODE.A },
  unmapped: {},
};
const UNKNOWN = 'doesnotexist';
const query = (report: string) => (report === 'unmapped' ? '' : `${YEAR}&`);

function expectUnknown(r: { status: number; json: any; text: string }, field: string, value: string, what: string) {
  expect(r.status, `${what}: ${r.text.slice(0, 300)}`).toBe(400);
  expect(r.json.error.code).toBe('bad_request');
  expect(r.json.error.message).toContain(`${field}: ${value}`);
  expect(r.json.error.details).toEqual([{ field, reason: expect.stringContaining(value) }]);
}

describe('an unknown value of a naming filter is 400 in every report', () => {
  for (const who of ['admin', 'purchaser']) {
    for (const [report, filters] of Object.entries(REPORTS)) {
      it(`${report} as ${who}`, async () => {
        for (const [field, known] of Object.entries(filters)) {
          const path = `/v1/reports/${report}?${query(report)}${field}=`;
          // The control: the known value answers, so the 400 below is about the value.
          const ok = await as(who).get(`${path}${encodeURIComponent(known)}`);
          expect(ok.status, `${report} ${field}=${known}: ${ok.text.slice(0, 200)}`).toBe(200);
          for (const format of ['json', 'csv', 'xlsx']) {
            expectUnknown(await as(who).get(`${path}${UNKNOWN}&format=${format}`), field, UNKNOWN, `${report} ${field} ${format}`);
          }
          // With a known value beside it, only the unknown one is named.
          expectUnknown(await as(who).get(`${path}${encodeURIComponent(known)},${UNKNOWN}`), field, UNKNOWN, `${report} ${field}=${known},${UNKNOWN}`);
        }
        // A filter a report does not take is 400 too (these name things no report filters by).
        for (const field of ['product', 'school', 'group', 'licence', 'buyer', 'supplier'].filter((f) => !(f in filters))) {
          const r = await as(who).get(`/v1/reports/${report}?${query(report)}${field}=${UNKNOWN}`);
          expect(r.status, `${report} ${field}: ${r.text.slice(0, 200)}`).toBe(400);
          expect(r.json.error.details[0].field).toBe(field);
        }
      });
    }
  }

  it('a principal and a teacher: an unknown product is 400, an unknown school or group 403 like any outside their reach', async () => {
    for (const report of ['overview', 'class-usage', 'licences', 'unused', 'renewals', 'buyers']) {
      expectUnknown(await as('principalA').get(`/v1/reports/${report}?${YEAR}&product=${UNKNOWN}`), 'product', UNKNOWN, `principal ${report}`);
      expect((await as('principalA').get(`/v1/reports/${report}?${YEAR}&school=${UNKNOWN}`)).status).toBe(403);
    }
    expect((await as('principalA').get(`/v1/reports/class-usage?${YEAR}&group=${UNKNOWN}`)).status).toBe(403);
    expectUnknown(await as('teacher7A').get(`/v1/reports/class-usage?${YEAR}&product=${UNKNOWN}`), 'product', UNKNOWN, 'teacher class-usage');
    expect((await as('teacher7A').get(`/v1/reports/class-usage?${YEAR}&group=${UNKNOWN}`)).status).toBe(403);
    expect((await as('teacher7A').get(`/v1/reports/class-usage?${YEAR}&school=${UNKNOWN}`)).status).toBe(403);
  });

  it('the issue\'s case: class-usage for an unknown product is no longer every class at 0 %', async () => {
    const r = await as('admin').get(`/v1/reports/class-usage?${YEAR}&product=${UNKNOWN}`);
    expectUnknown(r, 'product', UNKNOWN, 'class-usage');
    expect(r.json.rows).toBeUndefined();
  });
});

describe('lists with a naming filter', () => {
  it('/v1/groups?school= and /v1/followups?licence=', async () => {
    for (const who of ['admin', 'purchaser']) {
      expect((await as(who).get(`/v1/groups?school=${CODE.A}`)).status).toBe(200);
      expectUnknown(await as(who).get(`/v1/groups?school=${UNKNOWN}`), 'school', UNKNOWN, `${who} groups`);
      expectUnknown(await as(who).get(`/v1/groups?school=${UNKNOWN}&format=csv`), 'school', UNKNOWN, `${who} groups csv`);
      expect((await as(who).get('/v1/followups?licence=L-A')).status).toBe(200);
      expectUnknown(await as(who).get(`/v1/followups?licence=${UNKNOWN}`), 'licence', UNKNOWN, `${who} followups`);
    }
    // A principal: a licence not their school's own is 403 whether it exists or not.
    expect((await as('principalA').get('/v1/followups?licence=L-A')).status).toBe(200);
    expect((await as('principalA').get('/v1/followups?licence=L-B')).status).toBe(403);
    expect((await as('principalA').get(`/v1/followups?licence=${UNKNOWN}`)).status).toBe(403);
    expect((await as('principalA').get(`/v1/groups?school=${UNKNOWN}`)).status).toBe(403);
  });
});
