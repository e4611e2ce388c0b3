import type { ClickHouseClient } from '@clickhouse/client';

export type Params = Record<string, unknown>;

/**
 * Runs a SELECT with typed parameters (`{name:Type}` in the SQL, never string-built) and
 * converts the named numeric columns. 64-bit integers arrive quoted (see client.ts): this
 * is the one place they become numbers.
 */
export async function queryRows<T = Record<string, unknown>>(
  client: ClickHouseClient,
  query: string,
  params: Params = {},
  numeric: readonly string[] = [],
): Promise<T[]> {
  const rs = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  const rows = (await rs.json()) as Record<string, unknown>[];
  if (numeric.length === 0) return rows as T[];
  for (const row of rows) {
    for (const k of numeric) {
      const v = row[k];
      if (typeof v === 'string') row[k] = Number(v);
    }
  }
  return rows as T[];
}

export function toNumber(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

let lastVersion = 0;
/** A strictly increasing row version for Replacing tables: later writes win, even within one millisecond. */
export function nextVersion(): number {
  const v = Date.now() * 1000;
  lastVersion = v > lastVersion ? v : lastVersion + 1;
  return lastVersion;
}
