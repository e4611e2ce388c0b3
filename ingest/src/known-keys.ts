import type { EventStore } from './event-store.ts';
import { KeyFilter } from './key-filter.ts';

/** Keys per query while the filter is filled from `event_keys`: about 2 MB of text each. */
const KEYS_PER_CHUNK = 50_000;
const MIN_CAPACITY = 1_000_000;

/**
 * What ingest knows of event keys without asking storage: the keys journaled and not yet
 * stored (exact), and a Bloom filter of every key stored or journaled (see key-filter.ts).
 *
 * The filter is filled from `event_keys` in the background after a start; until it is, every
 * key counts as "maybe" and is looked up. Keys journaled meanwhile go into it as they come,
 * so when the fill ends it is complete. When it holds more keys than it was sized for, a
 * larger one is filled the same way while the old one goes on answering.
 */
export class KnownKeys {
  /** Journaled, not yet stored: certainly duplicates, whatever storage says. */
  readonly waiting = new Set<string>();
  private filter?: KeyFilter;
  /** A larger filter being filled: takes every new key too, so it is complete when swapped in. */
  private next?: KeyFilter;
  private fillRunning = false;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly storage: EventStore, private readonly log: (m: string) => void = () => {}) {}

  /** True once a filter is filled: before that every key is "maybe". */
  get ready(): boolean {
    return this.filter !== undefined;
  }
  get filterKeys(): number {
    return this.filter?.size ?? 0;
  }
  get filling(): boolean {
    return this.fillRunning;
  }
  get filterBytes(): number {
    return (this.filter?.bytes ?? 0) + (this.next?.bytes ?? 0);
  }

  /** False only when the key is certainly neither stored nor journaled. */
  mightBeStored(key: string): boolean {
    return this.filter ? this.filter.mightHave(key) : true;
  }

  journaled(keys: Iterable<string>): void {
    for (const k of keys) {
      this.waiting.add(k);
      this.filter?.add(k);
      this.next?.add(k);
    }
    if (this.filter?.overfull && !this.fillRunning) void this.fill();
  }

  stored(keys: Iterable<string>): void {
    for (const k of keys) this.waiting.delete(k);
  }

  /** Stops filling; resolves once no query of the fill runs (storage is closed after it). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /**
   * Fills a new filter from `event_keys` by ranges of the key (the table's sort order, so each
   * range reads only its own granules). A failure leaves the current filter (or none) in place
   * and is retried later: without a filter ingest is slower, never wrong.
   */
  fill(): Promise<void> {
    if (this.fillRunning || this.stopped) return this.running;
    this.fillRunning = true;
    this.running = this.fillOnce();
    return this.running;
  }

  private async fillOnce(): Promise<void> {
    const t0 = performance.now();
    try {
      const count = await this.storage.keyCount();
      // Room for a quarter more plus a million before it is refilled larger: 2 bytes a key
      // (docs/benchmarks.md, "Measurements behind the code", "Key filter").
      const next = new KeyFilter(Math.round(1.25 * Math.max(count, this.filter?.size ?? 0)) + MIN_CAPACITY);
      this.next = next;
      for (const k of this.waiting) next.add(k);
      const chunks = Math.min(4096, Math.max(1, Math.ceil(count / KEYS_PER_CHUNK)));
      const bound = (i: number) => (i >= chunks ? '~' : Math.floor((i * 0x10000) / chunks).toString(16).padStart(4, '0'));
      for (let i = 0; i < chunks; i++) {
        if (this.stopped) return;
        const tChunk = performance.now();
        const text = await this.storage.keyLines(i === 0 ? '' : bound(i), bound(i + 1));
        let start = 0;
        for (let end = text.indexOf('\n'); end !== -1; start = end + 1, end = text.indexOf('\n', start)) {
          next.add(text.slice(start, end));
        }
        // At most half of the time: a fill after a start must not slow the reports beside it
        // (20 million keys take about a minute this way).
        await new Promise((r) => setTimeout(r, performance.now() - tChunk));
      }
      this.filter = next;
      this.log(`ingest: key filter holds ${next.size} keys (${Math.round(next.bytes / 1024 ** 2)} MB), filled in ${Math.round(performance.now() - t0)} ms`);
    } catch (e) {
      this.log(`ingest: the key filter could not be filled (${(e as Error).message}); keys are looked up until it is, retrying in a minute`);
      if (!this.stopped) setTimeout(() => void this.fill(), 60_000).unref();
    } finally {
      this.next = undefined;
      this.fillRunning = false;
    }
  }
}
