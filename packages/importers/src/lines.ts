/** One physical line of a log file, decoded. */
export interface Line {
  text: string;
  /** Line number, 1-based. */
  line: number;
  /** The bytes were not valid UTF-8; `text` holds replacement characters. */
  invalidUtf8?: boolean;
  /** The file ended without a newline after this line: it may have been cut off. */
  unterminated?: boolean;
  /** Longer than `maxLineBytes`: `text` is empty and the rest was skipped. */
  tooLong?: boolean;
}

export interface LineOptions {
  /** A single line longer than this is reported and skipped, so a file without newlines cannot fill memory. */
  maxLineBytes?: number;
}

const NL = 10;
const CR = 13;
const fatal = new TextDecoder('utf-8', { fatal: true });

function decode(buf: Buffer, start: number, end: number): { text: string; invalid: boolean } {
  const text = buf.toString('utf8', start, end);
  // toString replaces bad bytes with U+FFFD; only then pay for a strict check, since a
  // genuine U+FFFD in the data is legal.
  if (!text.includes('\uFFFD')) return { text, invalid: false };
  try {
    fatal.decode(buf.subarray(start, end));
    return { text, invalid: false };
  } catch {
    return { text, invalid: true };
  }
}

/**
 * Split a byte stream into lines in bounded memory (one chunk plus one partial line).
 * Works on bytes, not decoded text, so that a bad byte spoils only its own line and the
 * line number reported is the one an editor shows. Lines are yielded in arrays, one per
 * chunk: a million lines cost a few thousand awaits, not a million.
 */
export async function* lineBatches(chunks: AsyncIterable<Uint8Array>, opts: LineOptions = {}): AsyncGenerator<Line[]> {
  const maxLine = opts.maxLineBytes ?? 1024 * 1024;
  let carry: Buffer | null = null;
  let no = 0;
  let skipping = false; // inside an over-long line, discarding until its newline
  let first = true;
  for await (const chunk of chunks) {
    let buf: Buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (carry) buf = Buffer.concat([carry, buf]);
    carry = null;
    let start = 0;
    if (first) {
      first = false;
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
    }
    const out: Line[] = [];
    for (;;) {
      const nl = buf.indexOf(NL, start);
      if (nl < 0) break;
      no++;
      if (skipping) {
        skipping = false;
      } else {
        let end = nl;
        if (end > start && buf[end - 1] === CR) end--;
        if (end - start > maxLine) {
          out.push({ text: '', line: no, tooLong: true });
        } else {
          const { text, invalid } = decode(buf, start, end);
          out.push(invalid ? { text, line: no, invalidUtf8: true } : { text, line: no });
        }
      }
      start = nl + 1;
    }
    if (start < buf.length) {
      if (skipping) {
        // keep discarding
      } else if (buf.length - start > maxLine) {
        out.push({ text: '', line: no + 1, tooLong: true });
        skipping = true;
      } else {
        // Copy: a subarray would pin the whole chunk for as long as the partial line lives.
        carry = Buffer.from(buf.subarray(start));
      }
    }
    if (out.length) yield out;
  }
  if (skipping) return;
  if (carry && carry.length > 0) {
    no++;
    let end = carry.length;
    if (carry[end - 1] === CR) end--;
    const { text, invalid } = decode(carry, 0, end);
    yield [{ text, line: no, unterminated: true, ...(invalid ? { invalidUtf8: true } : {}) }];
  }
}

/** Convenience for tests and small inputs: every line of a string. */
export async function collectLines(text: string): Promise<Line[]> {
  const out: Line[] = [];
  async function* one() { yield Buffer.from(text, 'utf8'); }
  for await (const b of lineBatches(one())) out.push(...b);
  return out;
}
