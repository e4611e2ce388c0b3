import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '@licenskoll/core';

export type StorageMode = 'embedded' | 'server';

/**
 * The two connections of one process. Writes and reads are separate because one connection
 * runs its queries one at a time: a long report on the ingest connection would stall ingest.
 */
export interface Storage {
  mode: StorageMode;
  database: string;
  cluster?: string;
  /** The embedded engine's directory: what tells two services of one process on one store (ingest/src/claims.ts). */
  location?: string;
  write: ClickHouseClient;
  read: ClickHouseClient;
  close(): Promise<void>;
}

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

export async function openStorage(config: Config, opts: StorageOptions = {}): Promise<Storage> {
  const clickhouse_settings = { ...COMMON_SETTINGS, ...opts.settings };
  if (!config.clickhouseUrl) {
    const { createChdbConnection } = await import('chdb/connection');
    const path = resolve(opts.embeddedPath ?? join(config.dataDir, 'clickhouse'));
    mkdirSync(path, { recursive: true });
    // chdb types its connection against @clickhouse/client-common, which the client now bundles
    // under its own name: the same interface, two declarations.
    type ClientConnection = NonNullable<Parameters<typeof createClient>[0]>['connection'];
    const make = () =>
      createClient({ connection: createChdbConnection({ path }) as unknown as ClientConnection, clickhouse_settings });
    const write = make();
    const read = make();
    return {
      mode: 'embedded',
      // The embedded engine ignores the client's `database` option: it owns its directory, so `default` is ours.
      database: 'default',
      location: path,
      write,
      read,
      close: async () => {
        await Promise.all([write.close(), read.close()]);
      },
    };
  }
  const base = {
    url: config.clickhouseUrl,
    username: config.clickhouseUser,
    password: config.clickhousePassword,
    clickhouse_settings,
    request_timeout: 120_000,
  };
  const bootstrap = createClient(base);
  try {
    const onCluster = config.clickhouseCluster ? ` ON CLUSTER ${config.clickhouseCluster}` : '';
    await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${config.clickhouseDatabase}${onCluster}` });
  } finally {
    await bootstrap.close();
  }
  const write = createClient({ ...base, database: config.clickhouseDatabase });
  const read = createClient({ ...base, database: config.clickhouseDatabase });
  return {
    mode: 'server',
    database: config.clickhouseDatabase,
    cluster: config.clickhouseCluster,
    write,
    read,
    close: async () => {
      await Promise.all([write.close(), read.close()]);
    },
  };
}
