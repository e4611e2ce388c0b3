import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@licenskoll/core';
import { openStorage } from '@licenskoll/storage';
import { issueToken } from '../../apps/server/src/tokens.ts';
import { api, startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Rate limits per token (429 with Retry-After), generous for ingest; failed sign-ins limited
 * per client address; an expired token refused. Limits are set low here through the
 * environment; the defaults are 600 requests a minute for people, 12,000 for ingest.
 */
const KEY = 'test-pseudonym-key-0123456789abcdef';
const ENV = {
  LICENSKOLL_PSEUDONYM_KEY: KEY,
  LICENSKOLL_RATE_LIMIT_READ: '30', // burst 6, then one every 2 s
  LICENSKOLL_RATE_LIMIT_INGEST: '600', // burst 100
  LICENSKOLL_RATE_LIMIT_FAILED_AUTH: '10',
};
let s: RunningServer;

beforeAll(async () => {
  s = await startServer({ keepData: true, env: ENV });
});

afterAll(async () => {
  await s?.stop();
  if (s) rmSync(s.dataDir, { recursive: true, force: true });
});

const burst = async (n: number, f: () => Promise<{ status: number; headers: Headers; json?: any }>) => {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await f());
  return out;
};

describe('rate limits', () => {
  it('limits each token on its own, answering 429 with Retry-After', async () => {
    const a = api(s.url, s.adminToken);
    const t1 = api(s.url, (await a.post('/v1/tokens', { name: 'Inköp 1', role: 'purchaser' })).json.token);
    const t2 = api(s.url, (await a.post('/v1/tokens', { name: 'Inköp 2', role: 'purchaser' })).json.token);
    const r = await burst(10, () => t1.get('/v1/me'));
    expect(r.map((x) => x.status)).toEqual([200, 200, 200, 200, 200, 200, 429, 429, 429, 429]);
    const limited = r[6];
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.json.error).toMatchObject({ code: 'rate_limited' });
    expect(limited.headers.get('x-content-type-options')).toBe('nosniff');
    // Another token is not affected.
    expect((await t2.get('/v1/me')).status).toBe(200);
    // After Retry-After the token is served again.
    await new Promise((res) => setTimeout(res, Number(limited.headers.get('retry-after')) * 1000 + 200));
    expect((await t1.get('/v1/me')).status).toBe(200);
  });

  it('is generous for ingest', async () => {
    const ingest = api(s.url, s.ingestToken);
    const ev = (i: number) => ({ id: `rl-${i}`, type: 'login', time: '2026-10-01T08:00:00+02:00', user: `u${i}@x.example`, product: 'p.example' });
    const r = await burst(60, async () => ingest.post('/v1/events', ev(Math.random())));
    expect(r.every((x) => x.status === 202)).toBe(true);
  });

  it('limits unknown tokens per client address, without locking out known ones', async () => {
    const r = await burst(14, () => api(s.url, `lk_guess-${Math.random()}`).get('/v1/me'));
    expect(r.slice(0, 10).every((x) => x.status === 401)).toBe(true);
    expect(r.slice(10).every((x) => x.status === 429)).toBe(true);
    expect(r[12].headers.get('retry-after')).toBeTruthy();
    expect((await api(s.url, s.adminToken).get('/v1/me')).status).toBe(200);
  });
});

describe('token expiry', () => {
  it('refuses a token after its expiry day and lists it as expired', async () => {
    await s.stop();
    const storage = await openStorage(loadConfig({ LICENSKOLL_DATA_DIR: s.dataDir, LICENSKOLL_DEMO: 'off', LICENSKOLL_PSEUDONYM_KEY: KEY }));
    const expired = await issueToken(storage, { name: 'Vikarie ht25', role: 'purchaser', expires: '2026-01-31' });
    const valid = await issueToken(storage, { name: 'Vikarie vt27', role: 'purchaser', expires: '2099-06-30' });
    await storage.close();
    s = await startServer({ dataDir: s.dataDir, env: ENV });
    expect((await api(s.url, expired.token).get('/v1/me')).status).toBe(401);
    expect((await api(s.url, valid.token).get('/v1/me')).status).toBe(200);
    const list = await api(s.url, s.adminToken).get('/v1/tokens');
    expect(list.json.rows.find((t: any) => t.id === expired.id)).toMatchObject({ expires: '2026-01-31', status: 'expired' });
    expect(list.json.rows.find((t: any) => t.id === valid.id)).toMatchObject({ expires: '2099-06-30', status: 'active' });
  });
});
