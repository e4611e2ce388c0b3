/** Ingest settings from the environment, beside the core ones in packages/core/src/config.ts. */
export interface IngestSettings {
  /** `LICENSKOLL_INGEST_QUEUE_ROWS` (100000): rows waiting for storage at most; beyond it 429. A queued row weighs about 0.5 KB. */
  maxQueueRows: number;
  /** `LICENSKOLL_INGEST_BATCH_ROWS` (20000): rows per insert at most. */
  maxBatchRows: number;
  /** `LICENSKOLL_INGEST_BODY_MB` (32): request bodies being read and parsed at once; beyond it 429. */
  maxBodyBytes: number;
  /** `LICENSKOLL_SPOOL_MAX_MB` (512): undrained spool on disk at most; beyond it 503. */
  spoolMaxBytes: number;
  /** `LICENSKOLL_INGEST_LINGER_MS` (1000): how long journaled rows are gathered for one insert while nobody waits for them. */
  lingerMs: number;
}

const MB = 1024 ** 2;

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number, { integer = true, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0 || v > max || (integer && !Number.isInteger(v))) {
    throw new Error(`${name}: "${raw}" must be a positive ${integer ? 'whole ' : ''}number${max < Number.MAX_SAFE_INTEGER ? ` up to ${max}` : ''}`);
  }
  return v;
}

export function ingestSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): IngestSettings {
  return {
    maxQueueRows: positive(env, 'LICENSKOLL_INGEST_QUEUE_ROWS', 100_000, { max: 10_000_000 }),
    maxBatchRows: positive(env, 'LICENSKOLL_INGEST_BATCH_ROWS', 20_000, { max: 1_000_000 }),
    maxBodyBytes: Math.round(positive(env, 'LICENSKOLL_INGEST_BODY_MB', 32, { integer: false, max: 4096 }) * MB),
    // Fractions of a MB are allowed so that a test can fill the spool in seconds.
    spoolMaxBytes: Math.round(positive(env, 'LICENSKOLL_SPOOL_MAX_MB', 512, { integer: false, max: 1024 ** 2 }) * MB),
    lingerMs: positive(env, 'LICENSKOLL_INGEST_LINGER_MS', 1000, { max: 60_000 }),
  };
}
