import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { ApiError } from '@licenskoll/core';
import { readWhole } from '@licenskoll/storage';
import { authenticate } from '../auth/auth.ts';
import type { AppContext, Env } from '../context.ts';
import { errorBody, handleError } from '../http/http-errors.ts';
import { declaredLength, tooLargeError } from '../http/incoming-body.ts';
import { BODY_LIMITS, type BodyLimit } from '../http/body-limits.ts';
import { securityHeaders } from '../http/security-headers.ts';
import { adminRoutes } from '../routes/admin.ts';
import { eventRoutes, ingestEventsRoute } from '../routes/events.ts';
import { reportRoutes } from '../routes/report-table.ts';
import { rosterRoutes } from '../routes/roster.ts';
import { renewalPackRoutes } from '../routes/renewal-pack.ts';
import { signInPupilsRoutes } from '../routes/sign-in-readiness.ts';
import { flagRoutes } from '../routes/flags.ts';
import { healthRoutes } from '../routes/health.ts';
import { privacyRoutes } from '../routes/privacy.ts';
import { importRoutes } from '../routes/import.ts';
import { bolRoutes } from '../routes/bol.ts';
import { subscriptionRoutes } from '../routes/subscriptions.ts';
import { regionViewRoutes } from '../routes/region-view.ts';
import { peerRoutes } from '../routes/peers.ts';
import { agreementRoutes } from '../routes/agreements.ts';
import { authRoutes } from '../auth/oidc/routes.ts';
import { signInSettingsRoutes } from '../routes/sign-in-settings.ts';
import type { TokenResolver } from '../auth/tokens.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const DASHBOARD_DIR = resolve(here, '../../../../dashboards/dist');

/** Body limits: an ingest batch stays a few MB (it is built in memory); roster and licence files may be larger. */
const LIMITS = BODY_LIMITS;
/** How long a report waits at most for events already answered 202 to be stored: under a flood it answers anyway. */
const READ_WAITS_FOR_INGEST_MS = 5_000;
/**
 * A body with a Content-Length is judged by it, and then read directly from the socket by the
 * route. Only a body without one (chunked) is counted as it streams: Hono's `bodyLimit` wraps
 * it in a Fetch stream, which builds the whole undici Request, a fifth of a small request's cost.
 */
const tooLarge = (limit: BodyLimit): MiddlewareHandler<Env> => {
  const streaming = bodyLimit({ maxSize: limit.bytes, onError: () => { throw tooLargeError(limit); } });
  return async (c, next) => {
    if (declaredLength(c.env.incoming.headers, limit) === undefined) return streaming(c, next);
    await next();
  };
};

/**
 * `POST /v1/events` on its own: the service hands it this app, not the main one (service.ts),
 * so that neither the main app's router nor its middleware chain runs for every ingested
 * event (see ingestEventsRoute). Routing through the main app took 5-8 us of the main
 * thread per single event.
 */
export function createIngestApp(ctx: AppContext, tokens: TokenResolver): Hono<Env> {
  return new Hono<Env>().post('/v1/events', ingestEventsRoute(ctx, tokens));
}

/** Everything but ingest's `POST /v1/events` (createIngestApp): API, sign-in and dashboard. */
export function createApp(ctx: AppContext, tokens: TokenResolver, opts: { metricsToken?: string } = {}): Hono<Env> {
  const app = new Hono<Env>();
  app.onError(handleError);
  app.use('*', securityHeaders());

  // Each organiser's sign-in under /auth/<organiser>/ (service.ts routes it there by the path); the first's also under /auth/, as before tenants.
  if (ctx.organiser) app.route(`/auth/${ctx.organiser.id}`, authRoutes(ctx, `/auth/${ctx.organiser.id}`));
  if (!ctx.organiser || ctx.organiser.first) app.route('/auth', authRoutes(ctx));
  app.route('/v1', healthRoutes(ctx, tokens, opts.metricsToken));
  app.use('/v1/caliper', tooLarge(LIMITS.events));
  app.use('/v1/import/*', tooLarge(LIMITS.imports));
  app.use('/v1/*', async (c, next) => {
    if (c.req.path.startsWith('/v1/caliper') || c.req.path.startsWith('/v1/import/')) return next();
    return tooLarge(LIMITS.other)(c, next);
  });
  app.use('/v1/*', authenticate(ctx, tokens));
  // A 202 is given once events are journaled; what reads figures first lets the journal catch
  // up (briefly), so that a report counts every event answered before it was asked.
  const caughtUp: MiddlewareHandler = async (_c, next) => {
    await ctx.ingest.caughtUp(READ_WAITS_FOR_INGEST_MS);
    await next();
  };
  // A report sees a roster snapshot of this process whole or not at all (whole-writes.ts).
  const whole: MiddlewareHandler = async (_c, next) => {
    await ctx.ingest.caughtUp(READ_WAITS_FOR_INGEST_MS);
    await readWhole(ctx.storage, next);
  };
  app.use('/v1/reports/*', whole);
  app.use('/v1/privacy/*', caughtUp);
  app.route('/v1', adminRoutes(ctx, tokens));
  app.route('/v1', importRoutes(ctx));
  app.route('/v1', subscriptionRoutes(ctx));
  app.use('/bol/*', tooLarge(LIMITS.other), authenticate(ctx, tokens), whole);
  app.route('/bol', bolRoutes(ctx));
  app.route('/v1', rosterRoutes(ctx));
  app.route('/v1/reports', reportRoutes(ctx));
  app.route('/v1/reports', renewalPackRoutes(ctx));
  app.route('/v1/reports', signInPupilsRoutes(ctx));
  app.route('/v1/reports', flagRoutes(ctx));
  app.route('/v1', privacyRoutes(ctx));
  app.route('/v1', regionViewRoutes(ctx));
  app.route('/v1', peerRoutes(ctx));
  app.route('/v1', signInSettingsRoutes(ctx));
  app.route('/v1', agreementRoutes(ctx));
  // The region's endpoints are the region's app's (service.ts routes region tokens there): an organiser's token is refused them.
  app.all('/v1/region/*', (c) => c.json(errorBody('forbidden', `${c.req.method} ${c.req.path.slice(0, 100)} answers only region tokens`), 403));
  // Last of the /v1 routes: its role check is registered for '*', so anything mounted after it would need ingest or admin.
  app.route('/v1', eventRoutes(ctx));
  app.all('/v1/*', (c) => c.json(errorBody('not_found', `no endpoint ${c.req.method} ${c.req.path}`), 404));

  if (existsSync(DASHBOARD_DIR)) {
    const indexHtml = readFileSync(join(DASHBOARD_DIR, 'index.html'), 'utf8');
    app.use('/assets/*', serveStatic({ root: DASHBOARD_DIR, onFound: (_p, c) => c.header('Cache-Control', 'public, max-age=31536000, immutable') }));
    app.use('*', serveStatic({ root: DASHBOARD_DIR }));
    app.get('*', (c) => c.html(indexHtml));
  } else {
    app.get('/', (c) => c.text('Licenskoll API is running. The dashboard is not built: run `npm run build:dashboard`.'));
  }
  app.notFound(() => {
    throw new ApiError(404, 'not_found', 'not found');
  });
  return app;
}
