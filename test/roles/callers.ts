import { expect } from 'vitest';
import { api, type RunningServer } from '../helpers/server.ts';
import { CODE, ID, SCHOOL_B_MARKERS, issueToken } from './scenario.ts';

/** The callers of the access suite: one token per role, and the ways a token can be wrong. */
export type Who = 'anonymous' | 'wrong' | 'admin' | 'purchaser' | 'principalA' | 'teacher7A' | 'teacher7B' | 'ingest' | 'ingestIssued' | 'revoked';
export const SCOPED_TO_A: Who[] = ['principalA', 'teacher7A', 'teacher7B'];
export const LEAK = /\bat (async )?[\w.<>]+ \(|\.ts:\d+|\bSELECT\b|\bFROM usage_daily\b|Code: \d+|DB::Exception|node_modules/;

/** Issues a token for every role of the scenario, and one revoked at once. */
export async function roleTokens(s: RunningServer): Promise<Partial<Record<Who, string>>> {
  const a = api(s.url, s.adminToken);
  const issue = (body: object) => issueToken(a, body);
  const revoked = await issue({ name: 'Gammal', role: 'purchaser' });
  expect((await a.del(`/v1/tokens/${revoked.id}`)).status).toBe(204);
  return {
    admin: s.adminToken,
    ingest: s.ingestToken,
    wrong: 'lk_this-token-was-never-issued-0000000000',
    purchaser: (await issue({ name: 'Inköp', role: 'purchaser' })).token,
    principalA: (await issue({ name: 'Rektor Norrskolan', role: 'principal', schools: [CODE.A] })).token,
    teacher7A: (await issue({ name: 'Mentor 7A', role: 'teacher', groups: [ID.g7A] })).token,
    teacher7B: (await issue({ name: 'Mentor 7B', role: 'teacher', groups: [ID.g7B] })).token,
    ingestIssued: (await issue({ name: 'Portal', role: 'ingest' })).token,
    revoked: revoked.token,
  };
}

/** Requests as a role; `anonymous` sends no token at all. */
export function callers(url: () => string, tokens: Partial<Record<Who, string>>) {
  const client = (who: Who) => api(url(), tokens[who] ?? '');
  async function call(who: Who, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    if (who === 'anonymous') {
      const r = await fetch(`${url()}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: r.status, text: await r.text(), headers: r.headers, json: undefined as any };
    }
    const c = client(who);
    return method === 'GET' ? c.get(path) : method === 'DELETE' ? c.del(path) : method === 'PUT' ? c.put(path, body) : c.post(path, body, headers);
  }
  return { call, client };
}

const safeDecode = (v: string) => {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
};

/**
 * `what` is the request: a marker the caller sent themselves may come back (the error that refuses
 * it, or an unknown product echoed as a filter); whether such a request is refused is asserted by status.
 */
export function checkBody(who: Who, r: { status: number; text: string }, what: string) {
  expect(r.status, `${what}: ${r.text.slice(0, 300)}`).not.toBe(500);
  expect(r.text, what).not.toMatch(LEAK);
  if (SCOPED_TO_A.includes(who)) {
    for (const m of SCHOOL_B_MARKERS) {
      if (what.includes(m) || safeDecode(what).includes(m)) continue;
      expect(r.text.includes(m), `${what} leaks "${m}"`).toBe(false);
    }
  }
}

/**
 * Runs `fn` over `items`, `n` at a time: the probes are independent reads, and concurrent requests
 * share the audit log's inserts (group commit), which one after another cost an insert each.
 */
export async function concurrently<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

