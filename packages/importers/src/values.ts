import { createHash } from 'node:crypto';
import { isIsoDate } from '@licenskoll/core';

/**
 * Cell values as Swedish and English spreadsheets write them. Each parser returns
 * `{value}` or `{error}` so the caller can name the field in the rejection.
 */
export type Parsed<T> = { value: T; error?: undefined } | { value?: undefined; error: string };

// Thousands separators seen in the wild: space, no-break space, narrow no-break space, apostrophe.
const GROUPING = /[\s\u00a0\u202f']/g;
const CURRENCY_AFFIX = /^(sek|kr|kr\.|:-|eur|€|usd|\$|nok|dkk)\s*|\s*(sek|kr|kr\.|:-|eur|€|usd|\$|nok|dkk)$/i;

/**
 * "12 500,50" → 12500.5, "1,234.56" → 1234.56, "12.500,50" → 12500.5, "450 kr" → 450.
 * When both `,` and `.` occur the later one is the decimal mark; a lone `,` is a decimal
 * comma (Swedish), several `.` are thousands separators.
 */
export function parseDecimal(raw: string): Parsed<number> {
  let s = raw.trim().replace(CURRENCY_AFFIX, '').trim().replace(GROUPING, '');
  if (s === '') return { error: 'is empty' };
  s = s.replace(/^−/, '-');
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    if (lastComma > lastDot) s = s.replace(/\./g, '').replace(',', '.');
    else s = s.replace(/,/g, '');
  } else if (lastComma >= 0) {
    if ((s.match(/,/g) ?? []).length > 1) return { error: `"${raw}" is not a number` };
    s = s.replace(',', '.');
  } else if ((s.match(/\./g) ?? []).length > 1) {
    s = s.replace(/\./g, '');
  }
  if (!/^-?\d+(\.\d+)?$/.test(s)) return { error: `"${raw}" is not a number` };
  return { value: Number(s) };
}

const UNLIMITED = new Set(['', 'obegränsad', 'obegränsat', 'obegransad', 'unlimited', 'fri', 'fritt', 'alla', '∞']);

/** Seats: a whole number, or null for unlimited (empty, "obegränsad", "unlimited"). */
export function parseSeats(raw: string): Parsed<number | null> {
  if (UNLIMITED.has(raw.trim().toLowerCase())) return { value: null };
  const d = parseDecimal(raw);
  if (d.error !== undefined) return d;
  if (!Number.isInteger(d.value)) return { error: `"${raw}" is not a whole number of seats` };
  return { value: d.value };
}

/**
 * Dates as YYYY-MM-DD; also YYYYMMDD, a date-time (its date part), and YYYY/MM/DD. Day-first
 * forms (01/08/2024) are refused rather than guessed: 01/08 is January in the US.
 */
export function parseDate(raw: string): Parsed<string> {
  const s = raw.trim();
  let d = s;
  if (/^\d{8}$/.test(s)) d = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
  else if (/^\d{4}[/.]\d{2}[/.]\d{2}$/.test(s)) d = s.replace(/[/.]/g, '-');
  else if (/^\d{4}-\d{2}-\d{2}[T ]/.test(s)) d = s.slice(0, 10);
  if (s === '') return { error: 'is empty' };
  if (!isIsoDate(d)) return { error: `"${raw}" is not a date YYYY-MM-DD` };
  return { value: d };
}

/** Map a cell onto one of a fixed set of words through Swedish and English aliases. */
export function parseEnum<T extends string>(raw: string, aliases: Record<string, T>, what: string): Parsed<T> {
  const key = raw.trim().toLowerCase();
  const v = aliases[key];
  if (v === undefined) {
    const allowed = [...new Set(Object.values(aliases))].join(', ');
    return { error: `"${raw}" is not a known ${what} (${allowed})` };
  }
  return { value: v };
}

/** Short stable hash for ids derived from content: same input, same id, on every import. */
export function stableId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u001f'), 'utf8').digest('hex').slice(0, 32);
}

/** Split a list cell: `a|b`, `a | b`, or whitespace-separated. Empty parts vanish. */
export function splitList(raw: string, separators: RegExp = /[|\s]+/): string[] {
  return raw.split(separators).map((s) => s.trim()).filter(Boolean);
}
