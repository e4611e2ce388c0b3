import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@licenskoll/core';
import { openStorage } from '@licenskoll/storage';
import { issueToken } from '../../apps/server/src/auth/tokens.ts';
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

  it('limits an ingest token on the ingest route too, with Retry-After and the security headers', async () => {
    const issued = (await api(s.url, s.adminToken).post('/v1/tokens', { name: 'Förlag', role: 'ingest' })).json.token;
    const ingest = api(s.url, issued);
    const ev = (i: number) => ({ id: `rl2-${i}`, type: 'login', time: '2026-10-01T08:00:00+02:00', user: `u${i}@x.example`, product: 'p.example' });
    // Burst 100 (600 a minute, one more each 0.1 s): sent one after another until refused.
    const r = [];
    for (let i = 0; i < 400 && r[r.length - 1]?.status !== 429; i++) r.push(await ingest.post('/v1/events', ev(Math.random())));
    expect(r.slice(0, -1).every((x) => x.status === 202)).toBe(true);
    expect(r.length).toBeGreaterThan(100);
    const limited = r[r.length - 1];
    expect(limited.status).toBe(429);
    expect(limited.json.error).toMatchObject({ code: 'rate_limited' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('x-content-type-options')).toBe('nosniff');
    expect(limited.headers.get('cache-control')).toBe('no-store');
  });

  it('limits unknown tokens per client address, without locking out known ones', async () => {
    const r = await burst(14, () => api(s.url, `lk_guess-${Math.random()}`).get('/v1/me'));
    expect(r.slice(0, 10).every((x) => x.status === 401)).toBe(true);
    expect(r.slice(10).every((x) => x.status === 429)).toBe(true);
    expect(r[12].headers.get('retry-after')).toBeTruthy();
    expect((await api(s.url, s.adminToken).get('/v1/me')).status).toBe(200);
  });

  it('limits unknown tokens per client address on the ingest route', async () => {
    const r = await burst(12, () => api(s.url, `lk_guess-${Math.random()}`).post('/v1/events', { type: 'login' }));
    const statuses = r.map((x) => x.status);
    // After the test above the address has few failed attempts left, if any: 401s turn into 429s.
    expect(statuses.slice(-2)).toEqual([429, 429]);
    expect(statuses.every((st) => st === 401 || st === 429)).toBe(true);
    expect(r[r.length - 1].headers.get('retry-after')).toBe('60');
    expect(r[r.length - 1].json.error.code).toBe('rate_limited');
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
