import { Hono, type Context, type Handler, type Next } from 'hono';
import type { IncomingMessage } from 'node:http';
import { parse as parseCookie } from 'hono/utils/cookie';
import { ApiError } from '@licenskoll/core';
import type { Ingest } from '@licenskoll/ingest';
import { callerIdentifier, checkRole, requireRole } from '../auth/auth.ts';
import type { AppContext, Env } from '../context.ts';
import { errorAnswer } from '../http/http-errors.ts';
import { declaredLength, discardIncoming, readBody } from '../http/incoming-body.ts';
import { BODY_LIMITS } from '../http/body-limits.ts';
import { API_JSON_HEADERS } from '../http/security-headers.ts';
import type { TokenResolver } from '../auth/tokens.ts';

/** Ingest bodies at most (a batch is built in memory); the limit app.ts sets for Caliper too, and Ingest's budget counts. */
export const EVENTS_BODY_LIMIT = BODY_LIMITS.events;
const INGEST_ROLES = ['ingest', 'admin'] as const;

/** Ingest's admission of a request (see `Ingest.admit`); a refused body is read to its end first, so that the client gets the 429. */
async function admit(ingest: Ingest, req: IncomingMessage, declared = declaredLength(req.headers, EVENTS_BODY_LIMIT)): Promise<number> {
  try {
    return ingest.admit(declared);
  } catch (e) {
    await discardIncoming(req, EVENTS_BODY_LIMIT.bytes);
    throw e;
  }
}

const answer = (status: number, body: unknown, extra?: Readonly<Record<string, string>>) =>
  new Response(JSON.stringify(body), { status, headers: extra && Object.keys(extra).length ? { ...API_JSON_HEADERS, ...extra } : API_JSON_HEADERS });

/**
 * `POST /v1/events`, the one hot path: every event of every source arrives here, often one per
 * request. It is served by an app of its own (app.ts, `createIngestApp`) and does what the
 * middleware does for other routes through the same functions: the body limit, the caller and its rate limit
 * (`callerIdentifier`), the role, the security headers, the error answers (`errorAnswer`);
 * ingest writes nothing to the audit log. Headers are read from Node's request and the body
 * straight from its socket, and the answer is a plain Response: the main app's routing and
 * middleware chain, the Fetch request built for the body stream and the Headers objects of
 * the answer took 30-40 % of the main thread's time per single event (docs/benchmarks.md).
 *
 * A 202 is sent once the new events are in the local journal and fsynced (`Ingest`).
 */
export function ingestEventsRoute(ctx: AppContext, tokens: TokenResolver): Handler<Env> {
  const identify = callerIdentifier(ctx, tokens);
  const ingest = ctx.ingest;
  return async (c) => {
    const req = c.env.incoming;
    const h = req.headers;
    let taken = 0;
    try {
      const declared = declaredLength(h, EVENTS_BODY_LIMIT);
      const { caller } = await identify({
        method: 'POST', ip: req.socket.remoteAddress ?? 'unknown', authorization: h.authorization,
        session: (name) => (h.cookie ? parseCookie(h.cookie, name)[name] : undefined), csrf: h['x-csrf-token'] as string | undefined,
      });
      checkRole(caller, INGEST_ROLES);
      taken = await admit(ingest, req, declared);
      return answer(202, await ingest.acceptBody(await readBody(req, EVENTS_BODY_LIMIT), h['content-type'] ?? ''));
    } catch (e) {
      const a = errorAnswer(e as Error, '/v1/events');
      return answer(a.status, a.body, a.headers);
    } finally {
      ingest.release(taken);
    }
  };
}

/** Caliper envelopes 1.0, 1.1 and 1.2 (`POST /v1/caliper`), behind the middleware of every /v1 route. */
export function eventRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  const ingest = ctx.ingest;
  app.use('*', requireRole(...INGEST_ROLES));

  const admitted = async (c: Context<Env>, next: Next) => {
    // Judged already by the body limit in front of this route (app.ts): the length cannot be refused here.
    const taken = await admit(ingest, c.env.incoming);
    try {
      await next();
    } finally {
      ingest.release(taken);
    }
  };

  app.post('/caliper', admitted, async (c) => {
    const ct = c.req.header('content-type') ?? '';
    if (ct && !/json/i.test(ct)) {
      await discardIncoming(c.env.incoming, EVENTS_BODY_LIMIT.bytes);
      throw new ApiError(415, 'unsupported_media_type', 'a Caliper envelope is sent as application/json');
    }
    return c.json(await ingest.acceptCaliper(await c.req.raw.text()), 202);
  });
  return app;
}
