import { Hono } from 'hono';
import { requireRole } from '../auth/auth.ts';
import type { AppContext, Env } from '../context.ts';
import { organiserAggregate, parseWindow } from '../region/routes.ts';

/**
 * `GET /v1/region-view`: an organiser's admin sees exactly what the region sees of it (the
 * same function, over the same window parameters), so that nothing is shared that the
 * organiser, the personal-data controller, cannot check (docs/privacy.md, "The region").
 */
export function regionViewRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  app.get('/region-view', requireRole('admin'), async (c) => {
    const q = parseWindow(c);
    await ctx.ingest.caughtUp(5_000);
    const organiser = ctx.organiser ?? { id: 'default', name: '' };
    return c.json({ organiser: { id: organiser.id, name: organiser.name }, ...(await organiserAggregate(ctx.storage, q, { timeZone: ctx.config.timeZone, today: ctx.today })) });
  });
  return app;
}
