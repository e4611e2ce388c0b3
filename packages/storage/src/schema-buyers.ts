import type { TableSpec } from './ddl.ts';

/**
 * Buyers as their own records: a buyer is named on its licences (`licences.buyer`), and what
 * is said about the buyer itself, its förvaltning, lives here, one row per buyer name. Kept
 * apart from schema.ts, which holds the figures' tables.
 */
export function buyerTables(): TableSpec[] {
  return [
    {
      // The latest version wins; '' = no förvaltning.
      name: 'buyers',
      columns: ['name String', 'forvaltning String', 'version UInt64'],
      engine: 'ReplacingMergeTree(version)',
      orderBy: 'name',
    },
  ];
}
