import { serve, type Http2Bindings, type HttpBindings, type ServerType } from '@hono/node-server';
import { Pseudonymiser, type Config } from '@licenskoll/core';
import { queryRows, type StorageOptions } from '@licenskoll/storage';
import { Ingest, ingestSettingsFromEnv, type IngestSettings, type WriterOptions } from '@licenskoll/ingest';
import { settledResolution } from '@licenskoll/reports';
import { createApp, createIngestApp } from './app.ts';
import type { AppContext } from './context.ts';
import { seedDemo, storeIsEmpty } from './demo-seed.ts';
import { ss12000ScheduleFromEnv, startSs12000Schedule } from './ss12000-schedule.ts';
import { errorBody } from './http-errors.ts';
import { discardIncoming } from './incoming-body.ts';
import { logLine } from './log.ts';
import { metricsRoutes } from './metrics.ts';
import { BODY_LIMITS } from './body-limits.ts';
import { pseudonymKey } from './pseudonym-key.ts';
import { startStorage } from './storage-startup.ts';
import { issueToken, TokenResolver } from './tokens.ts';
import { AuditLog } from './audit.ts';
import { MailService } from './mail/mail-service.ts';
import { smtpSettingsFromEnv, type SmtpSettings } from './mail/smtp-settings.ts';

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
}

export interface Service {
  ctx: AppContext;
  url: string;
  port: number;
  /** Set when this start generated the first admin token (printed once). */
  generatedAdminToken?: string;
  stop(): Promise<void>;
}

/** The path of a request line's target, without parsing a URL for every request. */
const pathOf = (url: string) => (url.startsWith('/') ? url.split('?', 1)[0] : new URL(url, 'http://x').pathname);

/** Idle keep-alive connections are kept this long. */
const KEEP_ALIVE_MS = 65_000;
/** How long a stop lets requests already being received finish before refusing them. */
const REQUEST_GRACE_MS = 10_000;
/** How long a stop waits for answers already being written once every accepted event is stored. */
const ANSWER_GRACE_MS = 5_000;

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
  const pseudo = new Pseudonymiser(pseudonymKey(config));
  const ingest = Ingest.open({ storage, pseudo, timeZone: config.timeZone, dataDir: config.dataDir, settings, bodyLimit: BODY_LIMITS.events.bytes, writer: opts.writer, log });
  const smtp = opts.smtp === undefined ? smtpSettingsFromEnv() : opts.smtp;
  const mailAudit = new AuditLog(storage);
  const mail = new MailService({ storage, timeZone: config.timeZone, today: opts.today, smtp, audit: (row) => mailAudit.append(row), log });
  const ctx: AppContext = { config, storage, pseudo, ingest, today: opts.today, mail };
  const tokens = new TokenResolver(storage, { admin: config.adminToken, ingest: config.ingestToken });

  let generatedAdminToken: string | undefined;
  const firstUse = async () => {
    if (!config.adminToken) {
      const admins = await queryRows<{ n: number }>(storage.write, `SELECT count() AS n FROM tokens FINAL WHERE role = 'admin' AND revoked = 0`, {}, ['n']);
      if (admins[0].n === 0) {
        generatedAdminToken = (await issueToken(storage, { name: 'initial admin', role: 'admin' })).token;
        log(`\nNo LICENSKOLL_ADMIN_TOKEN is set: generated an admin token. It is shown this once; keep it:\n\n  ${generatedAdminToken}\n`);
      }
    }
    if (config.demo && (await storeIsEmpty(ctx))) await seedDemo(ctx, log);
    await mail.start();
  };
  if (isReady()) await firstUse();
  else void ready.then(firstUse).catch((e) => log(`first start tasks failed: ${(e as Error).message}`));
  const schedule = ss12000ScheduleFromEnv();
  const stopSchedule = schedule ? startSs12000Schedule(ctx, schedule, log) : () => {};
  ingest.start();

  const app = createApp(ctx, tokens, { metricsToken: opts.metricsToken });
  const ingestApp = createIngestApp(ctx, tokens);
  const metrics = metricsRoutes(ctx, tokens, { metricsToken: opts.metricsToken, storageReady: isReady });
  let stopping = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const fetch = async (req: Request, bindings: HttpBindings | Http2Bindings): Promise<Response> => {
    // Served over HTTP/1.1 only (`serve` below).
    const env = bindings as HttpBindings;
    inFlight++;
    try {
      if (stopping) {
        await discardIncoming(env.incoming, Infinity);
        return Response.json(errorBody('shutting_down', 'the service is shutting down: nothing was kept, retry'), {
          status: 503, headers: { 'Retry-After': '5', Connection: 'close' },
        });
      }
      const path = pathOf(env.incoming.url ?? '');
      if (path === '/v1/events' && req.method === 'POST') return await ingestApp.fetch(req, env);
      return path === '/metrics' ? await metrics.fetch(req, env) : await app.fetch(req, env);
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
    stop: async () => {
      if (stopped) return;
      stopped = true;
      stopping = true;
      const closed = new Promise<void>((r) => server.close(() => r()));
      const grace = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
      const answered = () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => (drained = r)));
      // Requests already being received finish normally (their events are kept and answered
      // 202); new ones were refused above. A slow upload gets this long, then 503.
      await Promise.race([answered(), grace(REQUEST_GRACE_MS)]);
      // Everything accepted is stored or spooled here; the requests waiting for it get their 202.
      await Promise.all([ingest.close(), mail.stop()]);
      await Promise.race([answered(), grace(ANSWER_GRACE_MS)]);
      // Keep-alive connections would hold `close` open for their idle timeout: close the idle
      // ones now, and give the last answers a moment to reach their sockets before the rest.
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      await Promise.race([closed, grace(1_000)]);
      if ('closeAllConnections' in server) server.closeAllConnections();
      await closed;
      // A query still running when the process exits can deadlock the embedded engine's exit.
      await settledResolution(storage, 20_000);
      await storage.close();
    },
  };
}
