import type { TableSpec } from './ddl.ts';

/** Who may see what, and the record of what they saw and erased (docs/privacy.md); the store's own settings. */
export const accessTables: TableSpec[] = [
  {
    // Issued tokens: only a SHA-256 hash of the secret is kept.
    name: 'tokens',
    columns: [
      'id String', 'name String', 'role LowCardinality(String)', 'schools Array(String)', 'groups Array(String)',
      'hash String', "created DateTime64(3, 'UTC')", 'expires Nullable(Date)', 'revoked UInt8', 'version UInt64',
    ],
    engine: 'ReplacingMergeTree(version)',
    orderBy: 'id',
  },
  {
    name: 'settings',
    columns: ['key String', 'value String', 'version UInt64'],
    engine: 'ReplacingMergeTree(version)',
    orderBy: 'key',
  },
  {
    // Dashboard sign-in sessions (OpenID Connect). `id` is a SHA-256 of the cookie's secret;
    // `subject_key` the pseudonym of the identity provider's claim, `person_key` the roster
    // person it resolved to. Role and scope are derived from the roster on use, not stored.
    name: 'sessions',
    columns: [
      'id String', 'subject_key String', 'person_key String', 'claim LowCardinality(String)',
      "created DateTime64(3, 'UTC')", "expires DateTime('UTC')", 'revoked UInt8', 'version UInt64',
    ],
    engine: 'ReplacingMergeTree(version)',
    orderBy: 'id',
    ttl: 'expires + toIntervalDay(1)',
  },
  {
    // Who read or exported what, when: one row per report, export, administration or privacy
    // request (and per sign-in). Parameters are stored as sent (never a person identifier:
    // privacy requests log the pseudonym). Kept 24 months.
    name: 'audit_log',
    columns: [
      "at DateTime64(3, 'UTC')", 'actor_id String', 'actor String', 'role LowCardinality(String)', 'via LowCardinality(String)',
      'schools Array(String)', 'groups Array(String)', 'method LowCardinality(String)', 'action LowCardinality(String)',
      'path String', 'params String', 'status UInt16', 'rows Int64',
    ],
    engine: 'MergeTree',
    partitionBy: 'toYYYYMM(at)',
    orderBy: '(at, actor_id)',
    ttl: 'toDate(at) + toIntervalMonth(24)',
    settings: { ttl_only_drop_parts: 1 },
  },
  {
    // The record that a person's data was erased (GDPR art. 17): who, when, which pseudonym,
    // how many rows of each kind. Holds no identifier in clear. Never expires.
    name: 'erasures',
    columns: [
      "at DateTime64(3, 'UTC')", 'actor_id String', 'actor String', 'role LowCardinality(String)',
      'person_key String', 'ident_keys Array(String)', 'counts String',
    ],
    engine: 'MergeTree',
    orderBy: 'at',
  },
];
