import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';

/**
 * The importers wired to `POST /v1/import/<kind>`, the CLI and the BOL answer, against the
 * real service: what a municipality's files become in the figures.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const FIX = resolve(ROOT, 'packages/importers/test-fixtures');
const file = (p: string) => readFileSync(resolve(FIX, p));
let s: RunningServer;
let a: ReturnType<typeof api>;

const SCHOOL = 'e0000000-0000-4000-8000-000000000001';
const roster = {
  organisations: [
    { id: 'e0000000-0000-4000-8000-000000000000', displayName: 'Exempelstad', organisationType: 'Huvudman' },
    { id: SCHOOL, displayName: 'Exempelskolan', organisationType: 'Skolenhet', schoolUnitCode: '99999999', parentOrganisation: { id: 'e0000000-0000-4000-8000-000000000000' } },
  ],
  persons: [
    {
      id: 'f0000000-0000-4000-8000-000000000001', givenName: 'A', familyName: 'E',
      eduPersonPrincipalNames: ['astrid.exempel@edu.example.se'], externalIdentifiers: [{ value: 'astrid.exempel', context: 'https://example.se/AD', globallyUnique: false }],
      enrolments: [{ enroledAt: { id: SCHOOL }, schoolType: 'GR', startDate: '2024-08-01' }],
    },
  ],
};

const post = (path: string, body: Buffer | string, type = 'application/octet-stream') => a.post(path, body.toString(), { 'content-type': type });
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [resolve(ROOT, 'apps/server/bin/licenskoll.js'), ...args, '--url', s.url, '--token', s.adminToken], { encoding: 'utf8', cwd: ROOT });

beforeAll(async () => {
  s = await startServer();
  a = api(s.url, s.adminToken);
  expect((await a.post('/v1/import/ss12000?asOf=2024-08-01', roster)).status).toBe(200);
  expect((await a.post('/v1/products', { id: 'MATTE7', name: 'Exempel Matte 7', identifiers: ['https://matte.example-edtech.com/sp', '9789127000001'] })).status).toBe(201);
});
afterAll(async () => {
  await s?.stop();
});

describe('POST /v1/import/<kind>', () => {
  it('turns successful Shibboleth sign-ons into logins, skips failures, and changes nothing on re-import', async () => {
    const r = await post('/v1/import/shibboleth-audit?file=idp-audit-v4.log', file('shibboleth/idp-audit-v4.log'));
    expect(r.status).toBe(200);
    expect(r.json.stored).toBeGreaterThanOrEqual(2);
    expect(r.json.skipped).toBeGreaterThanOrEqual(1);
    const again = await post('/v1/import/shibboleth-audit?file=idp-audit-v4.log', file('shibboleth/idp-audit-v4.log'));
    expect(again.json).toMatchObject({ stored: 0, duplicates: r.json.stored });
    const o = await a.get('/v1/reports/overview?from=2024-09-01&to=2024-09-30&product=MATTE7');
    expect(o.json.rows[0]).toMatchObject({ product: 'MATTE7', activeUsers: 1, events: 1 });
  });

  it('counts failed Entra sign-ins apart, never as use', async () => {
    const r = await post('/v1/import/entra-signins?file=graph-page.json', file('entra/graph-page.json'), 'application/json');
    expect(r.status).toBe(200);
    expect(r.json.stored).toBeGreaterThan(0);
    const failed = (r.json.failedSignIns ?? []).reduce((n: number, f: any) => n + f.failures, 0);
    expect(failed).toBeGreaterThan(0);
    expect(r.json.stored + failed).toBeLessThanOrEqual(r.json.read);
  });

  it('names the format a file really has when it is sent as another kind', async () => {
    const r = await post('/v1/import/entra-signins', file('shibboleth/idp-audit-v4.log'));
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('wrong_format');
    expect(String(r.json.error.details.detected ?? r.json.error.message)).toMatch(/Shibboleth/i);
  });

  it('makes each delivered BOL order line a licence, and a re-import updates instead of duplicating', async () => {
    const r = await post('/v1/import/bol-orders', file('bol/order-response.json'), 'application/json');
    expect(r.status).toBe(200);
    // Lines 1 and 2 are delivered; 3 and 4 are not (skipped); 5 has no validToDate (rejected, named).
    expect(r.json).toMatchObject({ stored: 2, skipped: 2, rejectedCount: 1 });
    expect(r.json.rejected[0].reason).toBeTruthy();
    const before = (await a.get('/v1/licences')).json.rows.length;
    await post('/v1/import/bol-orders', file('bol/order-response.json'), 'application/json');
    expect((await a.get('/v1/licences')).json.rows.length).toBe(before);
    const line1 = (await a.get('/v1/licences')).json.rows.find((l: any) => l.product === '9789127000001');
    expect(line1).toMatchObject({ seats: 120, price: 5460, start: '2024-08-05', end: '2025-08-04' });
  });

  it('shows the publisher’s BOL figure beside the measured one, and answers BOL from measured use', async () => {
    await a.post('/v1/licences', {
      id: 'L-BOL', product: '9789127000001', seats: 120, scope: { type: 'school', ids: ['99999999'] }, audience: 'students',
      start: '2024-08-05', end: '2025-08-04', price: 5460, buyer: 'Rektor Exempelskolan',
    });
    const r = await post('/v1/import/bol-school-licences', file('bol/school-unit-licenses.json'), 'application/json');
    expect(r.status).toBe(200);
    const rows = (await a.get('/v1/reports/licences?from=2024-08-05&to=2025-08-04')).json.rows;
    const l = rows.find((x: any) => x.licence === 'L-BOL');
    expect(l).toMatchObject({ product: 'MATTE7', licensedActive: 1, publisher: { total: 120, assigned: 100, used: 64 } });
    const bol = await a.post('/bol/v1/school-units/licenses', {
      clientId: 'licensportal.example.se', serviceProviderId: 'forlag.example-edtech.com', fromDate: '2024-08-05', toDate: '2025-08-04',
      schools: [{ idSource: 'skolverket', id: '99999999' }],
    });
    expect(bol.status).toBe(200);
    expect(bol.json.schools[0].articles).toEqual([
      { articleNumber: 'MATTE7', articleName: 'Exempel Matte 7', totalLicenses: 120, assignedLicenses: 1, unassignedLicenses: 119, usedLicenses: 1 },
    ]);
  });

  it('takes a saved SS12000 page as it is', async () => {
    const r = await post('/v1/import/ss12000?asOf=2024-08-01', readFileSync(resolve(FIX, 'ss12000/organisations.json')), 'application/json');
    expect(r.status).toBe(200);
    expect(r.json.counts.organisations).toBe(2);
  });
});

describe('licenskoll import (CLI)', () => {
  it('imports a log with a summary, and a second run skips everything as duplicates', () => {
    const first = cli('import', 'auto', resolve(FIX, 'shibboleth/idp-audit-v3.log'));
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/shibboleth-audit idp-audit-v3\.log: \d+ read, [1-9]\d* stored/);
    const second = cli('import', 'shibboleth-audit', resolve(FIX, 'shibboleth/idp-audit-v3.log'));
    expect(second.stderr).toMatch(/0 stored, [1-9]\d* skipped as duplicates/);
  });

  it('says what a file looks like when the kind is wrong, and exits non-zero', () => {
    const r = cli('import', 'satosa', resolve(FIX, 'shibboleth/idp-audit-v3.log'));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/looks like a Shibboleth/);
  });

  it('imports a folder of OneRoster files as a roster', () => {
    const r = cli('import', 'oneroster', resolve(FIX, 'oneroster/v1p2'), '--as-of', '2024-08-20');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/oneroster v1p2\.zip: \d+ read, [1-9]\d* stored/);
  });
});
