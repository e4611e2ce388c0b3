import { Hono, type Context } from 'hono';
import { todayInZone } from '@licenskoll/core';
import type { Histogram, IngestStatus } from '@licenskoll/ingest';
import type { AppContext } from '../context.ts';
import { errorBody } from './http-errors.ts';
import { safeEqual, type TokenResolver } from '../auth/tokens.ts';

type Sample = [name: string, type: 'counter' | 'gauge', help: string, value: number];

function histogram(name: string, help: string, h: Histogram): string[] {
  const out = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
  h.bounds.forEach((b, i) => out.push(`${name}_bucket{le="${b / 1000}"} ${h.counts[i]}`));
  out.push(`${name}_bucket{le="+Inf"} ${h.count}`, `${name}_sum ${h.sum / 1000}`, `${name}_count ${h.count}`);
  return out;
}

/** The Prometheus text exposition (format 0.0.4) of ingest, spool and process figures. */
export function renderMetrics(ingest: IngestStatus, storageReady: boolean): string {
  const s = ingest.stats;
  const mem = process.memoryUsage();
  const samples: Sample[] = [
    ['licenskoll_ingest_events_accepted_total', 'counter', 'Events newly kept: fsynced to the local journal, to be stored.', s.acceptedRows],
    ['licenskoll_ingest_events_duplicate_total', 'counter', 'Events answered as duplicates of stored ones.', s.duplicateRows],
    ['licenskoll_ingest_events_rejected_total', 'counter', 'Events refused by validation.', s.rejectedRows],
    ['licenskoll_ingest_requests_overloaded_total', 'counter', 'Ingest requests answered 429 (queue or body budget full).', s.overloadedRequests],
    ['licenskoll_ingest_requests_unavailable_total', 'counter', 'Ingest requests answered 503: the local journal full or failing.', s.unavailableRequests],
    ['licenskoll_ingest_flushes_total', 'counter', 'Inserts into storage from the journal.', s.flushes],
    ['licenskoll_ingest_flush_failures_total', 'counter', 'Inserts storage did not take (the rows wait in the journal).', s.flushFailures],
    ['licenskoll_ingest_rows_written_total', 'counter', 'Rows inserted into storage.', s.rowsWritten],
    ['licenskoll_spool_rows_total', 'counter', 'Rows appended to the local journal (every accepted event).', s.spooledRows],
    ['licenskoll_spool_batches_total', 'counter', 'Batches appended to the local journal (one fsync each).', s.spooledBatches],
    ['licenskoll_spool_replay_duplicate_rows_total', 'counter', 'Journaled rows found stored already (replayed after a crash).', s.replayDuplicateRows],
    ['licenskoll_ingest_claimed_elsewhere_rows_total', 'counter', 'Journaled rows another writer into the same store had claimed first and stored instead (several ingest processes).', s.claimedElsewhereRows],
    ['licenskoll_spool_quarantined_rows_total', 'counter', 'Spooled rows storage could not read, moved aside for an operator.', s.quarantinedRows],
    ['licenskoll_ingest_queue_rows', 'gauge', 'Rows accepted and not yet stored (in memory and in the journal).', ingest.queueDepth],
    ['licenskoll_ingest_queue_limit_rows', 'gauge', 'Bound of rows accepted and not yet stored while storage answers.', ingest.queueLimit],
    ['licenskoll_ingest_body_bytes_in_use', 'gauge', 'Bytes of ingest request bodies being read and parsed.', ingest.bodyBytesInUse],
    ['licenskoll_spool_bytes', 'gauge', 'Bytes waiting on disk to be stored (spool and an insert cut short).', ingest.waiting.bytes],
    ['licenskoll_spool_pending_batches', 'gauge', 'Batches waiting on disk to be stored.', ingest.waiting.batches],
    ['licenskoll_spool_pending_rows', 'gauge', 'Rows waiting on disk to be stored.', ingest.waiting.rows],
    ['licenskoll_ingest_completed_inserts_total', 'counter', 'Inserts cut short by a crash or an error and completed later, identically.', s.completedInserts],
    ['licenskoll_ingest_filled_in_rows_total', 'counter', 'Rows a table had lost of a completed insert (a part that failed to commit) and was given afterwards, summed over tables.', s.filledInRows],
    ['licenskoll_spool_max_bytes', 'gauge', 'Bound of the spool.', ingest.spoolMaxBytes],
    ['licenskoll_journal_refused', 'gauge', '1 while the local disk refuses the ingest journal (full or failing; its last refusal under 10 s ago).', ingest.journalError ? 1 : 0],
    ['licenskoll_storage_up', 'gauge', '1 when storage is open and took the last batch.', storageReady && ingest.storageUp ? 1 : 0],
    ['licenskoll_ingest_last_flush_timestamp_seconds', 'gauge', 'When a batch was last stored (0: never).', s.lastFlushAt ? Date.parse(s.lastFlushAt) / 1000 : 0],
    ['process_resident_memory_bytes', 'gauge', 'Resident memory of the process, embedded engine included.', mem.rss],
    ['nodejs_heap_used_bytes', 'gauge', 'JavaScript heap in use.', mem.heapUsed],
    ['nodejs_heap_total_bytes', 'gauge', 'JavaScript heap reserved.', mem.heapTotal],
    ['nodejs_external_memory_bytes', 'gauge', 'Memory outside the JavaScript heap held by JavaScript objects (buffers).', mem.external],
  ];
  const lines = samples.flatMap(([name, type, help, value]) => [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`]);
  lines.push(...histogram('licenskoll_ingest_flush_duration_seconds', 'Lookup and insert of one live batch.', s.flushMs));
  lines.push(...histogram('licenskoll_spool_append_duration_seconds', 'Append and fsync of one batch to the spool.', s.spoolAppendMs));
  return `${lines.join('\n')}\n`;
}

/**
 * Who may read the service's inner figures (`/metrics`, and `/v1/health`'s details): an admin
 * token or the metrics token. Answers the 401/403 to send, or undefined when the caller may.
 */
export function metricsAccess(ctx: AppContext, tokens: TokenResolver, metricsToken?: string) {
  return async (c: Context): Promise<Response | undefined> => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (!m) return c.json(errorBody('unauthorized', 'send a token as "Authorization: Bearer <token>"'), 401);
    if (metricsToken && safeEqual(m[1], metricsToken)) return undefined;
    // Issued tokens live in storage; while it is down only the configured tokens open this.
    const caller = await tokens.resolve(m[1], ctx.today ?? todayInZone(ctx.config.timeZone)).catch(() => null);
    if (!caller) return c.json(errorBody('unauthorized', 'the token is unknown, revoked or expired'), 401);
    if (caller.role !== 'admin') return c.json(errorBody('forbidden', `the ${caller.role} role may not read metrics (needs admin or the metrics token)`), 403);
    return undefined;
  };
}

/**
 * `GET /metrics`. It needs a token: an admin token, or `LICENSKOLL_METRICS_TOKEN` when set so
 * that a scraper holds a secret that opens nothing else. Loopback-only without a token was the
 * alternative; it was not taken because behind a reverse proxy on the same host every request
 * comes from loopback, which would publish the figures without anyone noticing.
 */
export function metricsRoutes(ctx: AppContext, tokens: TokenResolver, opts: { metricsToken?: string; storageReady: () => boolean }) {
  const app = new Hono();
  const refused = metricsAccess(ctx, tokens, opts.metricsToken);
  app.get('/metrics', async (c) => {
    const no = await refused(c);
    if (no) return no;
    return c.body(renderMetrics(ctx.ingest.status(), opts.storageReady()), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  return app;
}
