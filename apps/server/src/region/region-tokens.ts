import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { chTime, isoDate } from '@licenskoll/core';
import { nextVersion, queryRows, type Storage } from '@licenskoll/storage';
import { hashToken } from '../auth/tokens.ts';

/**
 * The region's callers (docs/tenants.md). A region admin creates organisers and region tokens;
 * a region analyst only reads. Both read aggregates and nothing below them: their tokens are
 * known only to the region's app (region/routes.ts), which has no route into an organiser's rows.
 */
export const REGION_ROLES = ['region_admin', 'region_analyst'] as const;
export type RegionRole = (typeof REGION_ROLES)[number];

export interface RegionCaller {
  role: RegionRole;
  name: string;
  tokenId: string;
}

/** The region's app's variables: who is calling (routes.ts sets it before any route runs). */
export type RegionEnv = { Variables: { region: RegionCaller } };

/** Region tokens start with `lkr_`, so that the service routes them to the region without a lookup. */
export const REGION_TOKEN_PREFIX = 'lkr_';

export const regionTokenInput = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(200),
  role: z.enum(REGION_ROLES, { message: 'must be region_admin or region_analyst' }),
  expires: isoDate.optional(),
}, { message: 'is not a field of a region token' });

export async function issueRegionToken(region: Storage, input: z.infer<typeof regionTokenInput>): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  const token = `${REGION_TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
  await region.write.insert({
    table: 'region_tokens',
    values: [{ id, name: input.name, role: input.role, hash: hashToken(token), created: chTime(Date.now()), expires: input.expires ?? null, revoked: 0, version: nextVersion() }],
    format: 'JSONEachRow',
  });
  return { id, token };
}

/** The region's issued tokens, newest first, without their hashes. */
export async function listRegionTokens(region: Storage) {
  return queryRows<{ id: string; name: string; role: RegionRole; created: string; expires: string | null; revoked: number }>(
    region.write,
    `SELECT id, name, role, formatDateTime(created, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS created, if(isNull(expires), NULL, toString(expires)) AS expires, revoked
     FROM region_tokens FINAL ORDER BY region_tokens.created DESC`,
    {},
    ['revoked'],
  );
}

/** Revokes an issued region token; false when there is none of that id. */
export async function revokeRegionToken(region: Storage, id: string): Promise<boolean> {
  const [t] = await queryRows<{ id: string; name: string; role: string; hash: string; created: string; expires: string | null }>(
    region.write,
    `SELECT id, name, role, hash, formatDateTime(created, '%Y-%m-%d %H:%i:%S', 'UTC') AS created, if(isNull(expires), NULL, toString(expires)) AS expires
     FROM region_tokens FINAL WHERE id = {id:String}`,
    { id },
  );
  if (!t) return false;
  await region.write.insert({ table: 'region_tokens', values: [{ ...t, revoked: 1, version: nextVersion() }], format: 'JSONEachRow' });
  return true;
}

/** Resolves region tokens: `LICENSKOLL_REGION_ADMIN_TOKEN`, else an issued one (cached briefly). */
export class RegionTokens {
  private readonly envDigest?: Buffer;
  private cache = new Map<string, { caller: RegionCaller | null; at: number }>();

  constructor(private readonly region: () => Storage | undefined, envAdminToken?: string, private readonly ttlMs = 5_000) {
    if (envAdminToken) this.envDigest = createHash('sha256').update(envAdminToken).digest();
  }

  /** Whether this is the environment's region admin token (constant time): the service routes it to the region. */
  isEnvToken(token: string): boolean {
    return this.envDigest !== undefined && timingSafeEqual(createHash('sha256').update(token).digest(), this.envDigest);
  }

  /** Forgets every cached answer: a revoked token stops working at once. */
  forget(): void {
    this.cache.clear();
  }

  async resolve(token: string, today: string): Promise<RegionCaller | null> {
    if (this.isEnvToken(token)) return { role: 'region_admin', name: 'LICENSKOLL_REGION_ADMIN_TOKEN', tokenId: 'env:region_admin' };
    const region = this.region();
    if (!token.startsWith(REGION_TOKEN_PREFIX) || !region) return null;
    const hash = hashToken(token);
    const hit = this.cache.get(hash);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.caller;
    const [r] = await queryRows<{ id: string; name: string; role: RegionRole; expires: string | null; revoked: number }>(
      region.read,
      `SELECT id, name, role, if(isNull(expires), NULL, toString(expires)) AS expires, revoked FROM region_tokens FINAL WHERE hash = {hash:String}`,
      { hash },
      ['revoked'],
    );
    const caller = r && !r.revoked && (!r.expires || r.expires >= today) ? { role: r.role, name: r.name, tokenId: r.id } : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { caller, at: Date.now() });
    return caller;
  }
}
