import { join } from 'node:path';
import { expect } from 'vitest';

export interface StoreFacts {
  /** Raw events within retention (older raw rows are dropped by the TTL; their rollup stays). */
  events: number;
  distinctKeys: number;
  /** Keys of events within retention. */
  keysTable: number;
  /** The daily rollup's events within retention. */
  rollupEvents: number;
  /** The daily rollup's events of all time: every event ever stored, once. */
  rollupAll: number;
  /** Rows that would not pass validation: empty or oversized fields, a time out of range, invalid UTF-8. */
  invalid: number;
}

/** Days safely inside the 13-month retention, so that no TTL merge runs between two counts. */
const RECENT = 'day >= today() - INTERVAL 12 MONTH';

/**
 * Reads a stopped service's embedded store directly with chDB, in this test process (one data
 * directory per process: call it once per test file, after the service has exited). It checks
 * what the API cannot show: that no key is stored twice, that the rollup and the key table
 * agree with the raw events, and that every stored row is a whole, valid event.
 */
export async function inspectStore(dataDir: string): Promise<StoreFacts> {
  const { Session } = await import('chdb');
  const s = new Session(join(dataDir, 'clickhouse'));
  try {
    const q = (sql: string) => Number(s.query(sql, 'TSV').trim());
    return {
      events: q(`SELECT count() FROM events WHERE ${RECENT}`),
      distinctKeys: q(`SELECT uniqExact(event_key) FROM events WHERE ${RECENT}`),
      keysTable: q(`SELECT uniqExact(event_key) FROM event_keys WHERE ${RECENT}`),
      rollupEvents: q(`SELECT sum(events) FROM usage_daily WHERE ${RECENT}`),
      rollupAll: q('SELECT sum(events) FROM usage_daily'),
      invalid: q(`SELECT count() FROM events WHERE
        length(event_key) != 32 OR length(user_key) != 32
        OR type NOT IN ('login', 'launch')
        OR product_ident = '' OR lengthUTF8(product_ident) > 512 OR NOT isValidUTF8(product_ident)
        OR lengthUTF8(source) > 100 OR NOT isValidUTF8(source)
        OR lengthUTF8(group_hint) > 200 OR NOT isValidUTF8(group_hint)
        OR lengthUTF8(school_hint) > 200 OR NOT isValidUTF8(school_hint)
        OR position(product_ident, char(0)) > 0
        OR time < toDateTime64('2000-01-01 00:00:00', 3, 'UTC') OR time > now64(3) + INTERVAL 1 DAY
        OR day < toDate('1999-12-31')`),
    };
  } finally {
    s.close();
  }
}

/**
 * After a run where every one of `expected` events should be stored exactly once: the raw
 * rows, their distinct keys, the key table and the rollup (within retention and of all time)
 * all hold `expected`, and no row is invalid.
 */
export async function expectStoredExactly(dataDir: string, expected: number, label = 'store'): Promise<StoreFacts> {
  const facts = await inspectStore(dataDir);
  console.log(`${label}:`, facts);
  expect(facts).toEqual({ events: expected, distinctKeys: expected, keysTable: expected, rollupEvents: expected, rollupAll: expected, invalid: 0 });
  return facts;
}
