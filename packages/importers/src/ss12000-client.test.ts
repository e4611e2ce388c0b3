import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Ss12000Error, type Ss12000Progress, fetchSs12000 } from './ss12000-client.ts';

const example = (name: string) => JSON.parse(readFileSync(new URL(`../test-fixtures/ss12000/${name}.json`, import.meta.url), 'utf8'));
const orgs = example('organisations');
const persons = example('persons');
const groups = example('groups');
const duties = example('duties');

/**
 * A real HTTP server on 127.0.0.1 serving the SS12000 fixture pages in pages, ending
 * resources both ways the field sees: `"pageToken": null` (SIS spec) and the key left out
 * (Skolverket's reference implementation).
 */
interface Seen { method: string; path: string; query: Record<string, string>; auth?: string; body?: string }
let server: Server;
let base: string;
let seen: Seen[] = [];
let tokenCalls = 0;
let issued = 'tok-1';
let looping = false;
let failNext: { status: number; times: number; body?: string; headers?: Record<string, string> } | null = null;

function pages(resource: string, pageToken?: string): unknown {
  switch (resource) {
    case 'organisations':
      // Page 1 is the example verbatim (it carries a real-looking token); page 2 ends with null.
      return pageToken === orgs.pageToken ? { data: [], pageToken: null } : orgs;
    case 'persons':
      // Page 2 ends with the key absent.
      return pageToken === 'persons-2' ? { data: [persons.data[1]] } : { data: [persons.data[0]], pageToken: 'persons-2' };
    case 'groups':
      return looping ? { data: [{ id: 'x' }], pageToken: 'same' } : groups;
    case 'duties': {
      const { pageToken: _, ...rest } = duties;
      return rest;
    }
  }
  return null;
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url!, 'http://x');
  let body = '';
  for await (const c of req) body += c;
  seen.push({ method: req.method!, path: url.pathname, query: Object.fromEntries(url.searchParams), auth: req.headers.authorization, body });
  if (url.pathname === '/oauth/token') {
    tokenCalls++;
    const form = new URLSearchParams(body);
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before base64.
    const basicOk = req.headers.authorization === `Basic ${Buffer.from(`licenskoll:${encodeURIComponent('s3cret+/=')}`).toString('base64')}`;
    const postOk = form.get('client_id') === 'licenskoll' && form.get('client_secret') === 's3cret+/=';
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded' || form.get('grant_type') !== 'client_credentials' || !(basicOk || postOk)) {
      return reply(res, 401, { error: 'invalid_client', error_description: 'bad credentials' });
    }
    return reply(res, 200, { access_token: issued, token_type: 'Bearer', expires_in: 3600, scope: form.get('scope') });
  }
  const m = /^\/ss12000\/v2\.0\/(\w+)$/.exec(url.pathname);
  if (!m) return reply(res, 404, { code: '404_not_found', message: 'no such resource' });
  if (failNext && failNext.times > 0) {
    failNext.times--;
    return reply(res, failNext.status, failNext.body ?? { code: `${failNext.status}_overload`, message: 'try later' }, failNext.headers);
  }
  if (req.headers.authorization !== `Bearer ${issued}`) return reply(res, 401, { code: '401_unauthorised', message: 'bad token' });
  if (url.searchParams.has('pageToken') && [...url.searchParams.keys()].some((k) => k !== 'pageToken' && k !== 'limit')) {
    return reply(res, 400, { code: '400_invalid_filter', message: 'pageToken cannot be combined with filters' });
  }
  const page = pages(m[1], url.searchParams.get('pageToken') ?? undefined);
  return page ? reply(res, 200, page) : reply(res, 404, { code: '404_not_found', message: m[1] });
}

beforeAll(async () => {
  server = createServer((req, res) => { handle(req, res).catch((e) => reply(res, 500, { code: 'test', message: String(e) })); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => { seen = []; tokenCalls = 0; issued = 'tok-1'; failNext = null; looping = false; });

const oauth = () => ({ tokenUrl: `${base}/oauth/token`, clientId: 'licenskoll', clientSecret: 's3cret+/=', scope: 'ss12000:read' });

describe('fetchSs12000', () => {
  it('fetches all four resources through every page, with OAuth2 client credentials', async () => {
    const progress: Ss12000Progress[] = [];
    const got = await fetchSs12000({ baseUrl: `${base}/ss12000/v2.0/`, auth: oauth(), limit: 2, onProgress: (p) => progress.push(p) });
    expect(got).toEqual({ organisations: orgs.data, persons: persons.data, groups: groups.data, duties: duties.data });
    expect(tokenCalls).toBe(1); // cached across all pages
    const token = seen.find((s) => s.path === '/oauth/token')!;
    expect(new URLSearchParams(token.body)).toEqual(new URLSearchParams({ grant_type: 'client_credentials', scope: 'ss12000:read' }));
    const api = seen.filter((s) => s.path !== '/oauth/token');
    expect(api.every((s) => s.auth === 'Bearer tok-1')).toBe(true);
    expect(api.map((s) => [s.path.split('/').pop(), s.query])).toEqual([
      ['organisations', { limit: '2' }],
      ['organisations', { limit: '2', pageToken: orgs.pageToken }],
      ['persons', { limit: '2' }],
      ['persons', { limit: '2', pageToken: 'persons-2' }],
      ['groups', { limit: '2' }],
      ['duties', { limit: '2' }],
    ]);
    expect(progress).toEqual([
      { resource: 'organisations', page: 1, fetched: 2, done: false },
      { resource: 'organisations', page: 2, fetched: 2, done: true },
      { resource: 'persons', page: 1, fetched: 1, done: false },
      { resource: 'persons', page: 2, fetched: 2, done: true },
      { resource: 'groups', page: 1, fetched: 2, done: true },
      { resource: 'duties', page: 1, fetched: 1, done: true },
    ]);
  });

  it('sends client credentials in the body when told to', async () => {
    const got = await fetchSs12000({ baseUrl: `${base}/ss12000/v2.0`, auth: { ...oauth(), method: 'post' }, resources: ['groups'] });
    expect(got.groups).toHaveLength(2);
    const token = seen.find((s) => s.path === '/oauth/token')!;
    expect(token.auth).toBeUndefined();
    expect(new URLSearchParams(token.body).get('client_secret')).toBe('s3cret+/=');
  });

  it('uses a static bearer token as given', async () => {
    const got = await fetchSs12000({ baseUrl: `${base}/ss12000/v2.0`, auth: { token: 'tok-1' }, resources: ['duties'] });
    expect(got.duties).toEqual(duties.data);
    expect(seen[0].auth).toBe('Bearer tok-1');
    expect(tokenCalls).toBe(0);
  });

  it('fails with the API error code on a wrong token', async () => {
    const err = await fetchSs12000({ baseUrl: `${base}/ss12000/v2.0`, auth: { token: 'wrong' }, resources: ['groups'] }).catch((e) => e);
    expect(err).toBeInstanceOf(Ss12000Error);
    expect(err.message).toBe('SS12000 API answered 401 401_unauthorised: bad token');
    expect(err.status).toBe(401);
  });

  it('renews an OAuth2 token once when the API starts refusing it', async () => {
    const run = fetchSs12000({ baseUrl: `${base}/ss12000/v2.0`, auth: oauth(), resources: ['persons'], onProgress: (p) => { if (p.page === 1) issued = 'tok-2'; } });
    const got = await run;
    expect(got.persons).toEqual(persons.data);
    expect(tokenCalls).toBe(2);
  });

  it('reports refused client credentials without echoing the secret', async () => {
    const err = await fetchSs12000({ baseUrl: `${base}/ss12000/v2.0`, auth: { ...oauth(), clientSecret: 'wrong' } }).catch((e) => e);
    expect(err).toBeInstanceOf(Ss12000Error);
    expect(err.message).toBe('token request refused (401 invalid_client: bad credentials)');
    expect(err.message).not.toContain('wrong');
  });

  it('retries 503 with Retry-After and backoff, then succeeds', async () => {
    failNext = { status: 503, times: 2, headers: { 'retry-after': '0' } };
    const got = await fetchSs12000({ baseUrl: `${base}/ss12000/v2.0`, auth: { token: 'tok-1' }, resources: ['groups'], retryDelayMs: 5 });
    expect(got.groups).toHaveLength(2);
    expect(seen).toHaveLength(3);
  });

  it('gives up after the configured retries', async () => {
    failNext = { status: 503, times: 10 };
    const err = await fetchSs12000({ baseUrl: `${base}/ss12000/v2.0`, auth: { token: 'tok-1' }, resources: ['groups'], retries: 2, retryDelayMs: 1 }).catch((e) => e);
    expect(err.message).toBe('SS12000 API answered 503 503_overload: try later');
    expect(seen).toHaveLength(3);
  });

  it('does not retry a 403 and keeps the API code', async () => {
    failNext = { status: 403, times: 1, body: JSON.stringify({ code: '403_not_authorised', message: 'scope saknas' }) };
    const err = await fetchSs12000({ baseUrl: `${base}/ss12000/v2.0`, auth: { token: 'tok-1' }, resources: ['groups'], retryDelayMs: 1 }).catch((e) => e);
    expect(err.code).toBe('403_not_authorised');
    expect(seen).toHaveLength(1);
  });

  it('stops a server that hands out the same pageToken forever', async () => {
    looping = true;
    const err = await fetchSs12000({ baseUrl: `${base}/ss12000/v2.0`, auth: { token: 'tok-1' }, resources: ['groups'] }).catch((e) => e);
    expect(err.message).toMatch(/returned pageToken "same" twice/);
  });

  it('refuses a response that is not an SS12000 page', async () => {
    failNext = { status: 200, times: 1, body: '<html>login</html>' };
    const err = await fetchSs12000({ baseUrl: `${base}/ss12000/v2.0`, auth: { token: 'tok-1' }, resources: ['groups'] }).catch((e) => e);
    expect(err.message).toBe('unexpected response: no "data" array');
  });

  it('reports an unreachable server', async () => {
    const err = await fetchSs12000({ baseUrl: 'http://127.0.0.1:9/ss12000', retries: 0, resources: ['groups'] }).catch((e) => e);
    expect(err).toBeInstanceOf(Ss12000Error);
    expect(err.message).toMatch(/^SS12000 API unreachable/);
  });
});
