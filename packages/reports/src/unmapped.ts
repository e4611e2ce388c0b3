import { isoInZone } from '@licenskoll/core';
import { queryRows, type Storage } from '@licenskoll/storage';
import { halfOf, windowMask } from './masks.ts';
import { withBlocks } from './sql.ts';
import type { Window } from './params.ts';

export interface UnmappedRow {
  identifier: string;
  events: number;
  users: number;
  firstSeen: string;
  lastSeen: string;
}

/** `/v1/reports/unmapped` (figure 2): identifiers no product claims, kept and counted for an administrator to map. */
export async function unmappedReport(storage: Storage, w: Window, timeZone: string): Promise<UnmappedRow[]> {
  const rows = await queryRows<{ identifier: string; events: number; users: number; first: string; last: string }>(
    storage.read,
    withBlocks(
      `SELECT d.product_ident AS identifier, d.events AS events, u.users AS users,
       formatDateTime(d.first, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS first, formatDateTime(d.last, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS last
     FROM (
       SELECT product_ident, sum(events) AS events, min(first_time) AS first, max(last_time) AS last FROM ident_daily
       WHERE day >= {from:Date} AND day <= {to:Date} AND product_ident IN (SELECT product_ident FROM unmapped)
       GROUP BY product_ident) AS d
     LEFT JOIN (
       SELECT product_ident, uniqExact(user) AS users FROM usage_days
       WHERE half >= ${halfOf('{from:Date}')} AND half <= {to:Date} AND product_ident IN (SELECT product_ident FROM unmapped)
         AND bitAnd(days, ${windowMask('half')}) != 0
       GROUP BY product_ident) AS u ON u.product_ident = d.product_ident
     ORDER BY events DESC, identifier`,
      `unmapped AS (SELECT product_ident FROM ident_product WHERE product = '')`,
    ),
    { from: w.from, to: w.to, products: [] },
    ['events', 'users'],
  );
  return rows.map((r) => ({
    identifier: r.identifier,
    events: r.events,
    users: r.users,
    firstSeen: isoInZone(new Date(r.first), timeZone),
    lastSeen: isoInZone(new Date(r.last), timeZone),
  }));
}
