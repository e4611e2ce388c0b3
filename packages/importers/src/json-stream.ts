import { ApiError } from '@licenskoll/core';
import { jsonSyntaxError, lineAndColumn } from './json-error.ts';

/**
 * Records out of large JSON exports without parsing the whole document: a month of
 * sign-ins for a municipality is millions of records, far past what `JSON.parse` of one
 * string should hold. The scanner tracks only nesting and strings and hands each record's
 * text to `JSON.parse`. It takes, in one pass:
 *   - a top-level array `[ {...}, {...} ]` (portal download),
 *   - a wrapper object whose `value` / `records` (any of `arrayKeys`) array holds the records
 *     (Graph page, Azure Monitor blob); the wrapper's other keys come back as `meta`,
 *   - objects one after another (NDJSON / JSON lines, or several pages concatenated).
 * The price of that generality: a top-level object whose `arrayKeys` member is an array
 * is taken for a wrapper, so a record must not itself have such a member.
 */

export interface JsonItem {
  value?: unknown;
  /** Why the record could not be read. */
  error?: string;
  /** Line where the record starts (1-based). */
  line: number;
  /** 0-based position among all records. */
  index: number;
}

export interface JsonStreamInfo {
  /** Top-level keys of wrapper objects other than the record array (e.g. `@odata.nextLink`). */
  meta: Record<string, unknown>[];
  /** Which wrapper keys were seen, e.g. `value`. */
  wrapperKeys: string[];
}

export interface JsonStreamOptions {
  arrayKeys: string[];
  /** One record or wrapper larger than this is refused; guards memory against a non-record document. */
  maxValueChars?: number;
}

const WS = new Set([' ', '\t', '\r', '\n']);

export async function* jsonItemBatches(
  chunks: AsyncIterable<Uint8Array>,
  opts: JsonStreamOptions,
  info: JsonStreamInfo = { meta: [], wrapperKeys: [] },
): AsyncGenerator<JsonItem[]> {
  const maxChars = opts.maxValueChars ?? 64 * 1024 * 1024;
  const decoder = new TextDecoder('utf-8');
  let firstChunk = true;

  let depth = 0;
  let inString = false;
  let escape = false;
  let line = 1;
  let index = 0;

  let rootKind: 'array' | 'object' | null = null;
  let rootLine = 1;
  let rootParts: string[] = [];
  let rootLen = 0;
  let rootCapturing = false;
  let rootStart = 0;
  let rootStreamed = false;

  let expectKey = false;
  let keyCapturing = false;
  let key = '';
  let lastKey = '';
  let awaitingValue = false;

  let streamDepth: number | null = null;
  let itemActive = false;
  let itemParts: string[] = [];
  let itemLen = 0;
  let itemStart = 0;
  let itemLine = 0;
  let garbageLine = 0;

  let out: JsonItem[] = [];

  const emit = (text: string, at: number) => {
    try {
      out.push({ value: JSON.parse(text), line: at, index: index++ });
    } catch (e) {
      out.push({ ...syntaxProblem(text, at, e as Error), index: index++ });
    }
  };

  const finishItem = (s: string, end: number) => {
    itemParts.push(s.slice(itemStart, end));
    emit(itemParts.join(''), itemLine);
    itemParts = [];
    itemLen = 0;
    itemActive = false;
  };

  const startItem = (i: number) => {
    itemActive = true;
    itemStart = i;
    itemLine = line;
    itemParts = [];
    itemLen = 0;
  };

  const finishRoot = (s: string, end: number) => {
    rootParts.push(s.slice(rootStart, end));
    const text = rootParts.join('');
    rootParts = [];
    rootLen = 0;
    rootCapturing = false;
    if (!rootStreamed) {
      emit(text, rootLine);
    } else {
      try {
        const meta = JSON.parse(text) as Record<string, unknown>;
        for (const k of info.wrapperKeys) delete meta[k];
        info.meta.push(meta);
      } catch {
        // The records were read; a malformed remainder of the wrapper does not matter.
      }
    }
  };

  const scan = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (inString) {
        if (escape) escape = false;
        else if (c === '\\') escape = true;
        else if (c === '"') {
          inString = false;
          if (keyCapturing) { keyCapturing = false; lastKey = key; }
        } else if (keyCapturing) key += c;
        if (c === '\n') line++;
        continue;
      }
      if (WS.has(c)) {
        if (c === '\n') line++;
        continue;
      }
      if (depth === 0 && c !== '{' && c !== '[') {
        if (c === ',') continue; // tolerate "},{" between concatenated objects
        if (garbageLine !== line) {
          garbageLine = line;
          out.push({ error: `unexpected "${c}" outside any JSON value`, line, index: index++ });
        }
        continue;
      }
      if (streamDepth !== null && depth === streamDepth && !itemActive && c !== ',' && c !== ']' ) startItem(i);
      switch (c) {
        case '"':
          inString = true;
          if (depth === 1 && rootKind === 'object' && expectKey && streamDepth === null) { keyCapturing = true; key = ''; expectKey = false; }
          awaitingValue = false;
          break;
        case '{':
        case '[':
          if (depth === 0) {
            rootKind = c === '[' ? 'array' : 'object';
            rootLine = line;
            rootStreamed = false;
            if (rootKind === 'array') streamDepth = 1;
            else { rootCapturing = true; rootStart = i; rootParts = []; rootLen = 0; expectKey = true; }
          } else if (depth === 1 && rootKind === 'object' && awaitingValue && c === '[' && opts.arrayKeys.includes(lastKey)) {
            streamDepth = 2;
            rootStreamed = true;
            if (!info.wrapperKeys.includes(lastKey)) info.wrapperKeys.push(lastKey);
            rootParts.push(s.slice(rootStart, i + 1));
            rootCapturing = false;
          }
          awaitingValue = false;
          depth++;
          break;
        case '}':
        case ']':
          depth--;
          if (streamDepth !== null && depth === streamDepth - 1) {
            if (itemActive) finishItem(s, i);
            if (streamDepth === 2) { rootCapturing = true; rootStart = i; }
            streamDepth = null;
          } else if (streamDepth !== null && depth === streamDepth && itemActive) {
            finishItem(s, i + 1);
          }
          if (depth === 0 && rootKind === 'object' && c === '}') finishRoot(s, i + 1);
          if (depth === 0) rootKind = null;
          if (depth < 0) depth = 0;
          break;
        case ',':
          if (streamDepth !== null && depth === streamDepth && itemActive) finishItem(s, i);
          if (depth === 1 && rootKind === 'object') expectKey = true;
          break;
        case ':':
          if (depth === 1 && rootKind === 'object') awaitingValue = true;
          break;
        default:
          awaitingValue = false;
      }
    }
    // Carry what is being captured into the next chunk.
    if (itemActive) {
      const piece = s.slice(itemStart);
      itemParts.push(piece);
      itemLen += piece.length;
      itemStart = 0;
      if (itemLen > maxChars) throw new ApiError(413, 'record_too_large', `a record starting on line ${itemLine} is larger than ${maxChars} characters`);
    }
    if (rootCapturing) {
      const piece = s.slice(rootStart);
      rootParts.push(piece);
      rootLen += piece.length;
      rootStart = 0;
      if (rootLen > maxChars) throw new ApiError(413, 'record_too_large', `the JSON value starting on line ${rootLine} is larger than ${maxChars} characters and holds no record array`);
    }
  };

  for await (const chunk of chunks) {
    let s = decoder.decode(chunk, { stream: true });
    if (firstChunk) { firstChunk = false; if (s.charCodeAt(0) === 0xfeff) s = s.slice(1); }
    scan(s);
    if (out.length) { yield out; out = []; }
  }
  const tail = decoder.decode();
  if (tail) scan(tail);
  if (depth > 0 || inString) {
    out.push({ error: 'the file ends inside a JSON value (truncated?)', line: itemActive ? itemLine : rootLine, index: index++ });
  }
  if (out.length) yield out;
}

/**
 * The line of the error itself, not of the record's start: in a pretty-printed export the
 * two can be sixty lines apart.
 */
function syntaxProblem(text: string, start: number, e: Error): { error: string; line: number } {
  const found = jsonSyntaxError(text);
  if (!found) return { error: `not valid JSON: ${e.message}`, line: start };
  const { line, column } = lineAndColumn(text, found.offset);
  const at = start + line - 1;
  const where = line > 1 ? `line ${at}, column ${column}; the record starts on line ${start}` : `line ${at}`;
  return { error: `not valid JSON: ${found.reason} (${where})`, line: at };
}
