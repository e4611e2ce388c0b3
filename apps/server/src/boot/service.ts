import { serve, type Http2Bindings, type HttpBindings, type ServerType } from '@hono/node-server';
import { ApiError, type Config } from '@licenskoll/core';
import { queryRows, type StorageOptions } from '@licenskoll/storage';
import { ingestSettingsFromEnv, type IngestSettings, type WriterOptions } from '@licenskoll/ingest';
import type { AppContext } from '../context.ts';
import { seedDemo, storeIsEmpty } from './demo-seed.ts';
import { startRegionDemo } from './region-demo.ts';
import { demoSignInText, issueDemoSignIns, revokeDemoSignIns } from './demo-roles.ts';
import { ss12000ScheduleFromEnv, startSs12000Schedule } from './ss12000-schedule.ts';
import { errorBody } from '../http/http-errors.ts';
import { discardIncoming } from '../http/incoming-body.ts';
import { logLine } from '../log.ts';
import { metricsRoutes } from '../http/metrics.ts';
import { startStorage } from './storage-startup.ts';
import { issueToken, tokenOrganiser } from '../auth/tokens.ts';
import { smtpSettingsFromEnv, type SmtpSettings } from '../mail/smtp-settings.ts';
import { startOrganiser, type RuntimeOptions } from './organiser-runtime.ts';
import { browserOrganiser } from './browser-organiser.ts';
import { Organisers, firstOrganiserFromEnv } from '../region/organisers.ts';
import { RegionTokens, REGION_TOKEN_PREFIX } from '../region/region-tokens.ts';
import { createRegionApp } from '../region/routes.ts';

export interface ServiceOptions {
  today?: string;
  log?: (msg: string) => void;
  /** Queue, batch, body and spool bounds; by default from the environment (`LICENSKOLL_INGEST_*`, `LICENSKOLL_SPOOL_MAX_MB`). */
  ingest?: Partial<IngestSettings>;
  writer?: WriterOptions;
  storage?: StorageOptions;
  /** Opens `GET /metrics` besides admin tokens (`LICENSKOLL_METRICS_TOKEN`). */
  metricsToken?: string;
  /** The SMTP server of scheduled e-mail; by default from `LICENSKOLL_SMTP_*` (null: e-mail off). */
  smtp?: SmtpSettings | null;
  /** The region admin token besides issued region tokens; by default `LICENSKOLL_REGION_ADMIN_TOKEN`. */
  regionAdminToken?: string;
}

export interface Service {
  /** The first organiser's context (the only one of a single-organiser setup). */
  ctx: AppContext;
  /** Every organiser, once storage answered (docs/tenants.md). */
  organisers(): Organisers | undefined;
  url: string;
  port: number;
  /** Set when this start generated the first admin token (printed once). */
  generatedAdminToken?: string;
  stop(): Promise<void>;
}

/** The bearer token of a request, read without parsing anything else. */
const bearerOf = (h: string | undefined) => (h ? /^Bearer\s+(\S{1,512})\s*$/i.exec(h)?.[1] : undefined);

/** The path of a request line's target, without parsing a URL for every request. */
const pathOf = (url: string) => (url.startsWith('/') ? url.split('?', 1)[0] : new URL(url, 'http://x').pathname);

/** Idle keep-alive connections are kept this long. */
const KEEP_ALIVE_MS = 65_000;
/** How long a stop lets requests already being received finish before refusing them. */
const REQUEST_GRACE_MS = 10_000;
/** How long a stop waits for answers already being written once every accepted event is stored. */
const ANSWER_GRACE_MS = 5_000;
/**
 * A stop closes the port and the connections once no request has come for this long (up to
 * QUIET_MAX_MS): a client that just had its 202 sends its next request within it and is answered
 * 503 instead of finding its connection closed under it.
 */
const QUIET_MS = 300;
const QUIET_MAX_MS = 3_000;

/**
 * Opens storage, brings the schema up to date, seeds the demo into an empty store when asked,
 * and serves API and dashboard on one port. A ClickHouse server that does not answer does not
 * stop the start: ingest spools and reports answer 503 until it does. `stop` stops accepting,
 * stores (or spools) what was accepted, answers those requests, and closes storage.
 */
export async function startService(config: Config, opts: ServiceOptions = {}): Promise<Service> {
  const log = opts.log ?? logLine;
  const settings = { ...ingestSettingsFromEnv(), ...opts.ingest };
  const { storage, ready, isReady } = await startStorage(config, opts.storage ?? {}, log);
  const smtp = opts.smtp === undefined ? smtpSettingsFromEnv() : opts.smtp;
  let organisers: Organisers | undefined;
  // The region's registry opens once storage answers; a licence naming an agreement before then is asked to retry.
  const agreementsFor = async (id: string) => {
    if (!organisers) throw new ApiError(503, 'storage_unavailable', "the region's agreements are not read yet: retry later", undefined, { 'Retry-After': '5' });
    return organisers.agreementsFor(id);
  };
  const rtOpts: RuntimeOptions = {
    settings, writer: opts.writer, smtp, today: opts.today, metricsToken: opts.metricsToken, log, agreementsFor,
    peersOf: async (id, w) => organisers?.peerInputs(id, w),
    regionCatalogue: async () => {
      if (!organisers) throw new ApiError(503, 'storage_unavailable', "the region's catalogue is not read yet: retry later", undefined, { 'Retry-After': '5' });
      return organisers.catalogue();
    },
  };
  // The first organiser is the store as it was before tenants; it serves at once, even while
  // a ClickHouse server does not answer yet. The others start once the region's registry is read.
  const first = startOrganiser(firstOrganiserFromEnv(), config, storage, rtOpts);
  const { ctx, tokens } = first;
  const { mail } = ctx;
  const regionTokens = new RegionTokens(() => organisers?.region, opts.regionAdminToken ?? (process.env.LICENSKOLL_REGION_ADMIN_TOKEN || undefined));
  const regionApp = createRegionApp(() => organisers, regionTokens, { today: opts.today, timeZone: config.timeZone });

  let generatedAdminToken: string | undefined;
  const firstUse = async () => {
    if (!config.adminToken) {
      const admins = await queryRows<{ n: number }>(storage.write, `SELECT count() AS n FROM tokens FINAL WHERE role = 'admin' AND revoked = 0`, {}, ['n']);
      if (admins[0].n === 0) {
        generatedAdminToken = (await issueToken(storage, { name: 'initial admin', role: 'admin' })).token;
        log(`\nNo LICENSKOLL_ADMIN_TOKEN is set: generated an admin token. It is shown this once; keep it:\n\n  ${generatedAdminToken}\n`);
      }
    }
    if (config.demo) {
      // Only the start that seeds the demo, or one whose store already holds demo sign-ins, prints any.
      const scopes = (await storeIsEmpty(ctx)) ? await seedDemo(ctx, log) : [];
      const signIns = await issueDemoSignIns(ctx, scopes);
      if (signIns.length) log(demoSignInText(signIns));
    } else {
      await revokeDemoSignIns(ctx);
    }
    await mail.start();
    organisers = await Organisers.open(storage, first, config, rtOpts);
    if (config.demoRegion) await startRegionDemo(organisers, log);
  };
  if (isReady()) await firstUse();
  else void ready.then(firstUse).catch((e) => log(`first start tasks failed: ${(e as Error).message}`));
  const schedule = ss12000ScheduleFromEnv();
  const stopSchedule = schedule ? startSs12000Schedule(ctx, schedule, log) : () => {};

  const metrics = metricsRoutes(ctx, tokens, { metricsToken: opts.metricsToken, storageReady: isReady });
  let stopping = false;
  let inFlight = 0;
  let lastRequestAt = 0;
  let drained: (() => void) | undefined;
  const fetch = async (req: Request, bindings: HttpBindings | Http2Bindings): Promise<Response> => {
    // Served over HTTP/1.1 only (`serve` below).
    const env = bindings as HttpBindings;
    inFlight++;
    lastRequestAt = performance.now();
    try {
      if (stopping) {
        await discardIncoming(env.incoming, Infinity);
        return Response.json(errorBody('shutting_down', 'the service is shutting down: nothing was kept, retry'), {
          status: 503, headers: { 'Retry-After': '5', Connection: 'close' },
        });
      }
      const path = pathOf(env.incoming.url ?? '');
      // Each request goes to one organiser's apps, or the region's, by its token (a browser: below): an
      // organiser's apps hold only its own storage, so no route can reach another's rows.
      const bearer = bearerOf(env.incoming.headers.authorization);
      if (bearer && (bearer.startsWith(REGION_TOKEN_PREFIX) || regionTokens.isEnvToken(bearer))) return await regionApp.fetch(req, env);
      // A browser without a token: by its sign-in path or its session cookie's prefix.
      const named = bearer ? tokenOrganiser(bearer) : browserOrganiser(path, env.incoming.headers);
      const rt = (named && organisers?.get(named)) || first;
      if (path === '/v1/events' && req.method === 'POST') return await rt.ingestApp.fetch(req, env);
      return path === '/metrics' ? await metrics.fetch(req, env) : await rt.app.fetch(req, env);
    } finally {
      if (--inFlight === 0) drained?.();
    }
  };
  const server: ServerType = await new Promise((resolveServer) => {
    const s = serve({ fetch, port: config.port, hostname: '0.0.0.0' }, () => resolveServer(s));
  });
  if ('keepAliveTimeout' in server) {
    // Node closes a keep-alive connection after 5 s idle. A client that picks it for its next
    // request in the same instant (likelier the busier either side is) sees its upload fail
    // with EPIPE instead of getting an answer. A long idle timeout, announced in `Keep-Alive:
    // timeout=`, lets clients close idle connections first; it is what load balancers expect.
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  log(`Licenskoll listens on ${url} (${storage.mode} ClickHouse${storage.mode === 'embedded' ? ` in ${config.dataDir}` : ''})`);

  let stopped = false;
  return {
    ctx, url, port, generatedAdminToken,
    organisers: () => organisers,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      stopping = true;
      const grace = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
      const answered = () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => (drained = r)));
      // The port and the open connections stay open while the stop stores what was accepted:
      // every request that comes meanwhile is read and answered 503 with Retry-After and
      // `Connection: close` (above). Closing them now would reset the requests that clients were
      // just sending on them (an idle keep-alive connection, a connection not yet accepted).
      // Requests already being received finish normally (their events are kept and answered
      // 202). A slow upload gets this long, then 503.
      await Promise.race([answered(), grace(REQUEST_GRACE_MS)]);
      // Everything accepted is stored or spooled here; the requests waiting for it get their 202.
      const all = organisers?.all() ?? [first];
      await Promise.all(all.map((o) => o.drain()));
      await Promise.race([answered(), grace(ANSWER_GRACE_MS)]);
      const quietUntil = performance.now() + QUIET_MAX_MS;
      while ((inFlight > 0 || performance.now() - lastRequestAt < QUIET_MS) && performance.now() < quietUntil) await grace(50);
      // Then the port closes with the idle connections (Node's `close`), the last answers get a
      // moment to reach their sockets, and whatever is left is cut.
      const closed = new Promise<void>((r) => server.close(() => r()));
      await Promise.race([closed, grace(1_000)]);
      if ('closeAllConnections' in server) server.closeAllConnections();
      await closed;
      await Promise.all(all.map((o) => o.close()));
      await organisers?.region.close();
      await storage.close();
    },
  };
}
