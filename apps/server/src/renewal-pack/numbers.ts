import type { Lang } from '../http/csv.ts';

/** Numbers as the dashboard shows them: `12 500 kr`, `45 %`, `2026-03-01` / `SEK 12,500`, `45%`, `1 Mar 2026`. */
export function numberFormats(lang: Lang) {
  const locale = lang === 'sv' ? 'sv-SE' : 'en-GB';
  const num = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const enDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const ok = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);
  const z = (n: number) => (Object.is(Math.round(n), -0) ? 0 : n);
  return {
    number: (n: number | null | undefined) => (ok(n) ? num.format(z(n)) : '–'),
    money: (n: number | null | undefined, currency = 'SEK') =>
      ok(n) ? new Intl.NumberFormat(locale, { style: 'currency', currency: currency || 'SEK', maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(z(n)) : '–',
    percent: (s: number | null | undefined) => (ok(s) ? pct.format(z(s)) : '–'),
    date: (d: string | null | undefined) => (!d ? '–' : lang === 'sv' ? d : enDate.format(Date.parse(`${d}T00:00:00Z`))),
  };
}
export type NumberFormats = ReturnType<typeof numberFormats>;
