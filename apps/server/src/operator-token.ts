import { todayInZone } from '@licenskoll/core';
import type { AppContext } from './context.ts';
import { errorBody } from './http-errors.ts';
import { safeEqual, type TokenResolver } from './tokens.ts';

/**
 * Who may read the operating figures (`GET /metrics`, the details of `GET /v1/health`): an
 * admin token, or `LICENSKOLL_METRICS_TOKEN` when set, so that a scraper holds a secret that
 * opens nothing else. Loopback-only without a token was the alternative; it was not taken
 * because behind a reverse proxy on the same host every request comes from loopback, which
 * would publish the figures without anyone noticing.
 *
 * Answers null when the header opens them, else the refusal (401 or 403) to send.
 */
export type OperatorCheck = (authorization: string | undefined) => Promise<{ status: 401 | 403; body: ReturnType<typeof errorBody> } | null>;

export function operatorCheck(ctx: AppContext, tokens: TokenResolver, metricsToken: string | undefined, what: string): OperatorCheck {
  return async (authorization) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) return { status: 401, body: errorBody('unauthorized', 'send a token as "Authorization: Bearer <token>"') };
    if (metricsToken && safeEqual(m[1], metricsToken)) return null;
    // Issued tokens live in storage; while it is down only the configured tokens open this.
    const caller = await tokens.resolve(m[1], ctx.today ?? todayInZone(ctx.config.timeZone)).catch(() => null);
    if (!caller) return { status: 401, body: errorBody('unauthorized', 'the token is unknown, revoked or expired') };
    if (caller.role !== 'admin') return { status: 403, body: errorBody('forbidden', `the ${caller.role} role may not read ${what} (needs admin or the metrics token)`) };
    return null;
  };
}
