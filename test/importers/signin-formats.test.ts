import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Sign-ins and use as the sources really export them, against the real service: the same
 * five Entra sign-ins as a Graph page, the admin centre's CSV (English, Swedish) and Log
 * Analytics (rows, query answer, CSV) must give the same figures, and importing any of
 * them again must change none. Caliper of every version, LTI deep linking and Shibboleth
 * records inside idp-process.log go through the same routes.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const FIX = resolve(ROOT, 'packages/importers/test-fixtures');
const file = (p: string) => readFileSync(resolve(FIX, p));
let s: RunningServer;
let a: ReturnType<typeof api>;

const MATTE_APP = '8561c6ac-2ac2-452c-a526-0c53292f9116';
const SVENSKA_APP = '0f9e8d7c-6b5a-4000-8000-00000000b001';
const post = (path: string, body: Buffer | string, type = 'application/octet-stream') => a.post(path, body.toString(), { 'content-type': type });
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [resolve(ROOT, 'apps/server/bin/licenskoll.js'), ...args, '--url', s.url, '--token', s.adminToken], { encoding: 'utf8', cwd: ROOT });

/** Per product: active people and events, September 2024. */
async function figures(products: string[]) {
  const o = await a.get('/v1/reports/overview?from=2024-09-01&to=2024-09-30');
  expect(o.status).toBe(200);
  return Object.fromEntries(products.map((p) => {
    const row = o.json.rows.find((r: any) => r.product === p);
    return [p, row ? { activeUsers: row.activeUsers, events: row.events } : null];
  }));
}

beforeAll(async () => {
  s = await startServer();
  a = api(s.url, s.adminToken);
  for (const p of [
    { id: 'MATTE', name: 'Exempel Matte', identifiers: [MATTE_APP, 'https://tool.example-edtech.com'] },
    { id: 'SVENSKA', name: 'Exempel Svenska', identifiers: [SVENSKA_APP] },
    { id: 'LMS', name: 'Exempel LMS', identifiers: ['https://lms.example.se'] },
    { id: 'SP', name: 'Exempel SP', identifiers: ['https://sp.example-edtech.com/shibboleth'] },
  ]) expect((await a.post('/v1/products', p)).status).toBe(201);
});
afterAll(async () => {
  await s?.stop();
});

describe('Entra sign-ins in every export give the same figures', () => {
  // Astrid signs in to Matte twice (2 and 3 September), Nils to Svenska once; one wrong
  // password and one interrupted sign-in are failures, never use.
  const WANT = { MATTE: { activeUsers: 1, events: 2 }, SVENSKA: { activeUsers: 1, events: 1 } };

  it('imports the Graph page, and says more pages exist', async () => {
    const r = await post('/v1/import/entra-signins?file=graph-page.json', file('entra/same-signins/graph-page.json'), 'application/json');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ read: 5, stored: 3, duplicates: 0, skipped: 2, rejectedCount: 0, skippedReasons: { 'failed sign-in': 2 } });
    expect(r.json.failedSignIns.map((f: any) => [f.product, f.byCode])).toEqual([[MATTE_APP, { 50126: 1 }], [SVENSKA_APP, { 50140: 1 }]]);
    expect(r.json.nextLink).toBe('https://graph.microsoft.com/v1.0/auditLogs/signIns?$top=5&$skiptoken=EXAMPLE2');
    expect(r.json.notes.join(' ')).toMatch(/more sign-ins wait: .*@odata\.nextLink/);
    expect(await figures(['MATTE', 'SVENSKA'])).toEqual(WANT);
  });

  it.each([
    'InteractiveSignIns_2024-09-02_2024-09-04.csv',
    'Inloggningar_2024-09-02_2024-09-04.csv',
    'log-analytics-rows.json',
    'log-analytics-query.json',
    'SigninLogs.csv',
    'graph-page.json',
  ])('%s: the same sign-ins again, so nothing is added and no figure moves', async (name) => {
    const r = await post(`/v1/import/entra-signins?file=${encodeURIComponent(name)}`, file(`entra/same-signins/${name}`));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ read: 5, stored: 0, duplicates: 3, skipped: 2, rejectedCount: 0 });
    expect(await figures(['MATTE', 'SVENSKA'])).toEqual(WANT);
  });

  it('names file, row and column of a bad CSV row and keeps the good rows', async () => {
    const text = file('entra/same-signins/Inloggningar_2024-09-02_2024-09-04.csv').toString().replace('2024-09-03T06:55:10Z', 'i tisdags');
    const r = await post('/v1/import/entra-signins?file=Inloggningar.csv', text, 'text/csv');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ duplicates: 2, rejectedCount: 1 });
    expect(r.json.rejected).toEqual([{ file: 'Inloggningar.csv', row: 5, line: 5, field: 'Datum (UTC)', reason: '"i tisdags" is not a time' }]);
  });

  it('refuses the download’s authentication-details file with 400, naming it', async () => {
    const r = await post('/v1/import/entra-signins', 'Request ID,Authentication method,Succeeded\r\nr1,Password,true\r\n', 'text/csv');
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'wrong_format', details: { expected: 'entra-signins', detected: 'entra-authdetails-csv' } });
  });
});

describe('Caliper 1.0, 1.1 and 1.2, and LTI deep linking', () => {
  it('counts ToolUseEvent as use and names every skipped item', async () => {
    const r = await post('/v1/caliper', file('caliper/login-v1p2.json'), 'application/json');
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ accepted: 2, duplicates: 0, skipped: 1 });
    expect(Object.keys(r.json.skippedReasons)).toEqual([expect.stringMatching(/^Caliper ViewEvent Viewed: not use/)]);
    // The login to the LMS and the tool use in Matte (2 + 1 Matte events from Entra above).
    expect(await figures(['LMS', 'MATTE'])).toEqual({ LMS: { activeUsers: 1, events: 1 }, MATTE: { activeUsers: 2, events: 3 } });
  });

  it('takes the same events in 1.1 as duplicates: the same stored events', async () => {
    const r = await post('/v1/caliper', file('caliper/login-v1p1.json'), 'application/json');
    expect(r.json).toMatchObject({ accepted: 0, duplicates: 2, skipped: 0 });
  });

  it('takes a 1.0 envelope, whose login has no id: the same person and day, and a re-send adds nothing', async () => {
    const first = await post('/v1/caliper', file('caliper/login-v1p0.json'), 'application/json');
    expect(first.json).toMatchObject({ accepted: 1, skipped: 1 });
    expect(Object.keys(first.json.skippedReasons)).toEqual([expect.stringMatching(/^Caliper SessionEvent LoggedOut: not use/)]);
    const again = await post('/v1/import/caliper?file=login-v1p0.json', file('caliper/login-v1p0.json'));
    expect(again.json).toMatchObject({ read: 2, stored: 0, duplicates: 1, skipped: 1 });
    // Without an id, 1.0's login cannot be known for 1.2's: one more event, the same person and day.
    expect(await figures(['LMS'])).toEqual({ LMS: { activeUsers: 1, events: 2 } });
  });

  it('stores a resource launch but not the deep-linking request or submission review beside it', async () => {
    const r = await post('/v1/import/lti-launches?file=lti.ndjson', file('lti/deep-linking-beside-launch.ndjson'));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ read: 3, stored: 1, skipped: 2 });
    expect(Object.keys(r.json.skippedReasons).sort()).toEqual([
      'LTI message LtiDeepLinkingRequest: a teacher choosing content to link, not use of it',
      'LTI message LtiSubmissionReviewRequest: a teacher reviewing a submission, not use by the pupil',
    ]);
  });
});

describe('licenskoll import auto names the new formats', () => {
  it('reads audit records inside idp-process.log, then the same records from syslog as duplicates', () => {
    const first = cli('import', 'auto', resolve(FIX, 'shibboleth/idp-process-v4.log'));
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/idp-process-v4\.log: a Shibboleth IdP audit log \(v4\/v5 format, in idp-process\.log behind logback prefixes\) → shibboleth-audit/);
    expect(first.stderr).toMatch(/7 read, 2 stored/);
    const syslog = cli('import', 'auto', resolve(FIX, 'shibboleth/idp-audit-syslog.log'));
    expect(syslog.stderr).toMatch(/behind syslog prefixes\) → shibboleth-audit/);
    expect(syslog.stderr).toMatch(/0 stored, 2 skipped as duplicates/);
  });

  it('names a Caliper 1.0 file and the Swedish Entra CSV', () => {
    const caliper = cli('import', 'auto', resolve(FIX, 'caliper/login-v1p0.json'));
    expect(caliper.stderr).toMatch(/a Caliper 1\.0 envelope → caliper/);
    const sv = cli('import', 'auto', resolve(FIX, 'entra/same-signins/Inloggningar_2024-09-02_2024-09-04.csv'));
    expect(sv.stderr).toMatch(/an Entra sign-in CSV download \(admin centre, Swedish headers\) → entra-signins/);
    expect(sv.stderr).toMatch(/0 stored, 3 skipped as duplicates/);
  });
});
