import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { LEAK, callers, checkBody, concurrently, roleTokens, type Who } from './callers.ts';
import { CODE, ID, YEAR, events, licences, loadScenario } from './scenario.ts';

/**
 * Every role against every endpoint and parameter, over real HTTP on the real service:
 * 403 outside the scope (never an empty answer that looks real), 400 for bad input, never
 * 500, never a stack trace or SQL in a body, and never a byte of school B in an answer to
 * someone scoped to school A.
 */
let s: RunningServer;
const tokens: Partial<Record<Who, string>> = {};
const { call, client } = callers(() => s.url, tokens);

beforeAll(async () => {
  // Rate limits are tested on their own (rate-limit.test.ts); here hundreds of probes run per token.
  s = await startServer({ env: { LICENSKOLL_RATE_LIMIT_READ: '1000000', LICENSKOLL_RATE_LIMIT_FAILED_AUTH: '1000000' } });
  await loadScenario(api(s.url, s.adminToken));
  Object.assign(tokens, await roleTokens(s));
});

afterAll(async () => {
  await s?.stop();
});

const REPORTS = ['overview', 'class-usage', 'licences', 'unused', 'renewals', 'buyers', 'unmapped'] as const;
const EVERYONE: Who[] = ['anonymous', 'wrong', 'revoked', 'admin', 'purchaser', 'principalA', 'teacher7A', 'teacher7B', 'ingest', 'ingestIssued'];

/** Expected status per report and role, without school or group filters. */
function reportStatus(report: (typeof REPORTS)[number], who: Who): number {
  if (['anonymous', 'wrong', 'revoked'].includes(who)) return 401;
  if (who === 'ingest' || who === 'ingestIssued') return 403;
  if (who === 'admin' || who === 'purchaser') return 200;
  if (report === 'unmapped') return 403;
  if (who === 'principalA') return 200;
  return report === 'class-usage' ? 200 : 403;
}

describe('every report, every role, JSON and CSV', () => {
  for (const report of REPORTS) {
    for (const who of EVERYONE) {
      it(`${report} as ${who}`, async () => {
        const want = reportStatus(report, who);
        for (const format of ['json', 'csv']) {
          const r = await call(who, 'GET', `/v1/reports/${report}?${report === 'unmapped' ? '' : YEAR}&format=${format}`);
          expect(r.status, `${format}: ${r.text.slice(0, 200)}`).toBe(want);
          checkBody(who, r, `${report} ${format}`);
          if (want === 200 && format === 'csv') expect(r.headers.get('content-type')).toMatch(/text\/csv/);
          if (want !== 200) expect(JSON.parse(r.text).error.code).toMatch(/unauthorized|forbidden/);
        }
      });
    }
  }
});

describe('school and group filters: another school is 403, never an empty answer', () => {
  const cases: { who: Who; path: string; want: number }[] = [
    // admin and purchaser may name any school; an unknown one is a bad request
    ...['admin', 'purchaser'].flatMap((who) => [
      { who: who as Who, path: `/v1/reports/class-usage?${YEAR}&school=${ID.B}`, want: 200 },
      { who: who as Who, path: `/v1/reports/licences?${YEAR}&school=${CODE.B}`, want: 200 },
      { who: who as Who, path: `/v1/reports/overview?${YEAR}&school=no-such-school`, want: 400 },
    ]),
    // a principal of A
    ...(['overview', 'class-usage', 'licences', 'unused', 'renewals', 'buyers'] as const).flatMap((r) => [
      { who: 'principalA' as Who, path: `/v1/reports/${r}?school=${ID.B}`, want: 403 },
      { who: 'principalA' as Who, path: `/v1/reports/${r}?school=${CODE.B}&format=csv`, want: 403 },
      { who: 'principalA' as Who, path: `/v1/reports/${r}?school=${ID.org}`, want: 403 },
      { who: 'principalA' as Who, path: `/v1/reports/${r}?school=${ID.A},${ID.B}`, want: 403 },
      { who: 'principalA' as Who, path: `/v1/reports/${r}?school=${CODE.A}`, want: 200 },
      { who: 'principalA' as Who, path: `/v1/reports/${r}?school=not-a-school`, want: 403 },
    ]),
    { who: 'principalA', path: `/v1/reports/class-usage?group=${ID.g9C}`, want: 403 },
    { who: 'principalA', path: `/v1/reports/class-usage?group=${ID.g7B}`, want: 200 },
    { who: 'principalA', path: '/v1/reports/class-usage?group=no-such-group', want: 400 },
    { who: 'principalA', path: `/v1/reports/licences?group=${ID.g7A}`, want: 400 },
    // teachers: their groups only
    { who: 'teacher7A', path: `/v1/reports/class-usage?group=${ID.g7A}`, want: 200 },
    { who: 'teacher7A', path: `/v1/reports/class-usage?group=${ID.g7B}`, want: 403 },
    { who: 'teacher7A', path: `/v1/reports/class-usage?group=${ID.g9C}`, want: 403 },
    { who: 'teacher7A', path: `/v1/reports/class-usage?group=${ID.g7A},${ID.g9C}`, want: 403 },
    { who: 'teacher7A', path: `/v1/reports/class-usage?school=${ID.A}`, want: 200 },
    { who: 'teacher7A', path: `/v1/reports/class-usage?school=${ID.B}`, want: 403 },
    { who: 'teacher7A', path: `/v1/reports/class-usage?school=${CODE.B}&format=csv`, want: 403 },
    { who: 'teacher7B', path: `/v1/reports/class-usage?group=${ID.g7B}`, want: 200 },
  ];
  for (const t of cases) {
    it(`${t.who} ${t.path} -> ${t.want}`, async () => {
      const r = await call(t.who, 'GET', t.path);
      expect(r.status, r.text.slice(0, 300)).toBe(t.want);
      checkBody(t.who, r, t.path);
      if (t.want === 403) expect(JSON.parse(r.text).error.message).toMatch(/outside|role may not|not for|teacher sees/);
    });
  }
});

const INJECTIONS = ["' OR 1=1 --", '{x:String}', '\u0000', "1); DROP TABLE events; --", '../../etc/passwd', 'x'.repeat(5000), '<script>alert(1)</script>', '%', 'Å,Ä,Ö', `${ID.B}' OR '1'='1`];
const PARAMS = ['school', 'group', 'product', 'from', 'to', 'asOf', 'days', 'within', 'threshold', 'headroom', 'format', '{x:String}'];

describe('crafted parameters: 400 or 403 (or 200 within the scope), never 500, nothing outside the scope', () => {
  for (const who of ['admin', 'purchaser', 'principalA', 'teacher7A'] as Who[]) {
    for (const report of REPORTS) {
      it(`${report} as ${who}`, async () => {
        // A crafted product is an unknown product, refused by one lookup: four values suffice there.
        const probes = PARAMS.flatMap((p) => (p === 'product' ? INJECTIONS.slice(0, 4) : INJECTIONS).map((v) => [p, v] as const));
        await concurrently(probes, 8, async ([p, v]) => {
          const r = await call(who, 'GET', `/v1/reports/${report}?${encodeURIComponent(p)}=${encodeURIComponent(v)}`);
          checkBody(who, r, `${report}?${p}=${JSON.stringify(v.slice(0, 40))}`);
          expect([200, 400, 403], `${report}?${p}=${JSON.stringify(v.slice(0, 40))}: ${r.status} ${r.text.slice(0, 200)}`).toContain(r.status);
          // No crafted value names a known product, group or school (unknown-filters.test.ts).
          if (r.status === 200) expect(['school', 'group', 'product'].includes(p), `${p}=${v.slice(0, 30)} answered 200`).toBe(false);
        });
      });
    }
  }

  it('path parameters and bodies', async () => {
    for (const v of INJECTIONS) {
      const id = encodeURIComponent(v);
      const cases: [Who, string, string, unknown, number[]][] = [
        ['admin', 'GET', `/v1/licences/${id}`, undefined, [404]],
        ['principalA', 'GET', `/v1/licences/${id}`, undefined, [404]],
        ['admin', 'DELETE', `/v1/licences/${id}`, undefined, [404]],
        ['admin', 'DELETE', `/v1/tokens/${id}`, undefined, [404]],
        ['purchaser', 'DELETE', `/v1/tokens/${id}`, undefined, [403]],
        ['admin', 'GET', `/v1/followups?licence=${id}`, undefined, [200, 400]],
        ['principalA', 'GET', `/v1/followups?licence=${id}`, undefined, [400, 403]],
        ['admin', 'POST', '/v1/followups', { licence: v, status: 'open' }, [400, 404]],
        ['admin', 'POST', '/v1/tokens', { name: 'x', role: 'principal', schools: [v] }, [400]],
        ['admin', 'POST', '/v1/tokens', { name: 'x', role: 'teacher', groups: [v] }, [400]],
        ['principalA', 'GET', `/v1/groups?school=${id}`, undefined, [400, 403]],
        ['admin', 'GET', `/v1/audit?actor=${id}`, undefined, [200, 400]],
        ['admin', 'GET', `/v1/audit?action=${id}`, undefined, [400]],
        ['admin', 'POST', '/v1/privacy/access', { identifier: v }, [200, 400]],
      ];
      for (const [who, method, path, body, want] of cases) {
        const r = await call(who, method, path, body);
        checkBody(who, r, `${method} ${path.slice(0, 80)}`);
        expect(want, `${who} ${method} ${path.slice(0, 80)} -> ${r.status} ${r.text.slice(0, 200)}`).toContain(r.status);
      }
    }
    // Nothing was harmed: the events are all there.
    const o = await client('admin').get(`/v1/reports/overview?${YEAR}`);
    expect(o.json.totals.events).toBe(events.length);
  });
});

describe('administration, licences, follow-ups, roster lookups', () => {
  const cases: { path: string; method?: string; body?: unknown; want: Partial<Record<Who, number>> }[] = [
    { path: '/v1/me', want: { admin: 200, purchaser: 200, principalA: 200, teacher7A: 200, ingest: 200, anonymous: 401, wrong: 401, revoked: 401 } },
    { path: '/v1/tokens', want: { admin: 200, purchaser: 403, principalA: 403, teacher7A: 403, ingest: 403, anonymous: 401 } },
    { path: '/v1/tokens', method: 'POST', body: { name: 'x', role: 'admin' }, want: { purchaser: 403, principalA: 403, teacher7A: 403, ingest: 403, anonymous: 401 } },
    { path: '/v1/audit', want: { admin: 200, purchaser: 403, principalA: 403, teacher7A: 403, ingest: 403 } },
    { path: '/v1/privacy/erasures', want: { admin: 200, purchaser: 403, principalA: 403, teacher7A: 403, ingest: 403 } },
    { path: '/v1/privacy/access', method: 'POST', body: { identifier: 'elev-01@edu.tvaskolor.se' }, want: { purchaser: 403, principalA: 403, teacher7A: 403, ingest: 403 } },
    { path: '/v1/privacy/erase', method: 'POST', body: { identifier: 'elev-01@edu.tvaskolor.se', confirm: true }, want: { purchaser: 403, principalA: 403, teacher7A: 403, ingest: 403 } },
    { path: '/v1/import/ss12000', method: 'POST', body: { organisations: [] }, want: { purchaser: 403, principalA: 403, teacher7A: 403, ingest: 403 } },
    { path: '/v1/products', method: 'POST', body: { id: 'X', name: 'X' }, want: { purchaser: 403, principalA: 403, teacher7A: 403, ingest: 403 } },
    { path: '/v1/licences', method: 'POST', body: licences[0], want: { purchaser: 403, principalA: 403, teacher7A: 403, ingest: 403 } },
    { path: '/v1/licences/L-A', method: 'PUT', body: licences[1], want: { purchaser: 403, principalA: 403, teacher7A: 403, ingest: 403 } },
    { path: '/v1/licences/L-A', method: 'DELETE', want: { purchaser: 403, principalA: 403, teacher7A: 403, ingest: 403 } },
    { path: '/v1/licences', want: { admin: 200, purchaser: 200, principalA: 200, teacher7A: 403, ingest: 403 } },
    { path: '/v1/licences/L-A', want: { admin: 200, purchaser: 200, principalA: 200, teacher7A: 403, ingest: 403 } },
    { path: '/v1/licences/L-B', want: { admin: 200, purchaser: 200, principalA: 403, teacher7A: 403 } },
    { path: '/v1/licences/L-ORG', want: { principalA: 200 } },
    { path: '/v1/followups', want: { admin: 200, purchaser: 200, principalA: 200, teacher7A: 403, ingest: 403 } },
    { path: '/v1/followups?licence=L-B', want: { admin: 200, purchaser: 200, principalA: 403, teacher7A: 403 } },
    { path: '/v1/followups?licence=L-ORG', want: { principalA: 403 } },
    { path: '/v1/followups?licence=L-AB', want: { principalA: 403 } },
    { path: '/v1/followups?licence=L-A', want: { principalA: 200 } },
    { path: '/v1/followups', method: 'POST', body: { licence: 'L-B', status: 'contacted' }, want: { purchaser: 201, principalA: 403, teacher7A: 403, ingest: 403 } },
    { path: '/v1/followups', method: 'POST', body: { licence: 'L-ORG', status: 'contacted' }, want: { principalA: 403 } },
    { path: '/v1/followups', method: 'POST', body: { licence: 'L-A', status: 'keep', note: 'Används i 7A' }, want: { principalA: 201 } },
    { path: '/v1/events', method: 'POST', body: [], want: { purchaser: 403, principalA: 403, teacher7A: 403 } },
    { path: '/v1/caliper', method: 'POST', body: {}, want: { purchaser: 403, principalA: 403, teacher7A: 403 } },
    { path: '/v1/organisations', want: { admin: 200, purchaser: 200, principalA: 200, teacher7A: 200, ingest: 403 } },
    { path: '/v1/groups', want: { admin: 200, purchaser: 200, principalA: 200, teacher7A: 200, ingest: 403 } },
    { path: `/v1/groups?school=${ID.B}`, want: { admin: 200, principalA: 403, teacher7A: 403 } },
    { path: `/v1/groups?school=${CODE.A}`, want: { principalA: 200, teacher7A: 200 } },
    { path: '/v1/products', want: { admin: 200, purchaser: 200, principalA: 200, teacher7A: 200, ingest: 403 } },
    { path: '/v1/no-such-endpoint', want: { admin: 404, anonymous: 401 } },
  ];
  for (const t of cases) {
    for (const [who, want] of Object.entries(t.want) as [Who, number][]) {
      it(`${t.method ?? 'GET'} ${t.path} as ${who} -> ${want}`, async () => {
        const r = await call(who, t.method ?? 'GET', t.path, t.body);
        expect(r.status, r.text.slice(0, 300)).toBe(want);
        checkBody(who, r, `${t.method ?? 'GET'} ${t.path} ${JSON.stringify(t.body ?? '')}`);
      });
    }
  }

  it('lists only the school units and groups in reach', async () => {
    const orgs = await client('principalA').get('/v1/organisations');
    expect(orgs.json.rows.map((r: any) => r.id)).toEqual([ID.A]);
    const groups = await client('principalA').get('/v1/groups');
    expect(groups.json.rows.map((r: any) => r.name).sort()).toEqual(['7A', '7B']);
    const tg = await client('teacher7A').get('/v1/groups');
    expect(tg.json.rows.map((r: any) => r.id)).toEqual([ID.g7A]);
    const lic = await client('principalA').get('/v1/licences');
    expect(lic.json.rows.map((r: any) => r.id).sort()).toEqual(['L-7B', 'L-A', 'L-AB', 'L-ORG']);
    expect(lic.json.rows.find((r: any) => r.id === 'L-AB').scope).toEqual({ type: 'school', ids: [ID.A] });
    const all = await client('purchaser').get('/v1/groups');
    expect(all.json.rows).toHaveLength(3);
  });
});

describe('what a principal sees', () => {
  const byLicence = (rows: any[], id: string) => rows.find((r) => r.licence === id);

  it('licences within their units in full, organisation-wide and shared ones limited to their pupils', async () => {
    const all = await client('admin').get(`/v1/reports/licences?${YEAR}`);
    expect(byLicence(all.json.rows, 'L-ORG')).toMatchObject({ licensedActive: 5, utilisation: 0.05 });
    expect(byLicence(all.json.rows, 'L-AB')).toMatchObject({ licensedActive: 2 });
    const r = await client('principalA').get(`/v1/reports/licences?${YEAR}`);
    expect(r.json.rows.map((x: any) => x.licence).sort()).toEqual(['L-7B', 'L-A', 'L-AB', 'L-ORG']);
    // Money of a shared licence: the audience share, 9 of its 14 pupils (test/roles/cost-share.test.ts).
    expect(byLicence(r.json.rows, 'L-ORG')).toMatchObject({ reach: 'partial', licensedActive: 3, seats: 100, utilisation: null, unusedSeats: null, price: 10000, cost: 6428.57 });
    expect(byLicence(r.json.rows, 'L-A')).toMatchObject({ reach: 'full', licensedActive: 4, utilisation: 0.4, unusedSeats: 6, unusedCost: 1200, costPerActiveUser: 500 });
    expect(byLicence(r.json.rows, 'L-7B')).toMatchObject({ reach: 'full', licensedActive: 1, utilisation: 0.2 });
    expect(byLicence(r.json.rows, 'L-AB')).toMatchObject({ reach: 'partial', licensedActive: 1, scope: { type: 'school', ids: [ID.A] } });
    // A purchaser asking for school A gets the same view.
    const p = await client('purchaser').get(`/v1/reports/licences?${YEAR}&school=${ID.A}`);
    expect(p.json.rows).toEqual(r.json.rows);
  });

  it('overview: use by their pupils, seats of licences within their units, their share of shared money', async () => {
    const r = await client('principalA').get(`/v1/reports/overview?${YEAR}`);
    const row = (id: string) => r.json.rows.find((x: any) => x.product === id);
    expect(row('NO')).toMatchObject({ licences: 1, partialLicences: 1, seats: null, licensedActive: 3, activeUsers: 3, cost: 6428.57, wholePrice: 10000 });
    expect(row('MATTE')).toMatchObject({ licences: 1, partialLicences: 0, seats: 10, licensedActive: 4, activeUsers: 4, utilisation: 0.4, cost: 2000, unusedCost: 1200 });
    expect(row('ENG')).toMatchObject({ licences: 2, partialLicences: 1, seats: 5, licensedActive: 2, activeUsers: 2, utilisation: 0.2, cost: 3071.43, wholePrice: 4500 });
    expect(r.json.totals).toMatchObject({ activeUsers: 5, licensedActive: 5, cost: 11500, events: 9, wholePrice: 16500 });
  });

  it('unused, renewals and buyers within their reach', async () => {
    const u = await client('principalA').get('/v1/reports/unused?asOf=2026-11-28&days=90');
    expect(Object.fromEntries(u.json.rows.map((x: any) => [x.licence, x.status]))).toEqual({ 'L-A': 'underused', 'L-7B': 'underused' });
    const rn = await client('principalA').get('/v1/reports/renewals?asOf=2026-11-28&within=90');
    expect(rn.json.rows).toEqual([expect.objectContaining({ licence: 'L-AB', reach: 'partial', peak: 0, recommendedSeats: null, projectedSaving: null, cost: 2571.43, price: 4000 })]);
    const b = await client('principalA').get(`/v1/reports/buyers?${YEAR}`);
    expect(b.json.rows).toEqual([expect.objectContaining({ buyer: 'Rektor Norrskolan', licences: 2, cost: 2500 })]);
  });

  it('class usage of their groups only', async () => {
    const r = await client('principalA').get(`/v1/reports/class-usage?${YEAR}`);
    expect([...new Set(r.json.rows.map((x: any) => x.group))].sort()).toEqual([ID.g7A, ID.g7B].sort());
    const t = await client('teacher7A').get(`/v1/reports/class-usage?${YEAR}`);
    expect([...new Set(t.json.rows.map((x: any) => x.group))]).toEqual([ID.g7A]);
  });
});

describe('small groups (fewer than 5 pupils)', () => {
  const row = (rows: any[], group: string, product: string) => rows.find((r) => r.group === group && r.product === product);

  it('are shown to admin and the group\'s teacher, "färre än 5" to everyone else', async () => {
    const admin = await client('admin').get(`/v1/reports/class-usage?${YEAR}`);
    expect(row(admin.json.rows, ID.g7B, 'ENG')).toMatchObject({ enrolled: 3, active: 1, suppressed: false });
    const teacher = await client('teacher7B').get(`/v1/reports/class-usage?${YEAR}`);
    expect(row(teacher.json.rows, ID.g7B, 'ENG')).toMatchObject({ enrolled: 3, active: 1, suppressed: false });
    for (const who of ['purchaser', 'principalA'] as Who[]) {
      const r = await client(who).get(`/v1/reports/class-usage?${YEAR}`);
      expect(row(r.json.rows, ID.g7B, 'ENG')).toEqual(expect.objectContaining({
        groupName: '7B', enrolled: null, active: null, adoption: null, events: null, activeDays: null, lastActive: null, suppressed: true, reason: 'färre än 5',
      }));
      expect(row(r.json.rows, ID.g7A, 'MATTE')).toMatchObject({ enrolled: 6, active: 4, suppressed: false });
      expect(r.json.suppressedGroups).toBe(r.json.rows.filter((x: any) => x.suppressed).length);
      const csv = await client(who).get(`/v1/reports/class-usage?${YEAR}&format=csv`);
      const [header, ...lines] = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
      const cols = header.split(',');
      const line = lines.map((l) => l.split(',')).find((c) => c[cols.indexOf('group')] === ID.g7B && c[cols.indexOf('product')] === 'ENG')!;
      for (const f of ['enrolled', 'active', 'adoption', 'events', 'activeDays', 'lastActive']) expect(line[cols.indexOf(f)]).toBe('färre än 5');
    }
    // 9C has exactly 5 pupils: shown.
    const p = await client('purchaser').get(`/v1/reports/class-usage?${YEAR}&school=${ID.B}`);
    expect(row(p.json.rows, ID.g9C, 'MATTE')).toMatchObject({ enrolled: 5, active: 3, suppressed: false });
  });
});

describe('tokens', () => {
  it('lists without secrets, shows status, validates scope, revokes at once', async () => {
    const a = client('admin');
    const list = await a.get('/v1/tokens');
    expect(list.status).toBe(200);
    expect(list.text).not.toMatch(/"hash"|lk_[A-Za-z0-9_-]{20}/);
    for (const t of Object.values(tokens)) if (t && t.startsWith('lk_')) expect(list.text.includes(t)).toBe(false);
    expect(list.json.rows.find((t: any) => t.name === 'Gammal')).toMatchObject({ revoked: 1, status: 'revoked' });
    expect(list.json.rows.find((t: any) => t.name === 'Rektor Norrskolan')).toMatchObject({ role: 'principal', schools: [CODE.A], status: 'active' });

    const bad: [object, RegExp][] = [
      [{ name: 'x', role: 'principal' }, /schools/],
      [{ name: 'x', role: 'teacher' }, /groups/],
      [{ name: 'x', role: 'purchaser', schools: [ID.A] }, /schools/],
      [{ name: 'x', role: 'principal', schools: ['no-such-school'] }, /not a known/],
      [{ name: 'x', role: 'teacher', groups: ['no-such-group'] }, /not a known/],
      [{ name: 'x', role: 'superuser' }, /role/],
      [{ name: 'x', role: 'admin', expires: '2020-01-01' }, /expires/],
      [{ name: 'x', role: 'admin', expires: '2026-02-30' }, /expires/],
    ];
    for (const [body, msg] of bad) {
      const r = await a.post('/v1/tokens', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.message).toMatch(msg);
    }
    const t = await a.post('/v1/tokens', { name: 'Tillfällig', role: 'purchaser', expires: '2099-12-31' });
    expect(t.status).toBe(201);
    expect(t.json).toMatchObject({ role: 'purchaser', expires: '2099-12-31' });
    expect((await api(s.url, t.json.token).get('/v1/reports/buyers')).status).toBe(200);
    expect((await a.del(`/v1/tokens/${t.json.id}`)).status).toBe(204);
    expect((await api(s.url, t.json.token).get('/v1/reports/buyers')).status).toBe(401);
    expect((await a.del('/v1/tokens/env:admin')).status).toBe(404);
  });
});

describe('hardening', () => {
  it("puts security headers on every answer (a page's on the page, OWASP's REST set on the API), and never caches the API", async () => {
    const probes = [
      await fetch(`${s.url}/v1/health`),
      await fetch(`${s.url}/v1/reports/overview`),
      await fetch(`${s.url}/v1/reports/overview?${YEAR}&format=csv`, { headers: { authorization: `Bearer ${s.adminToken}` } }),
      await fetch(`${s.url}/v1/reports/overview?from=nonsense`, { headers: { authorization: `Bearer ${s.adminToken}` } }),
      await fetch(`${s.url}/v1/nothing`, { headers: { authorization: `Bearer ${s.adminToken}` } }),
      await fetch(`${s.url}/auth/config`),
      await fetch(`${s.url}/`),
      // The ingest route answers without the middleware chain, with the same headers.
      await fetch(`${s.url}/v1/events`, { method: 'POST', body: '{"type": "login"}', headers: { authorization: `Bearer ${s.adminToken}` } }),
      await fetch(`${s.url}/v1/events`, { method: 'POST', body: '{}' }),
      await fetch(`${s.url}/v1/events`, { method: 'POST', body: '[]', headers: { authorization: `Bearer ${s.adminToken}` } }),
    ];
    for (const r of probes) {
      const h = r.headers;
      const page = new URL(r.url).pathname === '/';
      expect(h.get('content-type'), r.url).toMatch(page ? /^text\/html/ : /^(application\/json|text\/csv)/);
      expect(h.get('x-content-type-options'), r.url).toBe('nosniff');
      expect(h.get('strict-transport-security'), r.url).toMatch(/max-age=\d+/);
      expect(h.get('referrer-policy'), r.url).toBe('no-referrer');
      expect(h.get('cross-origin-resource-policy'), r.url).toBe('same-origin');
      expect(h.get('x-powered-by'), r.url).toBeNull();
      if (page) {
        // The dashboard's page: its own policy and a document's hardening.
        expect(h.get('content-security-policy'), r.url).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
        expect(h.get('x-frame-options'), r.url).toBe('SAMEORIGIN');
        expect(h.get('cross-origin-opener-policy'), r.url).toBe('same-origin');
      } else {
        // API answers: OWASP's REST set, nothing allowed to load or frame them.
        expect(h.get('content-security-policy'), r.url).toBe("default-src 'none'; frame-ancestors 'none'");
        expect(h.get('x-frame-options'), r.url).toBe('DENY');
        expect(h.get('cross-origin-opener-policy'), r.url).toBeNull();
      }
      if (/^\/(v1\/reports|v1\/events|auth)/.test(new URL(r.url).pathname)) expect(h.get('cache-control'), r.url).toBe('no-store');
    }
  });

  it('answers malformed requests without stack traces or SQL', async () => {
    const a = client('admin');
    for (const r of [
      await a.post('/v1/licences', '{"id": '),
      await a.post('/v1/tokens', '[[[['),
      await a.post('/v1/privacy/access', 'not json'),
      await a.get('/v1/reports/class-usage?from=2026-01-01&to=2025-01-01'),
      await a.get('/v1/reports/class-usage?days=1e309'),
      await a.get('/v1/reports/overview?from=2026-01-01&from=2026-02-01'),
    ]) {
      expect(r.status).toBe(400);
      expect(r.json.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      expect(r.text).not.toMatch(LEAK);
    }
  });
});
