import { tokenFor } from './batch-store.ts';
import type { EventStore } from './event-store.ts';
import type { IngestStats } from './ingest-stats.ts';
import type { KnownKeys } from './known-keys.ts';
import type { PendingInsert } from './pending-insert.ts';
import { busyRetry } from './busy-retry.ts';
import type { Reconciled } from './reconcile.ts';
import type { Spool } from './spool.ts';
import type { StoredEvent } from './stored-event.ts';
import { briefError, classifyStorageError } from './storage-errors.ts';
import { StorageHealth } from './storage-health.ts';

export interface StoreLoopOptions {
  /** Rows per insert at most: ClickHouse wants thousands of rows and about one insert a second per table. */
  maxBatchRows: number;
  /** How long rows are gathered for an insert while fewer than `maxBatchRows` wait and nobody waits for them. */
  lingerMs: number;
  /** Attempts of a lookup or insert that storage answered "busy" before it counts as down. */
  busyAttempts: number;
  /** First wait after a busy answer; doubles each attempt. */
  retryDelayMs: number;
  /** A lookup or insert taking longer counts as storage not answering. */
  storageTimeoutMs: number;
  /** First probe of storage after it failed; the interval doubles up to `probeMaxMs`. */
  probeMs: number;
  probeMaxMs: number;
  log: (message: string) => void;
  /** Rows taken off the journal (stored, found stored, or quarantined). */
  onStored?: (rows: number) => void;
  /** This writer's name in `event_claims` (claims.ts), kept across restarts; without it a shared store is only looked up. */
  writer?: string;
}

/**
 * Stores the journal (the spool) into ClickHouse, oldest first, in inserts of up to
 * `maxBatchRows` rows however small the requests that brought them. One loop per process, so
 * no two inserts of one process race on a key; where other writers insert into the same store,
 * each batch's new keys are claimed first and only the keys this writer holds are inserted
 * (claims.ts).
 *
 * Each insert is recorded (rows and deduplication token) before it is sent; one cut short by a
 * crash or an error is completed identically before anything else (see pending-insert.ts).
 * Keys are looked up in `event_keys` before each insert, so records replayed after a crash
 * between insert and checkpoint are not stored twice.
 *
 * When storage fails, the loop marks it down and a probe with growing intervals finds it back
 * (storage-health.ts); meanwhile the journal just grows, up to its bound. What storage answers
 * "busy" is retried in place first (busy-retry.ts).
 */
export class StoreLoop {
  private running = false;
  private readonly health: StorageHealth;
  private stopped = false;
  /** Set when the spool file itself could not be read: retried later. */
  private pausedUntil = 0;
  /** After an insert storage refused for good: records go one at a time to find the bad one. */
  private isolate = 0;
  private idle: (() => void)[] = [];
  private progress: (() => void)[] = [];
  private gatheringSince = 0;
  private lingerTimer?: NodeJS.Timeout;
  private stopping = false;
  /** Recent rows per second into storage: turns a backlog into a Retry-After. */
  rowsPerSecond = 20_000;

  constructor(
    private readonly storage: EventStore,
    private readonly spool: Spool,
    private readonly known: KnownKeys,
    private readonly stats: IngestStats,
    private readonly o: StoreLoopOptions,
    private readonly pending?: PendingInsert,
  ) {
    // Records an earlier run left may be stored already (a crash between insert and checkpoint).
    this.verifyUntil = spool.appendedRecords;
    this.health = new StorageHealth(storage, o, () => this.kick(), () => ({ batches: spool.pendingBatches, insertPending: pending?.current !== undefined }));
  }

  /**
   * Records before this one (by append count) have their keys looked up in `event_keys` before
   * they are inserted. Later ones need not be on the embedded engine: the accept loop checked
   * every key against storage and the journal when it wrote them, and no other process writes
   * to the same store. A server is looked up always (other ingest processes insert too).
   */
  private verifyUntil: number;
  /** Keys of inserts completed after they were cut short: stored, and skipped when their journal records come up. */
  private readonly doneKeys = new Set<string>();

  /** The records journaled so far are looked up before their insert: an accept-time lookup failed, so some may be stored. */
  verifyJournaled(): void {
    this.verifyUntil = this.spool.appendedRecords;
  }

  /** Whether the oldest journaled record (the first of the next insert) is one to look up. */
  private mustVerify(): boolean {
    return !this.storage.soleWriter || this.spool.committedRecords < this.verifyUntil;
  }

  /** See `StorageHealth.takingBatches`. */
  get takingBatches(): boolean {
    return this.health.takingBatches;
  }
  /** See `StorageHealth.failing`. */
  get storageFailing(): boolean {
    return this.health.failing;
  }

  /** Starts (or wakes) the loop. */
  kick(): void {
    if (!this.running && !this.stopped) setImmediate(() => void this.run());
  }

  /**
   * Whether to wait for more rows before the next insert: each insert writes a part per table
   * and per view whatever its size, and the engine's work per row falls with the insert's size
   * (small inserts ran at a fraction of the rate of large ones), so rows are gathered
   * for up to `lingerMs` until a full insert (`maxBatchRows`) waits: by default about one insert
   * a second of up to 20,000 rows (a few MB of JSON), ClickHouse's advice of about one insert per second
   * per table. Longer gathering gives less CPU per row and per event, with less and less gain
   * past a second (docs/benchmarks.md, "Measurements behind the code", "Insert size"). Someone waiting
   * for the journal (a report, an import, a stop) ends the wait at once.
   */
  private lingering(): boolean {
    const now = Date.now();
    if (this.spool.pendingRows >= this.o.maxBatchRows || this.progress.length > 0 || this.stopping || this.health.failing || this.o.lingerMs <= 0) {
      this.gatheringSince = 0;
      return false;
    }
    this.gatheringSince ||= now;
    const left = this.gatheringSince + this.o.lingerMs - now;
    if (left <= 0) {
      this.gatheringSince = 0;
      return false;
    }
    clearTimeout(this.lingerTimer);
    this.lingerTimer = setTimeout(() => this.kick(), left);
    this.lingerTimer.unref();
    return true;
  }

  /** Resolves when every record journaled before the call is stored, or after `timeoutMs`, or at once while storage is down. */
  async caughtUp(timeoutMs: number): Promise<boolean> {
    const target = this.spool.appendedRecords;
    const deadline = Date.now() + timeoutMs;
    while (this.spool.committedRecords < target || (this.pending?.current && this.health.answering)) {
      // Failing storage is not waited for; before the first probe has answered, it is worth the wait.
      if (this.health.failing || this.stopped) return false;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 1000));
        this.progress.push(() => {
          clearTimeout(t);
          r();
        });
        // Someone waits: no gathering for a bigger insert.
        clearTimeout(this.lingerTimer);
        this.kick();
      });
    }
    return true;
  }

  /** Stops the loop after its current insert; with `drainMs`, first stores what it can in that time. */
  async stop(drainMs = 0): Promise<void> {
    this.stopping = true;
    clearTimeout(this.lingerTimer);
    if (drainMs > 0 && this.health.answering) {
      this.kick();
      await this.caughtUp(drainMs);
    }
    this.stopped = true;
    this.health.stop();
    if (this.running) await new Promise<void>((r) => this.idle.push(r));
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.stopped) {
        if (!this.health.answering) {
          if (!this.health.takeProbe()) break;
          await this.health.probe();
          continue;
        }
        if (this.pending?.current) {
          await this.completePending();
          continue;
        }
        if (this.spool.pendingBatches === 0 || Date.now() < this.pausedUntil) break;
        if (this.lingering()) break;
        await this.storeNext();
      }
    } catch (e) {
      this.o.log(`ingest: unexpected error in the store loop: ${(e as Error).stack ?? e}`);
      this.markDown(e);
    } finally {
      this.running = false;
      this.idle.splice(0).forEach((r) => r());
      this.progress.splice(0).forEach((r) => r());
    }
  }

  /** Stores the oldest journaled records in one insert; keys stored meanwhile are skipped. */
  private async storeNext(): Promise<void> {
    const t0 = performance.now();
    let records;
    try {
      records = this.spool.peek(this.isolate > 0 ? 1 : this.o.maxBatchRows);
    } catch (e) {
      this.o.log(`ingest: the spool could not be read (${briefError(e)}); retrying in a minute`);
      this.pause(60_000);
      return;
    }
    if (records.length === 0) return;
    const rows = records.length === 1 ? records[0].record.rows : records.flatMap((r) => r.record.rows);
    let stored = new Set<string>();
    if (this.mustVerify()) {
      try {
        stored = await busyRetry(() => this.storage.storedKeys(rows.map((r) => r.event_key), this.o.storageTimeoutMs), this.o);
      } catch (e) {
        this.spool.unpeek();
        this.markDown(e);
        return;
      }
      // Found stored after a crash or a failure: perhaps by an insert that one table lost part of.
      const found = this.storage.soleWriter ? rows.filter((r) => stored.has(r.event_key) && !this.doneKeys.has(r.event_key)) : [];
      if (found.length > 0 && !(await this.reconciled(found, `${found.length} journaled rows found stored`))) {
        this.spool.unpeek();
        return;
      }
      for (const r of rows) if (this.doneKeys.has(r.event_key)) stored.add(r.event_key);
    } else this.doneKeys.clear();
    let fresh = stored.size === 0 ? rows : rows.filter((r) => !stored.has(r.event_key));
    if (!this.storage.soleWriter && this.o.writer && fresh.length > 0) {
      const writer = this.o.writer;
      let others: Set<string>;
      try {
        others = await busyRetry(() => this.storage.claim(fresh.map((r) => r.event_key), writer, this.o.storageTimeoutMs), this.o);
      } catch (e) {
        this.spool.unpeek();
        this.markDown(e);
        return;
      }
      // Another writer claimed them first and stores them.
      if (others.size > 0) {
        fresh = fresh.filter((r) => !others.has(r.event_key));
        this.stats.claimedElsewhereRows += others.size;
      }
    }
    if (fresh.length > 0) {
      // A lone record keeps the token it was journaled with, so that an insert whose answer
      // was lost before a crash is recognised by the events table when it is replayed.
      const token = records.length === 1 && fresh.length === rows.length ? records[0].record.token : tokenFor(fresh);
      try {
        await this.pending?.begin(fresh, token);
      } catch (e) {
        // Usually a full disk: storing resumes a few seconds after it has room again.
        this.o.log(`ingest: the local disk did not take the record of an insert (${briefError(e)}); storing paused for 5 s`);
        this.spool.unpeek();
        this.pause(5_000);
        return;
      }
      let attempts = 0;
      try {
        await busyRetry(() => {
          attempts++;
          return this.storage.insert(fresh, token, this.o.storageTimeoutMs);
        }, this.o);
      } catch (e) {
        if (classifyStorageError(e) === 'permanent') {
          this.pending?.done();
          if (records.length > 1) {
            // One of the records is refused for good: find it by storing them one at a time.
            this.isolate = records.length;
            this.spool.unpeek();
            return;
          }
          this.stats.quarantinedRows += rows.length;
          await this.spool.quarantine(briefError(e));
          this.isolate = Math.max(0, this.isolate - 1);
          this.known.stored(rows.map((r) => r.event_key));
          this.o.onStored?.(rows.length);
          return;
        }
        // The records stay first in the journal; the pending insert is completed before they are looked at again.
        this.spool.unpeek();
        await this.pending?.keep().catch((fsErr) => this.o.log(`ingest: could not keep the pending insert: ${briefError(fsErr)}`));
        this.failed(e);
        return;
      }
      // A retry in place is a resend: a table that lost its part of the failed attempt dropped it as a duplicate.
      if (attempts > 1 && !(await this.reconciled(fresh, `an insert of ${fresh.length} rows retried after an error`))) {
        this.spool.unpeek();
        await this.pending?.keep().catch((fsErr) => this.o.log(`ingest: could not keep the pending insert: ${briefError(fsErr)}`));
        return;
      }
      this.pending?.done();
    }
    await this.spool.commit();
    this.isolate = Math.max(0, this.isolate - records.length);
    this.known.stored(rows.map((r) => r.event_key));
    this.o.onStored?.(rows.length);
    this.health.took();
    const ms = performance.now() - t0;
    const s = this.stats;
    s.flushes++;
    s.rowsWritten += fresh.length;
    s.replayDuplicateRows += rows.length - fresh.length;
    s.lastFlushAt = new Date().toISOString();
    s.lastFlushMs = Math.round(ms);
    s.flushMs.observe(ms);
    if (rows.length >= 100) this.rowsPerSecond = 0.8 * this.rowsPerSecond + 0.2 * (rows.length / Math.max(ms / 1000, 0.001));
    this.progress.splice(0).forEach((r) => r());
  }

  /** Completes the insert that was cut short (by a crash or an error), with its own rows and token. */
  private async completePending(): Promise<void> {
    const pending = this.pending!;
    const p = pending.current!;
    try {
      await busyRetry(() => this.storage.insert(p.rows, p.token, this.o.storageTimeoutMs), this.o);
    } catch (e) {
      if (classifyStorageError(e) === 'permanent') {
        this.stats.quarantinedRows += p.rows.length;
        await this.spool.quarantineRows(p.rows, p.token, briefError(e));
        pending.done();
        return;
      }
      this.failed(e);
      return;
    }
    // Resent, but a table whose part of the first attempt failed to commit may have dropped the
    // resend as a duplicate all the same: each table is checked and filled in (reconcile.ts)
    // before the insert counts as done, so a crash meanwhile does it again.
    if (!(await this.reconciled(p.rows, `the insert of ${p.rows.length} rows completed`))) return;
    pending.done();
    // Its rows are stored now, whatever `event_keys` said before: the journal records that hold
    // them must not insert them again.
    for (const r of p.rows) this.doneKeys.add(r.event_key);
    this.verifyJournaled();
    this.o.log(`ingest: completed an insert of ${p.rows.length} rows that was cut short, with its own rows and token`);
    this.health.took();
    this.stats.completedInserts++;
    this.stats.lastFlushAt = new Date().toISOString();
    this.progress.splice(0).forEach((r) => r());
  }

  /**
   * Checks every table for these rows, stored by an insert that failed before it succeeded,
   * and fills in what one lost (reconcile.ts). False when storage failed meanwhile (marked
   * down; the caller keeps the insert pending, to be completed and checked again).
   */
  private async reconciled(rows: StoredEvent[], of: string): Promise<boolean> {
    try {
      this.noteFilled(await busyRetry(() => this.storage.reconcile(rows, this.o.storageTimeoutMs), this.o), of);
      return true;
    } catch (e) {
      if (classifyStorageError(e) === 'permanent') {
        this.o.log(`ingest: could not check the tables after ${of} (${briefError(e)}); some of its rows may be missing from one of them`);
        return true;
      }
      this.failed(e);
      return false;
    }
  }

  private noteFilled(fixed: Reconciled, of: string): void {
    const filled = Object.entries(fixed).filter(([, n]) => n > 0);
    if (filled.length === 0) return;
    this.stats.filledInRows += filled.reduce((sum, [, n]) => sum + n, 0);
    this.o.log(`ingest: tables had lost part of ${of} (a part that failed to commit); filled in: ${filled.map(([t, n]) => `${t} ${n} rows`).join(', ')}`);
  }

  /** No insert for `ms` (the local disk failed us), then the loop wakes by itself. */
  private pause(ms: number): void {
    this.pausedUntil = Date.now() + ms;
    setTimeout(() => this.kick(), ms).unref();
  }

  private failed(e: unknown): void {
    this.stats.flushFailures++;
    this.stats.lastFailureAt = new Date().toISOString();
    this.markDown(e);
  }

  private markDown(e: unknown): void {
    // An insert that failed may have landed in part; what it held is looked up before it is sent again.
    this.verifyJournaled();
    this.health.down(e);
    this.progress.splice(0).forEach((r) => r());
  }
}
