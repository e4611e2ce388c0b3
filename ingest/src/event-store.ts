import type { Storage } from '@licenskoll/storage';
import { insertRows, storedKeys } from './batch-store.ts';
import { joinStore, keysClaimedByOthers, sharedStore } from './claims.ts';
import { reconcileInsert, type Reconciled } from './reconcile.ts';
import type { StoredEvent } from './stored-event.ts';

/**
 * Everything the writer and the store loop ask of storage, and nothing more: the engine
 * boundary of ingest. `clickhouseEventStore` is the real one; the fast tests beside the writer
 * and the loop use an in-memory one that fails on demand (memory-store.ts), so
 * their timing and bookkeeping are tested without an engine, and the reliability suites test
 * the real one.
 */
export interface EventStore {
  /**
   * True when this writer is the store's only one (the embedded engine, unless two services of
   * one process share it): what it journaled and checked needs no second lookup, and no claims.
   */
  readonly soleWriter: boolean;
  /** Claims `keys` for `writer` and answers those another writer claimed first (claims.ts). */
  claim(keys: string[], writer: string, timeoutMs: number): Promise<Set<string>>;
  /** This writer stops writing into the store. */
  release(): void;
  /** Which of `keys` are stored already. */
  storedKeys(keys: string[], timeoutMs: number): Promise<Set<string>>;
  /** Inserts rows under a deduplication token: the same rows and token again are stored once. */
  insert(rows: StoredEvent[], token: string, timeoutMs: number): Promise<void>;
  /** After an insert cut short was sent again: gives every table what it lacks of those rows (reconcile.ts). */
  reconcile(rows: StoredEvent[], timeoutMs: number): Promise<Reconciled>;
  /** A cheap question that fails while storage does not answer. */
  probe(timeoutMs: number): Promise<void>;
  /** How many keys are stored, to size the key filter. */
  keyCount(): Promise<number>;
  /** The stored keys `lo` <= key < `hi`, one per line, each line ended. */
  keyLines(lo: string, hi: string): Promise<string>;
}

export function clickhouseEventStore(storage: Storage): EventStore {
  const release = joinStore(storage);
  return {
    get soleWriter() {
      return !sharedStore(storage);
    },
    claim: (keys, writer, timeoutMs) => keysClaimedByOthers(storage, keys, writer, timeoutMs),
    release,
    storedKeys: (keys, timeoutMs) => storedKeys(storage, keys, timeoutMs),
    insert: (rows, token, timeoutMs) => insertRows(storage, rows, token, timeoutMs),
    reconcile: (rows, timeoutMs) => reconcileInsert(storage, rows, timeoutMs),
    probe: async (timeoutMs) => {
      await storage.write
        .query({ query: 'SELECT 1', format: 'JSONEachRow', abort_signal: AbortSignal.timeout(timeoutMs) })
        .then((r) => r.json());
    },
    keyCount: async () => {
      const [{ n }] = await storage.write
        .query({ query: 'SELECT count() AS n FROM event_keys', format: 'JSONEachRow' })
        .then((r) => r.json<{ n: string | number }>());
      return Number(n);
    },
    keyLines: (lo, hi) =>
      storage.write
        .query({
          query: 'SELECT event_key FROM event_keys WHERE event_key >= {lo:String} AND event_key < {hi:String}',
          query_params: { lo, hi },
          format: 'TabSeparated',
        })
        .then((r) => r.text()),
  };
}
