import type { Context } from 'hono';
import { z } from 'zod';
import { checked } from './validation.ts';
import { reportWords } from '@licenskoll/reports';
import { toCsv, toExcelCsv, type Lang } from './csv.ts';
import { buildWorkbook } from './xlsx.ts';

/**
 * The one response-format layer of every report and list: `format` is json (default), csv (for
 * machines: comma, decimal point, the JSON keys), csv-excel (Swedish Excel: `;`, decimal comma,
 * headers in the reader's language, BOM) or xlsx; anything else is a 400 naming the value.
 * `lang` (sv, en) picks the headers of the files for people; without it, Accept-Language does.
 */
export const FORMATS = ['json', 'csv', 'csv-excel', 'xlsx'] as const;
export type AnswerFormat = (typeof FORMATS)[number];

const quotedInput = (v: unknown) => JSON.stringify(String(v)).slice(0, 60);
export const formatFields = {
  format: z.enum(FORMATS, { error: (i) => `must be one of ${FORMATS.join(', ')} (got ${quotedInput(i.input)})` }).optional(),
  lang: z.enum(['sv', 'en'], { error: (i) => `must be sv or en (got ${quotedInput(i.input)})` }).optional(),
};
const formatQuery = z.object(formatFields);
export type FormatChoice = z.infer<typeof formatQuery>;

/** `format` and `lang` of a list that parses no other parameter with zod. */
export function parseFormat(c: Context): FormatChoice {
  return checked(formatQuery, { format: c.req.query('format'), lang: c.req.query('lang') }, { what: 'parameters' });
}

/** The reader's language: `lang`, else the first of sv and en in Accept-Language, else Swedish. */
export function langOf(c: Context, lang?: Lang): Lang {
  if (lang) return lang;
  const tags = (c.req.header('accept-language') ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...rest] = part.trim().toLowerCase().split(';');
      const q = Number(rest.find((x) => x.trim().startsWith('q='))?.trim().slice(2) ?? 1);
      return { lang: tag.split('-')[0], q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((t) => (t.lang === 'sv' || t.lang === 'en') && t.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (tags[0]?.lang as Lang | undefined) ?? 'sv';
}

type Row = Record<string, unknown>;

export interface RowsAnswer {
  /** Report or list key (report-words.ts); also the file's name. */
  name: string;
  /** Any rows of plain fields: a report's typed rows go in as they are. */
  rows: readonly object[];
  /** Everything else the JSON answer carries (params, totals, series...). */
  extra?: Record<string, unknown>;
  /** Rows for the files when they must differ from the JSON rows (suppressed figures as text). */
  fileRows?: readonly object[];
  timeZone: string;
}

export type FileFormat = Exclude<AnswerFormat, 'json'>;

export interface AnswerFile {
  filename: string;
  contentType: string;
  body: string | Buffer;
}

/** Rows as one of the files (csv, csv-excel, xlsx): what a download answers and what a mail attaches. */
export async function answerFile(format: FileFormat, lang: Lang, a: RowsAnswer, suffix = ''): Promise<AnswerFile> {
  const rows = (a.fileRows ?? a.rows) as Row[];
  const file = `licenskoll-${a.name}${suffix}`;
  if (format === 'csv') return { filename: `${file}.csv`, contentType: 'text/csv; charset=utf-8', body: toCsv(rows) };
  if (format === 'csv-excel') return { filename: `${file}-excel.csv`, contentType: 'text/csv; charset=utf-8', body: toExcelCsv(rows, lang, a.timeZone) };
  const params = (a.extra?.params ?? {}) as Row;
  const totals = a.extra?.totals as Row | undefined;
  const buf = await buildWorkbook({
    lang, report: a.name, params, totals, timeZone: a.timeZone,
    sheets: [{ name: lang === 'sv' ? reportWords(a.name).sv : reportWords(a.name).en, rows }],
  });
  return { filename: `${file}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: buf };
}

/** A report's or list's answer in the asked format. */
export async function answerRows(c: Context, choice: FormatChoice, a: RowsAnswer): Promise<Response> {
  const format = choice.format ?? 'json';
  if (format === 'json') return c.json({ rows: a.rows, ...a.extra });
  // Machine CSV has no language: its headers are the JSON keys.
  const lang = format === 'csv' ? 'sv' : langOf(c, choice.lang);
  if (format !== 'csv') c.header('Content-Language', lang);
  const f = await answerFile(format, lang, a);
  c.header('Content-Type', f.contentType);
  c.header('Content-Disposition', `attachment; filename="${f.filename}"`);
  return c.body(typeof f.body === 'string' ? f.body : new Uint8Array(f.body));
}
