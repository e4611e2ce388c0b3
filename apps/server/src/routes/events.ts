import { Hono } from 'hono';
import { ApiError } from '@licenskoll/core';
import {
  MalformedBody, MalformedEnvelope, caliperToEvents, parseEventsBody, toStoredEvent, validateEvent,
  type ParsedBatch, type Rejected,
} from '@licenskoll/ingest';
import { requireRole } from '../auth.ts';
import type { AppContext, Env } from '../context.ts';

/**
 * Ingest. A 202 is sent only after the batch holding these events is stored (group commit);
 * good events are kept when others in the same request are rejected.
 */
export function eventRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  app.use('*', requireRole('ingest', 'admin'));

  const store = async (batch: ParsedBatch, extra: Record<string, unknown> = {}) => {
    const rows = batch.events.map((e) => toStoredEvent(e.event, ctx.pseudo, ctx.config.timeZone));
    const r = await ctx.writer.submit(rows);
    const rejected = [...batch.rejected].sort((a, b) => a.index - b.index);
    if (r.accepted === 0 && r.duplicates === 0 && rejected.length > 0) {
      throw new ApiError(400, 'invalid_events', `no event was accepted: ${rejected.length} rejected`, { rejected });
    }
    return { accepted: r.accepted, duplicates: r.duplicates, rejected, ...extra };
  };

  app.post('/events', async (c) => {
    const text = await c.req.text();
    if (!text.trim()) throw new ApiError(400, 'empty_body', 'body: send one event, a JSON array of events, or NDJSON');
    let batch: ParsedBatch;
    try {
      batch = parseEventsBody(text, c.req.header('content-type') ?? '');
    } catch (e) {
      if (e instanceof MalformedBody) throw new ApiError(400, 'malformed_json', e.message);
      throw e;
    }
    if (batch.events.length === 0 && batch.rejected.length === 0) {
      throw new ApiError(400, 'empty_body', 'body: contains no events');
    }
    return c.json(await store(batch), 202);
  });

  app.post('/caliper', async (c) => {
    const ct = c.req.header('content-type') ?? '';
    if (ct && !/json/i.test(ct)) throw new ApiError(415, 'unsupported_media_type', 'a Caliper envelope is sent as application/json');
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch (e) {
      throw new ApiError(400, 'malformed_json', `body is not valid JSON: ${(e as Error).message}`);
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
