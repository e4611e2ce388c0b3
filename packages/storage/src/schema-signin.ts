import type { TableSpec, ViewSpec } from './ddl.ts';

/**
 * Sign-ins through the organiser's identity provider (docs/figures.md, sign-in readiness):
 * which user pseudonym signed in on which day, from the events whose source is one of the
 * identity provider's own logs. Kept apart from schema.ts, which holds the usage rollups.
 */

/**
 * The sources that are the organiser's identity provider, as the importers name them
 * (shibboleth.ts, satosa.ts, entra.ts); an API client's own `source` is compared lower-cased.
 * Caliper (`caliper:…`), LTI and portal launches are the products' logs, not sign-ins.
 */
export const IDP_SOURCES = ['shibboleth', 'satosa', 'entra'] as const;

const signinSelect = (from: string) => `SELECT day, lower(source) AS source, reinterpretAsUInt128(unhex(user_key)) AS user, count() AS events
FROM ${from} WHERE lower(source) IN (${IDP_SOURCES.map((s) => `'${s}'`).join(', ')}) AND type != 'denied'
GROUP BY day, source, user`;

export function signinTables(): TableSpec[] {
  return [
    {
      // Per day, identity-provider source and user pseudonym (as its 128-bit number, like
      // usage_days): a few rows per pupil and school day, read by day range. Kept beyond raw
      // retention like usage_daily; an erasure finds it by its `user` column.
      name: 'signin_daily',
      columns: [
        'day Date CODEC(Delta, ZSTD(1))',
        'source LowCardinality(String)',
        'user UInt128',
        'events SimpleAggregateFunction(sum, UInt64)',
      ],
      engine: 'AggregatingMergeTree',
      partitionBy: 'toYear(day)',
      orderBy: '(day, user, source)',
      settings: { non_replicated_deduplication_window: 10000 },
      shardKey: 'cityHash64(lower(hex(reinterpretAsFixedString(user))))',
    },
  ];
}

export const signinViews: ViewSpec[] = [{ name: 'signin_daily_mv', to: 'signin_daily', from: 'events', select: signinSelect('{from}') }];

/** A store made before this table fills it once from the raw events still within retention. */
export const signinBackfills = [{ table: 'signin_daily', columns: ['day', 'source', 'user', 'events'], select: signinSelect('events') }];
