import { type Delimiter, isBlankRecord, readCsvTable, widthProblem } from './csv.ts';
import { mapHeaders } from './headers.ts';
import { type ImportInput, decodeSpreadsheet, readAll } from './input.ts';
import { type ImportKind, type Rejection, Tally } from './result.ts';
import { assertKind } from './sniff.ts';

/** One data row of a sheet, read through logical column names. */
export interface SheetRow<K extends string> {
  row: number;
  line: number;
  /** Trimmed cell of a logical column; '' when the column is absent. */
  get(col: K): string;
  has(col: K): boolean;
  /** The header as the file spells it, for messages people can find in their sheet. */
  header(col: K): string;
  fields: string[];
  headers: string[];
}

export interface SheetOptions {
  fileName?: string;
  maxRejections?: number;
  delimiter?: Delimiter;
}

/**
 * The shared front of the licence and product sheets: read the bytes (UTF-8 or Excel's
 * Windows-1252), refuse a file that is something else, map Swedish or English headers,
 * refuse the file when a required column is missing, and yield rows of the right width
 * (rejecting the others with their row number).
 */
export async function readSheet<K extends string>(
  input: ImportInput,
  kind: ImportKind,
  aliases: Record<K, readonly string[]>,
  required: NoInfer<K>[],
  opts: SheetOptions,
): Promise<{ tally: Tally; rows: SheetRow<K>[] }> {
  const tally = new Tally(opts.maxRejections);
  const file = opts.fileName;
  const bytes = await readAll(input);
  assertKind(bytes.subarray(0, 64 * 1024), kind, file);
  const { text, encoding } = decodeSpreadsheet(bytes);
  if (encoding === 'windows-1252') tally.note('the file is not UTF-8; read as Windows-1252 (Excel\'s Swedish CSV)');
  const table = readCsvTable(text, opts.delimiter);
  if (!table) return { tally, rows: [] };
  const cols = mapHeaders(table.headers, aliases);
  const loc = (extra: Partial<Rejection>): Rejection => ({ ...(file ? { file } : {}), ...extra }) as Rejection;
  const missing = required.filter((k) => cols[k] === undefined);
  if (missing.length) {
    for (const k of missing) {
      tally.reject(loc({ row: 1, line: table.headerLine, field: k, reason: `column missing; accepted headers: ${aliases[k].join(', ')}` }));
    }
    tally.note(`found columns: ${table.headers.join(', ')}`);
    return { tally, rows: [] };
  }
  const rows: SheetRow<K>[] = [];
  for (const rec of table.rows) {
    if (isBlankRecord(rec)) { tally.blank(); continue; }
    const problem = widthProblem(rec, table.headers.length);
    tally.stats.read++;
    if (problem) {
      tally.reject(loc({ row: rec.row, line: rec.line, reason: problem }));
      continue;
    }
    rows.push({
      row: rec.row,
      line: rec.line,
      fields: rec.fields,
      headers: table.headers,
      get: (col) => (cols[col] === undefined ? '' : (rec.fields[cols[col] as number] ?? '').trim()),
      has: (col) => cols[col] !== undefined,
      header: (col) => (cols[col] === undefined ? col : table.headers[cols[col] as number]),
    });
  }
  return { tally, rows };
}
