import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { ApiError, todayInZone } from '@licenskoll/core';
import { access } from './access.ts';
import { auditAction, auditRow } from './audit.ts';
import type { AppContext, Caller, Env } from '../context.ts';
import { errorBody } from '../http/http-errors.ts';
import { checkCsrf, csrfFor, type SessionInfo } from './sessions.ts';
import { log } from '../log.ts';
import { sessionCookieName, signInBase } from './oidc/sign-in-settings.ts';
import type { TokenResolver } from './tokens.ts';

/** How the caller signed in: an issued token, a token from the environment, or a dashboard session. */
export interface AuthInfo {
  via: 'token' | 'env' | 'session';
  session?: SessionInfo;
  /** The CSRF token of a session: sent back in `X-CSRF-Token` on every state-changing request. */
  csrfToken?: string;
}

declare module 'hono' {
  interface ContextVariableMap {
    auth: AuthInfo;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The client's address as the socket sees it (a proxy's address behind one: the limits are then per proxy). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** What a request says about its caller, read the same way by the middleware and by the ingest route. */
export interface Credentials {
  method: string;
  /** The client's address: failed attempts are limited per address. */
  ip: string;
  authorization?: string;
  /** The dashboard's session cookie of this name, read only when there is no Authorization header. */
  session: (cookieName: string) => string | undefined;
  csrf?: string;
}

export type IdentifyCaller = (cred: Credentials) => Promise<{ caller: Caller; auth: AuthInfo }>;

/**
 * Who is calling: `Authorization: Bearer <token>` (API clients, ingest, the embedded default's
 * token sign-in), else the dashboard's session cookie after an OpenID Connect sign-in.
 * 401 without either or with an unknown one. A session must send its CSRF token in
 * `X-CSRF-Token` on every request that is not GET/HEAD/OPTIONS (403 otherwise). Each caller
 * has a rate limit (429 with Retry-After); so do failed attempts per client address.
 */
export function callerIdentifier(ctx: AppContext, tokens: TokenResolver): IdentifyCaller {
  const acc = access(ctx);
  const today = () => ctx.today ?? todayInZone(ctx.config.timeZone);
  const failedAuth = (ip: string) => {
    acc.limiter.take(`fail:${ip}`, acc.limiter.limits.failedAuth);
  };
  const tooManyFailures = (ip: string) => {
    if (acc.limiter.peek(`fail:${ip}`, acc.limiter.limits.failedAuth)) return;
    throw new ApiError(429, 'rate_limited', 'too many requests with unknown tokens or sessions from this address: retry later', undefined, { 'Retry-After': '60' });
  };

  return async ({ method, ip, authorization, session, csrf }) => {
    let caller: Caller | null = null;
    let auth: AuthInfo;
    if (authorization !== undefined) {
      const m = /^Bearer\s+(\S{1,512})\s*$/i.exec(authorization);
      if (!m) {
        failedAuth(ip);
        throw new ApiError(401, 'unauthorized', 'send a token as "Authorization: Bearer <token>"');
      }
      const id = tokens.identify(m[1]);
      if (!id.caller) tooManyFailures(ip);
      caller = id.caller ?? (await tokens.resolve(id, today()));
      if (!caller) {
        failedAuth(ip);
        throw new ApiError(401, 'unauthorized', 'the token is unknown, revoked or expired');
      }
      auth = { via: caller.tokenId.startsWith('env:') ? 'env' : 'token' };
    } else {
      // The cookie's name follows the organiser's sign-in settings (Secure over https), read once and kept.
      const oidc = await acc.signIn.current();
      const secret = session(sessionCookieName(oidc));
      if (!secret) {
        throw new ApiError(401, 'unauthorized', `send a token as "Authorization: Bearer <token>"${oidc ? ` or sign in at ${signInBase(ctx.organiser)}/login` : ''}`);
      }
      tooManyFailures(ip);
      const s = await acc.sessions.resolve(secret, today());
      if (!s) {
        failedAuth(ip);
        throw new ApiError(401, 'unauthorized', 'the sign-in has expired or ended, or your account no longer has a role here: sign in again');
      }
      caller = s.caller;
      auth = { via: 'session', session: s.info, csrfToken: csrfFor(secret) };
      if (!SAFE_METHODS.has(method) && !checkCsrf(secret, csrf)) {
        throw new ApiError(403, 'csrf', 'a signed-in request that changes something must carry the X-CSRF-Token header from GET /v1/me');
      }
    }
    const wait = acc.limiter.take(`caller:${caller.tokenId}`, acc.limiter.limitFor(caller));
    if (wait > 0) {
      throw new ApiError(429, 'rate_limited', `too many requests with this ${auth.via === 'session' ? 'sign-in' : 'token'}: retry after ${wait} s`, undefined, {
        'Retry-After': String(wait),
      });
    }
    return { caller, auth };
  };
}

/**
 * The caller of every /v1 request but ingest's (see `callerIdentifier`). Report, export,
 * administration and privacy requests are written to the audit log before the answer
 * leaves. API answers are never cached.
 */
export function authenticate(ctx: AppContext, tokens: TokenResolver): MiddlewareHandler<Env> {
  const acc = access(ctx);
  const identify = callerIdentifier(ctx, tokens);
  return async (c, next) => {
    c.header('Cache-Control', 'no-store');
    const { caller, auth } = await identify({
      method: c.req.method, ip: clientAddress(c), authorization: c.req.header('authorization'),
      session: (name) => getCookie(c, name), csrf: c.req.header('x-csrf-token'),
    });
    c.set('caller', caller);
    c.set('auth', auth);
    await next();

    const action = auditAction(c.req.method, c.req.path, c.req.query('format'));
    if (!action) return;
    try {
      await acc.audit.append(auditRow(c, caller, auth.via, action, c.res.status));
    } catch (e) {
      log.error('audit log write failed', { error: (e as Error).message.slice(0, 200), path: c.req.path });
      c.res = c.json(errorBody('storage_unavailable', 'the request could not be recorded in the audit log, so it was not answered: retry later'), 503);
    }
  };
}

/** 403 for a role outside the list. */
export function checkRole(caller: Caller, roles: readonly Caller['role'][]): void {
  if (!roles.includes(caller.role)) {
    throw new ApiError(403, 'forbidden', `the ${caller.role} role may not use this endpoint (needs ${roles.join(' or ')})`);
  }
}

export function requireRole(...roles: Caller['role'][]): MiddlewareHandler<Env> {
  return async (c, next) => {
    checkRole(c.get('caller'), roles);
    await next();
  };
}
