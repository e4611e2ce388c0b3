import type { EventStore } from './event-store.ts';
import type { Reconciled } from './reconcile.ts';
import type { StoredEvent } from './stored-event.ts';

type Operation = 'storedKeys' | 'insert' | 'probe' | 'keyCount';

/** What a storage that is not there throws: a refused connection. */
export const unreachable = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' });
/** What a busy storage throws: ClickHouse's TOO_MANY_PARTS (252), retried in place. */
export const busy = () => Object.assign(new Error('Too many parts (300)'), { code: '252' });

/**
 * An in-memory `EventStore` for the fast tests of the writer and the store loop: it keeps rows
 * by key and insert tokens as the engine deduplicates them, and fails on demand, either while
 * `down` or for the next calls of one operation (`failNext`). An insert can be held until the
 * test lets it finish (`holdInserts`), to see what the writer does while one is under way.
 */
export class MemoryStore implements EventStore {
  /** False: other writers share the store, and the loop looks keys up and claims them. */
  soleWriter = true;
  readonly rows = new Map<string, StoredEvent>();
  /** Row counts of the inserts that storage took, in order. */
  readonly inserts: number[] = [];
  readonly calls: Record<Operation, number> = { storedKeys: 0, insert: 0, probe: 0, keyCount: 0 };
  down = false;
  private readonly failures: { op: Operation; error: () => Error }[] = [];
  private held?: { promise: Promise<void>; release: () => void };

  /** The next `times` calls of `op` fail with `error`. */
  failNext(op: Operation, times = 1, error: () => Error = unreachable): void {
    for (let i = 0; i < times; i++) this.failures.push({ op, error });
  }

  /** Inserts wait until the returned function is called. */
  holdInserts(): () => void {
    let release!: () => void;
    const promise = new Promise<void>((r) => (release = r));
    this.held = { promise, release: () => { this.held = undefined; release(); } };
    return this.held.release;
  }

  private check(op: Operation): void {
    this.calls[op]++;
    if (this.down) throw unreachable();
    const i = this.failures.findIndex((f) => f.op === op);
    if (i !== -1) throw this.failures.splice(i, 1)[0].error();
  }

  async storedKeys(keys: string[]): Promise<Set<string>> {
    this.check('storedKeys');
    return new Set(keys.filter((k) => this.rows.has(k)));
  }

  async insert(rows: StoredEvent[]): Promise<void> {
    this.check('insert');
    await this.held?.promise;
    for (const r of rows) this.rows.set(r.event_key, r);
    this.inserts.push(rows.length);
  }

  /** The first claimant of each key, as the claims table's lowest block number says. */
  readonly claims = new Map<string, string>();

  async claim(keys: string[], writer: string): Promise<Set<string>> {
    for (const k of keys) if (!this.claims.has(k)) this.claims.set(k, writer);
    return new Set(keys.filter((k) => this.claims.get(k) !== writer));
  }

  release(): void {}

  async reconcile(): Promise<Reconciled> {
    return { events: 0, eventKeys: 0, usageDaily: 0, usageDays: 0, identDaily: 0 };
  }

  async probe(): Promise<void> {
    this.check('probe');
  }

  async keyCount(): Promise<number> {
    this.check('keyCount');
    return this.rows.size;
  }

  async keyLines(lo: string, hi: string): Promise<string> {
    return [...this.rows.keys()].filter((k) => k >= lo && k < hi).map((k) => `${k}\n`).join('');
  }
}
