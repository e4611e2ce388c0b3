import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, type Config } from '@licenskoll/core';
import { schemaStatements, views } from '@licenskoll/storage';

/** Settings every stage of the benchmark shares. */
export const ROOT = resolve(import.meta.dirname, '../..');
export const BENCH_DIR = join(ROOT, '.bench-data');
export const SEED = 2026;
export const PSEUDONYM_KEY = 'bench-pseudonym-key-0123456789abcdef';
/**
 * The benchmark's school year (2025-26) lies more than 13 months back from late 2026: the
 * default retention would drop its first raw months. 24 months keeps the year whole.
 */
export const RETENTION_MONTHS = 24;
/** Bump when the generator changes: a stored municipality of another version is reloaded. */
const GENERATOR_VERSION = 2;

export function benchConfig(dataDir: string, port = 0): Config {
  return loadConfig({
    LICENSKOLL_DATA_DIR: dataDir, PORT: String(port), LICENSKOLL_PSEUDONYM_KEY: PSEUDONYM_KEY, LICENSKOLL_DEMO: 'off',
    LICENSKOLL_RETENTION_MONTHS: String(RETENTION_MONTHS),
  });
}

/**
 * The environment the service is started with by the benchmark. The per-token rate limits
 * (200 ingest requests a second by default, docs/privacy.md) are a policy, not a capacity:
 * lifted here so that the benchmark measures what the service can do.
 */
export const serverEnv = (): Record<string, string> => ({
  LICENSKOLL_PSEUDONYM_KEY: PSEUDONYM_KEY, LICENSKOLL_RETENTION_MONTHS: String(RETENTION_MONTHS),
  LICENSKOLL_RATE_LIMIT_INGEST: '10000000', LICENSKOLL_RATE_LIMIT_READ: '10000000',
});

/**
 * What a loaded store was made from: generator, scale and the DDL of the tables events flow
 * into (materialized views fill only on insert, so a changed rollup needs a reload). Other
 * tables are created by the service's own migration when it starts.
 */
export function storeSignature(scale: number): string {
  const fed = new Set(['events', ...views.flatMap((v) => [v.to, v.from])]);
  const ddl = schemaStatements({ database: 'default' }, { retentionMonths: RETENTION_MONTHS })
    .filter((q) => /MATERIALIZED VIEW/.test(q) || fed.has(/^CREATE TABLE IF NOT EXISTS (\w+)/.exec(q)?.[1] ?? ''))
    .join('\n');
  return createHash('sha256').update(`${GENERATOR_VERSION}/${SEED}/${scale}/${ddl}`).digest('hex').slice(0, 16);
}

export const storeDir = (scale: number) => join(BENCH_DIR, `store-${scale}`);
export const markerFile = (scale: number) => join(storeDir(scale), 'loaded.json');

export interface LoadResult {
  signature: string;
  events: number;
  usageDailyRows: number;
  usageDaysRows: number;
  persons: number;
  seconds: { roster: number; events: number };
  /** CPU of the loading process, all threads (absent in stores loaded before it was recorded). */
  cpuSeconds?: number;
}

export function loadedStore(scale: number): LoadResult | undefined {
  const f = markerFile(scale);
  if (!existsSync(f)) return undefined;
  const r = JSON.parse(readFileSync(f, 'utf8')) as LoadResult;
  return r.signature === storeSignature(scale) ? r : undefined;
}
