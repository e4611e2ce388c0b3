import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { DANGLING } from '../../packages/importers/test-fixtures/ss12000/dangling-references.ts';

/**
 * Files as others really export them (issue 18), through `POST /v1/import/<kind>`, the CLI
 * and the API that shows the result: Excel's blank rows, a OneRoster package with `terms`,
 * a BOL file that is not BOL 1.1, and counters that add up to the file.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const FIX = resolve(ROOT, 'packages/importers/test-fixtures');
const file = (p: string) => readFileSync(resolve(FIX, p));
let s: RunningServer;
let a: ReturnType<typeof api>;

const post = (path: string, body: Buffer | string, type = 'application/octet-stream') => a.post(path, body.toString(), { 'content-type': type });
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [resolve(ROOT, 'apps/server/bin/licenskoll.js'), ...args, '--url', s.url, '--token', s.adminToken], { encoding: 'utf8', cwd: ROOT });
/** Every answer of an import adds up to what it read. */
const addsUp = (j: { read: number; stored: number; duplicates: number; skipped: number; blank: number; rejectedCount: number }) =>
  expect(j.stored + j.duplicates + j.skipped + j.blank + j.rejectedCount).toBe(j.read);

beforeAll(async () => {
  s = await startServer();
  a = api(s.url, s.adminToken);
});
afterAll(async () => {
  await s?.stop();
});

describe('wrong files and blank rows', () => {
  it('answers 400 for a BOL 1.0 order and for JSON that is not BOL, as for the other kinds', async () => {
    const old = { clientId: 'c', serviceProviderId: 's', clientOrderNumber: 'N1', orderLines: [{ clientOrderLineId: '1', articleNumber: 'A', quantity: 3 }] };
    const r = await post('/v1/import/bol-orders?file=gammal.json', JSON.stringify(old), 'application/json');
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'wrong_format', details: { expected: 'bol-orders', detected: 'bol-1.0', file: 'gammal.json' } });
    const other = await post('/v1/import/bol-orders', '{"kund": "Exempelstad", "rader": []}', 'application/json');
    expect(other.status).toBe(400);
    expect(other.json.error.message).toMatch(/not a BOL order response/);
  });

  it('shows a skipped BOL line’s errorMessage, and the counters add up to the five lines', async () => {
    const r = await post('/v1/import/bol-orders', file('bol/order-response.json'), 'application/json');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ read: 5, stored: 2, skipped: 2, blank: 0, rejectedCount: 1 });
    expect(r.json.skippedReasons['not delivered (failed: Artikeln utgången)']).toBe(1);
    addsUp(r.json);
  });

  it('ignores the ;;;;; rows Excel writes and counts them apart', async () => {
    const r = await post('/v1/import/licences?file=licenser.csv', file('licences/licenser-excel-blank-rows.csv'), 'text/csv');
    expect(r.status).toBe(200);
    // 7 rows below the header: 2 licences, 1 bad seat count (row 5), 4 blank.
    expect(r.json).toMatchObject({ read: 7, stored: 2, blank: 4, rejectedCount: 1 });
    expect(r.json.rejected).toEqual([{ file: 'licenser.csv', row: 5, line: 5, field: 'Antal licenser', reason: '"många" is not a number' }]);
    addsUp(r.json);
  });
});

describe('OneRoster with a terms column', () => {
  let answer: any;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oneroster-terms-'));
    for (const f of ['manifest.csv', 'academicSessions.csv', 'orgs.csv', 'users.csv', 'classes.csv', 'enrollments.csv']) writeFileSync(join(dir, f), file(`oneroster/terms/${f}`));
    const r = cli('import', 'oneroster', dir, '--as-of', '2025-08-20');
    expect(r.status, r.stderr).toBe(0);
    answer = r.stderr;
  });

  it('says in the CLI what the package holds: 11 rows read, 10 stored, 1 blank', () => {
    expect(answer).toMatch(/oneroster oneroster-terms-\w+\.zip: 11 read, 10 stored, 0 skipped as duplicates, 0 skipped, 1 blank, 0 rejected/);
    expect(answer).toContain('note: classes.csv: column "terms" read as termSourcedIds');
  });

  it('gives the classes their terms’ dates, and an undated class null dates, never placeholders', async () => {
    const groups = (await a.get('/v1/groups')).json.rows as { id: string; start: string | null; end: string | null }[];
    const byId = Object.fromEntries(groups.map((g) => [g.id, g]));
    expect(byId['c-1']).toMatchObject({ start: '2025-08-18', end: '2026-06-12' });
    expect(byId['c-2']).toMatchObject({ start: '2026-01-12', end: '2026-06-12' });
    expect(byId['c-3']).toMatchObject({ start: null, end: null });
    expect(JSON.stringify(groups)).not.toMatch(/1970-01-01|2149-06-06/);
  });
});

describe('plain events as CSV', () => {
  const csv = resolve(FIX, 'events/events.csv');

  it('imports them with the CLI, whose progress line and summary agree with the file', () => {
    const r = cli('import', 'auto', csv);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('events.csv: Licenskoll usage events (CSV) → events');
    // 6 rows: 3 events, row 4 (time) and row 5 (user) rejected, 1 blank.
    expect(r.stderr).toContain('6 lines read 100 %, 3 stored, 0 to send, 2 rejected');
    expect(r.stderr).toMatch(/events events\.csv: 6 read, 3 stored, 0 skipped as duplicates, 0 skipped, 1 blank, 2 rejected/);
    expect(r.stderr).toContain('rejected events.csv row 4 time: must be an ISO-8601 time with an offset');
  });

  it('takes text/csv at POST /v1/events: bad rows named by row and field, good ones kept, a re-send only duplicates', async () => {
    const r = await a.post('/v1/events', file('events/events.csv').toString(), { 'content-type': 'text/csv' });
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ accepted: 0, duplicates: 3, blank: 1 });
    expect(r.json.rejected).toEqual([
      { index: 2, line: 4, row: 4, error: 'row 4: time: must be an ISO-8601 time with an offset, e.g. 2026-03-01T08:15:00+01:00' },
      { index: 3, line: 5, row: 5, error: 'row 5: user: is required' },
    ]);
    const bad = await a.post('/v1/events', 'namn,antal\nMatte,3\n', { 'content-type': 'text/csv' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('malformed_csv');
    expect(bad.json.error.message).toMatch(/columns type, time, user, product missing/);
  });

  it('counts the CSV events in the figures like any others', async () => {
    await a.post('/v1/products', { id: 'CSVLTI', name: 'CSV-verktyg', identifiers: ['lti-client-7f3a'] });
    const o = await a.get('/v1/reports/overview?from=2026-03-01&to=2026-03-31&product=CSVLTI');
    // Only csv-2 reaches lti-client-7f3a (csv-3 and csv-4 were rejected): one user, one event.
    expect(o.json.rows[0]).toMatchObject({ product: 'CSVLTI', activeUsers: 1, events: 1 });
  });
});

describe('SS12000 references to organisations and persons that are not there', () => {
  const { S, U, GHOST, G1, D1, P1 } = DANGLING;
  const body = () => file('ss12000/dangling-references.json').toString();
  const ss = (q: string) => a.post(`/v1/import/ss12000?asOf=2025-08-20${q}`, body(), { 'content-type': 'application/json' });

  it('with unresolved=reject refuses the rows that name nothing, each by kind, index and id', async () => {
    const r = await ss('&unresolved=reject');
    expect(r.status).toBe(200);
    expect(r.json.unresolved).toMatchObject({ count: 3, rows: 4, byKind: { organisation: 2, person: 1 }, policy: 'reject' });
    expect(r.json.rejected).toEqual([
      { kind: 'groups', index: 0, id: G1, error: `organisation: organisation "${S}" is neither in the file nor in the store` },
      { kind: 'enrolments', index: 0, id: P1, error: `enrolments: organisation "${S}" is neither in the file nor in the store` },
      { kind: 'duties', index: 0, id: D1, error: `dutyAt: organisation "${U}" is neither in the file nor in the store` },
    ]);
    // G1 with its two memberships and the duty are out; the Huvudman's group and its membership are in.
    expect(r.json.counts).toMatchObject({ organisations: 1, persons: 1, groups: 1, duties: 0, memberships: 1 });
    expect((await a.get('/v1/groups')).json.rows.map((g: any) => g.id)).not.toContain(G1);
  });

  it('by default keeps the rows, lists the unknown references with a count, and marks the group unresolved', async () => {
    const r = await ss('');
    expect(r.json.rejected).toEqual([]);
    expect(r.json.counts).toMatchObject({ groups: 2, duties: 1, memberships: 3 });
    expect(r.json.unresolved).toEqual({
      count: 3, rows: 4, byKind: { organisation: 2, person: 1 }, policy: 'keep',
      references: [
        { kind: 'organisation', id: S, rows: 2, referencedBy: [`groups/${G1}`, `enrolments/${P1}`] },
        { kind: 'person', id: GHOST, rows: 1, referencedBy: [`memberships/${G1}`] },
        { kind: 'organisation', id: U, rows: 1, referencedBy: [`duties/${D1}`] },
      ],
    });
    const g1 = (await a.get('/v1/groups')).json.rows.find((g: any) => g.id === G1);
    expect(g1).toMatchObject({ school: S, unresolved: true, start: '2025-08-18', end: '2026-06-12' });
  });

  it('says so in the data-quality answer, until the missing units arrive', async () => {
    const before = (await a.get('/v1/roster/unresolved')).json.rows;
    const key = (x: any) => `${x.kind}/${x.from}/${x.id}`;
    expect(before.map((x: any) => ({ ...x, examples: [...x.examples].sort() })).sort((x: any, y: any) => key(x).localeCompare(key(y)))).toEqual([
      { kind: 'organisation', from: 'duties', id: U, rows: 1, examples: [D1] },
      { kind: 'organisation', from: 'enrolments', id: S, rows: 1, examples: [] },
      { kind: 'organisation', from: 'groups', id: S, rows: 1, examples: [G1] },
      { kind: 'person', from: 'memberships', id: null, rows: 1, examples: [G1] },
    ]);
    // The register delivers its school units separately; the store then resolves them, and a re-import finds only the ghost.
    const units = { organisations: [
      { id: S, displayName: 'Dalbyskolan', organisationType: 'Skolenhet', schoolUnitCode: '99999998', parentOrganisation: { id: 'c1000000-0000-4000-8000-000000000000' } },
      { id: U, displayName: 'Dalby musikskola', organisationType: 'Skolenhet' },
    ] };
    expect((await a.post('/v1/import/ss12000?asOf=2025-08-20', units)).json.unresolved.count).toBe(0);
    expect((await a.get('/v1/roster/unresolved')).json.rows).toEqual([{ kind: 'person', from: 'memberships', id: null, rows: 1, examples: [G1] }]);
    const again = await ss('');
    expect(again.json.unresolved).toMatchObject({ count: 1, rows: 1, byKind: { organisation: 0, person: 1 } });
    expect((await a.get('/v1/groups')).json.rows.find((g: any) => g.id === G1).unresolved).toBe(false);
  });

  it('refuses an unknown policy', async () => {
    const r = await ss('&unresolved=drop');
    expect(r.status).toBe(400);
    expect(r.json.error.details).toEqual([{ field: 'unresolved', reason: 'must be keep or reject' }]);
  });
});
