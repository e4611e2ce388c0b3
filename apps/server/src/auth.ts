import type { MiddlewareHandler } from 'hono';
import { ApiError, todayInZone } from '@licenskoll/core';
import type { AppContext, Caller, Env } from './context.ts';
import type { TokenResolver } from './tokens.ts';

/** 401 without a token or with an unknown one. */
export function authenticate(ctx: AppContext, tokens: TokenResolver): MiddlewareHandler<Env> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new ApiError(401, 'unauthorized', 'send a token as "Authorization: Bearer <token>"');
    const caller = await tokens.resolve(m[1], ctx.today ?? todayInZone(ctx.config.timeZone));
    if (!caller) throw new ApiError(401, 'unauthorized', 'the token is unknown, revoked or expired');
    c.set('caller', caller);
    await next();
  };
}

/** 403 for a role outside the list. */
export function requireRole(...roles: Caller['role'][]): MiddlewareHandler<Env> {
  return async (c, next) => {
    const caller = c.get('caller');
    if (!roles.includes(caller.role)) {
      throw new ApiError(403, 'forbidden', `the ${caller.role} role may not use this endpoint (needs ${roles.join(' or ')})`);
    }
    await next();
  };
}
