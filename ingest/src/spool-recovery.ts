import { closeSync, mkdirSync, openSync, readdirSync, statSync, truncateSync, unlinkSync } from 'node:fs';
import { readFrameAt } from './record-frame.ts';
import { quarantineTail, readCheckpoint, segmentPath, segmentSeq, zerosFrom, type Cursor, type Segment } from './spool-segments.ts';

/** What a start finds in the journal's directory: the segments left to drain and where the drain stands. */
export interface Recovered {
  segments: Segment[];
  cursor: Cursor;
  /** The highest segment number used so far: the next segment gets the one after it. */
  lastSeq: number;
  records: number;
  rows: number;
  bytes: number;
}

/**
 * Reads the journal a previous run left: deletes segments behind the checkpoint, counts the
 * whole records after it, cuts off zeros written ahead and a torn last record (its append never
 * finished, so it was never acknowledged), and moves anything unreadable in the middle aside.
 */
export function recoverSpool(dir: string, log: (message: string) => void): Recovered {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const cp = readCheckpoint(dir);
  const seqs = readdirSync(dir).map(segmentSeq).filter((s): s is number => s !== undefined).sort((a, b) => a - b);
  const out: Recovered = { segments: [], cursor: cp, lastSeq: Math.max(cp.seq, ...seqs, 0), records: 0, rows: 0, bytes: 0 };
  let cpStart = 0;
  for (const seq of seqs) {
    const path = segmentPath(dir, seq);
    if (seq < cp.seq) {
      unlinkSync(path);
      continue;
    }
    const size = statSync(path).size;
    const start = seq === cp.seq && cp.offset <= size ? cp.offset : 0;
    if (seq === cp.seq) cpStart = start;
    const fd = openSync(path, 'r');
    let offset = start;
    try {
      for (;;) {
        const rec = readFrameAt(fd, offset, size);
        if (!rec) break;
        offset += rec.bytes;
        out.records++;
        out.rows += rec.rows;
        out.bytes += rec.bytes;
      }
    } finally {
      closeSync(fd);
    }
    const seg = { seq, size };
    if (offset < size && zerosFrom(path, offset, size)) {
      // Zeros written ahead of the appends (OpenSegment.zeroedTo), left by a stop before the
      // segment was left, or by a power cut that lost the truncation: no record was there.
      truncateSync(path, offset);
      seg.size = offset;
    } else if (offset < size) {
      if (seq === seqs[seqs.length - 1]) {
        // A torn last record: the process died inside its append, before the fsync returned,
        // so no request was answered for it.
        truncateSync(path, offset);
        seg.size = offset;
        log(`spool: dropped ${size - offset} bytes of an unfinished append at the end of segment ${seq}`);
      } else {
        quarantineTail(dir, seg, offset, 'a record in the middle of the spool does not read back intact', log);
      }
    }
    out.segments.push(seg);
  }
  const first = out.segments[0];
  out.cursor = first && first.seq === cp.seq ? { seq: cp.seq, offset: cpStart } : { seq: first?.seq ?? cp.seq, offset: 0 };
  if (out.records > 0) log(`spool: ${out.records} batches (${out.rows} rows, ${out.bytes} bytes) wait to be stored`);
  return out;
}
