import type { Storage } from '@licenskoll/storage';
import { BodyBudget } from './body-budget.ts';
import { insertRows, storedKeys, tokenFor } from './batch-store.ts';
import { IngestStats } from './ingest-stats.ts';
import type { PendingInsert } from './pending-insert.ts';
import { SpoolFull, type Spool } from './spool.ts';
import { briefError, classifyStorageError } from './storage-errors.ts';
import type { StoredEvent } from './stored-event.ts';

export interface WriterOptions {
  /** Rows per insert: ClickHouse wants about 1,000+ rows and about one insert a second per table. */
  maxBatchRows?: number;
  /** Rows waiting in memory at most; beyond it `submit` refuses with `Overloaded` (429). */
  maxQueueRows?: number;
  /** Bytes of ingest request bodies being read and parsed at once; beyond it requests get 429 before their body is read. */
  maxBodyBytes?: number;
  /** Attempts of a lookup or insert that storage answered "busy" before the batch goes to the spool. */
  busyAttempts?: number;
  /** First wait after a busy answer; doubles each attempt. */
  retryDelayMs?: number;
  /** A lookup or insert taking longer counts as storage not answering. */
  storageTimeoutMs?: number;
  /** First probe of storage after it failed; the interval doubles up to `probeMaxMs`. */
  probeMs?: number;
  probeMaxMs?: number;
  /** Where batches storage did not take wait. Without one such batches are refused with 503. */
  spool?: Spool;
  /** The insert under way, kept so that one cut short is completed identically (see pending-insert.ts). */
  pending?: PendingInsert;
  log?: (message: string) => void;
}

export interface SubmitResult {
  accepted: number;
  duplicates: number;
  /** Of `accepted`, how many wait in the local spool (stored once storage answers). */
  spooled: number;
}

export class Overloaded extends Error {
  override name = 'Overloaded';
  constructor(readonly retryAfterSeconds: number) {
    super('ingest queue is full');
  }
}
/** Nothing of the request was kept: storage is down and the spool could not take it either. */
export class StorageUnavailable extends Error {
  override name = 'StorageUnavailable';
  constructor(message: string, readonly retryAfterSeconds = 10) {
    super(message);
  }
}
export class ShuttingDown extends Error {
  override name = 'ShuttingDown';
}
/** Storage could not read the rows (a bug: they were validated). Nothing of the request was kept. */
export class IngestRefused extends Error {
  override name = 'IngestRefused';
}

interface Submission {
  rows: StoredEvent[];
  resolve: (r: SubmitResult) => void;
  reject: (e: Error) => void;
}

interface Split {
  fresh: StoredEvent[];
  results: { accepted: number; duplicates: number }[];
}

/** New rows of a batch, and each request's counts: keys stored already or seen earlier in the batch are duplicates. */
function split(batch: Submission[], stored: Set<string>): Split {
  const seen = new Set(stored);
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
  return { fresh, results };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

/**
 * Group commit: requests wait while one insert runs, then everything that queued meanwhile
 * goes in the next insert. At low load a request waits one insert (a few ms); at high load
 * batches grow toward `maxBatchRows` by themselves, with no timer. A request is answered only
 * after its batch is stored, or appended and fsynced to the spool: that is what a 202 promises.
 *
 * Duplicates: keys are looked up in `event_keys` before the insert and within the batch. One
 * loop per process runs one flush or one spool replay at a time, so no two inserts race on a
 * key. A resent insert keeps its rows and its `insert_deduplication_token`.
 *
 * When storage fails, the writer marks it down: later batches go straight to the spool
 * (no request waits out a timeout), and a probe with growing intervals finds it back. Then
 * the spool drains, oldest first, interleaved with live batches so neither starves.
 */
export class EventWriter {
  readonly stats = new IngestStats();
  readonly bodies: BodyBudget;
  private queue: Submission[] = [];
  private queuedRows = 0;
  private pumping = false;
  private closed = false;
  private up = true;
  private probeDue = false;
  private probeTimer?: NodeJS.Timeout;
  /** Storage failures since storage last took a batch: spaces the probes and the log lines. */
  private failures = 0;
  private idle: (() => void)[] = [];
  /** Set when the spool file itself could not be read: retried later, live ingest goes on. */
  private replayPausedUntil = 0;
  /** Recent rows per second through storage: turns a queue depth into a Retry-After. */
  private rowsPerSecond = 20_000;
  private readonly o: Required<Omit<WriterOptions, 'spool' | 'pending'>> & Pick<WriterOptions, 'spool' | 'pending'>;

  constructor(private readonly storage: Storage, opts: WriterOptions = {}) {
    this.o = {
      maxBatchRows: 10_000, maxQueueRows: 100_000, maxBodyBytes: 32 * 1024 ** 2, busyAttempts: 3, retryDelayMs: 100,
      storageTimeoutMs: 30_000, probeMs: 500, probeMaxMs: 10_000, log: () => {}, ...opts,
    };
    this.bodies = new BodyBudget(this.o.maxBodyBytes);
  }

  get queueDepth(): number {
    return this.queuedRows;
  }
  get queueLimit(): number {
    return this.o.maxQueueRows;
  }
  /** False from a failed lookup or insert until a probe succeeds. */
  get storageUp(): boolean {
    return this.up;
  }
  get spool(): Spool | undefined {
    return this.o.spool;
  }
  /** What waits on disk to be stored: the spool plus an insert that failed part-way. */
  get waiting(): { batches: number; rows: number; bytes: number } {
    const sp = this.o.spool;
    const p = this.o.pending?.current;
    return {
      batches: (sp?.pendingBatches ?? 0) + (p ? 1 : 0),
      rows: (sp?.pendingRows ?? 0) + (p?.rows.length ?? 0),
      bytes: (sp?.pendingBytes ?? 0) + (this.o.pending?.size ?? 0),
    };
  }

  /** True when the queue is at its bound: a route can answer 429 before reading a body. */
  get full(): boolean {
    return this.queuedRows >= this.o.maxQueueRows;
  }

  /** Seconds a refused client should wait: roughly the time to store what is queued. */
  retryAfterSeconds(): number {
    return Math.min(30, Math.max(1, Math.ceil(this.queuedRows / Math.max(this.rowsPerSecond, 1000))));
  }

  /** Starts storing what an earlier run left in the spool. */
  start(): void {
    this.kick();
  }

  submit(rows: StoredEvent[]): Promise<SubmitResult> {
    if (this.closed) return Promise.reject(new ShuttingDown('the service is shutting down'));
    if (rows.length === 0) return Promise.resolve({ accepted: 0, duplicates: 0, spooled: 0 });
    // One request larger than the bound is still taken when nothing waits (the body limit bounds it).
    if (this.queuedRows + rows.length > this.o.maxQueueRows && this.queuedRows > 0) {
      this.stats.overloadedRequests++;
      return Promise.reject(new Overloaded(this.retryAfterSeconds()));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.queuedRows += rows.length;
      this.kick();
    });
  }

  /** Stops taking submissions and resolves when everything accepted so far is stored or spooled. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    if (this.pumping || this.queue.length > 0) await new Promise<void>((r) => this.idle.push(r));
    await this.o.spool?.close();
  }

  private kick(): void {
    if (!this.pumping) setImmediate(() => void this.pump());
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      let replayTurn = true;
      for (;;) {
        if (!this.up && this.probeDue) {
          this.probeDue = false;
          await this.probe();
        }
        if (this.up && !this.closed && this.o.pending?.current) {
          await this.completePending();
          continue;
        }
        const replayable = this.up && !this.closed && (this.o.spool?.pendingBatches ?? 0) > 0 && Date.now() >= this.replayPausedUntil;
        if (replayable && (replayTurn || this.queue.length === 0)) {
          replayTurn = false;
          await this.replayOne();
          continue;
        }
        replayTurn = true;
        if (this.queue.length === 0) break;
        const batch = this.takeBatch();
        try {
          await this.flush(batch);
        } catch (e) {
          // flush answers every storage and spool failure itself; this is a bug, and the
          // requests must still get an answer rather than hang.
          this.o.log(`ingest: unexpected error in a flush: ${(e as Error).stack ?? e}`);
          batch.forEach((s) => s.reject(e as Error));
        }
      }
    } catch (e) {
      this.o.log(`ingest: unexpected error in the flush loop: ${(e as Error).stack ?? e}`);
    } finally {
      this.pumping = false;
      if (this.queue.length > 0) this.kick();
      else this.idle.splice(0).forEach((r) => r());
    }
  }

  private takeBatch(): Submission[] {
    const batch: Submission[] = [];
    let n = 0;
    while (this.queue.length > 0 && (n === 0 || n + this.queue[0].rows.length <= this.o.maxBatchRows)) {
      const s = this.queue.shift()!;
      batch.push(s);
      n += s.rows.length;
    }
    this.queuedRows -= n;
    return batch;
  }

  /**
   * One live batch. It goes straight to storage only when nothing waits before it: with
   * spooled batches or a cut-short insert still to store, it is appended to the spool, so
   * that everything is stored in the order it was kept and each key lookup sees all before it.
   */
  private async flush(batch: Submission[]): Promise<void> {
    const direct = this.up && !this.o.pending?.current && (this.o.spool?.pendingBatches ?? 0) === 0;
    if (!direct) return this.spoolBatch(batch, split(batch, new Set()));
    const t0 = performance.now();
    let split0: Split;
    try {
      const keys = [...new Set(batch.flatMap((s) => s.rows.map((r) => r.event_key)))];
      split0 = split(batch, await this.busyRetry(() => storedKeys(this.storage, keys, this.o.storageTimeoutMs)));
    } catch (e) {
      // Nothing was sent: the batch waits in the spool, where its keys are looked up on replay.
      this.failed(e);
      return this.spoolBatch(batch, split(batch, new Set()));
    }
    const { fresh, results } = split0;
    if (fresh.length > 0) {
      const token = tokenFor(fresh);
      try {
        await this.o.pending?.begin(fresh, token);
      } catch (e) {
        this.o.log(`ingest: the local disk did not take the record of an insert: ${briefError(e)}`);
        this.refuse(batch, new StorageUnavailable(`the local disk failed (${briefError(e)}): nothing was kept, retry later`));
        return;
      }
      try {
        await this.busyRetry(() => insertRows(this.storage, fresh, token, this.o.storageTimeoutMs));
      } catch (e) {
        this.failed(e);
        return this.afterFailedInsert(batch, split0, e);
      }
      this.o.pending?.done();
    }
    this.storageTook();
    this.observeFlush(fresh.length, results, performance.now() - t0);
    batch.forEach((s, i) => s.resolve({ ...results[i], spooled: 0 }));
  }

  private failed(e: unknown): void {
    this.stats.flushFailures++;
    this.stats.lastFailureAt = new Date().toISOString();
    if (classifyStorageError(e) !== 'permanent') this.markDown(e);
  }

  private refuse(batch: Submission[], err: Error): void {
    this.stats.unavailableRequests += batch.length;
    batch.forEach((s) => s.reject(err));
  }

  /**
   * An insert that failed may have left some of its parts behind. Its record (the pending
   * insert) is made durable and completed identically later; the requests are answered 202.
   * Storage that could not read the rows committed nothing: those requests are refused.
   */
  private async afterFailedInsert(batch: Submission[], { fresh, results }: Split, e: unknown): Promise<void> {
    const pending = this.o.pending;
    if (classifyStorageError(e) === 'permanent') {
      pending?.done();
      this.o.log(`ingest: storage could not read a batch of ${batch.length} requests; they were refused: ${briefError(e)}`);
      batch.forEach((s) => s.reject(new IngestRefused('storage could not read these events: nothing was kept')));
      return;
    }
    if (!pending) return this.spoolBatch(batch, { fresh, results });
    try {
      await pending.keep();
    } catch (fsErr) {
      this.refuse(batch, new StorageUnavailable(`storage is not answering and the local disk failed (${briefError(fsErr)}): retry later`));
      return;
    }
    this.stats.spooledBatches++;
    this.stats.spooledRows += fresh.length;
    for (const r of results) {
      this.stats.acceptedRows += r.accepted;
      this.stats.duplicateRows += r.duplicates;
    }
    batch.forEach((s, i) => s.resolve({ ...results[i], spooled: results[i].accepted }));
  }

  private observeFlush(rows: number, results: Split['results'], ms: number): void {
    const s = this.stats;
    s.flushes++;
    s.rowsWritten += rows;
    for (const r of results) {
      s.acceptedRows += r.accepted;
      s.duplicateRows += r.duplicates;
    }
    s.lastFlushAt = new Date().toISOString();
    s.lastFlushMs = Math.round(ms);
    s.flushMs.observe(ms);
    const all = results.reduce((a, r) => a + r.accepted + r.duplicates, 0);
    if (all >= 100) this.rowsPerSecond = 0.8 * this.rowsPerSecond + 0.2 * (all / Math.max(ms / 1000, 0.001));
  }

  private async spoolBatch(batch: Submission[], { fresh, results }: Split): Promise<void> {
    const s = this.stats;
    const answer = (spooled: boolean) => {
      for (const r of results) {
        s.acceptedRows += r.accepted;
        s.duplicateRows += r.duplicates;
      }
      batch.forEach((sub, i) => sub.resolve({ ...results[i], spooled: spooled ? results[i].accepted : 0 }));
    };
    if (fresh.length === 0) return answer(false);
    const spool = this.o.spool;
    if (!spool) {
      s.unavailableRequests += batch.length;
      const err = new StorageUnavailable('storage is not answering: nothing was kept, retry later');
      batch.forEach((sub) => sub.reject(err));
      return;
    }
    try {
      const { ms } = await spool.append(fresh, tokenFor(fresh));
      s.spooledBatches++;
      s.spooledRows += fresh.length;
      s.spoolAppendMs.observe(ms);
      answer(true);
    } catch (e) {
      s.unavailableRequests += batch.length;
      const err =
        e instanceof SpoolFull
          ? new StorageUnavailable('storage is not answering and the local spool is full: nothing was kept, retry later', 30)
          : new StorageUnavailable(`storage is not answering and the local spool failed (${briefError(e)}): nothing was kept`);
      if (!(e instanceof SpoolFull)) this.o.log(`ingest: the spool could not take a batch: ${briefError(e)}`);
      batch.forEach((sub) => sub.reject(err));
    }
  }

  /** Stores the oldest spooled batch through the same lookup as live batches; a spooled key stored meanwhile is skipped. */
  private async replayOne(): Promise<void> {
    const spool = this.o.spool!;
    let peeked;
    try {
      peeked = spool.peek();
    } catch (e) {
      this.o.log(`ingest: the spool could not be read (${briefError(e)}); retrying in a minute`);
      this.pauseReplay();
      return;
    }
    if (!peeked) return;
    const { record } = peeked;
    let stored: Set<string>;
    try {
      stored = await this.busyRetry(() => storedKeys(this.storage, record.rows.map((r) => r.event_key), this.o.storageTimeoutMs));
    } catch (e) {
      this.markDown(e);
      return;
    }
    const fresh = record.rows.filter((r) => !stored.has(r.event_key));
    if (fresh.length > 0) {
      // The spooled token when nothing of the batch is stored yet, so that a replay whose
      // answer was lost is recognised by the events table.
      const token = fresh.length === record.rows.length ? record.token : tokenFor(fresh);
      try {
        await this.o.pending?.begin(fresh, token);
      } catch (e) {
        this.o.log(`ingest: the local disk did not take the record of an insert (${briefError(e)}); replay paused for a minute`);
        this.pauseReplay();
        return;
      }
      try {
        await this.busyRetry(() => insertRows(this.storage, fresh, token, this.o.storageTimeoutMs));
      } catch (e) {
        if (classifyStorageError(e) === 'permanent') {
          this.o.pending?.done();
          this.stats.quarantinedRows += record.rows.length;
          await spool.quarantine(briefError(e));
          return;
        }
        // The record stays first in the spool; the pending insert is completed before it is looked at again.
        await this.o.pending?.keep().catch((fsErr) => this.o.log(`ingest: could not keep the pending insert: ${briefError(fsErr)}`));
        this.markDown(e);
        return;
      }
      this.o.pending?.done();
    }
    await spool.commit();
    this.storageTook();
    this.stats.replayedBatches++;
    this.stats.replayedRows += fresh.length;
    this.stats.replayDuplicateRows += record.rows.length - fresh.length;
    this.stats.rowsWritten += fresh.length;
    this.stats.lastFlushAt = new Date().toISOString();
    if (spool.pendingBatches === 0) this.o.log('ingest: the spool is drained');
  }

  private pauseReplay(): void {
    this.replayPausedUntil = Date.now() + 60_000;
    setTimeout(() => this.kick(), 60_000).unref();
  }

  /** Completes the insert that was cut short (by a crash or an error), with its own rows and token. */
  private async completePending(): Promise<void> {
    const pending = this.o.pending!;
    const p = pending.current!;
    try {
      await this.busyRetry(() => insertRows(this.storage, p.rows, p.token, this.o.storageTimeoutMs));
    } catch (e) {
      if (classifyStorageError(e) === 'permanent') {
        this.stats.quarantinedRows += p.rows.length;
        await this.o.spool?.quarantineRows(p.rows, p.token, briefError(e));
        pending.done();
        return;
      }
      this.markDown(e);
      return;
    }
    pending.done();
    this.o.log(`ingest: completed an insert of ${p.rows.length} rows that was cut short, with its own rows and token`);
    this.storageTook();
    this.stats.completedInserts++;
    this.stats.lastFlushAt = new Date().toISOString();
  }

  /**
   * A cheap question, not a replay: a batch storage chokes on must not keep the whole writer
   * down. If storage answers but then fails the next batch, `failures` keeps growing, so the
   * probes still back off.
   */
  private async probe(): Promise<void> {
    try {
      await this.storage.write
        .query({ query: 'SELECT 1', format: 'JSONEachRow', abort_signal: AbortSignal.timeout(this.o.storageTimeoutMs) })
        .then((r) => r.json());
      this.up = true;
      const pending = this.o.spool?.pendingBatches ?? 0;
      if (isPowerOfTwo(this.failures)) this.o.log(`ingest: storage answers a probe${pending ? `; storing ${pending} spooled batches` : ''}`);
    } catch {
      this.failures++;
      this.scheduleProbe();
    }
  }

  /** Storage took a batch: the outage, if there was one, is over. */
  private storageTook(): void {
    if (this.failures > 0) this.o.log(`ingest: storage takes batches again after ${this.failures} failures`);
    this.failures = 0;
  }

  private markDown(e: unknown): void {
    this.up = false;
    this.failures++;
    if (isPowerOfTwo(this.failures)) {
      this.o.log(`ingest: storage did not take a batch (${briefError(e)}; ${this.failures} failures in a row); new batches go to the local spool until it does`);
    }
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.closed || this.probeTimer) return;
    const delay = Math.min(this.o.probeMs * 2 ** Math.min(this.failures - 1, 20), this.o.probeMaxMs);
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      this.probeDue = true;
      this.kick();
    }, delay);
    this.probeTimer.unref();
  }

  /**
   * Retries what storage answered "busy" (too many parts, memory, a hiccup) after a short
   * wait. Anything else is thrown at once: "not answering" is better served by the spool
   * than by holding every waiting request, and "cannot read the rows" will not change.
   */
  private async busyRetry<T>(fn: () => Promise<T>): Promise<T> {
    let delay = this.o.retryDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (classifyStorageError(e) !== 'transient' || attempt >= this.o.busyAttempts) throw e;
        await sleep(delay);
        delay *= 2;
      }
    }
  }
}
