import { Hono, type Context, type Next } from 'hono';
import { ApiError } from '@licenskoll/core';
import {
  MAX_EVENTS_PER_REQUEST, MalformedBody, MalformedEnvelope, Overloaded, TooManyEvents, caliperToEvents, opensMoreThan, parseEventsBodyInSlices,
  toStoredEventsInSlices, validateEvent, type ParsedBatch, type Rejected,
} from '@licenskoll/ingest';
import { requireRole } from '../auth.ts';
import type { AppContext, Env } from '../context.ts';
import { discardBody } from '../http-errors.ts';

/** What a body without a Content-Length may grow to: the ingest body limit set in app.ts. */
const UNKNOWN_LENGTH_BYTES = 16 * 1024 ** 2;

/**
 * Ingest. A 202 is sent once the new events are in the local journal and fsynced (`spooled`
 * says how many were kept while storage was failing); good events are kept when others in the
 * same request are rejected.
 */
export function eventRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  app.use('*', requireRole('ingest', 'admin'));

  /**
   * Refuses before the body is read when the queue is full or too many bodies are being
   * parsed: a refused request then costs no memory, which is what keeps a flood bounded.
   */
  const admit = async (c: Context<Env>, next: Next) => {
    const w = ctx.writer;
    const refuse = async () => {
      w.stats.overloadedRequests++;
      await discardBody(c.req.raw);
      return new Overloaded(w.retryAfterSeconds());
    };
    if (w.full) throw await refuse();
    const declared = Number(c.req.header('content-length') ?? NaN);
    const bytes = Number.isFinite(declared) && declared >= 0 ? declared : UNKNOWN_LENGTH_BYTES;
    if (!w.bodies.take(bytes)) throw await refuse();
    try {
      await next();
    } finally {
      w.bodies.give(bytes);
    }
  };

  const store = async (batch: ParsedBatch, extra: Record<string, unknown> = {}) => {
    ctx.writer.stats.rejectedRows += batch.rejected.length;
    const rows = await toStoredEventsInSlices(batch.events.map((e) => e.event), ctx.pseudo, ctx.config.timeZone);
    // While the request waits for its batch, only the rows (held by the queue) need to live.
    batch.events = [];
    const r = await ctx.writer.submit(rows);
    const rejected = [...batch.rejected].sort((a, b) => a.index - b.index);
    if (r.accepted === 0 && r.duplicates === 0 && rejected.length > 0) {
      throw new ApiError(400, 'invalid_events', `no event was accepted: ${rejected.length} rejected`, { rejected });
    }
    return { accepted: r.accepted, duplicates: r.duplicates, rejected, ...(r.spooled ? { spooled: r.spooled } : {}), ...extra };
  };

  app.post('/events', admit, async (c) => {
    // Read from the raw request: Hono's `c.req.text()` caches the text for the whole request,
    // and a queued request would then hold its body (megabytes) besides its rows.
    let text: string | undefined = await c.req.raw.text();
    if (!text.trim()) throw new ApiError(400, 'empty_body', 'body: send one event, a JSON array of events, or NDJSON');
    let batch: ParsedBatch;
    try {
      batch = await parseEventsBodyInSlices(text, c.req.header('content-type') ?? '');
      text = undefined;
    } catch (e) {
      if (e instanceof MalformedBody) throw new ApiError(400, 'malformed_json', e.message);
      if (e instanceof TooManyEvents) throw new ApiError(413, 'too_many_events', e.message);
      throw e;
    }
    if (batch.events.length === 0 && batch.rejected.length === 0) {
      throw new ApiError(400, 'empty_body', 'body: contains no events');
    }
    return c.json(await store(batch), 202);
  });

  app.post('/caliper', admit, async (c) => {
    const ct = c.req.header('content-type') ?? '';
    if (ct && !/json/i.test(ct)) {
      await discardBody(c.req.raw);
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
    return c.json(await store(batch, { skipped: parsed.skipped }), 202);
  });
  return app;
}
