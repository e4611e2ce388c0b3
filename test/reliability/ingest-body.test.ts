import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { storedCount } from './support/events.ts';

/**
 * The ingest route reads its body from the socket itself (apps/server/src/http/incoming-body.ts):
 * bodies streamed without a length, a byte order mark, an empty body, and a client that
 * goes away halfway through its upload.
 */
let s: RunningServer;
beforeAll(async () => {
  s = await startServer();
}, 120_000);
afterAll(async () => {
  await s?.stop();
});

const DAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const event = (id: string) => ({ id, type: 'login', time: `${DAY}T08:00:00+01:00`, user: `${id}@skola.example.se`, product: 'https://sp.example.com/shibboleth' });

/** One request over node:http, sending `parts` as they are (chunked unless a length is given); `cut` closes the socket after them. */
function send(parts: (string | Buffer)[], headers: Record<string, string>, cut = false, path = '/v1/events'): Promise<{ status: number; json: any } | 'closed'> {
  return new Promise((resolve) => {
    const req = request(`${s.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${s.ingestToken}`, ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null }));
    });
    req.on('error', () => resolve('closed'));
    for (const p of parts) req.write(p);
    if (cut) setTimeout(() => req.destroy(), 200);
    else req.end();
  });
}

describe('ingest bodies read from the socket', () => {
  it('takes a body streamed in chunks without a length, and one that starts with a byte order mark', async () => {
    const lines = ['chunk-1', 'chunk-2', 'chunk-3'].map((id) => `${JSON.stringify(event(id))}\n`);
    const chunked = await send(lines, { 'content-type': 'application/x-ndjson' });
    expect(chunked).toEqual({ status: 202, json: { accepted: 3, duplicates: 0, rejected: [] } });
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(event('bom-1')))]);
    const withBom = await send([bom], { 'content-type': 'application/json', 'content-length': String(bom.length) });
    expect(withBom).toEqual({ status: 202, json: { accepted: 1, duplicates: 0, rejected: [] } });
    // A query string does not change the route; a trailing slash is another path.
    const body = JSON.stringify(event('query-1'));
    expect(await send([body], { 'content-length': String(body.length) }, false, '/v1/events?via=test')).toMatchObject({ status: 202, json: { accepted: 1 } });
    expect(await send([body], { 'content-length': String(body.length) }, false, '/v1/events/')).toMatchObject({ status: 404 });
  });

  it('refuses an empty body, and keeps nothing of an upload cut off halfway', async () => {
    const empty = await send([], { 'content-type': 'application/json', 'content-length': '0' });
    expect(empty).toMatchObject({ status: 400, json: { error: { code: 'empty_body' } } });
    const whole = JSON.stringify([event('cut-1'), event('cut-2')]);
    const cut = await send([whole.slice(0, 60)], { 'content-type': 'application/json', 'content-length': String(whole.length) }, true);
    expect(cut).toBe('closed');
    // The service goes on: the same events sent whole are new to it.
    const again = await send([whole], { 'content-type': 'application/json', 'content-length': String(whole.length) });
    expect(again).toEqual({ status: 202, json: { accepted: 2, duplicates: 0, rejected: [] } });
    expect(await storedCount(s.url, s.adminToken)).toBe(7);
    expect(s.child.exitCode).toBeNull();
  });
});
