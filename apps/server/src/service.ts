import { serve, type ServerType } from '@hono/node-server';
import { Pseudonymiser, type Config } from '@licenskoll/core';
import { migrate, openStorage, queryRows, type StorageOptions } from '@licenskoll/storage';
import { EventWriter, type WriterOptions } from '@licenskoll/ingest';
import { createApp } from './app.ts';
import type { AppContext } from './context.ts';
import { seedDemo, storeIsEmpty } from './demo-seed.ts';
import { pseudonymKey } from './pseudonym-key.ts';
import { issueToken, TokenResolver } from './tokens.ts';

export interface ServiceOptions {
  today?: string;
  log?: (msg: string) => void;
  writer?: WriterOptions;
  storage?: StorageOptions;
}

export interface Service {
  ctx: AppContext;
  url: string;
  port: number;
  /** Set when this start generated the first admin token (printed once). */
  generatedAdminToken?: string;
  stop(): Promise<void>;
}

/**
 * Opens storage, brings the schema up to date, seeds the demo into an empty store when asked,
 * and serves API and dashboard on one port. `stop` stops accepting, drains what was accepted,
 * and closes storage.
 */
export async function startService(config: Config, opts: ServiceOptions = {}): Promise<Service> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const storage = await openStorage(config, opts.storage);
  await migrate(storage, { retentionMonths: config.retentionMonths });
  const pseudo = new Pseudonymiser(pseudonymKey(config));
  const writer = new EventWriter(storage, opts.writer);
  const ctx: AppContext = { config, storage, pseudo, writer, today: opts.today };
  const tokens = new TokenResolver(storage, { admin: config.adminToken, ingest: config.ingestToken });

  let generatedAdminToken: string | undefined;
  if (!config.adminToken) {
    const admins = await queryRows<{ n: number }>(storage.write, `SELECT count() AS n FROM tokens FINAL WHERE role = 'admin' AND revoked = 0`, {}, ['n']);
    if (admins[0].n === 0) {
      generatedAdminToken = (await issueToken(storage, { name: 'initial admin', role: 'admin' })).token;
      log(`\nNo LICENSKOLL_ADMIN_TOKEN is set: generated an admin token. It is shown this once; keep it:\n\n  ${generatedAdminToken}\n`);
    }
  }
  if (config.demo && (await storeIsEmpty(ctx))) await seedDemo(ctx, log);

  const app = createApp(ctx, tokens);
  const server: ServerType = await new Promise((resolveServer) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: '0.0.0.0' }, () => resolveServer(s));
  });
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
      await new Promise<void>((r) => server.close(() => r()));
      await writer.close();
      await storage.close();
    },
  };
}
