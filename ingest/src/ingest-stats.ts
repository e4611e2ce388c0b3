/** Cumulative buckets in milliseconds, as Prometheus histograms keep them. */
export class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }

  observe(v: number): void {
    this.sum += v;
    this.count++;
    for (let i = 0; i < this.bounds.length; i++) if (v <= this.bounds[i]) this.counts[i]++;
  }
}

const MS_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000];

/**
 * Observations of ingest since the process started, for `/v1/health` and `/metrics`.
 * Rows, not requests: a request of 1,000 events and one of a single event weigh differently.
 */
export class IngestStats {
  /** Rows newly kept: fsynced to the journal, to be stored. */
  acceptedRows = 0;
  /** Rows answered as duplicates (already stored, or twice in one batch). */
  duplicateRows = 0;
  /** Rows refused by validation. */
  rejectedRows = 0;
  /** Requests answered 429 because the queue or the body budget was full. */
  overloadedRequests = 0;
  /** Requests answered 503 because the journal was full or failing. */
  unavailableRequests = 0;
  /** Inserts from the journal into storage. */
  flushes = 0;
  /** Inserts storage did not take (their rows wait in the journal). */
  flushFailures = 0;
  rowsWritten = 0;
  spooledRows = 0;
  spooledBatches = 0;
  /** Journaled rows that turned out to be stored already (replayed after a crash). */
  replayDuplicateRows = 0;
  /** Of those, rows another writer into the same store had claimed first and stores (claims.ts). */
  claimedElsewhereRows = 0;
  /** Inserts cut short (by a crash or an error) and completed later with the same rows and token. */
  completedInserts = 0;
  /** Rows a table had lost of a completed insert (its part failed to commit) and was given afterwards (reconcile.ts). */
  filledInRows = 0;
  /** Spooled rows storage could not read: moved aside for an operator, never dropped. */
  quarantinedRows = 0;
  lastFlushAt?: string;
  lastFlushMs?: number;
  lastFailureAt?: string;
  readonly flushMs = new Histogram(MS_BUCKETS);
  readonly spoolAppendMs = new Histogram(MS_BUCKETS);
}
