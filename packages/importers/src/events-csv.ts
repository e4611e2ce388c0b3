import { type EventInput, describeIssues, eventInput } from '@licenskoll/core';
import { type CsvRecord, isBlankRecord, normaliseHeader, readCsvTable, widthProblem } from './csv.ts';
import { type Outcome, mapEvents, quickValid } from './events.ts';
import { type CommonOptions, type ImportInput, decodeSpreadsheet, openInput, readAll } from './input.ts';
import { type JsonItem, jsonItemBatches } from './json-stream.ts';
import { FormatError, type StreamResult, Tally, rejectRow } from './result.ts';
import { kindLabels, sniff } from './sniff.ts';

/**
 * Plain Licenskoll events as CSV: a header naming the fields of the JSON event (`id, type,
 * time, user, product, source, group, school`, in any order and case) and one event per
 * row. What a school exports from a spreadsheet or a tool's own usage report when it has
 * no log format of its own. An empty cell is an absent field.
 */
export const EVENT_CSV_FIELDS = ['id', 'type', 'time', 'user', 'product', 'source', 'group', 'school'] as const;
const REQUIRED = ['type', 'time', 'user', 'product'] as const;

export interface EventCsvRow {
  /** Spreadsheet row (the header is row 1) and physical line. */
  row: number;
  line: number;
  /** The event as the JSON API would have received it; absent when the row is malformed. */
  raw?: Record<string, string>;
  /** Why the row is not an event at all (wrong width, cut off). */
  error?: string;
}

export interface EventCsv {
  rows: EventCsvRow[];
  /** Rows with nothing in them (Excel's `;;;;`, blank lines): not events, not errors. */
  blank: number;
  /** Columns that are not event fields, ignored. */
  ignored: string[];
}

/** The header is not one of events: thrown before any row, so the caller can answer 400. */
export class EventCsvHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventCsvHeaderError';
  }
}

/** Every row of an event CSV, mapped to raw events by header name; validation is the caller's (the same as for JSON). */
export function readEventsCsv(text: string): EventCsv {
  const table = readCsvTable(text);
  if (!table) return { rows: [], blank: 0, ignored: [] };
  const cols = new Map<string, number>();
  const ignored: string[] = [];
  table.headers.forEach((h, i) => {
    const name = normaliseHeader(h);
    if ((EVENT_CSV_FIELDS as readonly string[]).includes(name) && !cols.has(name)) cols.set(name, i);
    else if (h) ignored.push(h);
  });
  const missing = REQUIRED.filter((f) => !cols.has(f));
  if (missing.length) {
    throw new EventCsvHeaderError(
      `header: column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing; an event CSV names the fields of the JSON event (${EVENT_CSV_FIELDS.join(',')}), found ${table.headers.join(',') || 'nothing'}`,
    );
  }
  const out: EventCsv = { rows: [], blank: 0, ignored };
  for (const rec of table.rows) {
    if (isBlankRecord(rec)) { out.blank++; continue; }
    out.rows.push(toRow(rec, table.headers.length, cols));
  }
  return out;
}

function toRow(rec: CsvRecord, width: number, cols: Map<string, number>): EventCsvRow {
  const problem = widthProblem(rec, width);
  if (problem) return { row: rec.row, line: rec.line, error: problem };
  const raw: Record<string, string> = {};
  for (const [name, i] of cols) {
    const v = (rec.fields[i] ?? '').trim();
    if (v !== '') raw[name] = v;
  }
  return { row: rec.row, line: rec.line, raw };
}

/**
 * The `events` importer, for `licenskoll import events <file>`: Licenskoll's own events as
 * CSV (rows validated like any import, a bad one rejected with its row and field), or as the
 * JSON the API takes (one event, an array, NDJSON). Anything recognisably else is refused.
 */
export async function parseEvents(input: ImportInput, opts: CommonOptions = {}): Promise<StreamResult<EventInput>> {
  const file = opts.fileName;
  const tally = new Tally(opts.maxRejections);
  const { head, chunks } = await openInput(input);
  const s = sniff(head, file);
  const refuse = (what: string, why = '') =>
    new FormatError(`${file ? `${file}: ` : ''}this looks like ${what}, not ${kindLabels.events}${why}`, 'events', s.format, file);
  if (s.kind && s.kind !== 'events') throw refuse(s.label);
  if (['binary', 'gzip', 'zip', 'caliper', 'ss12000'].includes(s.format)) throw refuse(s.label);
  if (s.format === 'empty') return tally.stream('events', (async function* () {})());
  if (s.format === 'json' || (s.format === 'licenskoll-events' && s.variant !== 'csv')) {
    const map = (item: JsonItem): Outcome => (item.error !== undefined ? { reject: { reason: item.error } } : { event: item.value as EventInput });
    return tally.stream('events', mapEvents(jsonItemBatches(chunks, { arrayKeys: [] }), map, tally, file));
  }
  const { text, encoding } = decodeSpreadsheet(await readAll(chunks));
  if (encoding === 'windows-1252') tally.note('the file is not UTF-8; read as Windows-1252 (Excel\'s Swedish CSV)');
  let csv: EventCsv;
  try {
    csv = readEventsCsv(text);
  } catch (e) {
    if (e instanceof EventCsvHeaderError) throw refuse(s.label, ` (${e.message})`);
    throw e;
  }
  for (let i = 0; i < csv.blank; i++) tally.blank();
  if (csv.ignored.length) tally.note(`columns ignored (not event fields): ${csv.ignored.join(', ')}`);
  return tally.stream('events', csvEvents(csv, tally, file));
}

async function* csvEvents(csv: EventCsv, tally: Tally, file?: string): AsyncGenerator<EventInput> {
  for (const r of csv.rows) {
    tally.stats.read++;
    const at = { ...(file ? { file } : {}), row: r.row, line: r.line };
    if (!r.raw) { tally.reject({ ...at, reason: r.error ?? 'not an event' }); continue; }
    const event = r.raw as unknown as EventInput;
    if (quickValid(event)) { tally.stats.kept++; yield event; continue; }
    const parsed = eventInput.safeParse(event);
    if (!parsed.success) {
      rejectRow(tally, describeIssues(parsed.error).map((d) => ({ ...at, field: d.field, reason: d.reason })));
      continue;
    }
    tally.stats.kept++;
    yield parsed.data;
  }
}
