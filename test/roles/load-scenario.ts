import { expect } from 'vitest';
import type { api } from '../helpers/server.ts';
import { events, licences, products, roster } from './scenario.ts';

type Client = ReturnType<typeof api>;

/** Stores scenario.ts through the API as an admin: its events, the roster as of 2026-08-20, products and licences. */
export async function loadScenario(a: Client): Promise<void> {
  expect((await a.post('/v1/events', events)).status).toBe(202);
  const imp = await a.post('/v1/import/ss12000?asOf=2026-08-20', roster);
  expect(imp.status, imp.text).toBe(200);
  expect((await a.post('/v1/products', products)).status).toBe(201);
  expect((await a.post('/v1/licences', licences)).status).toBe(201);
}

/** Issues a token as an admin; answers its id and its secret. */
export async function issueToken(a: Client, body: { name: string; role: string; schools?: string[]; groups?: string[] }): Promise<{ id: string; token: string }> {
  const r = await a.post('/v1/tokens', body);
  expect(r.status, r.text).toBe(201);
  return r.json as { id: string; token: string };
}
