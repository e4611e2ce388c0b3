import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { chTime } from '@licenskoll/core';
import { queryRows, type Storage } from '@licenskoll/storage';
import type { RegionEnv } from './region-tokens.ts';

/**
 * The region's own audit log (`region_audit`): every request a region token makes but `/v1/me`,
 * with who made it and how it was answered, so that the organisers (the controllers) can ask
 * their processor what the region read and changed. Bodies are not kept.
 */
export function regionAudit(region: () => Storage | undefined, log: (m: string) => void): MiddlewareHandler<RegionEnv> {
  return async (c, next) => {
    await next();
    const caller = c.get('region');
    const storage = region();
    if (!caller || !storage || c.req.path === '/v1/me') return;
    const row = { at: chTime(Date.now()), actor_id: caller.tokenId, actor: caller.name, role: caller.role, method: c.req.method, path: c.req.path.slice(0, 200), status: c.res.status };
    await storage.write.insert({ table: 'region_audit', values: [row], format: 'JSONEachRow' }).catch((e: Error) => log(`region audit row not written: ${e.message}`));
  };
}

export const regionAuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
}, { message: 'is not a parameter of the audit log' });

export async function readRegionAudit(storage: Storage, limit: number) {
  return queryRows<{ at: string; actorId: string; actor: string; role: string; method: string; path: string; status: number }>(
    storage.read,
    `SELECT formatDateTime(at, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS at, actor_id AS actorId, actor, role, method, path, status
     FROM region_audit ORDER BY region_audit.at DESC LIMIT {limit:UInt32}`,
    { limit },
    ['status'],
  );
}
