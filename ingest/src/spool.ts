import { closeSync, openSync, unlinkSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FRAME_HEADER, frame } from './record-frame.ts';
import { recoverSpool } from './spool-recovery.ts';
import {
  openSegment, quarantineTail, readRecordAt, release, segmentPath, syncSegment, writeCheckpoint, writeRecordAt, zeroAhead,
  type Cursor, type OpenSegment, type PeekedRecord, type Segment, type SpoolRecord,
} from './spool-segments.ts';
import type { StoredEvent } from './stored-event.ts';

/**
 * The local spool, ingest's journal: every accepted batch is appended and fsynced here before
 * its requests are answered 202, and stored from here into ClickHouse in larger inserts. When
 * storage does not answer, the batches simply wait here until it does.
 *
 * Append-only segment files of framed records, each `LKS1 | payload length | CRC-32 |
 * row count | JSON {token, at, rows}`, fsynced once per append (one append per flushed
 * batch, however many requests it holds). The rows are already pseudonymised StoredEvents,
 * so the spool holds nothing the events table would not. A checkpoint file names how far
 * the drain has come; segments behind it are deleted. Replaying a record twice is harmless
 * (the writer looks every key up before inserting), so the checkpoint only saves work.
 * The files themselves are spool-segments.ts; what a start finds in them, spool-recovery.ts.
 *
 * Writes are synchronous, so a write never interleaves with a drain's peek or commit; their
 * fdatasyncs run in the thread pool, several at a time. Records are written into zeros written
 * ahead of them (4 MB at a time), so that a record's fdatasync flushes its data alone; a start
 * cuts zeros after the last record off.
 */

export interface SpoolOptions {
  dir: string;
  /** Bytes of undrained records at most; beyond it `append` throws `SpoolFull`. */
  maxBytes: number;
  /** A new segment starts past this size, so a long drain frees disk as it goes. */
  segmentBytes?: number;
  /** Zeros written ahead of the appends at a time (see `OpenSegment.zeroedTo`); 0 appends to the file's end. */
  preallocateBytes?: number;
  /** Rows of records written by this process kept in memory for `peek`, at most (the disk stays the truth). */
  memoryRows?: number;
  log?: (message: string) => void;
}

export class SpoolFull extends Error {
  override name = 'SpoolFull';
  constructor(readonly maxBytes: number) {
    super(`the local spool is full (${Math.round(maxBytes / 1024 ** 2)} MB)`);
  }
}

const recordKey = (seq: number, offset: number) => `${seq}:${offset}`;

export interface WrittenRecord {
  bytes: number;
  /** Resolves (with the milliseconds from the write) when the record is on disk; rejects if the disk refused. */
  synced: Promise<number>;
}

export class Spool {
  private segments: Segment[];
  private cursor: Cursor;
  private active?: OpenSegment;
  private lastSeq: number;
  private bytes: number;
  private batches: number;
  private rowsPending: number;
  private peeked: PeekedRecord[] = [];
  /** Records appended and committed in this process: a reader waits for `committed` to pass an `appended`. */
  private appended: number;
  private committed = 0;
  private readonly segmentBytes: number;
  private readonly preallocate: number;
  /**
   * Records this process wrote and has not stored, by segment and offset, while they hold at most
   * `memoryRows` rows: the store loop peeks them without reading and parsing the file again,
   * which took about a microsecond of the main thread per event under load. Others are read.
   */
  private readonly recent = new Map<string, PeekedRecord>();
  private recentRows = 0;
  private readonly memoryRows: number;
  private readonly log: (message: string) => void;

  private constructor(private readonly o: SpoolOptions) {
    this.segmentBytes = o.segmentBytes ?? 64 * 1024 ** 2;
    this.preallocate = o.preallocateBytes ?? 4 * 1024 ** 2;
    this.memoryRows = o.memoryRows ?? 50_000;
    this.log = o.log ?? (() => {});
    const r = recoverSpool(o.dir, this.log);
    this.segments = r.segments;
    this.cursor = r.cursor;
    this.lastSeq = r.lastSeq;
    this.appended = this.batches = r.records;
    this.rowsPending = r.rows;
    this.bytes = r.bytes;
  }

  /** Opens the spool, dropping a torn last record (its append never finished, so it was never acknowledged). */
  static open(o: SpoolOptions): Spool {
    return new Spool(o);
  }

  get pendingBytes(): number {
    return this.bytes;
  }
  get pendingBatches(): number {
    return this.batches;
  }
  get pendingRows(): number {
    return this.rowsPending;
  }
  get maxBytes(): number {
    return this.o.maxBytes;
  }
  /** Records ever taken (those found at the start included), and ever stored. */
  get appendedRecords(): number {
    return this.appended;
  }
  get committedRecords(): number {
    return this.committed;
  }

  /**
   * Writes one batch now (the write is synchronous, so records keep their order and a drain
   * never sees half of one) and starts its fdatasync, which runs off the main thread: the
   * next batch can be written while this one syncs, and every request of a batch is answered
   * once `synced` resolves. A write that fails (disk full) is cut off and throws; nothing
   * after it was written.
   */
  write(rows: StoredEvent[], token: string): WrittenRecord {
    const t0 = performance.now();
    const record: SpoolRecord = { token, at: new Date().toISOString(), rows };
    const payload = Buffer.from(JSON.stringify(record), 'utf8');
    const size = FRAME_HEADER + payload.length;
    if (this.bytes + size > this.o.maxBytes) throw new SpoolFull(this.o.maxBytes);
    const seg = this.activeSegment();
    const a = this.active!;
    if (seg.size + size > a.zeroedTo) zeroAhead(a, seg.size, seg.size + size, this.segmentBytes, this.preallocate);
    writeRecordAt(a, frame(payload, rows.length), seg.size);
    if (this.recentRows + rows.length <= this.memoryRows) {
      this.recent.set(recordKey(seg.seq, seg.size), { record, rows: rows.length, bytes: size });
      this.recentRows += rows.length;
    }
    seg.size += size;
    this.bytes += size;
    this.batches++;
    this.rowsPending += rows.length;
    this.appended++;
    return { bytes: size, synced: syncSegment(a, t0) };
  }

  /**
   * The oldest undrained records, up to `maxRows` rows (at least one record), all from one
   * segment; empty when the spool is. The same records until `commit`.
   */
  peek(maxRows = 0): PeekedRecord[] {
    if (this.peeked.length > 0) return this.peeked;
    for (;;) {
      const seg = this.segments[0];
      if (!seg) return [];
      if (this.cursor.seq !== seg.seq) this.cursor = { seq: seg.seq, offset: 0 };
      if (this.cursor.offset >= seg.size) {
        if (this.active?.seq === seg.seq) return [];
        this.dropSegment(seg);
        continue;
      }
      let fd: number | undefined;
      const out: PeekedRecord[] = [];
      let offset = this.cursor.offset;
      let rows = 0;
      let torn = false;
      try {
        while (offset < seg.size && (out.length === 0 || rows < maxRows)) {
          let rec = this.recent.get(recordKey(seg.seq, offset));
          if (!rec) {
            fd ??= openSync(segmentPath(this.o.dir, seg.seq), 'r');
            rec = readRecordAt(fd, offset, seg.size);
            if (!rec) {
              torn = true;
              break;
            }
          }
          if (out.length > 0 && rows + rec.rows > maxRows) break;
          out.push(rec);
          offset += rec.bytes;
          rows += rec.rows;
        }
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
      if (out.length === 0 && torn) {
        // Only disk corruption gets here: every record was checked when the spool was opened.
        this.recent.clear();
        this.recentRows = 0;
        quarantineTail(this.o.dir, seg, this.cursor.offset, 'a record no longer reads back intact', this.log);
        continue;
      }
      this.peeked = out;
      return out;
    }
  }

  /** The peeked records are stored: move the checkpoint past them, and free what is fully drained. */
  async commit(): Promise<void> {
    const p = this.peeked;
    if (p.length === 0) throw new Error('spool: commit without peeked records');
    this.peeked = [];
    let at = this.cursor.offset;
    for (const r of p) {
      if (this.recent.delete(recordKey(this.cursor.seq, at))) this.recentRows -= r.rows;
      at += r.bytes;
    }
    const bytes = at - this.cursor.offset;
    this.cursor = { seq: this.cursor.seq, offset: at };
    await writeCheckpoint(this.o.dir, this.cursor);
    const seg = this.segments[0];
    if (seg && this.cursor.offset >= seg.size) {
      if (this.active?.seq === seg.seq) {
        // Drained up to the segment still open for appends: close it so its disk space is freed
        // now rather than at the next rotation; the next append starts a new segment.
        const a = this.active;
        this.active = undefined;
        release(a, seg.size);
      }
      this.dropSegment(seg);
    }
    // Counted last: whoever sees an empty spool finds its files gone too.
    this.bytes -= bytes;
    this.batches -= p.length;
    this.rowsPending -= p.reduce((a, r) => a + r.rows, 0);
    this.committed += p.length;
  }

  /** Forgets the peeked records without committing them: the next `peek` may take fewer. */
  unpeek(): void {
    this.peeked = [];
  }

  /** Keys of every undrained record: read once at a start, so ingest knows them as journaled. */
  pendingKeys(): string[] {
    const keys: string[] = [];
    for (const seg of this.segments) {
      const fd = openSync(segmentPath(this.o.dir, seg.seq), 'r');
      try {
        for (let offset = seg.seq === this.cursor.seq ? this.cursor.offset : 0; offset < seg.size;) {
          const rec = readRecordAt(fd, offset, seg.size);
          if (!rec) break;
          for (const r of rec.record.rows) keys.push(r.event_key);
          offset += rec.bytes;
        }
      } finally {
        closeSync(fd);
      }
    }
    return keys;
  }

  /** Storage refuses the peeked record for good: keep it in a side file for an operator and move on. */
  async quarantine(reason: string): Promise<void> {
    const p = this.peeked;
    if (p.length !== 1) throw new Error('spool: quarantine takes exactly one peeked record');
    await this.quarantineRows(p[0].record.rows, p[0].record.token, reason);
    await this.commit();
  }

  /** Keeps rows storage refuses for good in a side file beside the spool, for an operator. */
  async quarantineRows(rows: StoredEvent[], token: string, reason: string): Promise<void> {
    const file = join(this.o.dir, `quarantine-${Date.now()}.json`);
    await writeFile(file, JSON.stringify({ reason, token, rows }), { mode: 0o600 });
    this.log(`spool: moved a batch of ${rows.length} rows that storage refused to ${file}: ${reason}`);
  }

  get dir(): string {
    return this.o.dir;
  }

  /** Closes the segment being appended to. When the spool is empty, nothing is left behind but the checkpoint. */
  async close(): Promise<void> {
    const a = this.active;
    this.active = undefined;
    if (a) release(a, this.segments.find((g) => g.seq === a.seq)?.size ?? 0);
    if (this.batches === 0) for (const seg of [...this.segments]) this.dropSegment(seg);
  }

  private activeSegment(): Segment {
    const last = this.segments[this.segments.length - 1];
    if (this.active && last?.seq === this.active.seq && last.size < this.segmentBytes) return last;
    if (this.active) release(this.active, last?.seq === this.active.seq ? last.size : 0);
    this.active = undefined;
    const seq = ++this.lastSeq;
    this.active = openSegment(this.o.dir, seq, this.preallocate > 0);
    const seg = { seq, size: 0 };
    this.segments.push(seg);
    return seg;
  }

  private dropSegment(seg: Segment): void {
    if (this.active?.seq === seg.seq) return;
    try {
      unlinkSync(segmentPath(this.o.dir, seg.seq));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    this.segments = this.segments.filter((s) => s.seq !== seg.seq);
  }
}
