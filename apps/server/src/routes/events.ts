import { Hono, type Context, type Handler, type Next } from 'hono';
import { parse as parseCookie } from 'hono/utils/cookie';
import { ApiError } from '@licenskoll/core';
import {
  MAX_EVENTS_PER_REQUEST, MalformedBody, MalformedEnvelope, Overloaded, TooManyEvents, caliperToEvents, opensMoreThan, parseEventsBody, parseEventsBodyInSlices,
  toStoredEvent, toStoredEventsInSlices, validateEvent, type EventWriter, type ParsedBatch, type Rejected,
} from '@licenskoll/ingest';
import { access } from '../access.ts';
import { callerIdentifier, checkRole, requireRole } from '../auth.ts';
import type { AppContext, Env } from '../context.ts';
import { errorAnswer } from '../http-errors.ts';
import { declaredLength, discardIncoming, readBody } from '../incoming-body.ts';
import { requestLimits, type BodyLimit } from '../request-limits.ts';
import { API_JSON_HEADERS } from '../security-headers.ts';
import type { TokenResolver } from '../tokens.ts';

const INGEST_ROLES = ['ingest', 'admin'] as const;
/** Bytes of a body parsed in one go: at most about 1,300 of the smallest items (`{},`), a millisecond or two. */
const SMALL_BODY = 4096;

/**
 * Takes a body's bytes of the read budget before it is read, or refuses (429) when the queue is
 * full or too many bodies are being read: a refused request then costs no memory, which is
 * what keeps a flood bounded. A body of unknown length counts as the largest allowed.
 */
function admit(w: EventWriter, declared: number | undefined, limit: BodyLimit): number | Overloaded {
  const bytes = declared ?? limit.bytes;
  if (w.full || !w.bodies.take(bytes)) {
    w.stats.overloadedRequests++;
    return new Overloaded(w.retryAfterSeconds());
  }
  return bytes;
}

/** Rejected events are reported, the good ones beside them kept. */
async function store(ctx: AppContext, batch: ParsedBatch, extra: Record<string, unknown> = {}) {
  ctx.writer.stats.rejectedRows += batch.rejected.length;
  const events = batch.events.map((e) => e.event);
  // A few events need no slices (and no promise between them): the common single event.
  const rows = events.length <= 100 ? events.map((e) => toStoredEvent(e, ctx.pseudo, ctx.config.timeZone)) : await toStoredEventsInSlices(events, ctx.pseudo, ctx.config.timeZone);
  // While the request waits for its batch, only the rows (held by the queue) need to live.
  batch.events = [];
  const r = await ctx.writer.submit(rows);
  const rejected = [...batch.rejected].sort((a, b) => a.index - b.index);
  if (r.accepted === 0 && r.duplicates === 0 && rejected.length > 0) {
    throw new ApiError(400, 'invalid_events', `no event was accepted: ${rejected.length} rejected`, { rejected });
  }
  return { accepted: r.accepted, duplicates: r.duplicates, rejected, ...(r.spooled ? { spooled: r.spooled } : {}), ...extra };
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
 * A 202 is sent once the new events are in the local journal and fsynced (`spooled` says how
 * many were kept while storage was failing); good events are kept when others in the same
 * request are rejected.
 */
export function ingestEventsRoute(ctx: AppContext, tokens: TokenResolver): Handler<Env> {
  const identify = callerIdentifier(ctx, tokens);
  const sessionCookie = access(ctx).sessionCookie;
  const w = ctx.writer;
  const limit = requestLimits(ctx).events;
  return async (c) => {
    const req = c.env.incoming;
    const h = req.headers;
    let taken = 0;
    try {
      const declared = declaredLength(h, limit);
      const { caller } = await identify({
        method: 'POST', ip: req.socket.remoteAddress ?? 'unknown', authorization: h.authorization,
        session: () => (h.cookie ? parseCookie(h.cookie, sessionCookie)[sessionCookie] : undefined), csrf: h['x-csrf-token'] as string | undefined,
      });
      checkRole(caller, INGEST_ROLES);
      const admitted = admit(w, declared, limit);
      if (admitted instanceof Overloaded) {
        await discardIncoming(req, limit);
        throw admitted;
      }
      taken = admitted;
      let text: string | undefined = await readBody(req, limit);
      if (!text.trim()) throw new ApiError(400, 'empty_body', 'body: send one event, a JSON array of events, or NDJSON');
      let batch: ParsedBatch;
      try {
        // A small body cannot reach a slice's thousand items worth yielding for.
        batch = text.length <= SMALL_BODY ? parseEventsBody(text, h['content-type'] ?? '') : await parseEventsBodyInSlices(text, h['content-type'] ?? '');
        text = undefined;
      } catch (e) {
        if (e instanceof MalformedBody) throw new ApiError(400, 'malformed_json', e.message);
        if (e instanceof TooManyEvents) throw new ApiError(413, 'too_many_events', e.message);
        throw e;
      }
      if (batch.events.length === 0 && batch.rejected.length === 0) {
        throw new ApiError(400, 'empty_body', 'body: contains no events');
      }
      return answer(202, await store(ctx, batch));
    } catch (e) {
      const a = errorAnswer(e as Error, '/v1/events');
      return answer(a.status, a.body, a.headers);
    } finally {
      w.bodies.give(taken);
    }
  };
}

/** Caliper envelopes (`POST /v1/caliper`), behind the middleware of every /v1 route. */
export function eventRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  const limit = requestLimits(ctx).events;
  app.use('*', requireRole(...INGEST_ROLES));

  const admitted = async (c: Context<Env>, next: Next) => {
    const w = ctx.writer;
    // Judged already by the body limit in front of this route (app.ts): it cannot throw here.
    const taken = admit(w, declaredLength(c.env.incoming.headers, limit), limit);
    if (taken instanceof Overloaded) {
      await discardIncoming(c.env.incoming, limit);
      throw taken;
    }
    try {
      await next();
    } finally {
      w.bodies.give(taken);
    }
  };

  app.post('/caliper', admitted, async (c) => {
    const ct = c.req.header('content-type') ?? '';
    if (ct && !/json/i.test(ct)) {
      await discardIncoming(c.env.incoming, limit);
      throw new ApiError(415, 'unsupported_media_type', 'a Caliper envelope is sent as application/json');
    }
    const text = await c.req.raw.text();
    // A Caliper event opens several objects (actor, object, group, extensions): a wider bound.
    if (opensMoreThan(text, 16 * MAX_EVENTS_PER_REQUEST)) {
      throw new ApiError(413, 'too_many_events', `an envelope holds at most ${MAX_EVENTS_PER_REQUEST} events: split it`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new ApiError(400, 'malformed_json', `body is not valid JSON: ${(e as Error).message}`);
    }
    const data = (body as { data?: unknown } | null)?.data;
    if (Array.isArray(data) && data.length > MAX_EVENTS_PER_REQUEST) {
      throw new ApiError(413, 'too_many_events', `an envelope holds at most ${MAX_EVENTS_PER_REQUEST} events: split it`);
    }
    let parsed;
    try {
      parsed = caliperToEvents(body);
    } catch (e) {
      if (e instanceof MalformedEnvelope) throw new ApiError(400, 'malformed_envelope', e.message);
      throw e;
    }
    const batch: ParsedBatch = { events: [], rejected: [...parsed.rejected] as Rejected[] };
    for (const e of parsed.events) {
      const v = validateEvent(e.raw);
      if (v.ok) batch.events.push({ index: e.index, event: v.event });
      else batch.rejected.push({ index: e.index, error: v.error });
    }
    if (batch.events.length === 0 && batch.rejected.length === 0) {
      return c.json({ accepted: 0, duplicates: 0, rejected: [], skipped: parsed.skipped }, 202);
    }
    return c.json(await store(ctx, batch, { skipped: parsed.skipped }), 202);
  });
  return app;
}
