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
 * appended. Blank lines are skipped (they still count as lines and rows) unless `keepBlank`,
 * which yields them as a record of one empty field, so an importer can count them.
 */
export function* parseCsv(input: string, delimiter: Delimiter = detectDelimiter(stripBom(input)), keepBlank = false): Generator<CsvRecord> {
  const text = stripBom(input);
  const n = text.length;
  const d = delimiter.charCodeAt(0);
  let i = 0;
  let line = 1;
  let row = 0;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let unterminated = false;
    let quotedOnly = false; // the record is a single quoted field (then it is not a blank line)
    // One field per iteration; fields are sliced, not built a character at a time, so a
    // 100 000-row export makes a few strings per cell instead of one per character.
    for (;;) {
      let field: string;
      if (text.charCodeAt(i) === 34 /* " */) {
        const parts: string[] = [];
        let from = i + 1;
        i = from;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) { parts.push(text.slice(from)); i = n; unterminated = true; break; }
          for (let k = text.indexOf('\n', i); k >= 0 && k < q; k = text.indexOf('\n', k + 1)) line++;
          if (text.charCodeAt(q + 1) === 34) { parts.push(text.slice(from, q + 1)); i = q + 2; from = i; continue; }
          parts.push(text.slice(from, q));
          i = q + 1;
          break;
        }
        // Lenient: text after the closing quote belongs to the field ("ab"c → abc).
        const tail = i;
        while (i < n) { const c = text.charCodeAt(i); if (c === d || c === 10 || c === 13) break; i++; }
        field = parts.join('') + text.slice(tail, i);
        quotedOnly = fields.length === 0;
      } else {
        const from = i;
        while (i < n) { const c = text.charCodeAt(i); if (c === d || c === 10 || c === 13) break; i++; }
        field = text.slice(from, i); // a stray quote inside an unquoted field is kept literally
        quotedOnly = false;
      }
      fields.push(field);
      if (i >= n || unterminated) break;
      const c = text.charCodeAt(i);
      if (c === d) { i++; if (i >= n) { fields.push(''); break; } continue; }
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1; // end of record
      line++;
      break;
    }
    row++; // a blank line is still a row in a spreadsheet, so later rows keep the numbers Excel shows
    if (fields.length === 1 && fields[0] === '' && !quotedOnly && !keepBlank) continue;
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

/**
 * A record with nothing in it: a blank line, or the `;;;;;` rows Excel writes below a table
 * when cells further down were ever formatted. Not data, and not an error either.
 */
export function isBlankRecord(rec: CsvRecord): boolean {
  return !rec.unterminatedQuote && rec.fields.every((f) => f.trim() === '');
}

/**
 * Header plus a generator of data records; `null` for an empty file. Blank records after
 * the header are yielded (test them with `isBlankRecord` and count them apart); blank lines
 * before the header are passed over.
 */
export function readCsvTable(text: string, delimiter?: Delimiter): CsvTable | null {
  const clean = stripBom(text);
  const d = delimiter ?? detectDelimiter(clean);
  const rows = parseCsv(clean, d, true);
  let first = rows.next();
  while (!first.done && isBlankRecord(first.value)) first = rows.next();
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
