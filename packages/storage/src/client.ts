import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '@licenskoll/core';

export type StorageMode = 'embedded' | 'server';

/**
 * The connections of one process. Writes and reads are separate because one connection runs
 * its queries one at a time: a long report on the ingest connection would stall ingest; for
 * the same reason background builds have a third.
 */
export interface Storage {
  mode: StorageMode;
  database: string;
  cluster?: string;
  /** The embedded engine's directory: what tells two services of one process on one store (ingest/src/claims.ts). */
  location?: string;
  write: ClickHouseClient;
  read: ClickHouseClient;
  /** Long background work (the resolution cache build), so that reports do not queue behind it. */
  background?: ClickHouseClient;
  close(): Promise<void>;
  /**
   * The same engine bound to another database (an organiser's, docs/tenants.md), created if
   * missing. Closing it closes only its own connections; the engine stays with this storage.
   */
  forDatabase?(database: string): Promise<Storage>;
}

/** Database names this code creates: a plain identifier, nothing to quote. */
export const isDatabaseName = (name: string) => /^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name);

/**
 * Settings both worlds share. 64-bit integers are quoted everywhere (a server quotes them by
 * default, the embedded engine does not) so that `rows.ts` converts them in one place.
 * `max_memory_usage` matters most embedded: an out-of-memory query takes the whole process.
 */
const COMMON_SETTINGS: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 1,
  max_memory_usage: String(4 * 1024 ** 3),
  join_use_nulls: 0,
};

export interface StorageOptions {
  /** Overrides for tests and benchmarks: e.g. a smaller memory cap. */
  settings?: ClickHouseSettings;
  /** The embedded engine's directory instead of `<dataDir>/clickhouse`: two services of one process on one store (tests). */
  embeddedPath?: string;
}

type Clients = Pick<Storage, 'write' | 'read'> & { background: ClickHouseClient };

/** A storage over its three clients; `open` binds the same engine to another (checked) database name. */
function storageOver(where: Pick<Storage, 'mode' | 'database' | 'cluster' | 'location'>, clients: Clients, open: (db: string) => Promise<Storage>): Storage {
  return {
    ...where,
    ...clients,
    close: async () => {
      await Promise.all([clients.write.close(), clients.read.close(), clients.background.close()]);
    },
    forDatabase: async (db) => {
      if (!isDatabaseName(db)) throw new Error(`"${db}" is not a plain database name`);
      return open(db);
    },
  };
}

export async function openStorage(config: Config, opts: StorageOptions = {}): Promise<Storage> {
  const clickhouse_settings = { ...COMMON_SETTINGS, ...opts.settings };
  if (!config.clickhouseUrl) {
    const { createChdbConnection } = await import('chdb/connection');
    const path = resolve(opts.embeddedPath ?? join(config.dataDir, 'clickhouse'));
    mkdirSync(path, { recursive: true });
    // Three engine sessions for the whole process (writes, reads, background work); every database's clients share
    // them. The embedded engine ignores the client's `database` option, so each statement is
    // sent as `USE <db>; ...` (see boundTo): a session's current database is then always the
    // one of the storage that sent it, whatever another organiser's storage sent before.
    const sessions = { write: createChdbConnection({ path }), read: createChdbConnection({ path }), background: createChdbConnection({ path }) };
    const embedded = (database: string, own: boolean): Storage => {
      const clients = {
        write: createClient({ connection: boundTo(sessions.write, database, own), clickhouse_settings }),
        read: createClient({ connection: boundTo(sessions.read, database, own), clickhouse_settings }),
        background: createClient({ connection: boundTo(sessions.background, database, own), clickhouse_settings }),
      };
      return storageOver({ mode: 'embedded', database, location: path }, clients, async (db) => {
        await clients.write.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
        return embedded(db, false);
      });
    };
    // The embedded engine owns its directory, so `default` is ours.
    return embedded('default', true);
  }
  const base = {
    url: config.clickhouseUrl,
    username: config.clickhouseUser,
    password: config.clickhousePassword,
    clickhouse_settings,
    request_timeout: 120_000,
  };
  const onCluster = config.clickhouseCluster ? ` ON CLUSTER ${config.clickhouseCluster}` : '';
  const server = async (database: string): Promise<Storage> => {
    const bootstrap = createClient(base);
    try {
      await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}${onCluster}` });
    } finally {
      await bootstrap.close();
    }
    const clients = { write: createClient({ ...base, database }), read: createClient({ ...base, database }), background: createClient({ ...base, database }) };
    return storageOver({ mode: 'server', database, cluster: config.clickhouseCluster }, clients, server);
  };
  return server(config.clickhouseDatabase);
}

type ChdbConnection = ReturnType<typeof import('chdb/connection').createChdbConnection>;
type ClientConnection = NonNullable<Parameters<typeof createClient>[0]>['connection'];

/**
 * An engine session seen through one database: every statement is prefixed with `USE <db>;`
 * (the engine runs a call's statements together, one call at a time, so no other database's
 * `USE` comes between). Only the storage that opened the session (`own`) closes it.
 */
function boundTo(session: ChdbConnection, database: string, own: boolean): ClientConnection {
  const use = `USE ${database}; `;
  const bound = <P extends { query: string }>(p: P): P => ({ ...p, query: use + p.query });
  // chdb types its connection against @clickhouse/client-common, which the client now bundles
  // under its own name: the same interface, two declarations.
  const s = session as unknown as Record<string, (p?: unknown) => Promise<unknown>>;
  const wrapped = {
    ping: (p: unknown) => s.ping.call(session, p),
    query: (p: { query: string }) => s.query.call(session, bound(p)),
    command: (p: { query: string }) => s.command.call(session, bound(p)),
    exec: (p: { query: string }) => s.exec.call(session, bound(p)),
    insert: (p: { query: string }) => s.insert.call(session, bound(p)),
    close: async () => {
      if (own) await s.close.call(session);
    },
  };
  return wrapped as unknown as ClientConnection;
}
