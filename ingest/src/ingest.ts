import { join } from 'node:path';
import { ApiError, type EventInput, type Pseudonymiser } from '@licenskoll/core';
import type { Storage } from '@licenskoll/storage';
import {
  MAX_EVENTS_PER_REQUEST, MalformedBody, TooManyEvents, opensMoreThan, parseEventsBody, parseEventsBodyInSlices, validateEvent,
  type ParsedBatch, type Rejected,
} from './body.ts';
import { MalformedEnvelope, caliperToEvents } from './caliper.ts';
import { writerId } from './claims.ts';
import { clickhouseEventStore } from './event-store.ts';
import { EventWriter, type WriterOptions } from './event-writer.ts';
import type { IngestStats } from './ingest-stats.ts';
import type { IngestSettings } from './options.ts';
import { PendingInsert } from './pending-insert.ts';
import { Overloaded } from './refusals.ts';
import { Spool } from './spool.ts';
import { toStoredEvent, toStoredEventsInSlices, type StoredEvent } from './stored-event.ts';

/** Ingest bodies at most by default (a batch is built in memory): `POST /v1/events` and Caliper envelopes alike. */
export const INGEST_BODY_LIMIT = 16 * 1024 ** 2;
/** Bytes of a body parsed in one go: at most about 1,300 of the smallest items (`{},`), a millisecond or two. */
const SMALL_BODY = 4096;
/** Events converted without slices (and no promise between them): the common single event. */
const FEW_EVENTS = 100;

/** What a request of events is answered (202): good events are kept beside rejected ones. */
export interface Accepted {
  accepted: number;
  duplicates: number;
  rejected: Rejected[];
  /** Of `accepted`, how many were kept while storage did not answer; present only then. */
  spooled?: number;
}

/** What a load (an import, the demo) stored. */
export interface Loaded {
  read: number;
  accepted: number;
  duplicates: number;
  /** The first `maxRejected` records validation refused; index = position in the records. */
  rejected: Rejected[];
}

export interface LoadOptions {
  /** Records that come from our own generator (the demo) skip validation. */
  trusted?: boolean;
  /** Rows per submission. */
  batchRows?: number;
  /** Submissions waiting for the journal at once. */
  inFlight?: number;
  /** Rejections kept at most (all are counted in `read`). */
  maxRejected?: number;
  /** How long the load waits for its events to be stored, not only journaled. */
  storedWithinMs?: number;
}

/** Figures of ingest for health and metrics. */
export interface IngestStatus {
  stats: Readonly<IngestStats>;
  storageUp: boolean;
  /** Why the local disk refused the journal's last batch (in the last 10 s), or null. */
  journalError: string | null;
  queueDepth: number;
  queueLimit: number;
  bodyBytesInUse: number;
  /** What waits on disk to be stored: spooled batches and an insert cut short. */
  waiting: { batches: number; rows: number; bytes: number };
  spoolMaxBytes: number;
  spoolFull: boolean;
  keyFilter: { ready: boolean; filling: boolean; keys: number; bytes: number };
}

export interface IngestOpenOptions {
  storage: Storage;
  pseudo: Pseudonymiser;
  timeZone: string;
  dataDir: string;
  settings: IngestSettings;
  /** The largest body of events read (the server's `LICENSKOLL_EVENTS_BODY_MB`); INGEST_BODY_LIMIT when absent. */
  bodyLimit?: number;
  writer?: WriterOptions;
  log: (message: string) => void;
}

/**
 * Ingest's one front door: every event of every source (the events and Caliper routes, file
 * imports, the demo) comes in here and nothing below it is called from outside. It owns
 * admission (the body budget and the queue bound, judged before a body is read), parsing and
 * validation, pseudonymisation and conversion to stored rows, and submission to the writer,
 * whose 202 promise it keeps: an answer is given once the events are journaled and fsynced.
 * Reading bytes from a socket and the answer's HTTP form stay with the server.
 */
export class Ingest {
  constructor(
    private readonly writer: EventWriter,
    private readonly pseudo: Pseudonymiser,
    private readonly timeZone: string,
    readonly bodyLimit: number = INGEST_BODY_LIMIT,
  ) {}

  /** The journal under `<dataDir>/spool`, the insert under way and the writer's id in the claims beside it, and the writer over them. */
  static open(o: IngestOpenOptions): Ingest {
    const dir = join(o.dataDir, 'spool');
    const spool = Spool.open({ dir, maxBytes: o.settings.spoolMaxBytes, log: o.log });
    const pending = new PendingInsert(dir);
    const writer = new EventWriter(clickhouseEventStore(o.storage), spool, { ...o.settings, pending, log: o.log, writer: writerId(dir), ...o.writer });
    return new Ingest(writer, o.pseudo, o.timeZone, o.bodyLimit);
  }

  /**
   * Takes a body's bytes of the read budget before it is read, or throws `Overloaded` (429)
   * when the queue is full or too many bodies are being read: a refused request then costs no
   * memory, which is what keeps a flood bounded. A body of unknown length counts as the
   * largest allowed. Give the answer back with `release` once the request is answered.
   */
  admit(declaredBytes: number | undefined): number {
    const w = this.writer;
    const bytes = declaredBytes ?? this.bodyLimit;
    if (w.full || !w.bodies.take(bytes)) {
      w.stats.overloadedRequests++;
      throw new Overloaded(w.retryAfterSeconds());
    }
    return bytes;
  }

  release(admitted: number): void {
    this.writer.bodies.give(admitted);
  }

  /** A body of `POST /v1/events`: one JSON event, a JSON array of events, NDJSON or CSV (by its content type). */
  async acceptBody(text: string, contentType: string): Promise<Accepted & { blank?: number }> {
    if (!text.trim()) throw new ApiError(400, 'empty_body', 'body: send one event, a JSON array of events, NDJSON, or CSV (text/csv)');
    let batch: ParsedBatch;
    try {
      // A small body cannot reach a slice's thousand items worth yielding for.
      batch = text.length <= SMALL_BODY ? parseEventsBody(text, contentType) : await parseEventsBodyInSlices(text, contentType);
      // While the request waits for its batch, the text need not live (pass it without keeping it).
      text = '';
    } catch (e) {
      if (e instanceof MalformedBody) throw new ApiError(400, e.code, e.message);
      if (e instanceof TooManyEvents) throw new ApiError(413, 'too_many_events', e.message);
      throw e;
    }
    if (batch.events.length === 0 && batch.rejected.length === 0) throw new ApiError(400, 'empty_body', 'body: contains no events');
    // Blank CSV lines are counted apart, never as rejections (read = stored + duplicates + blank + rejected).
    const blank = batch.blank;
    const stored = await this.store(batch);
    return blank ? { ...stored, blank } : stored;
  }

  /**
   * A Caliper 1.0, 1.1 or 1.2 envelope's text: its sign-ins and launches, the rest acknowledged as
   * `skipped` and named by Caliper type and action in `skippedReasons` (`skipped: 1` alone says nothing).
   */
  async acceptCaliper(text: string): Promise<Accepted & { skipped: number; skippedReasons: Record<string, number> }> {
    const tooMany = () => new ApiError(413, 'too_many_events', `an envelope holds at most ${MAX_EVENTS_PER_REQUEST} events: split it`);
    // A Caliper event opens several objects (actor, object, group, extensions): a wider bound.
    if (opensMoreThan(text, 16 * MAX_EVENTS_PER_REQUEST)) throw tooMany();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new ApiError(400, 'malformed_json', `body is not valid JSON: ${(e as Error).message}`);
    }
    const data = (body as { data?: unknown } | null)?.data;
    if (Array.isArray(data) && data.length > MAX_EVENTS_PER_REQUEST) throw tooMany();
    let parsed;
    try {
      parsed = caliperToEvents(body);
    } catch (e) {
      if (e instanceof MalformedEnvelope) throw new ApiError(400, 'malformed_envelope', e.message);
      throw e;
    }
    const batch: ParsedBatch = { events: [], rejected: [...parsed.rejected] as Rejected[] };
    for (const e of parsed.events) {
      const v = validateEvent(e.raw);
      if (v.ok) batch.events.push({ index: e.index, event: v.event });
      else batch.rejected.push({ index: e.index, error: v.error });
    }
    const skipped = { skipped: parsed.skipped, skippedReasons: parsed.skippedReasons };
    if (batch.events.length === 0 && batch.rejected.length === 0) return { accepted: 0, duplicates: 0, rejected: [], ...skipped };
    return { ...(await this.store(batch)), ...skipped };
  }

  /** Rejected events are reported, the good ones beside them kept; nothing accepted and some rejected is a 400. */
  private async store(batch: ParsedBatch): Promise<Accepted> {
    this.writer.stats.rejectedRows += batch.rejected.length;
    const events = batch.events.map((e) => e.event);
    const rows = events.length <= FEW_EVENTS ? events.map((e) => this.row(e)) : await toStoredEventsInSlices(events, this.pseudo, this.timeZone);
    // While the request waits for its batch, only the rows (held by the queue) need to live.
    batch.events = [];
    const r = await this.writer.submit(rows);
    const rejected = [...batch.rejected].sort((a, b) => a.index - b.index);
    if (r.accepted === 0 && r.duplicates === 0 && rejected.length > 0) {
      throw new ApiError(400, 'invalid_events', `no event was accepted: ${rejected.length} rejected`, { rejected });
    }
    return { accepted: r.accepted, duplicates: r.duplicates, rejected, ...(r.spooled ? { spooled: r.spooled } : {}) };
  }

  private row(e: EventInput): StoredEvent {
    return toStoredEvent(e, this.pseudo, this.timeZone);
  }

  /**
   * Records of a caller with time to wait (a file import, the demo): validated like a request's
   * events, submitted in batches that wait for room in the queue instead of taking a 429, and
   * answered once they are stored, not only journaled.
   */
  async load(records: Iterable<unknown> | AsyncIterable<unknown>, o: LoadOptions = {}): Promise<Loaded> {
    const { trusted = false, batchRows = 5000, inFlight = 1, maxRejected = 1000, storedWithinMs = 30 * 60_000 } = o;
    const out: Loaded = { read: 0, accepted: 0, duplicates: 0, rejected: [] };
    const pending: Promise<void>[] = [];
    let rows: StoredEvent[] = [];
    const flush = async () => {
      if (!rows.length) return;
      await this.writer.room();
      pending.push(this.writer.submit(rows).then((r) => {
        out.accepted += r.accepted;
        out.duplicates += r.duplicates;
      }));
      rows = [];
      if (pending.length >= inFlight) await Promise.all(pending.splice(0));
    };
    /** True when a batch is full. */
    const take = (raw: unknown): boolean => {
      const index = out.read++;
      if (trusted) rows.push(this.row(raw as EventInput));
      else {
        const v = validateEvent(raw);
        if (v.ok) rows.push(this.row(v.event));
        else if (out.rejected.length < maxRejected) out.rejected.push({ index, error: v.error });
      }
      return rows.length >= batchRows;
    };
    // A generator of the demo's million events is walked without a promise per event.
    if (Symbol.iterator in records) {
      for (const raw of records) if (take(raw)) await flush();
    } else {
      for await (const raw of records) if (take(raw)) await flush();
    }
    await flush();
    await Promise.all(pending);
    await this.writer.caughtUp(storedWithinMs);
    return out;
  }

  /** Starts storing what an earlier run left in the journal, and fills the key filter. */
  start(): void {
    this.writer.start();
  }

  /** Resolves true once every event answered before the call is stored; false after `timeoutMs` or while storage is down. */
  caughtUp(timeoutMs: number): Promise<boolean> {
    return this.writer.caughtUp(timeoutMs);
  }

  /** Takes nothing more, journals what was accepted (its requests get their answers) and stores what it can. */
  close(): Promise<void> {
    return this.writer.close();
  }

  status(): IngestStatus {
    const w = this.writer;
    const spool = w.spool;
    return {
      stats: w.stats,
      storageUp: w.storageUp,
      journalError: w.journalError,
      queueDepth: w.queueDepth,
      queueLimit: w.queueLimit,
      bodyBytesInUse: w.bodies.inUse,
      waiting: w.waiting,
      spoolMaxBytes: spool.maxBytes,
      spoolFull: spool.pendingBytes >= spool.maxBytes * 0.99,
      keyFilter: { ready: w.known.ready, filling: w.known.filling, keys: w.known.filterKeys, bytes: w.known.filterBytes },
    };
  }
}
