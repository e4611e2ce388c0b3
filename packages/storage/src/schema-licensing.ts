import type { TableSpec } from './ddl.ts';

/** What the organiser bought: products and their identifiers, licences, their follow-ups and publishers' own counts. */
export const licensingTables: TableSpec[] = [
  {
    name: 'products',
    columns: [
      'id String', 'name String', 'supplier String', 'identifiers Array(String)', 'deleted UInt8', 'version UInt64',
      // The target (målgrupp, docs/figures.md figure 13); empty arrays = unrestricted. Added
      // after stores existed: evolve.ts adds them empty, so stored rows keep what they had.
      'target_school_types Array(String)', 'target_years Array(UInt8)', 'target_subjects Array(String)', 'target_duty_roles Array(String)',
      // Whose version this is (docs/tenants.md, "Shared catalogue"): 'region' when inherited from
      // the region's catalogue, 'local' when the organiser wrote it (its own product or its
      // override of the region's). Every write of the organiser's routes leaves it out and so is
      // 'local'; stores from before have only their own products, which the default says.
      "origin LowCardinality(String) DEFAULT 'local'",
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
      // The region's framework agreement this licence is a call-off (avrop) of ('' = none;
      // figure 27); added like the target.
      'agreement String',
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
];
