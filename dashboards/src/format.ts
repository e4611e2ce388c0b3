/**
 * Every number, amount, share and date the dashboard shows goes through these, so the
 * Swedish screen reads `12 500 kr`, `45 %`, `2026-03-01` and the English one
 * `SEK 12,500`, `45%`, `1 Mar 2026`. Missing values (an unlimited licence's utilisation,
 * a cost per active pupil with nobody active) render as an en dash, never as 0.
 */
export type Lang = 'sv' | 'en';

export const LOCALES: Record<Lang, string> = { sv: 'sv-SE', en: 'en-GB' };
/** The organiser's time zone (docs/figures.md: calendar days in Europe/Stockholm). */
export const TIME_ZONE = 'Europe/Stockholm';
export const MISSING = '–';

export interface Formatters {
  lang: Lang;
  /** Whole numbers with grouping: `12 500` / `12,500`. */
  number(n: number | null | undefined): string;
  /** Money rounded to whole units: `12 500 kr` / `SEK 12,500`. */
  money(n: number | null | undefined, currency?: string): string;
  /** A share 0..1 as whole percent: `45 %` / `45%`. */
  percent(share: number | null | undefined): string;
  /** A calendar day `YYYY-MM-DD`: kept as is in Swedish, `1 Mar 2026` in English. */
  date(day: string | null | undefined): string;
  /** An ISO instant with offset, shown in the organiser's time zone. */
  dateTime(iso: string | null | undefined): string;
  /** Days to a date: `om 12 dagar`, `for 3 dagar sedan` come from i18n; this is the count. */
  integer(n: number | null | undefined): string;
  /** A month label for period presets: `mars 2026` / `March 2026`. */
  month(yyyyMm: string): string;
}

const cache = new Map<Lang, Formatters>();

export function formatters(lang: Lang): Formatters {
  const hit = cache.get(lang);
  if (hit) return hit;
  const locale = LOCALES[lang];
  const num = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const moneyFormats = new Map<string, Intl.NumberFormat>();
  const moneyFormat = (currency: string) => {
    let f = moneyFormats.get(currency);
    if (!f) {
      f = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 });
      moneyFormats.set(currency, f);
    }
    return f;
  };
  const enDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const monthFmt = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const dateTimeFmt = new Intl.DateTimeFormat(locale, {
    year: 'numeric', month: lang === 'sv' ? '2-digit' : 'short', day: lang === 'sv' ? '2-digit' : 'numeric',
    hour: '2-digit', minute: '2-digit', hour12: false, timeZone: TIME_ZONE,
  });
  const ok = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);
  // A rounded -0 would print as "−0": normalise it.
  const z = (n: number) => (Object.is(Math.round(n), -0) ? 0 : n);

  const f: Formatters = {
    lang,
    number: (n) => (ok(n) ? num.format(z(n)) : MISSING),
    integer: (n) => (ok(n) ? num.format(z(Math.round(n))) : MISSING),
    money: (n, currency = 'SEK') => (ok(n) ? moneyFormat(currency || 'SEK').format(z(n)) : MISSING),
    percent: (s) => (ok(s) ? pct.format(z(s)) : MISSING),
    date: (day) => {
      if (!day) return MISSING;
      if (lang === 'sv') return day;
      const t = Date.parse(`${day}T00:00:00Z`);
      return Number.isNaN(t) ? day : enDate.format(t);
    },
    dateTime: (iso) => {
      if (!iso) return MISSING;
      const t = Date.parse(iso);
      return Number.isNaN(t) ? iso : dateTimeFmt.format(t).replace(',', lang === 'sv' ? '' : ',');
    },
    month: (yyyyMm) => {
      const s = monthFmt.format(Date.parse(`${yyyyMm}-01T00:00:00Z`));
      return s;
    },
  };
  cache.set(lang, f);
  return f;
}

/** Today's calendar day in the organiser's time zone, `YYYY-MM-DD`. */
export function todayInStockholm(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
