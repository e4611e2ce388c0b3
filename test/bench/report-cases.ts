import { MONTH, YEAR } from './calendar.ts';
import type { Municipality } from './municipality.ts';

/**
 * Every report of docs/figures.md over a month and over the school year, each asked 20 times with
 * varied filters (none, a product, another product, a third product; class usage always by
 * school unit or product), as a dashboard user clicking through filters would.
 */
export type Span = 'month' | 'year';
export const REPORTS = ['overview', 'class-usage', 'licences', 'unused', 'renewals', 'buyers', 'flags', 'unmapped', 'unlicensed', 'sign-in-readiness', 'seat-moves', 'actions'] as const;
export type ReportName = (typeof REPORTS)[number];

/** The query string of run `i` of a report over a span. */
export function reportQuery(report: ReportName, span: Span, i: number, m: Municipality): string {
  const w = span === 'month' ? MONTH : YEAR;
  const products = ['P05', 'P10', 'P21', 'P14', 'P33', 'P40', 'P09'];
  const variant = i % 4;
  const product = variant === 1 || variant === 2 ? `&product=${products[(i + variant) % products.length]}` : '';
  // Filters a report does not take fall back to another product filter.
  const other = variant === 3 ? `&product=${products[i % products.length]}` : '';
  switch (report) {
    case 'overview':
    case 'licences':
    case 'buyers':
      return `from=${w.from}&to=${w.to}${product}${other}`;
    case 'class-usage': {
      // Always filtered, as principals (their school) and purchasers (a product) ask for it:
      // school, product, both, product. The unfiltered list of every class and product is
      // measured on its own (report-bench.ts). A school by unit code or by id, as either is sent.
      const unit = m.units[(i * 7) % m.units.length];
      const bySchool = `&school=${i % 3 ? unit.code : unit.id}`;
      const byProduct = `&product=${products[i % products.length]}`;
      return `from=${w.from}&to=${w.to}${[bySchool, byProduct, bySchool + byProduct, byProduct][i % 4]}`;
    }
    case 'unused':
      return span === 'month' ? `asOf=${MONTH.to}&days=31${product}${other}` : `asOf=${YEAR.to}&days=365${product}${other}`;
    case 'renewals':
      // Horizons of a month and a year; the peak is always over the three months before asOf.
      return span === 'month' ? `asOf=2026-04-01&within=30${product}${other}` : `asOf=2026-06-01&within=365${product}${other}`;
    case 'flags':
      // As of the span's last day; recent figures over the span (a month, or the year's 366 days at most).
      return `asOf=${w.to}&days=${span === 'month' ? 31 : 366}${product}${other}`;
    case 'unmapped':
      return `from=${w.from}&to=${w.to}`;
    case 'unlicensed': {
      // The whole organiser, a product, a school unit (as a principal asks), a school and a product.
      const unit = m.units[(i * 5) % m.units.length];
      return `from=${w.from}&to=${w.to}${['', `&product=${products[i % products.length]}`, `&school=${unit.code}`, `&school=${unit.id}&product=${products[i % products.length]}`][variant]}`;
    }
    case 'sign-in-readiness': {
      // The 31 days (or the school year) up to the span's last day: the whole organiser, or one school unit.
      const unit = m.units[(i * 3) % m.units.length];
      const days = span === 'month' ? 31 : 365;
      return `date=${w.to}&days=${days}${variant % 2 ? `&school=${i % 3 ? unit.code : unit.id}` : ''}`;
    }
    case 'seat-moves':
      // Seats in use are always counted over the four months up to asOf; the span only moves asOf.
      return `asOf=${w.to}${product}${other}`;
    case 'actions':
      // Decisions due within a month, or within the year ahead (renewals, moves and follow-ups together).
      return span === 'month' ? `asOf=2026-04-01&before=2026-05-01${product}${other}` : `asOf=2026-06-01&before=2027-06-01${product}${other}`;
  }
}
