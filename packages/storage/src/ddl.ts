/**
 * One DDL helper for both worlds (after OpenPanel's migration.ts): plain MergeTree tables on the
 * embedded engine and a single server; with a cluster name, `Replicated*` local tables created
 * ON CLUSTER plus a `Distributed` table under the public name for the large, sharded tables.
 * Small dimension tables are replicated to every node (one ZooKeeper path without {shard}), so
 * joins against them stay local on each shard.
 */

export interface TableSpec {
  name: string;
  /** Column definitions, one per line. */
  columns: string[];
  /** e.g. `MergeTree`, `ReplacingMergeTree(version)`, `AggregatingMergeTree`. */
  engine: string;
  orderBy: string;
  partitionBy?: string;
  ttl?: string;
  settings?: Record<string, string | number>;
  /** Large tables: sharded over the cluster by this key. Absent: a dimension table, whole on every node. */
  shardKey?: string;
  /**
   * False: plain MergeTree on a cluster too, one per shard (with `shardKey`), for a table whose
   * point is the order one node commits in (event_claims). Absent: replicated on a cluster.
   */
  replicated?: false;
}

export interface ViewSpec {
  name: string;
  /** Target table (its public name; `_local` is added on a cluster). */
  to: string;
  /** Source table (public name). */
  from: string;
  /** SELECT with `{from}` where the source table goes. */
  select: string;
}

export interface DdlContext {
  database: string;
  cluster?: string;
}

export const localName = (name: string, ctx: DdlContext) => (ctx.cluster ? `${name}_local` : name);

function replicated(engine: string, zkPath: string): string {
  const m = /^(\w*MergeTree)(?:\((.*)\))?$/.exec(engine.trim());
  if (!m) throw new Error(`not a MergeTree engine: ${engine}`);
  const args = [`'${zkPath}'`, `'{replica}'`, ...(m[2] ? [m[2]] : [])];
  return `Replicated${m[1]}(${args.join(', ')})`;
}

export function createTable(spec: TableSpec, ctx: DdlContext): string[] {
  const on = ctx.cluster ? ` ON CLUSTER ${ctx.cluster}` : '';
  const sharded = Boolean(ctx.cluster && spec.shardKey);
  const physical = sharded ? localName(spec.name, ctx) : spec.name;
  const engine = ctx.cluster && spec.replicated !== false
    ? replicated(spec.engine, sharded ? `/clickhouse/tables/{shard}/${ctx.database}/${physical}` : `/clickhouse/tables/all/${ctx.database}/${physical}`)
    : spec.engine;
  const tail = [
    spec.partitionBy ? `PARTITION BY ${spec.partitionBy}` : '',
    `ORDER BY ${spec.orderBy}`,
    spec.ttl ? `TTL ${spec.ttl}` : '',
    spec.settings && Object.keys(spec.settings).length
      ? `SETTINGS ${Object.entries(spec.settings).map(([k, v]) => `${k} = ${v}`).join(', ')}`
      : '',
  ].filter(Boolean);
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${physical}${on}\n(\n  ${spec.columns.join(',\n  ')}\n)\nENGINE = ${engine}\n${tail.join('\n')}`,
  ];
  if (sharded) {
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${spec.name}${on} AS ${physical}\nENGINE = Distributed(${ctx.cluster}, ${ctx.database}, ${physical}, ${spec.shardKey})`,
    );
  }
  return statements;
}

/** A materialized view works on the local tables: each shard rolls up its own inserts. */
export function createView(view: ViewSpec, ctx: DdlContext, sharded: (name: string) => boolean): string {
  const on = ctx.cluster ? ` ON CLUSTER ${ctx.cluster}` : '';
  const phys = (n: string) => (ctx.cluster && sharded(n) ? localName(n, ctx) : n);
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${view.name}${on} TO ${phys(view.to)}\nAS ${view.select.replaceAll('{from}', phys(view.from))}`;
}
