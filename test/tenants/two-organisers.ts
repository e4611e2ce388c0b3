import { expect } from 'vitest';
import { api, startServer, type RunningServer, type StartOptions } from '../helpers/server.ts';
import { organiserFixture, type OrganiserFixture } from './organiser-fixture.ts';

export const REGION_ADMIN_TOKEN = 'test-region-admin-token-0123456789';

export type Role = 'admin' | 'purchaser' | 'principal' | 'teacher' | 'ingest';
export const ROLES: Role[] = ['admin', 'purchaser', 'principal', 'teacher', 'ingest'];

export interface LoadedOrganiser {
  id: string;
  fx: OrganiserFixture;
  tokens: Record<Role, string>;
  /** Ids the organiser's own store gave: a token of each role, the subscription, the follow-up. */
  ids: { tokens: Record<Role, string>; subscription: string; followup: string };
  client: (role: Role) => ReturnType<typeof api>;
}

export interface TwoOrganisers {
  s: RunningServer;
  region: ReturnType<typeof api>;
  /** The first organiser (the store as it was before tenants): ALFA. */
  alfa: LoadedOrganiser;
  /** An organiser the region created: BETA. */
  beta: LoadedOrganiser;
}

/** Events, roster, products, licences, tokens, a follow-up and a subscription, through the organiser's admin. */
async function load(s: RunningServer, id: string, adminToken: string, fx: OrganiserFixture): Promise<LoadedOrganiser> {
  const a = api(s.url, adminToken);
  const ok = async (r: Promise<{ status: number; text: string; json: any }>, want: number) => {
    const got = await r;
    expect(got.status, got.text.slice(0, 300)).toBe(want);
    return got.json;
  };
  await ok(a.post('/v1/events', fx.events), 202);
  await ok(a.post('/v1/import/ss12000?asOf=2026-08-20', fx.roster), 200);
  await ok(a.post('/v1/products', fx.products), 201);
  await ok(a.post('/v1/licences', fx.licences), 201);
  const followup = await ok(a.post('/v1/followups', { licence: fx.licences[0].id, status: 'contacted', note: fx.followupNote }), 201);
  const subscription = await ok(a.post('/v1/subscriptions', fx.subscription), 201);
  const issue = async (body: object) => (await ok(a.post('/v1/tokens', body), 201)) as { id: string; token: string };
  const issued = {
    admin: await issue({ name: `${fx.tag} admin`, role: 'admin' }),
    purchaser: await issue({ name: `${fx.tag} inköp`, role: 'purchaser' }),
    principal: await issue({ name: `${fx.tag} rektor`, role: 'principal', schools: [fx.code] }),
    teacher: await issue({ name: `${fx.tag} mentor`, role: 'teacher', groups: [fx.id.group] }),
    ingest: await issue({ name: `${fx.tag} portal`, role: 'ingest' }),
  };
  const tokens = Object.fromEntries(ROLES.map((r) => [r, issued[r].token])) as Record<Role, string>;
  return {
    id, fx, tokens,
    ids: { tokens: Object.fromEntries(ROLES.map((r) => [r, issued[r].id])) as Record<Role, string>, subscription: subscription.id, followup: followup.id },
    client: (role) => api(s.url, tokens[role]),
  };
}

/** The service with two organisers: ALFA (the first) and BETA (made by the region admin). */
export async function startTwoOrganisers(opts: StartOptions = {}): Promise<TwoOrganisers> {
  const s = await startServer({
    ...opts,
    env: {
      LICENSKOLL_REGION_ADMIN_TOKEN: REGION_ADMIN_TOKEN,
      // Hundreds of probes run per token; rate limits have their own tests.
      LICENSKOLL_RATE_LIMIT_READ: '1000000', LICENSKOLL_RATE_LIMIT_FAILED_AUTH: '1000000', LICENSKOLL_RATE_LIMIT_INGEST: '1000000',
      ...opts.env,
    },
  });
  const region = api(s.url, REGION_ADMIN_TOKEN);
  const made = await region.post('/v1/region/organisers', { id: 'beta', name: 'BETA kommun' });
  expect(made.status, made.text).toBe(201);
  const [alfa, beta] = await Promise.all([
    load(s, 'default', s.adminToken, organiserFixture('ALFA')),
    load(s, 'beta', made.json.adminToken.token, organiserFixture('BETA')),
  ]);
  return { s, region, alfa, beta };
}
