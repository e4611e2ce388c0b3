import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { api } from '../helpers/server.ts';
import { WINDOW } from './organiser-fixture.ts';
import { routeTable, type Route } from './route-table.ts';
import { REGION_ADMIN_TOKEN, ROLES, startTwoOrganisers, type LoadedOrganiser, type Role, type TwoOrganisers } from './two-organisers.ts';

/**
 * Organiser A's every role against every route of the service (the route table, read from the
 * apps: route-table.ts), with organiser B's ids, school codes, licence ids, follow-ups, tokens,
 * subscriptions and as CSV and XLSX. A path naming something of B answers 403 or 404; a filter
 * naming something of B is refused (400, 403 or 404) or ignored by a route that does not take
 * it (the same answer as without it), never an empty answer that looks real; no answer, file
 * or error carries a byte of B. Afterwards B's figures are what they were. Run both ways: the
 * first organiser (the store from before tenants) against one the region made, and back.
 */
let t: TwoOrganisers;
const routes = routeTable();

beforeAll(async () => {
  t = await startTwoOrganisers();
}, 240_000);
afterAll(async () => {
  await t?.s.stop();
});

type Answer = { status: number; text: string; json: any; headers: Headers };

/** An answer as text; an XLSX (a zip of XML) as the text of its parts. */
async function fetchAll(base: string, token: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  let text: string;
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    text = Object.values(unzipSync(bytes)).map((f) => strFromU8(f)).join('\n');
  } else {
    text = new TextDecoder().decode(bytes);
  }
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

/** What B holds, as B's admin reads it: must not change while A is probed. */
async function snapshot(b: LoadedOrganiser, base: string): Promise<Record<string, string>> {
  const paths = [
    `/v1/reports/overview?${WINDOW}`, `/v1/reports/class-usage?${WINDOW}`, `/v1/reports/licences?${WINDOW}`, '/v1/reports/unmapped',
    '/v1/licences', '/v1/products', '/v1/followups', '/v1/tokens', '/v1/subscriptions', '/v1/groups', '/v1/organisations',
    `/v1/region-view?${WINDOW}`,
  ];
  const out: Record<string, string> = {};
  for (const p of paths) {
    const r = await fetchAll(base, b.tokens.admin, 'GET', p);
    expect(r.status, `${p}: ${r.text.slice(0, 200)}`).toBe(200);
    out[p] = r.text;
  }
  return out;
}

/** B's value for a path parameter; a parameter the suite does not know fails the suite, so that a new one is thought about. */
function paramValue(route: Route, name: string, b: LoadedOrganiser): string {
  const seg = route.path.split('/').find((_, i, all) => all[i + 1] === `:${name}`) ?? '';
  if (name === 'kind') return 'licences';
  if (name === 'buyer') return b.fx.licences[0].buyer;
  if (name === 'id') {
    if (seg === 'products') return b.fx.products[0].id;
    if (seg === 'licences') return b.fx.licences[0].id;
    if (seg === 'tokens') return b.ids.tokens.purchaser;
    if (seg === 'subscriptions') return b.ids.subscription;
    if (seg === 'organisers') return b.id;
    // The region's, not an organiser's: none exists in this suite, and organiser tokens never reach the route.
    if (seg === 'agreements') return 'GR-AVTAL-1';
    // The region's catalogue: B's product id, which no organiser token reaches.
    if (seg === 'catalogue') return b.fx.products[0].id;
  }
  throw new Error(`the isolation suite does not know what of another organiser to put in ${route.method} ${route.path} (:${name}): add it to paramValue`);
}

/** Bodies that reach the existence check (a valid shape naming B's things); others get `{}`. */
function bodyFor(route: Route, b: LoadedOrganiser): unknown {
  const key = `${route.method} ${route.path}`;
  const fx = b.fx;
  switch (key) {
    case 'POST /v1/products/:id/identifiers': return { identifiers: ['https://new.example/id'] };
    case 'PUT /v1/products/:id/target':
    case 'PUT /v1/licences/:id/target': return {};
    case 'PUT /v1/licences/:id/forvaltning': return { forvaltning: 'Probe' };
    case 'POST /v1/followups': return { licence: fx.licences[0].id, status: 'open', note: 'probe' };
    case 'POST /bol/v1/school-units/licenses': return { clientId: 'c', serviceProviderId: 'sp', fromDate: '2026-08-01', schools: [{ idSource: 'SchoolUnitCode', id: fx.code }] };
    case 'POST /v1/privacy/access': return { identifier: fx.staffEmail.principal };
    case 'POST /v1/privacy/erase': return { identifier: fx.staffEmail.principal, confirm: true };
    case 'POST /v1/tokens': return { name: 'probe', role: 'principal', schools: [fx.code] };
    case 'POST /v1/subscriptions/:id/send-now': return { to: 'probe@example.se' };
    default: return route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
  }
}

/** Routes that write into the caller's own organiser whatever id they are given (an upsert): A's own namespace, not B's. */
// A buyer's förvaltning is set by the buyer's name, known or not (a buyer is a name on licences).
const UPSERTS = new Set(['PUT /v1/licences/:id', 'PUT /v1/buyers/:buyer/forvaltning']);

/** Filters naming B's things, each added alone to a GET route without parameters. */
const filtersOf = (b: LoadedOrganiser) => [
  `school=${b.fx.code}`, `product=${b.fx.products[0].id}`, `group=${b.fx.id.group}`, `licence=${b.fx.licences[0].id}`,
];

/** Files are asked for by the roles that see different things (a purchaser sees what an admin sees). */
const FILE_ROLES: Role[] = ['admin', 'principal', 'teacher'];

/** Parts of an answer that differ between two identical requests: times and request-local counters. */
const settled = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?/g, 'T');

function leaks(text: string, b: LoadedOrganiser, sent: string): string[] {
  const decoded = (() => {
    try {
      return decodeURIComponent(sent);
    } catch {
      return sent;
    }
  })();
  // A marker the request itself carried may be echoed by the error that refuses it.
  return b.fx.markers.filter((m) => text.includes(m) && !sent.includes(m) && !decoded.includes(m));
}

async function probe(a: LoadedOrganiser, b: LoadedOrganiser): Promise<{ failures: string[]; requests: number }> {
  const base = t.s.url;
  const failures: string[] = [];
  let requests = 0;
  // A's audit log records what A's callers asked, B's ids included: those may come back from it.
  let everythingSent = '';
  const run = async (role: Role, method: string, path: string, body?: unknown) => {
    requests++;
    const r = await fetchAll(base, a.tokens[role], method, path, body);
    const what = `${a.fx.tag} ${role} ${method} ${path}`;
    everythingSent += `\n${path}${body === undefined ? '' : JSON.stringify(body)}`;
    const sent = path.startsWith('/v1/audit') ? everythingSent : path + (body === undefined ? '' : JSON.stringify(body));
    if (r.status >= 500) failures.push(`${what}: ${r.status} ${r.text.slice(0, 200)}`);
    const l = leaks(r.text, b, sent);
    if (l.length) failures.push(`${what}: answer carries ${b.fx.tag}'s ${l.slice(0, 5).join(', ')}`);
    return r;
  };
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    for (const role of ROLES) {
      if (route.params.length) {
        let path = route.path;
        for (const p of route.params) path = path.replace(`:${p}`, encodeURIComponent(paramValue(route, p, b)));
        const r = await run(role, route.method, path, bodyFor(route, b));
        const own = route.params.every((p) => p === 'kind');
        const allowed = own || UPSERTS.has(key) ? [400, 403, 404, 405, 413, 415] : [403, 404];
        if (!allowed.includes(r.status)) failures.push(`${a.fx.tag} ${role} ${route.method} ${path}: ${r.status}, wanted ${allowed.join(' or ')}: ${r.text.slice(0, 200)}`);
        continue;
      }
      if (route.method !== 'GET') {
        const body = bodyFor(route, b);
        const r = await run(role, route.method, route.path, body);
        // A write naming B's licence, school, person or group finds none of them here.
        if (body && typeof body === 'object' && Object.keys(body).length && r.status < 300 && key !== 'POST /v1/privacy/access') {
          failures.push(`${a.fx.tag} ${role} ${key} naming ${b.fx.tag}'s things: ${r.status} ${r.text.slice(0, 200)}`);
        }
        continue;
      }
      // GET without parameters: as it is, as CSV and XLSX, and with each of B's filters.
      const plain = route.path.startsWith('/v1/reports/') ? `${route.path}?${WINDOW}` : route.path;
      const join = (q: string) => `${plain}${plain.includes('?') ? '&' : '?'}${q}`;
      const without = await run(role, 'GET', plain);
      // A role the route refuses is refused before any parameter is read.
      if (without.status === 401 || without.status === 403) continue;
      if (without.status === 200 && FILE_ROLES.includes(role)) {
        for (const format of ['csv', 'xlsx']) await run(role, 'GET', join(`format=${format}`));
      }
      for (const f of filtersOf(b)) {
        const r = await run(role, 'GET', join(f));
        if (r.status < 300 && settled(r.text) !== settled(without.text)) {
          failures.push(`${a.fx.tag} ${role} GET ${join(f)}: ${r.status}, an answer that differs from the unfiltered one (an empty answer that looks real?): ${r.text.slice(0, 200)}`);
        }
      }
    }
  }
  return { failures, requests };
}

describe('isolation between organisers, generated from the route table', () => {
  it('the route table holds every app: the API, ingest and the region', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    for (const k of ['POST /v1/events', 'POST /v1/caliper', 'GET /v1/reports/overview', 'GET /v1/licences/:id', 'POST /bol/v1/school-units/licenses', 'POST /v1/region/organisers', 'GET /v1/region-view']) {
      expect(keys).toContain(k);
    }
    expect(routes.length).toBeGreaterThan(50);
  });

  for (const [from, to] of [['alfa', 'beta'], ['beta', 'alfa']] as const) {
    it(`every role of ${from} against ${to}'s ids, codes, tokens and files: 403/404, nothing of ${to}, ${to} unchanged`, async () => {
      const a = t[from];
      const b = t[to];
      const before = await snapshot(b, t.s.url);
      const { failures, requests } = await probe(a, b);
      console.log(`${from} -> ${to}: ${requests} requests over ${routes.length} routes`);
      expect(failures).toEqual([]);
      expect(await snapshot(b, t.s.url)).toEqual(before);
    }, 900_000);
  }

  it("ingest with A's token never changes B's figures, even naming B's products and users", async () => {
    const before = await snapshot(t.beta, t.s.url);
    const fx = t.beta.fx;
    const events = fx.events.map((e, i) => ({ ...e, id: `probe-${i}`, time: '2026-10-06T10:00:00+02:00' }));
    for (const token of [t.alfa.tokens.ingest, t.s.ingestToken, t.alfa.tokens.admin]) {
      const r = await api(t.s.url, token).post('/v1/events', events);
      expect(r.status, r.text).toBe(202);
    }
    const caliper = await api(t.s.url, t.alfa.tokens.ingest).post('/v1/caliper', {
      sensor: 'https://probe.example', sendTime: '2026-10-06T08:00:00Z', dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p2',
      data: [{ id: 'urn:uuid:5c4a5a5e-0000-4000-8000-000000000001', type: 'SessionEvent', action: 'LoggedIn', eventTime: '2026-10-06T08:00:00Z',
        actor: { id: fx.email(1), type: 'Person' }, object: { id: `https://${fx.tag.toLowerCase()}-matte.example/shibboleth`, type: 'SoftwareApplication' } }],
    });
    expect(caliper.status, caliper.text).toBe(202);
    // Stored in ALFA, as ALFA's unmapped use (ALFA has no such product).
    const unmapped = await t.alfa.client('admin').get('/v1/reports/unmapped');
    expect(unmapped.text).toContain(`${fx.tag.toLowerCase()}-matte.example`);
    expect(await snapshot(t.beta, t.s.url)).toEqual(before);
  }, 120_000);

  it('a region token reads nothing below the aggregates: every organiser route answers 403', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => !r.region && r.path !== '/v1/me')) {
      const path = route.path.replace(/:(\w+)/g, (_, p) => encodeURIComponent(paramValue(route, p, t.beta)));
      const r = await fetchAll(t.s.url, REGION_ADMIN_TOKEN, route.method, path, bodyFor(route, t.beta));
      if (r.status !== 403) failures.push(`region ${route.method} ${path}: ${r.status} ${r.text.slice(0, 150)}`);
    }
    expect(failures).toEqual([]);
    // What it does read holds no class, school unit, person or follow-up of either organiser.
    for (const path of ['/v1/region/aggregates', `/v1/region/aggregates?${WINDOW}`, '/v1/region/organisers', '/v1/region/organisers/beta/aggregates']) {
      const r = await t.region.get(path);
      expect(r.status, r.text).toBe(200);
      for (const o of [t.alfa, t.beta]) {
        const below = [o.fx.code, o.fx.id.school, o.fx.id.group, `7${o.fx.tag}`, `${o.fx.tag}skolan`, ...o.fx.id.pupils, o.fx.followupNote, o.fx.email(1), o.ids.followup];
        expect(below.filter((m) => r.text.includes(m)), path).toEqual([]);
      }
    }
  }, 120_000);

  it("an organiser's tokens do not reach the region's routes", async () => {
    for (const o of [t.alfa, t.beta]) {
      for (const role of ROLES) {
        for (const route of routes.filter((r) => r.region)) {
          const path = route.path.replace(/:(\w+)/g, (_, p) => encodeURIComponent(paramValue(route, p, o === t.alfa ? t.beta : t.alfa)));
          const r = await fetchAll(t.s.url, o.tokens[role], route.method, path, route.method === 'GET' ? undefined : { id: 'gamma', name: 'GAMMA' });
          if (route.path === '/v1/me') continue;
          expect([403, 404], `${o.fx.tag} ${role} ${route.method} ${path}: ${r.text.slice(0, 150)}`).toContain(r.status);
        }
      }
    }
    const list = await t.region.get('/v1/region/organisers');
    expect(list.json.rows.map((r: { id: string }) => r.id)).toEqual(['default', 'beta']);
  }, 120_000);
});
