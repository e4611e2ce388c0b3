import { isValidTimeZone } from './dates.ts';

/** Every core setting of the README's configuration table, read once from the environment. */
export interface Config {
  /** HTTP port for API and dashboard. */
  port: number;
  /** Data directory of the embedded engine; also holds the generated pseudonym key and spool. */
  dataDir: string;
  /** ClickHouse server URL; when absent the embedded chDB engine is used. */
  clickhouseUrl?: string;
  clickhouseUser?: string;
  clickhousePassword?: string;
  clickhouseDatabase: string;
  /** Cluster name: replicated + distributed tables created ON CLUSTER. */
  clickhouseCluster?: string;
  /** Tokens accepted besides issued ones. */
  adminToken?: string;
  ingestToken?: string;
  /** HMAC secret for pseudonyms; generated into the data directory when absent. */
  pseudonymKey?: string;
  /** The organiser's time zone: every day in every figure is a calendar day here. */
  timeZone: string;
  retentionMonths: number;
  /** Seed the demo municipality into an empty store. */
  demo: boolean;
  /** `LICENSKOLL_DEMO=region`: also three more municipalities beside it, in one region (docs/tenants.md). */
  demoRegion?: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const tz = env.LICENSKOLL_TZ || 'Europe/Stockholm';
  if (!isValidTimeZone(tz)) throw new Error(`LICENSKOLL_TZ: "${tz}" is not a known time zone`);
  const port = Number(env.PORT || 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT: "${env.PORT}" is not a port number`);
  const retention = Number(env.LICENSKOLL_RETENTION_MONTHS || 13);
  if (!Number.isInteger(retention) || retention < 1 || retention > 240) {
    throw new Error(`LICENSKOLL_RETENTION_MONTHS: "${env.LICENSKOLL_RETENTION_MONTHS}" must be a whole number of months, 1 to 240`);
  }
  const demo = (env.LICENSKOLL_DEMO || 'on').toLowerCase();
  if (!['on', 'off', 'region'].includes(demo)) throw new Error(`LICENSKOLL_DEMO: "${env.LICENSKOLL_DEMO}" must be "on", "off" or "region"`);
  const database = env.CLICKHOUSE_DATABASE || 'licenskoll';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new Error(`CLICKHOUSE_DATABASE: "${database}" is not a plain identifier`);
  const cluster = env.CLICKHOUSE_CLUSTER || undefined;
  if (cluster && !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(cluster)) throw new Error(`CLICKHOUSE_CLUSTER: "${cluster}" is not a plain identifier`);
  return {
    port,
    dataDir: env.LICENSKOLL_DATA_DIR || './data',
    clickhouseUrl: env.CLICKHOUSE_URL || undefined,
    clickhouseUser: env.CLICKHOUSE_USER || undefined,
    clickhousePassword: env.CLICKHOUSE_PASSWORD || undefined,
    clickhouseDatabase: database,
    clickhouseCluster: cluster,
    adminToken: env.LICENSKOLL_ADMIN_TOKEN || undefined,
    ingestToken: env.LICENSKOLL_INGEST_TOKEN || undefined,
    pseudonymKey: env.LICENSKOLL_PSEUDONYM_KEY || undefined,
    timeZone: tz,
    retentionMonths: retention,
    demo: demo !== 'off',
    demoRegion: demo === 'region',
  };
}
