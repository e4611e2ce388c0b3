import { Hono } from 'hono';
import type { AppContext } from '../context.ts';

/** Unauthenticated: load balancers and operators ask it; it reveals no data. */
export function healthRoutes(ctx: AppContext) {
  const app = new Hono();
  app.get('/health', async (c) => {
    let storage = 'ok';
    try {
      await ctx.storage.read.query({ query: 'SELECT 1', format: 'JSONEachRow' }).then((r) => r.json());
    } catch {
      storage = 'unavailable';
    }
    const s = ctx.writer.stats;
    return c.json(
      {
        status: storage === 'ok' ? 'ok' : 'degraded',
        storage,
        mode: ctx.storage.mode,
        queueDepth: ctx.writer.queueDepth,
        lastFlushAt: s.lastFlushAt ?? null,
        flushes: s.flushes,
        rowsWritten: s.rowsWritten,
        failures: s.failures,
      },
      storage === 'ok' ? 200 : 503,
    );
  });
  return app;
}
