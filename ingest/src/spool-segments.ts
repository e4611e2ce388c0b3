import { closeSync, fdatasync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { readFrameAt } from './record-frame.ts';
import type { StoredEvent } from './stored-event.ts';

/**
 * The journal's files (see spool.ts): append-only segment files of framed records, named by
 * sequence number, and a checkpoint that names how far the drain has come. Everything here
 * works on one file at a time; the order of records and what is pending is the Spool's.
 */

export interface SpoolRecord {
  /** The batch's deduplication token when it was spooled (hash of its keys). */
  token: string;
  /** When it was spooled (ISO). */
  at: string;
  rows: StoredEvent[];
}

export interface PeekedRecord {
  record: SpoolRecord;
  rows: number;
  bytes: number;
}

export interface Segment {
  seq: number;
  size: number;
}

/** The drain's position: records before `offset` of segment `seq` (and every earlier segment) are stored. */
export interface Cursor {
  seq: number;
  offset: number;
}

/** The segment appends go to. Its descriptor is closed only once no fdatasync on it is in flight. */
export interface OpenSegment {
  seq: number;
  fd: number;
  syncing: number;
  closing: boolean;
  /**
   * The file holds zeros up to here: once the first record written into them has been
   * fdatasynced (which flushes the zeros and the file's new size with it), an append inside
   * them changes no metadata (no new blocks, no new size), so its fdatasync flushes the data
   * alone and ext4 skips its journal commit: about half the time and kernel CPU of appending at
   * the end of the file (docs/benchmarks.md, "Measurements behind the code", "Journal into zeros").
   * The zeros past the last record are cut off when the segment is left, and
   * at the next start if the process died first.
   */
  zeroedTo: number;
  /** False once the disk refused zeros: appends go to the file's end for the rest of the segment. */
  zeroing: boolean;
}

const CHECKPOINT = 'checkpoint.json';
export const segmentPath = (dir: string, seq: number) => join(dir, `${String(seq).padStart(12, '0')}.spool`);
/** The sequence number of a segment file's name, or undefined for any other file. */
export const segmentSeq = (name: string) => (/^(\d{12})\.spool$/.exec(name) ? Number(name.slice(0, 12)) : undefined);

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Creates segment `seq` for appends. */
export function openSegment(dir: string, seq: number, zeroing: boolean): OpenSegment {
  const fd = openSync(segmentPath(dir, seq), 'w', 0o600);
  // The new file's directory entry must survive a crash too, or its fsynced records would vanish with it.
  fsyncDir(dir);
  return { seq, fd, syncing: 0, closing: false, zeroedTo: 0, zeroing };
}

/** Cuts the zeros after the last record off a segment being left, then closes it once no fdatasync on it runs. */
export function release(a: OpenSegment, size: number): void {
  a.closing = true;
  if (a.zeroedTo > size) {
    try {
      ftruncateSync(a.fd, size);
    } catch {
      // The next start cuts them off.
    }
  }
  if (a.syncing === 0) closeSync(a.fd);
}

/**
 * Writes zeros after the last record (`size`) to past `end`, `preallocate` bytes at a time and
 * to at least `segmentBytes`. They reach the disk with the fdatasync of the record written
 * next, in the thread pool like every other, not here on the main thread. When the disk
 * refuses (full), the zeros written so far are given back at once, since ClickHouse needs that
 * room more, and the rest of the segment is appended to at the file's end, as without
 * preallocation.
 */
export function zeroAhead(a: OpenSegment, size: number, end: number, segmentBytes: number, preallocate: number): void {
  if (!a.zeroing) return;
  const from = Math.max(a.zeroedTo, size);
  const to = Math.min(Math.max(end, segmentBytes), end + preallocate);
  if (to <= end) return;
  try {
    const zeros = Buffer.alloc(Math.min(to - from, 1024 ** 2));
    for (let off = from; off < to;) off += writeSync(a.fd, zeros, 0, Math.min(zeros.length, to - off), off);
    a.zeroedTo = to;
  } catch {
    a.zeroing = false;
    try {
      ftruncateSync(a.fd, from);
    } catch {
      // A start cuts zeros after the last record off.
    }
  }
}

/** Writes a framed record at `at`, the segment's end. A write that fails is cut off and throws. */
export function writeRecordAt(a: OpenSegment, data: Buffer, at: number): void {
  try {
    for (let off = 0; off < data.length;) off += writeSync(a.fd, data, off, data.length - off, at + off);
  } catch (e) {
    // A partial write would leave a torn record in the middle of the segment once later
    // appends succeed: cut it off so the segment stays a sequence of whole records.
    try {
      ftruncateSync(a.fd, at);
      a.zeroedTo = at;
    } catch {
      // The next start drops a torn last record anyway.
    }
    throw e;
  }
}

/** Starts the fdatasync of what was written; resolves with the milliseconds since `t0`. */
export function syncSegment(a: OpenSegment, t0: number): Promise<number> {
  a.syncing++;
  return new Promise<number>((resolve, reject) => {
    fdatasync(a.fd, (err) => {
      a.syncing--;
      if (a.closing && a.syncing === 0) closeSync(a.fd);
      if (err) reject(err);
      else resolve(performance.now() - t0);
    });
  });
}

/** The record at `offset`, parsed, or undefined when no whole, intact record is there. */
export function readRecordAt(fd: number, offset: number, size: number): PeekedRecord | undefined {
  const read = readFrameAt(fd, offset, size);
  return read && { record: JSON.parse(read.payload.toString('utf8')) as SpoolRecord, rows: read.rows, bytes: read.bytes };
}

/** True when the file holds nothing but zeros from `from` to `to`. */
export function zerosFrom(path: string, from: number, to: number): boolean {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(to - from, 1024 ** 2));
    const zeros = Buffer.alloc(buf.length);
    for (let off = from; off < to;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, to - off), off);
      if (n <= 0) return false;
      if (buf.compare(zeros, 0, n, 0, n) !== 0) return false;
      off += n;
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

/** Moves the bytes from `offset` to the end of a segment aside, for an operator, and cuts the segment there. */
export function quarantineTail(dir: string, seg: Segment, offset: number, reason: string, log: (message: string) => void): void {
  const path = segmentPath(dir, seg.seq);
  const tail = readFileSync(path).subarray(offset);
  const file = join(dir, `quarantine-${Date.now()}-${seg.seq}.bin`);
  writeFileSync(file, tail, { mode: 0o600 });
  truncateSync(path, offset);
  seg.size = offset;
  log(`spool: ${tail.length} bytes of segment ${seg.seq} moved to ${file}: ${reason}`);
}

/** The checkpoint, or the start of the first segment when there is none or it does not read. */
export function readCheckpoint(dir: string): Cursor {
  try {
    const raw = JSON.parse(readFileSync(join(dir, CHECKPOINT), 'utf8')) as Cursor;
    if (Number.isInteger(raw.seq) && Number.isInteger(raw.offset) && raw.offset >= 0) return raw;
  } catch {
    // No checkpoint, or an unreadable one: replay from the first segment. Replays are deduplicated.
  }
  return { seq: 0, offset: 0 };
}

/**
 * Replaced by `rename` of a fsynced file: a crash leaves the old checkpoint or the new one,
 * never half of one. An old checkpoint only means some records are replayed again.
 */
export async function writeCheckpoint(dir: string, cursor: Cursor): Promise<void> {
  const tmp = join(dir, `${CHECKPOINT}.tmp`);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify(cursor));
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, CHECKPOINT));
}
