import type { TableSpec } from './ddl.ts';

/**
 * The resolution cache: use resolved to persons, products and licences once per change of
 * its inputs. Derived, rebuilt, never the only copy of anything (packages/reports/src/resolution.ts).
 */
export const resolutionTables: TableSpec[] = [
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
];
