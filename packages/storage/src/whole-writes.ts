import type { Storage } from './client.ts';

/**
 * A roster snapshot writes one table after another (organisations, the closure, groups,
 * persons, identities, enrolments, duties, memberships), each in inserts of 20,000 rows. Each
 * insert is atomic in ClickHouse, the whole is not, and a report that read between two of them
 * would answer figures of neither the store before the snapshot nor after it (with a pupil's
 * identities stored and their enrolment not yet: one active user fewer, no licensed one more),
 * figures that look real. Reports also make several queries, which must see one state.
 *
 * So in one process reports share this gate and such a write holds it alone (a snapshot's
 * inserts, an erasure's deletes across the tables of a person): a report waits for the write
 * phase of an import under way (not its parsing or validation), an import for the reports
 * already running. A waiting write goes before reports that arrive after it, so a
 * steady stream of reports cannot starve an import. On a cluster each process has its own gate
 * (docs/scaling.md, "Several processes and one roster").
 *
 * Not re-entrant: a report must not wait for the gate inside a report (it could wait behind a
 * write that waits for the outer report).
 */
class WholeGate {
  private readers = 0;
  private writing = false;
  private readonly writers: (() => void)[] = [];
  private readonly waitingReaders: (() => void)[] = [];

  async read<T>(fn: () => Promise<T>): Promise<T> {
    if (this.writing || this.writers.length > 0) await new Promise<void>((r) => this.waitingReaders.push(r));
    else this.readers++;
    try {
      return await fn();
    } finally {
      this.readers--;
      this.next();
    }
  }

  async write<T>(fn: () => Promise<T>): Promise<T> {
    if (this.writing || this.readers > 0 || this.writers.length > 0) await new Promise<void>((r) => this.writers.push(r));
    else this.writing = true;
    try {
      return await fn();
    } finally {
      this.writing = false;
      this.next();
    }
  }

  /** Hands the gate on: to the next write once no report runs, else to every waiting report. */
  private next(): void {
    if (this.writing) return;
    if (this.writers.length > 0) {
      if (this.readers > 0) return;
      this.writing = true;
      this.writers.shift()!();
      return;
    }
    const waiting = this.waitingReaders.splice(0);
    this.readers += waiting.length;
    waiting.forEach((r) => r());
  }
}

const gates = new WeakMap<Storage, WholeGate>();
const gateOf = (storage: Storage) => {
  let g = gates.get(storage);
  if (!g) gates.set(storage, (g = new WholeGate()));
  return g;
};

/** Runs a report (all of its queries) so that it sees no write of several tables half done. */
export const readWhole = <T>(storage: Storage, fn: () => Promise<T>): Promise<T> => gateOf(storage).read(fn);

/** Runs the write phase of an import of several tables so that no report sees it half done. */
export const writeWhole = <T>(storage: Storage, fn: () => Promise<T>): Promise<T> => gateOf(storage).write(fn);
