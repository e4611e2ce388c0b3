import { unzipSync } from 'fflate';
import { isBlankRecord, readCsvTable, widthProblem } from './csv.ts';
import { decodeSpreadsheet } from './input.ts';
import type { Rejection, Tally } from './result.ts';
import { oneRosterTable } from './sniff.ts';

/** The OneRoster tables Licenskoll reads; the rest of a bulk export (results, lineItems…) is ignored. */
export const ONEROSTER_FILES = ['manifest', 'orgs', 'users', 'roles', 'classes', 'enrollments', 'academicSessions', 'courses'] as const;
export type OneRosterFile = (typeof ONEROSTER_FILES)[number];

export interface OneRosterRow {
  row: number;
  line: number;
  /** Cell by column name (case-insensitive: exports disagree with the spec's case); '' when absent. */
  get(col: string): string;
}

export interface OneRosterTableData {
  file: string;
  headers: string[];
  /** Whether a column (by its spec name, or a name exports use for it) is there. */
  has(col: string): boolean;
  rows: OneRosterRow[];
}

export type OneRosterTables = Partial<Record<OneRosterFile, OneRosterTableData>>;

/** `termSourcedIds`, `term_sourced_ids`, `TermSourcedIDs` all meet. */
const squash = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');

/** One instance per row with a shared `get`: a closure per row would triple the garbage of a 100 000-pupil export. */
class Row implements OneRosterRow {
  constructor(readonly row: number, readonly line: number, private readonly fields: string[], private readonly index: Map<string, number>) {}
  get(col: string): string {
    let i = this.index.get(col);
    if (i === undefined) {
      // Resolved once per column name and remembered (-1: absent) for the next 100 000 rows.
      i = this.index.get(col.toLowerCase()) ?? this.index.get(squash(col)) ?? -1;
      this.index.set(col, i);
    }
    return i < 0 ? '' : (this.fields[i] ?? '').trim();
  }
}

/** Which table a file name is: `users.csv`, `export/Users.CSV`. */
export function tableOfFileName(name: string): OneRosterFile | undefined {
  const base = name.split(/[\\/]/).pop()!.replace(/\.csv$/i, '').toLowerCase();
  return ONEROSTER_FILES.find((t) => t.toLowerCase() === base);
}

const MAX_ENTRY_BYTES = 512 * 1024 * 1024;

/**
 * The CSV files inside a OneRoster zip, by table. Only the tables read are inflated, each
 * under a size cap, so a zip bomb or a huge results.csv costs nothing.
 */
export function unzipOneRoster(bytes: Uint8Array, tally: Tally): Record<string, Uint8Array> {
  const files = unzipSync(bytes, {
    filter: (f) => {
      if (f.name.startsWith('__MACOSX/') || !tableOfFileName(f.name)) return false;
      if (f.originalSize > MAX_ENTRY_BYTES) {
        tally.note(`${f.name}: larger than ${MAX_ENTRY_BYTES / 1024 / 1024} MB unpacked; not read`);
        return false;
      }
      return true;
    },
  });
  return files;
}

/**
 * Column names exports use in practice for the ones the spec names: OneRoster 1.0 had
 * `termSourcedId`, `grade` and `userId`; exports written from the REST binding name the
 * class's terms `terms` and a user's agents `agents`.
 */
export const ONEROSTER_COLUMN_ALIASES: Partial<Record<OneRosterFile, Record<string, string[]>>> = {
  classes: { termSourcedIds: ['termSourcedId', 'terms', 'termIds', 'term', 'academicSessionSourcedIds'], grades: ['grade'], schoolSourcedId: ['schoolId', 'orgSourcedId'] },
  users: { userIds: ['userId'], agentSourcedIds: ['agents'], orgSourcedIds: ['orgSourcedId', 'orgs'], grades: ['grade'] },
  enrollments: { beginDate: ['startDate'], classSourcedId: ['classId'], userSourcedId: ['userId'] },
  roles: { beginDate: ['startDate'] },
  academicSessions: { startDate: ['beginDate'], parentSourcedId: ['parent'] },
  orgs: { parentSourcedId: ['parent', 'parentId'] },
};

/** Read one table's CSV, rejecting rows of the wrong width with their file, row and line. */
export function readOneRosterTable(file: string, bytes: Uint8Array, tally: Tally, tableName?: OneRosterFile): OneRosterTableData | undefined {
  const { text, encoding } = decodeSpreadsheet(bytes);
  if (encoding !== 'utf-8') tally.note(`${file}: not UTF-8 (the spec requires it); read as Windows-1252`);
  const table = readCsvTable(text);
  if (!table) return undefined;
  // Exact header names first (the spec's case, what callers ask for), lower case as the fallback.
  const index = new Map<string, number>();
  table.headers.forEach((h, i) => { index.set(squash(h), i); });
  table.headers.forEach((h, i) => { index.set(h.toLowerCase(), i); });
  table.headers.forEach((h, i) => { index.set(h, i); });
  for (const [col, aliases] of Object.entries(ONEROSTER_COLUMN_ALIASES[tableName ?? tableOfFileName(file) ?? 'manifest'] ?? {})) {
    if (index.has(squash(col))) continue;
    const alias = aliases.find((a) => index.has(squash(a)));
    if (alias === undefined) continue;
    const at = index.get(squash(alias))!;
    index.set(col, at);
    index.set(col.toLowerCase(), at);
    tally.note(`${file}: column "${table.headers[at]}" read as ${col}`);
  }
  const rows: OneRosterRow[] = [];
  for (const rec of table.rows) {
    if (isBlankRecord(rec)) { tally.blank(); continue; }
    const problem = widthProblem(rec, table.headers.length);
    if (problem) {
      tally.stats.read++;
      tally.reject({ file, row: rec.row, line: rec.line, reason: problem } as Rejection);
      continue;
    }
    rows.push(new Row(rec.row, rec.line, rec.fields, index));
  }
  const has = (col: string) => [col, col.toLowerCase(), squash(col)].some((k) => (index.get(k) ?? -1) >= 0);
  return { file, headers: table.headers, rows, has };
}

/**
 * Tables from whatever was handed in: a zip, a map of file name → bytes (several single
 * files), or one CSV whose table is known from its name or recognised from its header.
 */
export function collectTables(input: { zip?: Uint8Array; files?: Record<string, Uint8Array> }, tally: Tally): OneRosterTables {
  const raw: Record<string, Uint8Array> = input.zip ? unzipOneRoster(input.zip, tally) : (input.files ?? {});
  const tables: OneRosterTables = {};
  for (const [name, bytes] of Object.entries(raw)) {
    let table = tableOfFileName(name);
    if (!table) {
      const head = readCsvTable(decodeSpreadsheet(bytes.subarray(0, 16 * 1024)).text);
      table = head ? (oneRosterTable(head.headers) as OneRosterFile | undefined) : undefined;
      if (!table || !(ONEROSTER_FILES as readonly string[]).includes(table)) {
        tally.note(`${name}: not a OneRoster table Licenskoll reads; ignored`);
        continue;
      }
    }
    const file = name.split(/[\\/]/).pop()!;
    if (tables[table]) { tally.note(`${file}: a second ${table} table; ignored`); continue; }
    const data = readOneRosterTable(file, bytes, tally, table);
    if (data) tables[table] = data;
  }
  return tables;
}
