import { Hono } from 'hono';
import type { AppContext } from '../context.ts';
import { metricsAccess } from '../http/metrics.ts';
import type { TokenResolver } from '../auth/tokens.ts';

/** A health probe must answer even while a long report holds the read connection. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Without a token it answers only `{"status":"up"}` (200) or `{"status":"down"}` (503), for load
 * balancers; the details (queue, spool, rows written, key filter) are inner figures like
 * `/metrics` and need an admin token or the metrics token (issue 19: they were open to anyone).
 * A token that may not read them is refused 401/403, never quietly given the short answer.
 *
 * 200 while this process keeps its ingest promise, even with storage down: events then go to
 * the spool, and a probe that failed here would take away the one instance still accepting
 * them. 503 when it cannot: storage down and the spool full, or the local disk refusing the
 * journal (full or failing; for 10 s after its last refusal, so that traffic comes back to
 * try again). (While shutting down, the service answers every request 503 before it reaches here.)
 */
export function healthRoutes(ctx: AppContext, tokens: TokenResolver, metricsToken?: string) {
  const app = new Hono();
  const refused = metricsAccess(ctx, tokens, metricsToken);
  app.get('/health', async (c) => {
    const details = c.req.header('authorization') !== undefined;
    if (details) {
      const no = await refused(c);
      if (no) return no;
    }
    let storage: 'ok' | 'unavailable' = 'ok';
    try {
      // Fails at once while a ClickHouse server that was down at start is still being waited for.
      const probe = ctx.storage.read.query({ query: 'SELECT 1', format: 'JSONEachRow' }).then((r) => r.json());
      await Promise.race([
        probe,
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS).unref()),
      ]);
    } catch {
      storage = 'unavailable';
    }
    const w = ctx.ingest.status();
    const s = w.stats;
    const journalError = w.journalError;
    const ingest = journalError ? 'unavailable' : storage === 'ok' && w.storageUp ? 'ok' : w.spoolFull ? 'unavailable' : 'spooling';
    const status = ingest === 'ok' ? 'ok' : ingest === 'spooling' ? 'degraded' : 'unavailable';
    if (!details) return c.json({ status: status === 'unavailable' ? 'down' : 'up' }, status === 'unavailable' ? 503 : 200);
    return c.json(
      {
        status,
        storage,
        ingest,
        mode: ctx.storage.mode,
        queueDepth: w.queueDepth,
        queueLimit: w.queueLimit,
        // What waits on disk to be stored: spooled batches and an insert cut short.
        spool: { ...w.waiting, maxBytes: w.spoolMaxBytes },
        // Why the local disk refused the journal's last batch (in the last 10 s), or null.
        journalError,
        lastFlushAt: s.lastFlushAt ?? null,
        lastFlushMs: s.lastFlushMs ?? null,
        lastFailureAt: s.lastFailureAt ?? null,
        flushes: s.flushes,
        rowsWritten: s.rowsWritten,
        failures: s.flushFailures,
        // The duplicate filter of stored keys: until it is filled after a start, keys are looked up.
        keyFilter: w.keyFilter,
      },
      status === 'unavailable' ? 503 : 200,
    );
  });
  return app;
}
