import type { TableSpec, ViewSpec } from './ddl.ts';
import { mailTables } from './schema-mail.ts';
import { buyerTables } from './schema-buyers.ts';

/**
 * The tables. Figures are computed at query time from the daily rollup and the roster, so
 * a roster or product mapping that arrives later applies to old events (docs/design.md, "Resolved when asked").
 */

/** Placeholder bounds for open validity: Date's own range, so comparisons need no NULL logic. */
export const OPEN_START = '1970-01-01';
export const OPEN_END = '2149-06-06';

/**
 * A stored validity date as an answer shows it: the placeholders above are storage's way of
 * saying "open", so they come out as NULL (absent means absent), never as 1970 or 2149.
 */
export const answerDate = (col: string) => `nullIf(nullIf(toString(${col}), '${OPEN_START}'), '${OPEN_END}')`;

/** The half-year a day falls in, as its first day (1 January or 1 July): the `half` of `usage_days`. */
export const halfOf = (day: string) => `makeDate(toYear(${day}), if(toMonth(${day}) < 7, 1, 7), 1)`;

export interface SchemaOptions {
  retentionMonths: number;
}

/**
 * A 202 (and an import's answer) promises that the data survives a power cut too: the ingest
 * journal is fsynced, and it lets go of a batch once the insert returns, so by then the parts
 * must be on disk, renamed into place. ClickHouse does neither by default. Measured on a
 * 10,000-row insert into events and its four views (chDB, 2 cores): 26 -> 32 ms; ingest
 * gathers rows into a few inserts a second. Parts written by merges are not synced, but
 * ClickHouse keeps the parts they replace for eight minutes (old_parts_lifetime) for this.
 * The resolution cache (rc_*) is rebuilt from the rest and skips it.
 */
export const DURABLE_SETTINGS = { fsync_after_insert: 1, fsync_part_directory: 1 } as const;

export function tables(opts: SchemaOptions): TableSpec[] {
  return allTables(opts).map((t) => (t.name.startsWith('rc_') ? t : { ...t, settings: { ...t.settings, ...DURABLE_SETTINGS } }));
}

function allTables(opts: SchemaOptions): TableSpec[] {
  return [
    {
      // Raw events. ORDER BY starts with what every report filters on (product, day, user).
      // `day` is the organiser's calendar day, fixed at ingest. `user_key` is the pseudonym:
      // raw identifiers never reach this table. Retention drops whole monthly parts.
      name: 'events',
      columns: [
        'event_key String CODEC(ZSTD(1))',
        "time DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1))",
        'day Date CODEC(Delta, ZSTD(1))',
        'type LowCardinality(String)',
        'user_key String CODEC(ZSTD(1))',
        'product_ident LowCardinality(String)',
        'source LowCardinality(String)',
        'group_hint String CODEC(ZSTD(1))',
        'school_hint LowCardinality(String)',
        "received DateTime DEFAULT now() CODEC(Delta, ZSTD(1))",
      ],
      engine: 'MergeTree',
      partitionBy: 'toYYYYMM(day)',
      orderBy: '(product_ident, day, user_key)',
      ttl: `day + toIntervalMonth(${opts.retentionMonths})`,
      settings: { ttl_only_drop_parts: 1, non_replicated_deduplication_window: 10000 },
      shardKey: 'cityHash64(user_key)',
    },
    {
      // Idempotency keys of stored events, looked up by ingest before each insert to count
      // duplicates; small granules keep a lookup of a 5,000-key batch to a few MB read.
      // Kept by the day of receipt, not of the event: a historic import resent a week later
      // must still be recognised, although its raw rows are already past retention.
      name: 'event_keys',
      columns: ['event_key String', 'day Date', 'received Date'],
      engine: 'ReplacingMergeTree',
      partitionBy: 'toYYYYMM(received)',
      orderBy: 'event_key',
      ttl: `received + toIntervalMonth(${opts.retentionMonths})`,
      settings: { index_granularity: 1024, ttl_only_drop_parts: 1, non_replicated_deduplication_window: 10000 },
      // The view writes each key on the shard of its event (by user_key), not by the key's own
      // hash: a key-based sharding key here would let optimize_skip_unused_shards look for a
      // key on the wrong shard and miss a duplicate. rand() says there is no placement.
      shardKey: 'rand()',
    },
    {
      // The grain every report needs: product identifier x user pseudonym x day. Kept beyond
      // raw retention. Read with GROUP BY (never FINAL) so unmerged parts add up correctly.
      name: 'usage_daily',
      columns: [
        'product_ident LowCardinality(String)',
        'day Date CODEC(Delta, ZSTD(1))',
        'user_key String CODEC(ZSTD(1))',
        'events SimpleAggregateFunction(sum, UInt64)',
        'logins SimpleAggregateFunction(sum, UInt64)',
        'launches SimpleAggregateFunction(sum, UInt64)',
        "first_time SimpleAggregateFunction(min, DateTime64(3, 'UTC'))",
        "last_time SimpleAggregateFunction(max, DateTime64(3, 'UTC'))",
      ],
      engine: 'AggregatingMergeTree',
      partitionBy: 'toYear(day)',
      orderBy: '(product_ident, day, user_key)',
      settings: { non_replicated_deduplication_window: 10000 },
      shardKey: 'cityHash64(user_key)',
    },
    {
      // What the reports read: the days each user pseudonym used each product identifier in a
      // half-year, as a 256-bit mask (a half-year has at most 184 days), with events per day.
      // Still at identifier level: persons and products are resolved at query time (docs/design.md,
      // "Resolved when asked"), so a later roster or mapping applies to old use. Measured on the benchmark
      // municipality (20 M events a year): 2.3 M rows (92 MB) against usage_daily's 10.7 M
      // (267 MB); the year's overview read live went from 47 s to 1.5 s (docs/benchmarks.md).
      // `user` is the pseudonym as its 128-bit number (user_key is 32 hex digits of an HMAC):
      // joins and GROUP BY on it cost about half of those on the hex string. Read without FINAL:
      // every figure ORs masks, sums events or counts distinct users, which unmerged rows
      // give the same answer for.
      name: 'usage_days',
      columns: [
        'half Date',
        'product_ident LowCardinality(String)',
        'user UInt128',
        'days SimpleAggregateFunction(groupBitOr, UInt256)',
        'day_events SimpleAggregateFunction(sumMap, Tuple(Array(UInt8), Array(UInt64)))',
        // When the row last took events: what the resolution cache (rc_*) has not seen yet.
        "seen SimpleAggregateFunction(max, DateTime('UTC'))",
      ],
      engine: 'AggregatingMergeTree',
      partitionBy: 'toYear(half)',
      orderBy: '(half, product_ident, user)',
      settings: { non_replicated_deduplication_window: 10000 },
      // On a cluster the view fills each shard from that shard's events (sharded by
      // cityHash64(user_key)); this key places direct inserts (the upgrade backfill) the same
      // way. reinterpretAsFixedString keeps the trailing zero bytes reinterpretAsString drops.
      shardKey: 'cityHash64(lower(hex(reinterpretAsFixedString(user))))',
    },
    {
      // Refused launches (events of type `denied`) per product identifier, user pseudonym and
      // day: demand without a licence (docs/figures.md, figure 15). They are not use, and no
      // other rollup counts them. Kept beyond raw retention like usage_daily.
      name: 'denied_daily',
      columns: [
        'product_ident LowCardinality(String)',
        'day Date CODEC(Delta, ZSTD(1))',
        'user_key String CODEC(ZSTD(1))',
        'events SimpleAggregateFunction(sum, UInt64)',
      ],
      engine: 'AggregatingMergeTree',
      partitionBy: 'toYear(day)',
      orderBy: '(product_ident, day, user_key)',
      settings: { non_replicated_deduplication_window: 10000 },
      shardKey: 'cityHash64(user_key)',
    },
    {
      // Events, first and last time per product identifier and day: product totals and the
      // unmapped list without touching users. About 250 identifiers x 365 days a year.
      name: 'ident_daily',
      columns: [
        'day Date',
        'product_ident LowCardinality(String)',
        'events SimpleAggregateFunction(sum, UInt64)',
        "first_time SimpleAggregateFunction(min, DateTime64(3, 'UTC'))",
        "last_time SimpleAggregateFunction(max, DateTime64(3, 'UTC'))",
      ],
      engine: 'AggregatingMergeTree',
      partitionBy: 'toYear(day)',
      orderBy: '(day, product_ident)',
      settings: { non_replicated_deduplication_window: 10000 },
      // Every shard holds rows of every identifier and day (from its own users' events): no
      // key places them, and a random one keeps optimize_skip_unused_shards from pruning.
      shardKey: 'rand()',
    },
    // ---- the resolution cache: derived, rebuilt, never the only copy of anything ----
    {
      // One row per build of the cache: which inputs it was made from (a hash of the active
      // parts of identities, products, roster and licence tables), what usage it holds (rows
      // of usage_days last written before `watermark`) and which half-years. Reports use the
      // newest build only when its inputs are still the current ones (packages/reports/src/
      // resolution.ts), so a roster or mapping change applies at once, as docs/design.md promises.
      name: 'rc_builds',
      columns: ['build UInt64', 'inputs UInt64', "watermark DateTime('UTC')", 'hmin Date', 'hmax Date', "finished DateTime64(3, 'UTC')"],
      engine: 'MergeTree',
      orderBy: 'finished',
    },
    {
      // usage_days resolved to persons (`who`: the person, or the user pseudonym when no
      // roster knows it; `sig` their scope signature, 0 without a scope) and products, per
      // half-year, with events per day: the joins every report would otherwise make again. At
      // the benchmark's scale 2.6 M identifier rows a year become 0.3 M rows here.
      name: 'rc_usage',
      columns: [
        'build UInt64', 'half Date', 'product LowCardinality(String)', 'who UInt128', 'pk UInt128', 'sig UInt128', 'days UInt256',
        'day_events Tuple(Array(UInt8), Array(UInt64))',
      ],
      engine: 'MergeTree',
      partitionBy: 'build',
      orderBy: '(half, product, who)',
    },
    {
      // Figure 6 done: the days of each person, product and half-year each licence claims.
      // Licensed active users of any window are the persons whose claim meets the window.
      name: 'rc_claims',
      columns: ['build UInt64', 'half Date', 'product LowCardinality(String)', 'pk UInt128', 'licence LowCardinality(String)', 'claim UInt256'],
      engine: 'MergeTree',
      partitionBy: 'build',
      orderBy: '(half, licence, pk)',
    },
    {
      // Each pupil's member days per group and half-year as a mask, with the first and last
      // day when they are one stretch (`single`): class usage's side of the roster, per build.
      name: 'rc_members',
      columns: ['build UInt64', 'pk UInt128', 'group_id String', 'half Date', 'mm UInt256', 'lo Int32', 'hi Int32', 'single UInt8'],
      engine: 'MergeTree',
      partitionBy: 'build',
      orderBy: '(half, group_id, pk)',
    },
    {
      // The products each group is licensed for (by its own, its unit's or its organiser's
      // licence), with the licence period: class usage's rows with zeros, per build.
      name: 'rc_group_licences',
      columns: ['build UInt64', 'group_id String', 'product LowCardinality(String)', 'lstart Date', 'lend Date'],
      engine: 'MergeTree',
      partitionBy: 'build',
      orderBy: '(group_id, product)',
    },
    {
      // Person -> scope signature (persons with the same scopes and roles share one).
      name: 'rc_sig',
      columns: ['build UInt64', 'pk UInt128', 'sig UInt128'],
      engine: 'MergeTree',
      partitionBy: 'build',
      orderBy: 'pk',
    },
    {
      // Per signature, product and half-year: the candidate licences in the order of figure 6
      // and the days each one wins (figure 5 and 6 worked out once for all persons alike).
      name: 'rc_candidates',
      columns: ['build UInt64', 'sig UInt128', 'product LowCardinality(String)', 'half Date', 'licences Array(String)', 'owns Array(UInt256)'],
      engine: 'MergeTree',
      partitionBy: 'build',
      orderBy: '(sig, product, half)',
    },
    // ---- roster (small; Replacing by version, read with FINAL) ----
    {
      name: 'organisations',
      columns: [
        'id String', 'name String', 'type LowCardinality(String)', 'parent String',
        'school_unit_code String', 'organisation_code String', 'organisation_number String', 'start Date', 'end Date', 'version UInt64',
      ],
      engine: 'ReplacingMergeTree(version)',
      orderBy: 'id',
    },
    {
      // Every way a licence scope or a filter may name an organisation node (id, school unit
      // code, organisation code or number), for each node under it. Rebuilt whole after each
      // organisation import: a tree of a few thousand nodes, so a licence scoped to a
      // rektorsområde or the huvudman reaches every school unit below it with one equi-join.
      name: 'org_closure',
      columns: ['unit String', 'ref String', 'depth UInt8'],
      engine: 'MergeTree',
      orderBy: '(ref, unit)',
    },
    {
      name: 'groups',
      // school_type / school_year: the register's (SS12000 Group.schoolType; a schoolYear where a
      // register gives one); '' and -1 when not given. Added later, like the targets.
      columns: [
        'id String', 'name String', 'type LowCardinality(String)', 'unit String', 'start Date', 'end Date', 'version UInt64',
        'school_type LowCardinality(String)', 'school_year Int8 DEFAULT -1',
      ],
      engine: 'ReplacingMergeTree(version)',
      orderBy: 'id',
    },
    {
      // A person under their pseudonymous key only; no names (docs/privacy.md).
      name: 'persons',
      columns: ['person_key String', 'version UInt64'],
      engine: 'ReplacingMergeTree(version)',
      orderBy: 'person_key',
    },
    {
      // Every identifier of a person (id, eppns, e-mails, external ids), pseudonymised after
      // normalising. An event belongs to a person when its user pseudonym is one of these.
      name: 'identities',
      columns: ['ident_key String', 'person_key String', 'version UInt64'],
      engine: 'ReplacingMergeTree(version)',
      orderBy: 'ident_key',
    },
    {
      name: 'enrolments',
      // school_type / school_year: SS12000 Enrolment.schoolType and .schoolYear ('' and -1 when not given).
      columns: [
        'person_key String', 'unit String', 'start Date', 'end Date', 'last_seen Date', 'version UInt64',
        'school_type LowCardinality(String)', 'school_year Int8 DEFAULT -1',
      ],
      engine: 'ReplacingMergeTree(version)',
      orderBy: '(person_key, unit, start)',
    },
    {
      name: 'duties',
      columns: ['id String', 'person_key String', 'unit String', 'role LowCardinality(String)', 'start Date', 'end Date', 'version UInt64'],
      engine: 'ReplacingMergeTree(version)',
      orderBy: 'id',
    },
    {
      // Memberships with validity. `mkey` tells two memberships of one person in one group
      // apart (explicit start date, or the import day an undated one first appeared). A
      // snapshot never deletes: absent memberships get an end (docs/figures.md, memberships).
      name: 'memberships',
      columns: [
        'group_id String', 'person_key String', 'mkey String', 'start Date', 'end Date',
        'explicit_start UInt8', 'explicit_end UInt8', 'last_seen Date', 'version UInt64',
      ],
      engine: 'ReplacingMergeTree(version)',
      orderBy: '(group_id, person_key, mkey)',
    },
    {
      name: 'roster_imports',
      columns: ['as_of Date', "at DateTime64(3, 'UTC')", 'kinds Array(String)', 'counts String'],
      engine: 'MergeTree',
      orderBy: '(as_of, at)',
    },
    // ---- licences ----
    {
      name: 'products',
      columns: [
        'id String', 'name String', 'supplier String', 'identifiers Array(String)', 'deleted UInt8', 'version UInt64',
        // The target (målgrupp, docs/figures.md figure 13); empty arrays = unrestricted. Added
        // after stores existed: evolve.ts adds them empty, so stored rows keep what they had.
        'target_school_types Array(String)', 'target_years Array(UInt8)', 'target_subjects Array(String)', 'target_duty_roles Array(String)',
      ],
      engine: 'ReplacingMergeTree(version)',
      orderBy: 'id',
    },
    {
      name: 'licences',
      columns: [
        'id String', 'product String', 'seats Nullable(UInt32)', 'scope_type LowCardinality(String)', 'scope_ids Array(String)',
        'audience LowCardinality(String)', 'start Date', 'end Date', 'price Float64', 'currency LowCardinality(String)',
        'buyer String', 'order_ref String', 'deleted UInt8', 'version UInt64',
        // The target (målgrupp, docs/figures.md figure 13); empty arrays = unrestricted. Added
        // after stores existed: evolve.ts adds them empty, so stored rows keep what they had.
        'target_school_types Array(String)', 'target_years Array(UInt8)', 'target_subjects Array(String)', 'target_duty_roles Array(String)',
        // The licence's own förvaltning ('' = its buyer's, buyers in schema-buyers.ts); added like the target.
        'forvaltning String',
      ],
      engine: 'ReplacingMergeTree(version)',
      orderBy: 'id',
    },
    {
      // Append-only history: who set which status when, with a note (docs/figures.md, buyers).
      name: 'followups',
      columns: ['licence String', 'status LowCardinality(String)', 'note String', 'by String', "at DateTime64(3, 'UTC')"],
      engine: 'MergeTree',
      orderBy: '(licence, at)',
    },
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
    // ---- access and privacy (docs/privacy.md) ----
    {
      // Which groups a member of staff teaches or mentors: SS12000 Duty.assignmentRole and
      // Activity.teachers, by duty id. Gives a teacher their groups from the roster (no manual
      // setup). Snapshot rule as for memberships: an assignment a later import of the same duty
      // no longer lists ends the day before that import's asOf.
      name: 'duty_assignments',
      columns: [
        'duty_id String', 'group_id String', 'akey String', 'start Date', 'end Date', 'last_seen Date', 'version UInt64',
      ],
      engine: 'ReplacingMergeTree(version)',
      orderBy: '(duty_id, group_id, akey)',
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
    {
      // A publisher's own count per school and article (BOL school-unit licence status), kept
      // beside what Licenskoll measures; the latest report per school and article wins.
      name: 'publisher_licences',
      columns: [
        'service_provider String', 'school_id_source LowCardinality(String)', 'school_id String', 'article_number String',
        'article_name String', 'total UInt32', 'assigned UInt32', 'unassigned UInt32', 'used Nullable(UInt32)',
        "reported_at DateTime64(3, 'UTC')", 'version UInt64',
      ],
      engine: 'ReplacingMergeTree(version)',
      orderBy: '(school_id, article_number, service_provider)',
    },
    // ---- scheduled e-mail (schema-mail.ts) ----
    ...mailTables(),
    ...buyerTables(),
  ];
}

/**
 * One half-year's day mask and events per day for each user and product identifier, from rows
 * with a `day` and a `user_key`: events (one row each) for the view, or `usage_daily` (with
 * its `events` count) when a new store fills the rollup from older use. `{from}` is the source.
 */
function usageDaysSelect(o: { events: string; seen: string; where?: string }): string {
  return `SELECT ${halfOf('day')} AS half, product_ident,
  reinterpretAsUInt128(unhex(user_key)) AS user,
  groupBitOr(bitShiftLeft(toUInt256(1), toUInt16(day) - toUInt16(half))) AS days,
  sumMap([toUInt8(toUInt16(day) - toUInt16(half))], [toUInt64(${o.events})]) AS day_events, ${o.seen} AS seen
FROM {from}${o.where ? ` WHERE ${o.where}` : ''} GROUP BY half, product_ident, user`;
}

/** A refused launch (`denied`) is not use: the usage rollups leave it out, `denied_daily` takes it. */
const USE = "type != 'denied'";

export const views: ViewSpec[] = [
  {
    name: 'usage_daily_mv',
    to: 'usage_daily',
    from: 'events',
    select: `SELECT product_ident, day, user_key, count() AS events, countIf(type = 'login') AS logins,
  countIf(type = 'launch') AS launches, min(time) AS first_time, max(time) AS last_time
FROM {from} WHERE ${USE} GROUP BY product_ident, day, user_key`,
  },
  {
    name: 'usage_days_mv',
    to: 'usage_days',
    from: 'events',
    select: usageDaysSelect({ events: '1', seen: 'max(received)', where: USE }),
  },
  {
    name: 'ident_daily_mv',
    to: 'ident_daily',
    from: 'events',
    select: `SELECT day, product_ident, count() AS events, min(time) AS first_time, max(time) AS last_time
FROM {from} WHERE ${USE} GROUP BY day, product_ident`,
  },
  {
    name: 'denied_daily_mv',
    to: 'denied_daily',
    from: 'events',
    select: `SELECT product_ident, day, user_key, count() AS events FROM {from} WHERE type = 'denied' GROUP BY product_ident, day, user_key`,
  },
  {
    name: 'event_keys_mv',
    to: 'event_keys',
    from: 'events',
    select: 'SELECT event_key, day, toDate(received) AS received FROM {from}',
  },
];

/**
 * How a rollup added after events were stored is filled from `usage_daily` (which is kept
 * beyond raw retention, so it holds all use): run by `migrate` once, when it creates the table.
 */
export const backfills: { table: string; columns: string[]; select: string }[] = [
  {
    table: 'usage_days',
    columns: ['half', 'product_ident', 'user', 'days', 'day_events', 'seen'],
    select: usageDaysSelect({ events: 'events', seen: 'now()' }).replace('{from}', 'usage_daily'),
  },
  {
    table: 'ident_daily',
    columns: ['day', 'product_ident', 'events', 'first_time', 'last_time'],
    select: `SELECT day, product_ident, sum(events) AS events, min(first_time) AS first_time, max(last_time) AS last_time
FROM usage_daily GROUP BY day, product_ident`,
  },
];
