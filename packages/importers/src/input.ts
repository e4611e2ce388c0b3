import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';

/**
 * What an importer accepts: a whole file in memory (a request body, a test string) or a
 * byte stream (a Node `Readable`, a web `ReadableStream`, `fs.createReadStream`). Node
 * streams and web streams are both async iterables of chunks.
 */
export type ImportInput = string | Uint8Array | ArrayBuffer | AsyncIterable<string | Uint8Array>;

/** Options every importer takes. */
export interface CommonOptions {
  /** Name of the file, used in rejections and to pick a OneRoster table. */
  fileName?: string;
  /** Longest list of rejections kept (the count is always complete). */
  maxRejections?: number;
}

const SNIFF_BYTES = 64 * 1024;

function toBytes(chunk: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  return chunk;
}

async function* chunksOf(input: ImportInput): AsyncGenerator<Uint8Array> {
  if (typeof input === 'string' || input instanceof Uint8Array || input instanceof ArrayBuffer) {
    yield toBytes(input);
    return;
  }
  for await (const c of input) if (c.length > 0) yield toBytes(c);
}

export const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
export const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

export interface OpenedInput {
  /** At least the first 64 KiB (or the whole input when shorter), after gunzip. */
  head: Uint8Array;
  /** The whole input, head included, as it arrives. */
  chunks: AsyncIterable<Uint8Array>;
}

/**
 * Peek the start of an input without losing it, transparently gunzipping: rolled
 * Shibboleth logs are `idp-audit-2024-09-02.log.gz`, and nobody should have to unpack
 * them by hand first.
 */
export async function openInput(input: ImportInput): Promise<OpenedInput> {
  let source: AsyncIterable<Uint8Array> = chunksOf(input);
  let { buffered, rest } = await peek(source, 2);
  if (buffered.length > 0 && isGzip(buffered[0])) {
    const gunzip = Readable.from(replay(buffered, rest)).pipe(createGunzip());
    source = gunzip as AsyncIterable<Uint8Array>;
    ({ buffered, rest } = await peek(source, SNIFF_BYTES));
  } else {
    const more = await peek(rest, SNIFF_BYTES - total(buffered));
    buffered = [...buffered, ...more.buffered];
    rest = more.rest;
  }
  return { head: Buffer.concat(buffered), chunks: replay(buffered, rest) };
}

const total = (bs: Uint8Array[]) => bs.reduce((n, b) => n + b.length, 0);

async function peek(source: AsyncIterable<Uint8Array>, bytes: number) {
  const it = source[Symbol.asyncIterator]();
  const buffered: Uint8Array[] = [];
  let n = 0;
  let done = false;
  while (n < bytes) {
    const r = await it.next();
    if (r.done) { done = true; break; }
    buffered.push(r.value);
    n += r.value.length;
  }
  const rest: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => (done ? { next: async () => ({ done: true, value: undefined }) } : it),
  };
  return { buffered, rest };
}

async function* replay(buffered: Uint8Array[], rest: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* buffered;
  yield* rest;
}

export class InputTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the file is larger than ${Math.round(limit / 1024 / 1024)} MB; split it or use a streaming format`);
    this.name = 'InputTooLargeError';
  }
}

/** Whole-file formats (CSV tables, BOL JSON, zips) read everything, up to a limit. */
export async function readAll(input: ImportInput, maxBytes = 256 * 1024 * 1024): Promise<Uint8Array> {
  const { chunks } = await openInput(input);
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of chunks) {
    n += c.length;
    if (n > maxBytes) throw new InputTooLargeError(maxBytes);
    parts.push(c);
  }
  return Buffer.concat(parts);
}

/** UTF-8 text of a whole file, without a byte-order mark. */
export function decodeText(bytes: Uint8Array): string {
  const s = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/** Head of an input as text, for sniffing; a multi-byte character cut at the end is harmless. */
export function headText(head: Uint8Array): string {
  return decodeText(head);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Text of a spreadsheet export. Excel on Swedish Windows saves "CSV (semikolonavgränsad)"
 * in Windows-1252, where å, ä, ö are single bytes that are invalid UTF-8: rather than
 * turning every "Beställare" into "Best�llare", fall back to Windows-1252 and say so.
 */
export function decodeSpreadsheet(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    const s = strictUtf8.decode(bytes);
    return { text: s.charCodeAt(0) === 0xfeff ? s.slice(1) : s, encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}
