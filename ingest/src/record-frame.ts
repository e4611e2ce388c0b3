import { readSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/**
 * The frame of a record on disk: `LKS1 | payload length | CRC-32 | row count | payload`. A
 * record that does not read back whole and intact was cut off by a crash inside its write.
 */
const MAGIC = 0x314b534c; // "LSK1" read little-endian
export const FRAME_HEADER = 16;

export function frame(payload: Buffer, rows: number): Buffer {
  const h = Buffer.alloc(FRAME_HEADER);
  h.writeUInt32LE(MAGIC, 0);
  h.writeUInt32LE(payload.length, 4);
  h.writeUInt32LE(crc32(payload), 8);
  h.writeUInt32LE(rows, 12);
  return Buffer.concat([h, payload]);
}

/** Reads the record at `offset`, or undefined when what is there is not a whole, intact record. */
export function readFrameAt(fd: number, offset: number, fileSize: number): { payload: Buffer; rows: number; bytes: number } | undefined {
  if (offset + FRAME_HEADER > fileSize) return undefined;
  const h = Buffer.alloc(FRAME_HEADER);
  readSync(fd, h, 0, FRAME_HEADER, offset);
  if (h.readUInt32LE(0) !== MAGIC) return undefined;
  const len = h.readUInt32LE(4);
  if (offset + FRAME_HEADER + len > fileSize) return undefined;
  const payload = Buffer.alloc(len);
  readSync(fd, payload, 0, len, offset + FRAME_HEADER);
  if (crc32(payload) !== h.readUInt32LE(8)) return undefined;
  return { payload, rows: h.readUInt32LE(12), bytes: FRAME_HEADER + len };
}
