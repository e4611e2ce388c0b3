import type { TableSpec } from './ddl.ts';

/**
 * Scheduled e-mail (docs/email.md): the subscriptions admins define and the record of every
 * mail planned, tried and sent. Kept apart from schema.ts, which holds the figures' tables.
 */
export function mailTables(): TableSpec[] {
  return [
    {
      // One row per subscription version; the latest wins, a deletion is a row with deleted = 1.
      // `spec` is the subscription as the API took it (JSON): recipients, report, schedule, format.
      name: 'mail_subscriptions',
      columns: [
        'id String', 'name String', 'spec String', 'enabled UInt8', "created DateTime64(3, 'UTC')",
        "updated DateTime64(3, 'UTC')", 'deleted UInt8', 'version UInt64',
      ],
      engine: 'ReplacingMergeTree(version)',
      orderBy: 'id',
    },
    {
      // Append-only: the life of each mail is its rows for (subscription, period, recipient).
      // `planned` when its period fell due, `attempt` written (and fsynced) before the SMTP
      // transaction, then `sent`, `failed` (tried again) or `rejected` (the server refused the
      // recipient for good). A period's own row (recipient '') says it was planned, so a start
      // after a crash neither plans it again nor forgets it. `skipped` names a buyer without an
      // address. Never a person identifier: recipients are the addresses the admin gave.
      name: 'mail_deliveries',
      columns: [
        'subscription String', 'period String', 'recipient String', 'buyer String', 'state LowCardinality(String)',
        'attempt UInt16', 'message_id String', 'error String', "at DateTime64(3, 'UTC')",
      ],
      engine: 'MergeTree',
      partitionBy: 'toYYYYMM(at)',
      orderBy: '(subscription, period, recipient, at)',
      ttl: 'toDate(at) + toIntervalMonth(24)',
      settings: { ttl_only_drop_parts: 1 },
    },
  ];
}
