import { chTime } from '@licenskoll/core';
import { queryRows, type Storage } from '@licenskoll/storage';

/**
 * The record of what was sent (table mail_deliveries, append-only). Each mail is identified by
 * (subscription, period, recipient, buyer); its state is its latest row:
 *   planned  -> attempt -> sent            the server said 250
 *                       -> failed          not accepted: tried again after a wait
 *                       -> rejected        refused for good (5xx for the recipient)
 *            -> cancelled                  the subscription was deleted or switched off first
 * A period's own row (state `period`, recipient '') is written in the same insert as its planned
 * mails, so a period is planned wholly or not at all. `skipped` names a buyer without an address.
 */
export type DeliveryState = 'period' | 'planned' | 'attempt' | 'sent' | 'failed' | 'rejected' | 'cancelled' | 'skipped';

export interface DeliveryRow {
  subscription: string;
  period: string;
  recipient: string;
  buyer: string;
  state: DeliveryState;
  attempt: number;
  messageId: string;
  error: string;
}

/** Same-millisecond rows of one mail are ordered by this: an outcome beats the attempt before it. */
const RANK = `multiIf(state = 'period', 0, state = 'planned', 1, state = 'attempt', 2, 3)`;
const ISO = `'%Y-%m-%dT%H:%i:%S.%fZ'`;

export async function recordDeliveries(storage: Storage, rows: DeliveryRow[], at = new Date()): Promise<void> {
  if (!rows.length) return;
  await storage.write.insert({
    table: 'mail_deliveries',
    values: rows.map((r) => ({
      subscription: r.subscription, period: r.period, recipient: r.recipient, buyer: r.buyer, state: r.state,
      attempt: r.attempt, message_id: r.messageId, error: r.error.slice(0, 1000), at: chTime(at),
    })),
    format: 'JSONEachRow',
  });
}

export async function periodPlanned(storage: Storage, subscription: string, period: string): Promise<boolean> {
  const rows = await queryRows<{ n: number }>(
    storage.write,
    `SELECT count() AS n FROM mail_deliveries WHERE subscription = {s:String} AND period = {p:String} AND state = 'period'`,
    { s: subscription, p: period },
    ['n'],
  );
  return rows[0].n > 0;
}

/** The periods each subscription was last planned for (the key of its latest `period` row). */
export async function lastPlannedPeriods(storage: Storage): Promise<Map<string, string>> {
  const rows = await queryRows<{ subscription: string; last_period: string }>(
    storage.write,
    `SELECT subscription, argMax(period, at) AS last_period FROM mail_deliveries WHERE state = 'period' GROUP BY subscription`,
  );
  return new Map(rows.map((r) => [r.subscription, r.last_period]));
}

export interface Delivery {
  subscription: string;
  period: string;
  recipient: string;
  buyer: string;
  state: DeliveryState;
  /** Attempts made so far. */
  attempts: number;
  messageId: string;
  error: string;
  at: string;
  planned: string;
}

// Aggregates get names unlike the columns: ClickHouse lets an alias shadow a column in WHERE and inside other aggregates.
const LATEST = `SELECT subscription, period, recipient, buyer, last_state AS state, attempts, last_message_id AS messageId, last_error AS error,
    formatDateTime(last_at, ${ISO}, 'UTC') AS at, formatDateTime(first_at, ${ISO}, 'UTC') AS planned
  FROM (
    SELECT subscription, period, recipient, buyer, argMax(state, (at, ${RANK})) AS last_state, max(attempt) AS attempts,
      argMax(message_id, (at, ${RANK})) AS last_message_id, argMax(error, (at, ${RANK})) AS last_error, max(at) AS last_at, min(at) AS first_at
    FROM mail_deliveries WHERE state NOT IN ('period', 'skipped') AND {where}
    GROUP BY subscription, period, recipient, buyer)`;

/** Mails planned and not yet sent, rejected or cancelled, oldest first: what the outbox sends. A try ("send now to me") is answered at once and never retried. */
export async function pendingDeliveries(storage: Storage): Promise<Delivery[]> {
  return queryRows<Delivery>(
    storage.write,
    `${LATEST.replace('{where}', "NOT startsWith(period, 'try:')")} WHERE last_state IN ('planned', 'attempt', 'failed') ORDER BY first_at, subscription, recipient, buyer`,
    {},
    ['attempts'],
  );
}

/** The latest mails of one subscription, newest first: its history on the dashboard. */
export async function recentDeliveries(storage: Storage, subscription: string, limit = 50): Promise<Delivery[]> {
  return queryRows<Delivery>(
    storage.read,
    `${LATEST.replace('{where}', 'subscription = {s:String}')} ORDER BY first_at DESC, recipient, buyer LIMIT {limit:UInt32}`,
    { s: subscription, limit },
    ['attempts'],
  );
}

export interface SubscriptionStatus {
  /** `ok`: the last mail was sent; `failing`: the latest try failed and is retried; `idle`: nothing sent yet. */
  state: 'ok' | 'failing' | 'idle';
  lastSent: { at: string; period: string } | null;
  pending: number;
  lastError: { at: string; error: string } | null;
  /** Buyers of the latest period that had no address. */
  withoutAddress: string[];
}

/** Each subscription's state from its mails: last sent, waiting, the latest error. */
export async function subscriptionStatuses(storage: Storage): Promise<Map<string, SubscriptionStatus>> {
  const mails = await queryRows<Delivery>(storage.read, `${LATEST.replace('{where}', "NOT startsWith(period, 'try:')")}`, {}, ['attempts']);
  const skipped = await queryRows<{ subscription: string; buyer_list: string[] }>(
    storage.read,
    `SELECT subscription, groupArray(buyer) AS buyer_list FROM mail_deliveries
     WHERE state = 'skipped' AND (subscription, period) IN (SELECT subscription, argMax(period, at) AS p FROM mail_deliveries WHERE state = 'period' GROUP BY subscription)
     GROUP BY subscription`,
  );
  const out = new Map<string, SubscriptionStatus>();
  const of = (s: string) => {
    let st = out.get(s);
    if (!st) out.set(s, (st = { state: 'idle', lastSent: null, pending: 0, lastError: null, withoutAddress: [] }));
    return st;
  };
  for (const m of mails.sort((a, b) => a.at.localeCompare(b.at))) {
    const st = of(m.subscription);
    if (m.state === 'sent') st.lastSent = { at: m.at, period: m.period };
    if (m.state === 'planned' || m.state === 'attempt' || m.state === 'failed') st.pending++;
    if (m.error && (m.state === 'failed' || m.state === 'rejected')) st.lastError = { at: m.at, error: m.error };
  }
  for (const [s, st] of out) {
    const failingNow = mails.some((m) => m.subscription === s && m.state === 'failed');
    st.state = failingNow || (st.lastError && (!st.lastSent || st.lastError.at > st.lastSent.at)) ? 'failing' : st.lastSent ? 'ok' : 'idle';
  }
  for (const k of skipped) of(k.subscription).withoutAddress = [...k.buyer_list].sort();
  return out;
}
