import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { ApiError, isoDate, todayInZone } from '@licenskoll/core';
import { defaultWindow, regionAggregate, type RegionAggregate } from '@licenskoll/reports';
import type { Storage } from '@licenskoll/storage';
import { clientAddress } from '../auth/auth.ts';
import { handleError } from '../http/http-errors.ts';
import { RateLimiter, rateLimitsFromEnv } from '../http/rate-limit.ts';
import { securityHeaders } from '../http/security-headers.ts';
import { validBody, validQuery } from '../http/validation.ts';
import { organiserInput, type Organisers } from './organisers.ts';
import { readRegionAudit, regionAudit, regionAuditQuery } from './region-audit.ts';
import { logLine } from '../log.ts';
import { issueRegionToken, listRegionTokens, revokeRegionToken, regionTokenInput, type RegionEnv, type RegionRole, type RegionTokens } from './region-tokens.ts';
import { agreementRoutes } from './agreements.ts';
import { catalogueRoutes } from './catalogue.ts';

const windowQuery = z.strictObject({ from: isoDate.optional(), to: isoDate.optional() }, { message: 'is not a parameter of this report' })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] });

/** One organiser's aggregates over a window: what the region sees and what its admin sees the region see (routes/region-view.ts). */
export async function organiserAggregate(storage: Storage, q: { from?: string; to?: string }, opts: { timeZone: string; today?: string }): Promise<RegionAggregate> {
  const asOf = opts.today ?? todayInZone(opts.timeZone);
  return regionAggregate(storage, { window: defaultWindow({ from: q.from, to: q.to }, { timeZone: opts.timeZone, today: asOf }), asOf });
}

export function parseWindow(c: Context): { from?: string; to?: string } {
  return validQuery(c, windowQuery);
}

/**
 * The region's API, served only to region tokens (service.ts routes them here and nowhere
 * else): organisers and region tokens, per organiser the aggregates of regionAggregate, and
 * the framework agreements with their call-offs summed per organiser (agreements.ts), and the
 * shared product catalogue with the identifiers no organiser maps yet (catalogue.ts). Nothing
 * here reads a class, a person, a school unit or a follow-up; any other path answers 403.
 */
export function createRegionApp(organisers: () => Organisers | undefined, tokens: RegionTokens, opts: { today?: string; timeZone: string }): Hono<RegionEnv> {
  const app = new Hono<RegionEnv>();
  const limiter = new RateLimiter(rateLimitsFromEnv());
  app.onError(handleError);
  app.use('*', securityHeaders());
  app.use('*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    const m = /^Bearer\s+(\S{1,512})\s*$/i.exec(c.req.header('authorization') ?? '');
    const ip = clientAddress(c);
    if (!limiter.peek(`fail:${ip}`, limiter.limits.failedAuth)) {
      throw new ApiError(429, 'rate_limited', 'too many requests with unknown tokens from this address: retry later', undefined, { 'Retry-After': '60' });
    }
    const caller = m ? await tokens.resolve(m[1], opts.today ?? todayInZone(opts.timeZone)) : null;
    if (!caller) {
      limiter.take(`fail:${ip}`, limiter.limits.failedAuth);
      throw new ApiError(401, 'unauthorized', 'the region token is unknown, revoked or expired');
    }
    const wait = limiter.take(`caller:${caller.tokenId}`, limiter.limits.read);
    if (wait > 0) throw new ApiError(429, 'rate_limited', `too many requests with this token: retry after ${wait} s`, undefined, { 'Retry-After': String(wait) });
    c.set('region', caller);
    await next();
  });
  app.use('*', regionAudit(() => organisers()?.region, logLine));
  const role = (...roles: RegionRole[]): MiddlewareHandler<RegionEnv> => async (c, next) => {
    const r = c.get('region').role;
    if (!roles.includes(r)) throw new ApiError(403, 'forbidden', `the ${r} role may not use this endpoint (needs ${roles.join(' or ')})`);
    await next();
  };
  const reg = () => {
    const o = organisers();
    if (!o) throw new ApiError(503, 'storage_unavailable', 'storage is not answering yet: retry later', undefined, { 'Retry-After': '5' });
    return o;
  };
  const readers = role('region_admin', 'region_analyst');

  app.get('/v1/me', (c) => c.json({ role: c.get('region').role, name: c.get('region').name, via: 'token', region: true }));
  app.get('/v1/region/organisers', readers, async (c) => {
    const rows = await reg().list();
    return c.json({ rows: rows.map(({ id, name, timeZone, created, first }) => ({ id, name, timeZone, created, first })) });
  });
  app.post('/v1/region/organisers', role('region_admin'), async (c) => {
    const input = await validBody(c, organiserInput, 'invalid_organiser');
    const made = await reg().add(input);
    if (made === 'exists') throw new ApiError(409, 'conflict', `an organiser with id ${input.id} exists`, [{ field: 'id', reason: 'is taken' }]);
    const { id, name, timeZone, created } = made.organiser;
    return c.json({ organiser: { id, name, timeZone, created }, adminToken: made.adminToken }, 201);
  });
  app.post('/v1/region/tokens', role('region_admin'), async (c) => {
    const input = await validBody(c, regionTokenInput, 'invalid_token');
    const issued = await issueRegionToken(reg().region, input);
    return c.json({ ...issued, name: input.name, role: input.role, expires: input.expires ?? null }, 201);
  });
  const aggregateOf = async (c: Context, id: string) => {
    const rt = reg().get(id);
    if (!rt) throw new ApiError(404, 'not_found', `no organiser ${id.slice(0, 50)}`);
    await rt.ctx.ingest.caughtUp(5_000);
    const { timeZone } = rt.ctx.config;
    return { organiser: { id: rt.organiser.id, name: rt.organiser.name }, ...(await organiserAggregate(rt.ctx.storage, parseWindow(c), { timeZone, today: rt.ctx.today })) };
  };
  app.get('/v1/region/organisers/:id/aggregates', readers, async (c) => c.json(await aggregateOf(c, c.req.param('id'))));
  app.get('/v1/region/aggregates', readers, async (c) => {
    parseWindow(c);
    const rows = [];
    for (const rt of reg().all()) rows.push(await aggregateOf(c, rt.organiser.id));
    return c.json({ rows });
  });
  app.get('/v1/region/tokens', role('region_admin'), async (c) => c.json({ rows: await listRegionTokens(reg().region) }));
  // Revoked at once: the resolver forgets what it cached of the token.
  app.delete('/v1/region/tokens/:id', role('region_admin'), async (c) => {
    const id = c.req.param('id');
    if (!(await revokeRegionToken(reg().region, id))) throw new ApiError(404, 'not_found', `no region token ${id.slice(0, 50)}`);
    tokens.forget();
    return c.json({ id, revoked: true });
  });
  app.get('/v1/region/audit', role('region_admin'), async (c) => c.json({ rows: await readRegionAudit(reg().region, validQuery(c, regionAuditQuery).limit) }));
  app.route('/v1/region', agreementRoutes(reg, { readers, admins: role('region_admin') }));
  app.route('/v1/region', catalogueRoutes(reg, { readers, admins: role('region_admin') }));
  app.all('*', (c) => {
    throw new ApiError(403, 'forbidden', `a region token reads only the region's aggregates (/v1/region/...), never ${c.req.method} ${c.req.path.slice(0, 100)}`);
  });
  return app;
}
