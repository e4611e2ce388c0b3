import { tokenFor } from './batch-store.ts';
import { BodyBudget } from './body-budget.ts';
import type { EventStore } from './event-store.ts';
import { IngestStats } from './ingest-stats.ts';
import { KnownKeys } from './known-keys.ts';
import type { PendingInsert } from './pending-insert.ts';
import { Overloaded, ShuttingDown, StorageUnavailable } from './refusals.ts';
import { SpoolFull, type Spool } from './spool.ts';
import { briefError } from './storage-errors.ts';
import { StoreLoop } from './store-loop.ts';
import type { StoredEvent } from './stored-event.ts';

/**
 * Journal fsyncs in flight at most. One: while it runs the next batch gathers every request
 * that arrives, and fewer, larger fsyncs won (single events from 50 clients: 6,100-6,900/s with
 * one, 5,900 with two, 4,300 with eight, which also queue in the disk).
 */
const MAX_SYNCS = 1;

export interface WriterOptions {
  /** Rows per insert into storage at most: ClickHouse wants thousands of rows per insert. */
  maxBatchRows?: number;
  /**
   * Rows accepted and not yet stored at most while storage answers (waiting to be journaled,
   * or journaled and waiting for their insert); beyond it `submit` refuses with `Overloaded`
   * (429). Rows journaled while storage was down are bounded by the spool's size instead.
   */
  maxQueueRows?: number;
  /** Bytes of ingest request bodies being read and parsed at once; beyond it requests get 429 before their body is read. */
  maxBodyBytes?: number;
  /** Attempts of a lookup or insert that storage answered "busy" before it counts as down. */
  busyAttempts?: number;
  /** First wait after a busy answer; doubles each attempt. */
  retryDelayMs?: number;
  /** An insert taking longer counts as storage not answering. */
  storageTimeoutMs?: number;
  /** A duplicate lookup while accepting waits this long at most; then the keys count as new (the store loop looks them up again). */
  lookupTimeoutMs?: number;
  /** First probe of storage after it failed; the interval doubles up to `probeMaxMs`. */
  probeMs?: number;
  probeMaxMs?: number;
  /** How long rows are gathered for a bigger insert while nobody waits for them (`LICENSKOLL_INGEST_LINGER_MS`). */
  lingerMs?: number;
  /** How long `close` goes on storing the journal before it leaves the rest for the next start. */
  closeDrainMs?: number;
  /** The insert under way, kept so that one cut short is completed identically (see pending-insert.ts). */
  pending?: PendingInsert;
  /** This writer's name in the claims of a store other writers insert into too (claims.ts: `writerId`). */
  writer?: string;
  log?: (message: string) => void;
}

export interface SubmitResult {
  accepted: number;
  duplicates: number;
  /** Of `accepted`, how many were kept while storage did not answer (stored once it does). */
  spooled: number;
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

/** New rows of a batch, and each request's counts: keys known already or seen earlier in the batch are duplicates. */
function split(batch: Submission[], known: Set<string>): Split {
  const seen = new Set(known);
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

/**
 * Ingest's promise: a request is answered 202 once its events are appended to the local
 * journal (the spool) and fsynced, so they survive a crash of the service. Requests that
 * arrive while one append runs go in the next, so one fsync serves every request waiting;
 * storing into ClickHouse is the store loop's work (store-loop.ts), in inserts of thousands
 * of rows however small the requests.
 *
 * Duplicates are counted exactly before the answer: a key journaled and not yet stored is one,
 * and a key the Bloom filter of stored keys cannot rule out is looked up in `event_keys`
 * (known-keys.ts). Reports that must see what was accepted wait for the journal with
 * `caughtUp` first.
 */
export class EventWriter {
  readonly stats = new IngestStats();
  readonly bodies: BodyBudget;
  readonly known: KnownKeys;
  private readonly store: StoreLoop;
  private queue: Submission[] = [];
  private queuedRows = 0;
  private accepting = false;
  /** Batches written to the journal whose fdatasync has not returned. */
  private readonly syncing = new Set<Promise<void>>();
  private closed = false;
  private idle: (() => void)[] = [];
  /** Journaled rows from while storage was down (or found at the start): bounded by the spool, not by `maxQueueRows`. */
  private downRows: number;
  private readonly o: Required<Omit<WriterOptions, 'pending' | 'writer'>>;
  private readonly pending?: PendingInsert;
  private spoolFailureLoggedAt = 0;
  private spoolFailuresUnlogged = 0;
  private journalFailure?: { at: number; error: string };

  constructor(private readonly storage: EventStore, private readonly journal: Spool, opts: WriterOptions = {}) {
    this.o = {
      maxBatchRows: 20_000, maxQueueRows: 100_000, maxBodyBytes: 32 * 1024 ** 2, busyAttempts: 3, retryDelayMs: 100,
      storageTimeoutMs: 30_000, lookupTimeoutMs: 2_000, lingerMs: 1000, probeMs: 500, probeMaxMs: 10_000, closeDrainMs: 10_000, log: () => {},
      ...opts,
    };
    this.pending = opts.pending;
    this.bodies = new BodyBudget(this.o.maxBodyBytes);
    this.known = new KnownKeys(storage, this.o.log);
    this.known.journaled(journal.pendingKeys());
    this.downRows = journal.pendingRows;
    this.store = new StoreLoop(storage, journal, this.known, this.stats, { ...this.o, writer: opts.writer, onStored: (rows) => {
      this.downRows = Math.max(0, this.downRows - rows);
    } }, opts.pending);
  }

  /** Rows accepted and not yet stored: waiting for the journal, and journaled. */
  get queueDepth(): number {
    return this.queuedRows + this.journal.pendingRows;
  }
  get queueLimit(): number {
    return this.o.maxQueueRows;
  }
  /** False from a failed lookup or insert until a probe succeeds (true before the first probe has answered). */
  get storageUp(): boolean {
    return !this.store.storageFailing;
  }
  get spool(): Spool {
    return this.journal;
  }
  /** What waits on disk to be stored: the journal plus an insert that failed part-way. */
  get waiting(): { batches: number; rows: number; bytes: number } {
    const sp = this.journal;
    // An insert under way holds rows of journaled records; on its own (cut short by a crash
    // of an older version, whose live batches skipped the journal) it is counted by itself.
    const p = sp.pendingBatches === 0 ? this.pending?.current : undefined;
    return {
      batches: sp.pendingBatches + (p ? 1 : 0),
      rows: sp.pendingRows + (p?.rows.length ?? 0),
      bytes: sp.pendingBytes + (p ? this.pending?.size ?? 0 : 0),
    };
  }

  /** Why the journal refused its last batch, when that was under 10 s ago and nothing was written since. */
  get journalError(): string | null {
    const f = this.journalFailure;
    return f && Date.now() - f.at < 10_000 ? f.error : null;
  }

  /** Rows the bound applies to: everything accepted and not stored, but what was kept while storage was down. */
  private get boundedRows(): number {
    return this.queuedRows + Math.max(0, this.journal.pendingRows - this.downRows);
  }

  /** True when the bound is reached: a route can answer 429 before reading a body. */
  get full(): boolean {
    return this.boundedRows >= this.o.maxQueueRows;
  }

  /**
   * Seconds a refused client should wait: roughly the time to store what is above half the
   * bound. Longer leaves the store loop idle before the clients are back; shorter only brings
   * them back to another 429.
   */
  retryAfterSeconds(): number {
    const above = Math.max(0, this.boundedRows - this.o.maxQueueRows / 2);
    return Math.min(30, Math.max(1, Math.ceil(above / Math.max(this.store.rowsPerSecond, 1000))));
  }

  /** Starts storing what an earlier run left in the journal, and fills the key filter. */
  start(): void {
    this.store.kick();
    void this.known.fill();
  }

  /**
   * Resolves when every event answered 202 before the call is stored (true), or after
   * `timeoutMs`, or at once while storage is down (false): what a report waits for so that it
   * counts what was just sent.
   */
  caughtUp(timeoutMs: number): Promise<boolean> {
    return this.store.caughtUp(timeoutMs);
  }

  /** Resolves when the bound has room: for callers with time to wait (imports, the demo), instead of a 429. */
  async room(): Promise<void> {
    while (this.full && !this.closed) {
      if (!(await this.store.caughtUp(1000)) && this.store.storageFailing) await new Promise((r) => setTimeout(r, 1000));
    }
  }

  submit(rows: StoredEvent[]): Promise<SubmitResult> {
    if (this.closed) return Promise.reject(new ShuttingDown('the service is shutting down'));
    if (rows.length === 0) return Promise.resolve({ accepted: 0, duplicates: 0, spooled: 0 });
    // One request larger than the bound is still taken when nothing waits (the body limit bounds it).
    if (this.boundedRows + rows.length > this.o.maxQueueRows && this.boundedRows > 0) {
      this.stats.overloadedRequests++;
      return Promise.reject(new Overloaded(this.retryAfterSeconds()));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.queuedRows += rows.length;
      this.kick();
    });
  }

  /**
   * Stops taking submissions, journals what was accepted (its requests get their answers),
   * stores the journal for up to `closeDrainMs`, and leaves the rest for the next start.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.accepting || this.queue.length > 0) await new Promise<void>((r) => this.idle.push(r));
    await Promise.allSettled([...this.syncing]);
    await this.store.stop(this.o.closeDrainMs);
    this.storage.release();
    await this.known.stop();
    await this.journal.close();
  }

  private kick(): void {
    if (!this.accepting) setImmediate(() => void this.acceptLoop());
  }

  /**
   * Takes what queued, writes it to the journal, and goes on with the next batch while the
   * previous ones are fsynced (at most MAX_SYNCS at once): the main thread never waits for the
   * disk, and each fsync covers every request that came in while the last one ran.
   */
  private async acceptLoop(): Promise<void> {
    if (this.accepting) return;
    this.accepting = true;
    try {
      while (this.queue.length > 0) {
        while (this.syncing.size >= MAX_SYNCS) await Promise.race(this.syncing);
        const batch = this.takeBatch();
        try {
          const { known, uncertain } = await this.knownDuplicates(batch);
          const synced = this.journalBatch(batch, known, uncertain);
          this.syncing.add(synced);
          void synced.finally(() => this.syncing.delete(synced));
        } catch (e) {
          // journalBatch answers every disk failure itself; this is a bug, and the requests
          // must still get an answer rather than hang.
          this.o.log(`ingest: unexpected error while journaling: ${(e as Error).stack ?? e}`);
          batch.forEach((s) => s.reject(e as Error));
        }
      }
    } finally {
      this.accepting = false;
      if (this.queue.length > 0) this.kick();
      else this.idle.splice(0).forEach((r) => r());
    }
  }

  /** Everything queued, up to the size of one insert: one fsync answers them all. */
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

  /** Writes the batch's new rows to the journal now; the returned promise answers the requests once they are fsynced. */
  private journalBatch(batch: Submission[], known: Set<string>, uncertain: boolean): Promise<void> {
    const { fresh, results } = split(batch, known);
    const s = this.stats;
    const answer = (spooled: boolean) => {
      for (const r of results) {
        s.acceptedRows += r.accepted;
        s.duplicateRows += r.duplicates;
      }
      batch.forEach((sub, i) => sub.resolve({ ...results[i], spooled: spooled ? results[i].accepted : 0 }));
    };
    const refuse = (err: StorageUnavailable) => {
      s.unavailableRequests += batch.length;
      batch.forEach((sub) => sub.reject(err));
    };
    if (fresh.length === 0) {
      answer(false);
      return Promise.resolve();
    }
    const down = !this.store.takingBatches;
    let written;
    try {
      written = this.journal.write(fresh, tokenFor(fresh));
    } catch (e) {
      if (!(e instanceof SpoolFull)) this.journalFailed(e, `ingest: the spool could not take a batch: ${briefError(e)}`);
      refuse(
        e instanceof SpoolFull
          ? new StorageUnavailable(`${down ? 'storage is not answering and ' : ''}the local spool is full: nothing was kept, retry later`, 30)
          : new StorageUnavailable(`the local spool failed (${briefError(e)}): nothing was kept, retry later`),
      );
      return Promise.resolve();
    }
    // Known from now on, so the next batch counts these keys as duplicates and the store loop
    // may insert them before their fsync returns (a crash before it answers nobody).
    this.known.journaled(fresh.map((r) => r.event_key));
    if (uncertain) this.store.verifyJournaled();
    if (down) this.downRows += fresh.length;
    this.store.kick();
    return written.synced.then(
      (ms) => {
        this.journalFailure = undefined;
        s.spooledBatches++;
        s.spooledRows += fresh.length;
        s.spoolAppendMs.observe(ms);
        answer(down);
      },
      (e) => {
        // The rows may or may not be on disk; they stay in the journal and are stored if they
        // are, so a client that retries is told they are duplicates. Nobody is told 202.
        this.journalFailed(e, `ingest: the spool could not sync a batch: ${briefError(e)}`);
        refuse(new StorageUnavailable(`the local spool failed (${briefError(e)}): retry later`));
      },
    );
  }

  /**
   * The local disk refused the journal (full, read-only, failing): requests get 503 until a
   * write succeeds. Health says so for 10 s after the last failure, then lets traffic come back
   * to try again. One log line per 10 s, with how many were refused since the last.
   */
  private journalFailed(e: unknown, line: string): void {
    const now = Date.now();
    this.journalFailure = { at: now, error: briefError(e) };
    if (now - this.spoolFailureLoggedAt < 10_000) {
      this.spoolFailuresUnlogged++;
      return;
    }
    const more = this.spoolFailuresUnlogged ? ` (and ${this.spoolFailuresUnlogged} more since the last such line)` : '';
    this.o.log(line + more);
    this.spoolFailureLoggedAt = now;
    this.spoolFailuresUnlogged = 0;
  }

  /**
   * Keys of the batch that are stored or journaled already. Only keys the filter cannot rule
   * out are asked of storage; while storage is down, or slow to answer, they count as new and
   * the store loop's own lookup keeps them from being stored twice.
   */
  private async knownDuplicates(batch: Submission[]): Promise<{ known: Set<string>; uncertain: boolean }> {
    const known = new Set<string>();
    const ask = new Set<string>();
    for (const sub of batch) {
      for (const r of sub.rows) {
        const k = r.event_key;
        if (this.known.waiting.has(k)) known.add(k);
        else if (this.known.mightBeStored(k)) ask.add(k);
      }
    }
    if (ask.size === 0) return { known, uncertain: false };
    if (this.store.storageFailing) return { known, uncertain: true };
    try {
      for (const k of await this.storage.storedKeys([...ask], this.o.lookupTimeoutMs)) known.add(k);
    } catch (e) {
      this.o.log(`ingest: a duplicate lookup failed (${briefError(e)}); ${ask.size} keys counted as new, stored once all the same`);
      return { known, uncertain: true };
    }
    return { known, uncertain: false };
  }
}
