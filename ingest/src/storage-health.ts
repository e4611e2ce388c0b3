import type { EventStore } from './event-store.ts';
import { briefError } from './storage-errors.ts';

export interface StorageHealthOptions {
  /** First probe of storage after it failed; the interval doubles up to `probeMaxMs`. */
  probeMs: number;
  probeMaxMs: number;
  /** A probe taking longer counts as storage not answering. */
  storageTimeoutMs: number;
  log: (message: string) => void;
}

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

/**
 * Whether storage takes the store loop's inserts, as the loop has seen it: unknown until the
 * first probe answers, down from a failed lookup, insert or probe, and found back by probes
 * with growing intervals. The failures in a row space the probes and the log lines, so an
 * outage writes a line at the 1st, 2nd, 4th, 8th… failure rather than one per attempt.
 */
export class StorageHealth {
  /** Unknown until the first probe answers: events taken before then count as kept while storage was down. */
  private up = false;
  private probeDue = true;
  private probeTimer?: NodeJS.Timeout;
  private stopped = false;
  /** Storage failures since storage last took a batch. */
  private failures = 0;

  /**
   * `wake` runs when a probe is due: the loop then calls `probe`. `waiting` says, when a probe
   * has answered, how many journaled batches wait and whether an insert cut short does.
   */
  constructor(
    private readonly storage: EventStore,
    private readonly o: StorageHealthOptions,
    private readonly wake: () => void,
    private readonly waiting: () => { batches: number; insertPending: boolean },
  ) {}

  /** True once a probe, lookup or insert has answered since the last failure. */
  get answering(): boolean {
    return this.up;
  }
  /** True once storage answered and nothing has failed since: journaled rows are not "kept while storage was down". */
  get takingBatches(): boolean {
    return this.up && this.failures === 0;
  }
  /**
   * True from a failed lookup, insert or probe until storage takes a batch again (or answers a
   * probe with nothing waiting): a probe alone does not prove that inserts work. False before
   * the first probe has answered.
   */
  get failing(): boolean {
    return this.failures > 0;
  }

  /** True once per due probe: the caller probes next. */
  takeProbe(): boolean {
    if (!this.probeDue) return false;
    this.probeDue = false;
    return true;
  }

  /**
   * A cheap question, not a replay: a batch storage chokes on must not keep the loop down. If
   * storage answers but then fails the next batch, `failures` keeps growing, so the probes
   * still back off. With nothing waiting, an answer ends the outage.
   */
  async probe(): Promise<void> {
    try {
      await this.storage.probe(this.o.storageTimeoutMs);
      this.up = true;
      const { batches: waitingBatches, insertPending } = this.waiting();
      if (isPowerOfTwo(this.failures)) this.o.log(`ingest: storage answers a probe${waitingBatches ? `; storing ${waitingBatches} journaled batches` : ''}`);
      if (waitingBatches === 0 && !insertPending) this.took();
    } catch {
      this.failures++;
      this.scheduleProbe();
    }
  }

  /** Storage took a batch: the outage, if there was one, is over. */
  took(): void {
    if (this.failures > 0) this.o.log(`ingest: storage takes batches again after ${this.failures} failures`);
    this.failures = 0;
  }

  /** Storage failed a lookup or an insert: down until a probe answers. */
  down(e: unknown): void {
    this.up = false;
    this.failures++;
    if (isPowerOfTwo(this.failures)) {
      this.o.log(`ingest: storage did not take a batch (${briefError(e)}; ${this.failures} failures in a row); events wait in the local spool until it does`);
    }
    this.scheduleProbe();
  }

  /** No more probes. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
  }

  private scheduleProbe(): void {
    if (this.stopped || this.probeTimer) return;
    const delay = Math.min(this.o.probeMs * 2 ** Math.min(this.failures - 1, 20), this.o.probeMaxMs);
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      this.probeDue = true;
      this.wake();
    }, delay);
    this.probeTimer.unref();
  }
}
