import { isoInZone } from '@licenskoll/core';
import { columnInfo, type ColumnWords } from '@licenskoll/reports';

/** A nested value as one readable cell: lists joined by `|`, a scope as `type:id|id`, other objects as JSON. */
export function flatText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join('|');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return 'type' in o && 'ids' in o ? `${o.type}:${(o.ids as string[]).join('|')}` : JSON.stringify(v);
  }
  return String(v);
}

/** A leading = + - @ would be run as a formula by spreadsheet programs. */
const guarded = (s: string) => (/^[=+@]/.test(s) || (/^-/.test(s) && Number.isNaN(Number(s))) ? `'${s}` : s);
const quoted = (s: string) => (/[",\n\r;]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** Every key of any row, in first-seen order. */
export const columnsOf = (rows: Record<string, unknown>[]) => [...new Set(rows.flatMap((r) => Object.keys(r)))];

/** Rows as CSV for machines (RFC 4180, comma, decimal point, the JSON keys as headers, UTF-8 with BOM). */
export function toCsv(rows: Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? columnsOf(rows);
  const cell = (v: unknown) => quoted(guarded(flatText(v)));
  return `\uFEFF${[cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\r\n')}\r\n`;
}

export type Lang = 'sv' | 'en';

/** The header of a column in an export for people: a ratio's column says it is in per cent, as its cells are. */
export function headerOf(w: ColumnWords, lang: Lang): string {
  const h = lang === 'sv' ? w.sv : w.en;
  return w.kind === 'ratio' ? `${h} (%)` : h;
}

/** A moment as the organiser's wall clock, `YYYY-MM-DD HH:MM` (spreadsheets have no time zones). */
export function wallClock(s: string, timeZone: string): string {
  const t = Date.parse(s);
  return (Number.isNaN(t) ? s : isoInZone(new Date(t), timeZone)).slice(0, 16).replace('T', ' ');
}

const comma = (n: number, decimals?: number) => (decimals === undefined ? String(n) : n.toFixed(decimals)).replace('.', ',');

/** One value as Swedish Excel reads it from a `;` CSV: decimal comma, per cent as a number of per cent, days as ISO days. */
function excelCell(v: unknown, w: ColumnWords, lang: Lang, timeZone: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (w.kind === 'money') return comma(v, 2);
    // Up to two decimals of a per cent: 0.523809 -> 52,38.
    if (w.kind === 'ratio') return comma(Math.round(v * 10_000) / 100);
    return comma(v);
  }
  if (typeof v === 'boolean') return lang === 'sv' ? (v ? 'Ja' : 'Nej') : v ? 'Yes' : 'No';
  // Excel takes `2026-11-29 10:00` as a date and time; an offset would make it text.
  if (w.kind === 'datetime' && typeof v === 'string') return wallClock(v, timeZone);
  return quoted(guarded(flatText(v)));
}

/**
 * Rows as CSV for Swedish Excel ("CSV för Excel"): `;` between fields, decimal comma, headers in
 * the reader's language, UTF-8 with BOM, so a double-click opens it in columns with numbers as
 * numbers. Per cent columns hold per cent (52,38), and say so in their header.
 */
export function toExcelCsv(rows: Record<string, unknown>[], lang: Lang, timeZone: string, columns?: string[]): string {
  const cols = columns ?? columnsOf(rows);
  const words = cols.map((c) => columnInfo(c, rows.map((r) => r[c])));
  const head = words.map((w) => quoted(headerOf(w, lang)));
  const body = rows.map((r) => cols.map((c, i) => excelCell(r[c], words[i], lang, timeZone)).join(';'));
  return `\uFEFF${[head.join(';'), ...body].join('\r\n')}\r\n`;
}
