/**
 * A CSV reader for the files people actually export: Excel's Swedish locale writes `;`
 * with decimal commas, OneRoster and most systems write `,`, both may carry a BOM and
 * CRLF, and quoted fields may hold delimiters, quotes and newlines (RFC 4180).
 */

export type Delimiter = ',' | ';' | '\t';

export interface CsvRecord {
  fields: string[];
  /** Physical line where the record starts (1-based). */
  line: number;
  /** Spreadsheet row: the header is row 1, the first data record row 2. */
  row: number;
  /** The file ended inside a quoted field: the record is cut off. */
  unterminatedQuote?: boolean;
}

/**
 * Pick the delimiter from the header line: the candidate that occurs most often outside
 * quotes. Headers rarely contain any of them, so a single occurrence is decisive; with
 * no delimiter at all (a one-column file) `,` is as good as any.
 */
export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === '\n' || c === '\r')) break;
    else if (!inQuotes && (c === ',' || c === ';' || c === '\t')) counts[c]++;
  }
  const best = (Object.keys(counts) as Delimiter[]).sort((a, b) => counts[b] - counts[a])[0];
  return counts[best] > 0 ? best : ',';
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Records of a whole CSV text. Lenient where being strict would only lose data: a quote in
 * the middle of an unquoted field is kept literally, text after a closing quote is
 * appended. Blank lines are skipped (they still count as lines and rows).
 */
export function* parseCsv(input: string, delimiter: Delimiter = detectDelimiter(stripBom(input))): Generator<CsvRecord> {
  const text = stripBom(input);
  const n = text.length;
  let i = 0;
  let line = 1;
  let row = 0;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false; // the current field started with a quote
    let inQuotes = false;
    let unterminated = false;
    let endOfRecord = false;
    while (!endOfRecord) {
      if (i >= n) {
        if (inQuotes) unterminated = true;
        fields.push(field);
        break;
      }
      const c = text[i];
      if (inQuotes) {
        if (c === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          inQuotes = false; i++; continue;
        }
        if (c === '\n') line++;
        else if (c === '\r') { if (text[i + 1] !== '\n') line++; }
        field += c; i++;
        continue;
      }
      if (c === '"' && field === '' && !quoted) { quoted = true; inQuotes = true; i++; continue; }
      if (c === delimiter) { fields.push(field); field = ''; quoted = false; i++; continue; }
      if (c === '\n' || c === '\r') {
        fields.push(field);
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        endOfRecord = true;
        continue;
      }
      field += c; i++;
    }
    row++; // a blank line is still a row in a spreadsheet, so later rows keep the numbers Excel shows
    const blank = fields.length === 1 && fields[0] === '' && !quoted;
    if (blank) continue;
    yield unterminated ? { fields, line: startLine, row, unterminatedQuote: true } : { fields, line: startLine, row };
  }
}

/** Header text in one comparable form: `Antal licenser`, `antal_licenser`, ` ANTAL-LICENSER ` all meet. */
export function normaliseHeader(h: string): string {
  return h.trim().toLowerCase().replace(/[\s_\-.:/]+/g, ' ').trim();
}

export interface CsvTable {
  delimiter: Delimiter;
  headers: string[];
  /** Header line number (usually 1). */
  headerLine: number;
  rows: Generator<CsvRecord>;
}

/** Header plus a generator of data records; `null` for an empty file. */
export function readCsvTable(text: string, delimiter?: Delimiter): CsvTable | null {
  const clean = stripBom(text);
  const d = delimiter ?? detectDelimiter(clean);
  const rows = parseCsv(clean, d);
  const first = rows.next();
  if (first.done) return null;
  return { delimiter: d, headers: first.value.fields.map((h) => h.trim()), headerLine: first.value.line, rows };
}

/**
 * Check a record's width against the header. Trailing empty fields beyond the header are
 * tolerated (spreadsheets add them); anything else is a reason to refuse the row.
 */
export function widthProblem(rec: CsvRecord, headerCount: number): string | null {
  if (rec.unterminatedQuote) return 'the file ends inside a quoted field: the row is cut off';
  if (rec.fields.length === headerCount) return null;
  if (rec.fields.length > headerCount && rec.fields.slice(headerCount).every((f) => f.trim() === '')) return null;
  if (rec.fields.length < headerCount) {
    return `expected ${headerCount} fields, got ${rec.fields.length}${rec.fields.length === 1 ? ' (is the separator right?)' : ''}`;
  }
  return `expected ${headerCount} fields, got ${rec.fields.length} (an unquoted separator inside a value?)`;
}
