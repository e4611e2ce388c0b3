import { isoInZone } from '@licenskoll/core';
import { queryRows, type Storage } from '@licenskoll/storage';
import { withShared } from './sql.ts';
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
    `${withShared()}SELECT product_ident AS identifier, sum(events) AS events, uniqExact(user_key) AS users,
       formatDateTime(min(first_time), '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS first, formatDateTime(max(last_time), '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS last
     FROM usage_daily
     WHERE day >= {from:Date} AND day <= {to:Date}
       AND product_ident IN (SELECT product_ident FROM ident_product WHERE product = '')
     GROUP BY product_ident ORDER BY events DESC, identifier`,
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
