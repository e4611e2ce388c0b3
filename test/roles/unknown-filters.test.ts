import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORTS } from '../../apps/server/src/routes/report-table.ts';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { CODE, ID, YEAR, issueToken, loadScenario } from './scenario.ts';

/**
 * Issue 19 point 2: a filter value that names something (product, group, school, buyer,
 * licence) and names nothing known is a 400 naming the parameter and the value, never a report
 * of zeros or an empty table that looks real; a naming parameter a report does not take
 * (supplier: no report filters by it) is a 400 naming it, never silently ignored. Every report
 * route is looped with every naming parameter. A scoped caller naming a known group outside
 * their reach still gets 403.
 */
let s: RunningServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  s = await startServer({ env: { LICENSKOLL_RATE_LIMIT_READ: '1000000' } });
  const a = api(s.url, s.adminToken);
  await loadScenario(a);
  const issue = async (body: object) => (await issueToken(a, body)).token;
  tokens.admin = s.adminToken;
  tokens.principalA = await issue({ name: 'Rektor Norrskolan', role: 'principal', schools: [CODE.A] });
  tokens.teacher7A = await issue({ name: 'Mentor 7A', role: 'teacher', groups: [ID.g7A] });
});

afterAll(async () => {
  await s?.stop();
});

/** Every route under /v1/reports/ and the filters of it that name something. */
const ROUTES: { path: string; filters: string[]; base: string }[] = [
  { path: 'overview', filters: ['product', 'school'], base: YEAR },
  { path: 'class-usage', filters: ['product', 'school', 'group'], base: YEAR },
  { path: 'licences', filters: ['product', 'school'], base: YEAR },
  { path: 'unused', filters: ['product', 'school'], base: 'asOf=2026-11-28' },
  { path: 'renewals', filters: ['product', 'school'], base: 'asOf=2026-11-28' },
  { path: 'buyers', filters: ['product', 'school'], base: YEAR },
  { path: 'unlicensed', filters: ['product', 'school'], base: YEAR },
  { path: 'unmapped', filters: ['product'], base: '' },
  { path: 'flags', filters: ['product', 'school'], base: 'asOf=2026-11-28' },
  { path: 'renewal-pack', filters: ['product', 'school', 'buyer'], base: 'asOf=2026-11-28' },
  { path: 'renewal-pack/buyers', filters: ['school'], base: '' },
  { path: 'sign-in-readiness', filters: ['school', 'group'], base: 'date=2026-11-28' },
  { path: 'sign-in-readiness/pupils', filters: ['group'], base: 'date=2026-11-28' },
  { path: 'seat-moves', filters: ['product', 'school'], base: 'asOf=2026-11-28' },
  { path: 'actions', filters: ['product', 'school', 'buyer', 'forvaltning'], base: 'asOf=2026-11-28' },
];
/** Every parameter that names something; a report that does not take one refuses it by name too. */
const NAMING = ['product', 'group', 'licence', 'buyer', 'school', 'supplier'];
const UNKNOWN = 'doesnotexist-19';
const url = (path: string, base: string, extra: string) => `/v1/reports/${path}?${[base, extra].filter(Boolean).join('&')}`;

describe('an unknown value of a naming filter is 400 naming the parameter', () => {
  it('the table above holds every report route the server has', () => {
    // The route table's reports, and the routes of every other function app.ts mounts under /v1/reports.
    const src = (f: string) => readFileSync(new URL(`../../apps/server/src/${f}`, import.meta.url), 'utf8');
    const mounted = [...src('boot/app.ts').matchAll(/app\.route\('\/v1\/reports', (\w+)\(ctx\)\)/g)].map((m) => m[1]).filter((fn) => fn !== 'reportRoutes');
    const others = readdirSync(new URL('../../apps/server/src/routes/', import.meta.url))
      .flatMap((f) => src(`routes/${f}`).split(/^export /m))
      .filter((part) => mounted.includes(/^function (\w+)/.exec(part)?.[1] ?? ''))
      .flatMap((part) => [...part.matchAll(/app\.get\('\/([^']+)'/g)].map((m) => m[1]));
    expect(others.length).toBeGreaterThanOrEqual(mounted.length);
    expect(new Set(ROUTES.map((r) => r.path))).toEqual(new Set([...REPORTS.map((r) => r.name), ...others]));
  });

  for (const r of ROUTES) {
    it(r.path, async () => {
      const admin = api(s.url, tokens.admin);
      for (const f of NAMING) {
        const res = await admin.get(url(r.path, r.base, `${f}=${UNKNOWN}`));
        expect(res.status, `${r.path}?${f}: ${res.text.slice(0, 200)}`).toBe(400);
        expect(res.json.error.code).toBe('bad_request');
        expect(res.json.error.message).toContain(f);
        expect(res.json.error.details.map((d: { field: string }) => d.field), `${r.path}?${f}`).toContain(f);
        // A filter the report takes names the value it does not know; one it does not take says so.
        if (r.filters.includes(f)) expect(res.json.error.message, `${r.path}?${f}`).toContain(UNKNOWN);
      }
    });
  }

  it('names the unknown value, and each of several, beside a known one', async () => {
    const res = await api(s.url, tokens.admin).get(url('class-usage', YEAR, `product=ENG,${UNKNOWN},nope-2&group=${ID.g7A},nogroup`));
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain(UNKNOWN);
    expect(res.json.error.message).toContain('nope-2');
    expect(res.json.error.message).toContain('nogroup');
    expect(res.json.error.message).not.toContain('"ENG"');
    expect(res.json.error.details).toEqual([
      { field: 'product', reason: `"${UNKNOWN}" is not a known product` },
      { field: 'product', reason: '"nope-2" is not a known product' },
      { field: 'group', reason: '"nogroup" is not a known group' },
    ]);
  });
});

describe('lists', () => {
  it('groups of an unknown school unit are 400 naming school; of a known one 200', async () => {
    const admin = api(s.url, tokens.admin);
    const res = await admin.get(`/v1/groups?school=${UNKNOWN}`);
    expect(res.status, res.text.slice(0, 200)).toBe(400);
    expect(res.json.error.message).toContain(UNKNOWN);
    expect(res.json.error.details).toEqual([{ field: 'school', reason: 'unknown organisation' }]);
    const known = await admin.get(`/v1/groups?school=${CODE.A}`);
    expect(known.status).toBe(200);
    expect(known.json.rows.map((g: { id: string }) => g.id).sort()).toEqual([ID.g7A, ID.g7B].sort());
  });

  it('follow-ups of an unknown licence are 400 naming licence; of a known one 200', async () => {
    const admin = api(s.url, tokens.admin);
    const res = await admin.get(`/v1/followups?licence=${UNKNOWN}`);
    expect(res.status).toBe(400);
    expect(res.json.error.details).toEqual([{ field: 'licence', reason: `"${UNKNOWN}" is not a known licence` }]);
    expect((await admin.get('/v1/followups?licence=L-B')).status).toBe(200);
  });
});

describe('known values still answer', () => {
  for (const r of ROUTES.filter((x) => x.filters.includes('product'))) {
    it(`${r.path} with a known product is 200`, async () => {
      const res = await api(s.url, tokens.admin).get(url(r.path, r.base, 'product=ENG'));
      expect(res.status, res.text.slice(0, 200)).toBe(200);
    });
  }

  it('class usage of a known product and group has that group\'s rows', async () => {
    const res = await api(s.url, tokens.admin).get(url('class-usage', YEAR, `product=ENG&group=${ID.g7A}`));
    expect(res.status, res.text.slice(0, 200)).toBe(200);
    expect(res.json.rows.length).toBeGreaterThan(0);
    expect(new Set(res.json.rows.map((x: { group: string; product: string }) => `${x.group} ${x.product}`))).toEqual(new Set([`${ID.g7A} ENG`]));
  });
});

describe('scoped callers', () => {
  it('an unknown group is 400 for a principal and a teacher too', async () => {
    for (const who of ['principalA', 'teacher7A']) {
      const res = await api(s.url, tokens[who]).get(url('class-usage', YEAR, 'group=nogroup'));
      expect(res.status, who).toBe(400);
      expect(res.json.error.details[0].field).toBe('group');
    }
  });

  it('a known group or school outside reach is still 403', async () => {
    const p = api(s.url, tokens.principalA);
    expect((await p.get(url('class-usage', YEAR, `group=${ID.g9C}`))).status).toBe(403);
    expect((await p.get(url('licences', YEAR, `school=${CODE.B}`))).status).toBe(403);
    const t = api(s.url, tokens.teacher7A);
    expect((await t.get(url('class-usage', YEAR, `group=${ID.g7B}`))).status).toBe(403);
  });
});
