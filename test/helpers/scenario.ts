import { expect } from 'vitest';
import { api } from './server.ts';

export type Api = ReturnType<typeof api>;

/** What a hand-computed scenario loads through the API: each part is optional. */
export interface Scenario {
  events?: object;
  roster?: object;
  /** The roster snapshot's day. */
  rosterAsOf?: string;
  products?: object;
  licences?: object;
}

/**
 * Loads a scenario as the admin `a`, each part through its own route, and fails on the first
 * refusal with its answer. Events are stored asynchronously after their 202.
 */
export async function loadScenario(a: Api, s: Scenario): Promise<void> {
  if (s.events) expect((await a.post('/v1/events', s.events)).status).toBe(202);
  if (s.roster) {
    const r = await a.post(`/v1/import/ss12000?asOf=${s.rosterAsOf}`, s.roster);
    expect(r.status, r.text).toBe(200);
  }
  if (s.products) {
    const r = await a.post('/v1/products', s.products);
    expect(r.status, r.text).toBe(201);
  }
  if (s.licences) {
    const r = await a.post('/v1/licences', s.licences);
    expect(r.status, r.text).toBe(201);
  }
}

/** Issues a token as the admin `a`. */
export async function issueToken(a: Api, body: object): Promise<{ id: string; token: string }> {
  const r = await a.post('/v1/tokens', body);
  expect(r.status, r.text).toBe(201);
  return r.json as { id: string; token: string };
}

/** A client per named role: `{ purchaser: { role: 'purchaser' }, … }` → `{ purchaser: Api, … }`. */
export async function roleClients<K extends string>(base: string, a: Api, roles: Record<K, object>): Promise<Record<K, Api>> {
  const out = {} as Record<K, Api>;
  for (const [name, body] of Object.entries(roles) as [K, object][]) out[name] = api(base, (await issueToken(a, { name, ...body })).token);
  return out;
}
