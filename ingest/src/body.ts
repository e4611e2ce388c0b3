import { eventInput, isIsoDate, issuesText, normaliseProductIdentifier, normaliseUserIdentifier, type EventInput } from '@licenskoll/core';
import { EventCsvHeaderError, readEventsCsv } from '@licenskoll/importers';

export interface Rejected {
  index: number;
  line?: number;
  /** Spreadsheet row of a CSV body (the header is row 1). */
  row?: number;
  error: string;
}

export interface ParsedBatch {
  events: { index: number; event: EventInput }[];
  rejected: Rejected[];
  /** CSV rows with nothing in them (Excel's `;;;;`): neither events nor rejections. */
  blank?: number;
}

export class MalformedBody extends Error {
  /** The error code of the 400: a CSV body that is not one of events is not "malformed JSON". */
  constructor(message: string, readonly code: 'malformed_json' | 'malformed_csv' = 'malformed_json') {
    super(message);
  }
}

/**
 * Events in one request at most. The body limit bounds bytes, not items: 16 MB of `{}` is five
 * million items, whose rejections alone would take more memory than the events they stand for.
 */
export const MAX_EVENTS_PER_REQUEST = 100_000;

export class TooManyEvents extends Error {
  constructor() {
    super(`a request holds at most ${MAX_EVENTS_PER_REQUEST} events: split it`);
  }
}

/**
 * True when a body opens more objects and arrays than `limit`. Checked before JSON.parse:
 * 16 MB of `{},` or of `[` is five to eight million values, which take seconds and hundreds
 * of MB to parse before their count could be refused. A native `indexOf` scan takes
 * milliseconds. Brackets inside strings count too, which only makes the check stricter than
 * needed for bodies far from any real one (an event opens one object).
 */
export function opensMoreThan(text: string, limit: number): boolean {
  let n = 0;
  for (const ch of ['{', '[']) {
    for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) if (++n > limit) return true;
  }
  return false;
}

/** A lone UTF-16 surrogate (from a `\ud800` escape) is not text: storage would keep it as invalid UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const TEXT_FIELDS = ['id', 'user', 'product', 'source', 'group', 'school'] as const;

/** What the schema cannot say: text that is text, a calendar date that exists, identifiers that stay non-empty once normalised. */
function semanticError(e: EventInput): string | undefined {
  for (const f of TEXT_FIELDS) {
    const v = e[f];
    if (v === undefined) continue;
    if (LONE_SURROGATE.test(v)) return `${f}: is not valid Unicode text`;
    if (v.includes('\u0000')) return `${f}: must not contain NUL characters`;
  }
  // Date.parse rolls 2025-02-30 over into March; the day the source wrote must exist.
  if (!isIsoDate(e.time.slice(0, 10))) return 'time: is not a valid calendar date';
  if (!normaliseUserIdentifier(e.user)) return 'user: is empty once normalised';
  if (!normaliseProductIdentifier(e.product)) return 'product: is empty once normalised';
  return undefined;
}

/** How far ahead of the server clock an event may be: device clocks drift, but not by days. */
const MAX_FUTURE_MS = 24 * 3600_000;

/** Validates one raw record; the reason names the field. */
export function validateEvent(raw: unknown, now = Date.now()): { ok: true; event: EventInput } | { ok: false; error: string } {
  const r = eventInput.safeParse(raw);
  if (!r.success) return { ok: false, error: issuesText(r.error) };
  const ms = Date.parse(r.data.time);
  if (ms > now + MAX_FUTURE_MS) return { ok: false, error: 'time: is more than 24 hours in the future' };
  if (ms < Date.UTC(2000, 0, 1)) return { ok: false, error: 'time: is before the year 2000' };
  const semantic = semanticError(r.data);
  if (semantic) return { ok: false, error: semantic };
  return { ok: true, event: r.data };
}

/** Items validated between two yields to the event loop. */
const SLICE = 1000;

/**
 * The steps of parsing a body of `POST /v1/events`: one JSON event, a JSON array, or NDJSON. A
 * malformed line of NDJSON rejects that line only; malformed JSON otherwise rejects the body.
 * Yields every `SLICE` items so that the async caller can let other requests run between.
 */
function* parseSteps(text: string, contentType: string, now: number, out: ParsedBatch): Generator<void> {
  if (opensMoreThan(text, 4 * MAX_EVENTS_PER_REQUEST)) throw new TooManyEvents();
  if (/csv/i.test(contentType)) {
    yield* csvSteps(text, now, out);
    return;
  }
  const isNdjson = /ndjson|jsonl|json-seq/i.test(contentType);
  const push = (raw: unknown, index: number, line?: number) => {
    const v = validateEvent(raw, now);
    if (v.ok) out.events.push({ index, event: v.event });
    else out.rejected.push({ index, ...(line ? { line } : {}), error: v.error });
  };
  if (isNdjson) {
    const lines = text.split('\n');
    let index = 0;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i].trim();
      if (!l) continue;
      if (index >= MAX_EVENTS_PER_REQUEST) throw new TooManyEvents();
      if (index > 0 && index % SLICE === 0) yield;
      let raw: unknown;
      try {
        raw = JSON.parse(l);
      } catch (e) {
        out.rejected.push({ index, line: i + 1, error: `line ${i + 1}: not valid JSON (${(e as Error).message})` });
        index++;
        continue;
      }
      push(raw, index, i + 1);
      index++;
    }
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new MalformedBody(`body is not valid JSON: ${(e as Error).message}`);
  }
  if (Array.isArray(body)) {
    if (body.length > MAX_EVENTS_PER_REQUEST) throw new TooManyEvents();
    for (let i = 0; i < body.length; i++) {
      if (i > 0 && i % SLICE === 0) yield;
      push(body[i], i);
    }
  } else if (body && typeof body === 'object') push(body, 0);
  else throw new MalformedBody('body must be an event object, an array of events, or NDJSON');
}

/**
 * A `text/csv` body: a header naming the event's fields, one event per row. Every row is
 * validated like a JSON event; a rejection names its spreadsheet row and the field.
 */
function* csvSteps(text: string, now: number, out: ParsedBatch): Generator<void> {
  let csv;
  try {
    csv = readEventsCsv(text);
  } catch (e) {
    if (e instanceof EventCsvHeaderError) throw new MalformedBody(`body: ${e.message}`, 'malformed_csv');
    throw e;
  }
  if (csv.rows.length > MAX_EVENTS_PER_REQUEST) throw new TooManyEvents();
  if (csv.blank) out.blank = csv.blank;
  for (let index = 0; index < csv.rows.length; index++) {
    if (index > 0 && index % SLICE === 0) yield;
    const r = csv.rows[index];
    if (!r.raw) { out.rejected.push({ index, line: r.line, row: r.row, error: `row ${r.row}: ${r.error}` }); continue; }
    const v = validateEvent(r.raw, now);
    if (v.ok) out.events.push({ index, event: v.event });
    else out.rejected.push({ index, line: r.line, row: r.row, error: `row ${r.row}: ${v.error}` });
  }
}

/** A body of `POST /v1/events`, parsed and validated in one go. */
export function parseEventsBody(text: string, contentType: string, now = Date.now()): ParsedBatch {
  const out: ParsedBatch = { events: [], rejected: [] };
  for (const _ of parseSteps(text, contentType, now, out));
  return out;
}

export const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/**
 * The same, letting other requests run every thousand events: a large body then delays a
 * health probe or a small request by one slice, not by the whole body.
 */
export async function parseEventsBodyInSlices(text: string, contentType: string, now = Date.now()): Promise<ParsedBatch> {
  const out: ParsedBatch = { events: [], rejected: [] };
  for (const _ of parseSteps(text, contentType, now, out)) await yieldToEventLoop();
  return out;
}
