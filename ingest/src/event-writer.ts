import { createHash } from 'node:crypto';
import type { Storage } from '@licenskoll/storage';
import { queryRows } from '@licenskoll/storage';
import type { StoredEvent } from './stored-event.ts';

export interface WriterOptions {
  /** Rows per insert: ClickHouse wants about 1,000+ rows and about one insert a second per table. */
  maxBatchRows?: number;
  /** Rows waiting in memory at most; beyond it `submit` refuses with `Overloaded` (429). */
  maxQueueRows?: number;
  /** Attempts of one insert before its requests fail with 503. */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt. */
  retryDelayMs?: number;
}

export interface SubmitResult {
  accepted: number;
  duplicates: number;
}

/** Observations of each flush, for health and metrics. */
export interface FlushStats {
  flushes: number;
  rowsWritten: number;
  duplicates: number;
  failures: number;
  lastFlushAt?: string;
  lastFlushMs?: number;
  lastError?: string;
}

export class Overloaded extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('ingest queue is full');
  }
}
export class StorageUnavailable extends Error {}
export class ShuttingDown extends Error {}

interface Submission {
  rows: StoredEvent[];
  resolve: (r: SubmitResult) => void;
  reject: (e: Error) => void;
}

/**
 * Group commit: requests wait while one insert runs, then everything that queued meanwhile
 * goes in the next insert. At low load a request waits one insert (a few ms); at high load
 * batches grow toward `maxBatchRows` by themselves, with no timer. A request is answered only
 * after its batch is stored, which is what makes a 202 a promise.
 *
 * Duplicates: keys are looked up in `event_keys` before the insert and within the batch. One
 * writer per process runs one flush at a time, so no two flushes race on the same key. A
 * retried insert keeps its rows and its `insert_deduplication_token`, so a retry after a lost
 * answer cannot store the batch twice.
 */
export class EventWriter {
  private queue: Submission[] = [];
  private queuedRows = 0;
  private flushing = false;
  private closed = false;
  private idle: (() => void)[] = [];
  readonly stats: FlushStats = { flushes: 0, rowsWritten: 0, duplicates: 0, failures: 0 };
  private readonly o: Required<WriterOptions>;

  constructor(private readonly storage: Storage, opts: WriterOptions = {}) {
    this.o = { maxBatchRows: 10_000, maxQueueRows: 200_000, maxAttempts: 5, retryDelayMs: 200, ...opts };
  }

  get queueDepth(): number {
    return this.queuedRows;
  }

  submit(rows: StoredEvent[]): Promise<SubmitResult> {
    if (this.closed) return Promise.reject(new ShuttingDown('the service is shutting down'));
    if (rows.length === 0) return Promise.resolve({ accepted: 0, duplicates: 0 });
    if (this.queuedRows + rows.length > this.o.maxQueueRows && this.queuedRows > 0) {
      return Promise.reject(new Overloaded(1));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.queuedRows += rows.length;
      if (!this.flushing) setImmediate(() => void this.drain());
    });
  }

  /** Stops taking submissions and resolves when everything accepted so far is stored. */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.flushing && this.queue.length === 0) return;
    await new Promise<void>((r) => this.idle.push(r));
  }

  private async drain(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch: Submission[] = [];
        let n = 0;
        while (this.queue.length > 0 && (n === 0 || n + this.queue[0].rows.length <= this.o.maxBatchRows)) {
          const s = this.queue.shift()!;
          batch.push(s);
          n += s.rows.length;
        }
        this.queuedRows -= n;
        await this.flush(batch);
      }
    } finally {
      this.flushing = false;
      if (this.queue.length > 0) setImmediate(() => void this.drain());
      else this.idle.splice(0).forEach((r) => r());
    }
  }

  private async flush(batch: Submission[]): Promise<void> {
    const t0 = performance.now();
    try {
      const keys = [...new Set(batch.flatMap((s) => s.rows.map((r) => r.event_key)))];
      const existing = await this.withRetry(() => this.existingKeys(keys));
      const seen = new Set(existing);
      const fresh: StoredEvent[] = [];
      const results = batch.map((s) => {
        let accepted = 0;
        let duplicates = 0;
        for (const r of s.rows) {
          if (seen.has(r.event_key)) duplicates++;
          else {
            seen.add(r.event_key);
            fresh.push(r);
            accepted++;
          }
        }
        return { accepted, duplicates };
      });
      if (fresh.length > 0) {
        const token = createHash('sha256').update(fresh.map((r) => r.event_key).join(',')).digest('hex');
        await this.withRetry(() =>
          this.storage.write.insert({
            table: 'events',
            values: fresh,
            format: 'JSONEachRow',
            clickhouse_settings: { insert_deduplication_token: token, insert_deduplicate: 1 },
          }),
        );
      }
      this.stats.flushes++;
      this.stats.rowsWritten += fresh.length;
      this.stats.duplicates += results.reduce((a, r) => a + r.duplicates, 0);
      this.stats.lastFlushAt = new Date().toISOString();
      this.stats.lastFlushMs = Math.round(performance.now() - t0);
      batch.forEach((s, i) => s.resolve(results[i]));
    } catch (e) {
      this.stats.failures++;
      this.stats.lastError = (e as Error).message;
      const err = new StorageUnavailable(`storage did not accept the events: ${(e as Error).message}`);
      batch.forEach((s) => s.reject(err));
    }
  }

  private async existingKeys(keys: string[]): Promise<string[]> {
    const found: string[] = [];
    for (let i = 0; i < keys.length; i += 5000) {
      const rows = await queryRows<{ event_key: string }>(
        this.storage.write,
        'SELECT DISTINCT event_key FROM event_keys WHERE event_key IN {keys:Array(String)}',
        { keys: keys.slice(i, i + 5000) },
      );
      for (const r of rows) found.push(r.event_key);
    }
    return found;
  }

  /**
   * Retries with backoff. Every error is retried: the embedded engine and a server both
   * answer transient faults (too many parts, a lost connection) the same way as lasting
   * ones, and a retried insert is idempotent by its token.
   */
  private async withRetry<T>(fn: () => Promise<T>): Promise<T> {
    let delay = this.o.retryDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (attempt >= this.o.maxAttempts) throw e;
        await new Promise((r) => setTimeout(r, delay));
        delay *= 2;
      }
    }
  }
}
