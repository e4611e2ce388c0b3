import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';

/** The server pulls a live SS12000 API at start when LICENSKOLL_SS12000_URL is set. */
const page = (name: string) => JSON.parse(readFileSync(new URL(`../../packages/importers/test-fixtures/ss12000/${name}.json`, import.meta.url), 'utf8'));
let register: Server;
let s: RunningServer;
const seen: string[] = [];

beforeAll(async () => {
  register = createServer((req, res) => {
    seen.push(`${req.headers.authorization} ${req.url}`);
    if (req.headers.authorization !== 'Bearer register-token') {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ code: '401', message: 'no' }));
      return;
    }
    const resource = new URL(req.url ?? '/', 'http://x').pathname.split('/').pop() ?? '';
    if (!['organisations', 'persons', 'groups', 'duties'].includes(resource)) {
      res.writeHead(404).end();
      return;
    }
    // The last page of each resource: the fixture's pageToken is replaced by null (organisations) or removed.
    const body = page(resource);
    if (resource === 'organisations') body.pageToken = null;
    else delete body.pageToken;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => register.listen(0, '127.0.0.1', () => r()));
  const port = (register.address() as { port: number }).port;
  s = await startServer({ env: { LICENSKOLL_SS12000_URL: `http://127.0.0.1:${port}`, LICENSKOLL_SS12000_TOKEN: 'register-token', LICENSKOLL_SS12000_EVERY: '24h' } });
});
afterAll(async () => {
  await s?.stop();
  register?.close();
});

it('imports the register at start as a snapshot, with the bearer token', async () => {
  const a = api(s.url, s.adminToken);
  let rows: any[] = [];
  // The log line follows the import: wait for it, then read what was stored.
  for (let i = 0; i < 150 && !/SS12000 pull from/.test(s.output()); i++) await new Promise((r) => setTimeout(r, 200));
  rows = (await a.get('/v1/organisations')).json.rows;
  expect(rows.map((r) => r.name).sort()).toEqual(['Exempelskolan F-9', 'Exempelstads kommun']);
  const groups = (await a.get('/v1/groups')).json.rows;
  expect(groups.map((g: any) => g.name).sort()).toEqual(['7B', 'MA 7B']);
  expect(seen.every((x) => x.startsWith('Bearer register-token'))).toBe(true);
  expect(s.output()).toMatch(/SS12000 pull from 127\.0\.0\.1:\d+ as of \d{4}-\d{2}-\d{2}/);
});
