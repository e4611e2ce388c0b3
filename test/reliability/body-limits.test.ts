import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Issue 19 point 5: a body over its route's limit is 413, and the message names the setting
 * that raises the limit (README, "Request limits"). The limits are set low here through the
 * environment: 0.01 MB for most requests, 0.02 MB for events.
 */
let s: RunningServer;
const MB = 1024 ** 2;

beforeAll(async () => {
  s = await startServer({ env: { LICENSKOLL_BODY_MB: '0.01', LICENSKOLL_EVENTS_BODY_MB: '0.02', LICENSKOLL_IMPORT_BODY_MB: '0.03' } });
});

afterAll(async () => {
  await s?.stop();
});

const send = (path: string, bytes: number, chunked = false) => {
  const text = JSON.stringify({ pad: 'x'.repeat(bytes) });
  const body = chunked ? new Blob([text]).stream() : text;
  return fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.adminToken}`, 'content-type': 'application/json' },
    body,
    ...(chunked ? { duplex: 'half' } : {}),
  } as RequestInit);
};

describe('a body over the limit is 413 naming the setting to raise', () => {
  const cases = [
    { path: '/v1/products', bytes: 0.01 * MB, setting: 'LICENSKOLL_BODY_MB', mb: '0.01' },
    { path: '/v1/events', bytes: 0.02 * MB, setting: 'LICENSKOLL_EVENTS_BODY_MB', mb: '0.02' },
    { path: '/v1/caliper', bytes: 0.02 * MB, setting: 'LICENSKOLL_EVENTS_BODY_MB', mb: '0.02' },
    { path: '/v1/import/ss12000', bytes: 0.03 * MB, setting: 'LICENSKOLL_IMPORT_BODY_MB', mb: '0.03' },
  ];
  for (const c of cases) {
    it(`${c.path} with a Content-Length`, async () => {
      const r = await send(c.path, Math.ceil(c.bytes) + 10);
      expect(r.status).toBe(413);
      const j = await r.json();
      expect(j.error.code).toBe('too_large');
      expect(j.error.message).toBe(`request body is larger than ${c.mb} MB: split it, or raise ${c.setting} (MB)`);
      expect(j.error.details[0]).toMatchObject({ field: 'body', setting: c.setting });
    });
  }

  it('a chunked body is counted as it streams, with the same message', async () => {
    const r = await send('/v1/products', 0.01 * MB + 10, true);
    expect(r.status).toBe(413);
    expect((await r.json()).error.message).toContain('LICENSKOLL_BODY_MB');
  });

  it('a body under the limit is not refused for its size', async () => {
    const r = await send('/v1/products', 0.005 * MB);
    expect(r.status).not.toBe(413);
  });
});
