import ExcelJS from 'exceljs';
import { PARAMS, columnInfo, reportWords, type ColumnWords } from '@licenskoll/reports';
import { columnsOf, flatText, headerOf, wallClock, type Lang } from './csv.ts';

type Row = Record<string, unknown>;

export interface DataSheet {
  /** The sheet's tab (at most 31 characters; Excel refuses longer ones). */
  name: string;
  rows: Row[];
  /** Column order; default every key of the rows. */
  columns?: string[];
  /** A line above the table, for sheets that need one (a pack's section). */
  lead?: string;
}

export interface WorkbookInput {
  lang: Lang;
  /** Report key in REPORTS (report-words.ts). */
  report: string;
  /** The parameters the figures were computed with, as the JSON answer's `params` has them. */
  params: Record<string, unknown>;
  /** Totals to repeat on the about sheet (the JSON answer's `totals`). */
  totals?: Record<string, unknown>;
  timeZone: string;
  generatedAt?: Date;
  sheets: DataSheet[];
}

const SEK = /^(SEK)?$/;
const moneyFormat = (currency: unknown) => (SEK.test(String(currency ?? '')) ? '#,##0.00 "kr"' : `#,##0.00 "${String(currency).replace(/"/g, '')}"`);
const FORMATS: Partial<Record<ColumnWords['kind'], string>> = {
  count: '#,##0', number: '#,##0.####', ratio: '0.0%', date: 'yyyy-mm-dd', datetime: 'yyyy-mm-dd hh:mm',
};

/** A day, or a moment at the organiser's wall clock, as an Excel date (Excel has no time zones). */
function excelDate(s: string, kind: ColumnWords['kind'], timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?$/.exec(kind === 'datetime' ? wallClock(s, timeZone) : s);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0))) : null;
}

/** The typed value of one cell: numbers stay numbers, days and moments become dates, the rest readable text. */
function cellValue(v: unknown, w: ColumnWords, lang: Lang, timeZone: string): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return lang === 'sv' ? (v ? 'Ja' : 'Nej') : v ? 'Yes' : 'No';
  if ((w.kind === 'date' || w.kind === 'datetime') && typeof v === 'string') return excelDate(v, w.kind, timeZone) ?? v;
  return flatText(v);
}

const shownWidth = (v: ExcelJS.CellValue) => (v instanceof Date ? 16 : v === null ? 0 : String(v).length);
const sheetName = (s: string) => s.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);

function addTable(wb: ExcelJS.Workbook, sheet: DataSheet, lang: Lang, timeZone: string) {
  const ws = wb.addWorksheet(sheetName(sheet.name));
  const cols = sheet.columns ?? columnsOf(sheet.rows);
  const words = cols.map((c) => columnInfo(c, sheet.rows.map((r) => r[c])));
  let top = 1;
  if (sheet.lead) {
    ws.getCell(1, 1).value = sheet.lead;
    ws.getCell(1, 1).font = { bold: true };
    top = 3;
  }
  if (!cols.length) {
    ws.getCell(top, 1).value = lang === 'sv' ? 'Inga rader för urvalet.' : 'No rows for the selection.';
    return ws;
  }
  const header = ws.getRow(top);
  words.forEach((w, i) => (header.getCell(i + 1).value = headerOf(w, lang)));
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } };
  const widths = words.map((w) => headerOf(w, lang).length);
  sheet.rows.forEach((r, n) => {
    const row = ws.getRow(top + 1 + n);
    cols.forEach((c, i) => {
      const v = cellValue(r[c], words[i], lang, timeZone);
      const cell = row.getCell(i + 1);
      cell.value = v;
      if (typeof v === 'number') cell.numFmt = words[i].kind === 'money' ? moneyFormat(r.currency) : (FORMATS[words[i].kind] ?? FORMATS.number!);
      else if (v instanceof Date) cell.numFmt = FORMATS[words[i].kind] ?? FORMATS.date!;
      widths[i] = Math.max(widths[i], shownWidth(v) + (words[i].kind === 'money' ? 6 : 0));
    });
  });
  // exceljs leaves out a column of width 9 (its default), which Excel then shows narrower.
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = Math.min(60, Math.max(10, w + 2))));
  ws.views = [{ state: 'frozen', ySplit: top, xSplit: 0 }];
  ws.autoFilter = { from: { row: top, column: 1 }, to: { row: top + sheet.rows.length, column: cols.length } };
  return ws;
}

const paramText = (v: unknown) => (Array.isArray(v) ? v.join(', ') : flatText(v));

/** The first sheet: what the report is, its period and filters, when it was made, what each column means. */
function addAbout(wb: ExcelJS.Workbook, input: WorkbookInput, generatedAt: Date) {
  const sv = input.lang === 'sv';
  const words = reportWords(input.report);
  const ws = wb.addWorksheet(sv ? 'Om rapporten' : 'About');
  ws.getColumn(1).width = 28;
  ws.getColumn(2).width = 90;
  const line = (a: string, b: ExcelJS.CellValue = null, bold = false) => {
    const row = ws.addRow([a, b]);
    if (bold) row.font = { bold: true };
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    row.getCell(1).alignment = { vertical: 'top' };
    return row;
  };
  const title = ws.addRow([sv ? words.sv : words.en]);
  title.font = { bold: true, size: 16 };
  if (words.aboutSv) line(sv ? words.aboutSv : words.aboutEn);
  ws.mergeCells(ws.rowCount, 1, ws.rowCount, 2);
  line('');
  line(sv ? 'Skapad' : 'Made', `${wallClock(generatedAt.toISOString(), input.timeZone)} (${input.timeZone})`);
  for (const [k, v] of Object.entries(input.params)) {
    if (v === null || v === undefined || (Array.isArray(v) && !v.length)) continue;
    const label = PARAMS[k] ? (sv ? PARAMS[k].sv : PARAMS[k].en) : k;
    line(label, k === 'from' && v === '1970-01-01' ? (sv ? 'början av uppgifterna' : 'start of the data') : paramText(v));
  }
  for (const s of input.sheets) line(`${sv ? 'Rader' : 'Rows'}: ${s.name}`, s.rows.length);
  if (input.totals) {
    line('');
    line(sv ? 'Totalt' : 'Totals', null, true);
    for (const [k, v] of Object.entries(input.totals)) {
      const w = columnInfo(k, [v]);
      const row = line(headerOf(w, input.lang), typeof v === 'number' ? v : flatText(v));
      if (typeof v === 'number') row.getCell(2).numFmt = w.kind === 'money' ? moneyFormat('SEK') : (FORMATS[w.kind] ?? FORMATS.number!);
      row.getCell(2).alignment = { horizontal: 'left' };
    }
  }
  line('');
  line(sv ? 'Kolumn' : 'Column', sv ? 'Vad den betyder' : 'What it means', true);
  const seen = new Set<string>();
  for (const s of input.sheets) {
    for (const c of s.columns ?? columnsOf(s.rows)) {
      if (seen.has(c)) continue;
      seen.add(c);
      const w = columnInfo(c, s.rows.map((r) => r[c]));
      line(headerOf(w, input.lang), sv ? w.meaningSv : w.meaningEn);
    }
  }
}

/** An Excel workbook (.xlsx) of one or more tables after an "about" sheet. */
export async function buildWorkbook(input: WorkbookInput): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const at = input.generatedAt ?? new Date();
  wb.creator = 'Licenskoll';
  wb.created = at;
  addAbout(wb, input, at);
  for (const s of input.sheets) addTable(wb, s, input.lang, input.timeZone);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
