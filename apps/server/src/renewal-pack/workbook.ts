import type { Lang } from '../http/csv.ts';
import { buildWorkbook, type DataSheet } from '../http/xlsx.ts';
import type { PackFigures } from './figures.ts';
import { numberFormats } from './numbers.ts';
import { packWords, statusText } from './words.ts';

type Row = Record<string, unknown>;

/** Columns of each sheet, in the order a purchaser reads them (keys of columns.ts). */
export const SHEET_COLUMNS = {
  renewals: ['licence', 'productName', 'buyer', 'end', 'daysToExpiry', 'seats', 'peak', 'recommendedSeats', 'projectedSaving', 'seatsMissing', 'missingCost', 'cost', 'reach'],
  unused: ['licence', 'productName', 'buyer', 'status', 'end', 'seats', 'licensedActive', 'utilisation', 'unusedSeats', 'unusedCost', 'cost', 'reach'],
  followups: ['licence', 'productName', 'buyer', 'end', 'status', 'note', 'by', 'at'],
  weekly: ['licence', 'productName', 'week', 'licensedActive'],
};



/** The pack as sheets: what the XLSX holds, one sheet per section (and the "about" sheet first). */
export function packSheets(f: PackFigures, lang: Lang): DataSheet[] {
  const w = packWords(lang);
  const pct = numberFormats(lang).percent;
  const p = f.params;
  // `reach` only for a principal's pack, where some licences only touch their units.
  const scoped = (cols: string[]) => (p.school ? cols : cols.filter((c) => c !== 'reach'));
  const status = (r: Row) => ({ ...r, status: statusText(w, String(r.status)) });
  return [
    { name: w('sheetRenewals'), lead: `${w('renewals', { within: p.within })}. ${w('renewalsLead', { headroom: pct(p.headroom) })}`,
      rows: f.renewals as unknown as Row[], columns: scoped(SHEET_COLUMNS.renewals) },
    { name: w('sheetUnused'), lead: `${w('unused')}. ${w('unusedLead', { days: p.days, threshold: pct(p.threshold) })}`,
      rows: (f.unused as unknown as Row[]).map(status), columns: scoped(SHEET_COLUMNS.unused) },
    { name: w('sheetFollowups'), lead: `${w('followups')}. ${w('followupsLead')}`,
      rows: (f.followups as unknown as Row[]).map(status), columns: SHEET_COLUMNS.followups },
    { name: w('sheetWeekly'), lead: `${w('weekly')}. ${w('weeklyLead', { weeks: f.weekly[0]?.weeks.length ?? 0 })}`,
      rows: f.weekly.flatMap((l) => l.weeks.map((x) => ({ licence: l.licence, productName: l.productName, week: x.week, licensedActive: x.licensedActive }))),
      columns: SHEET_COLUMNS.weekly },
  ];
}

/** The renewal pack as an Excel workbook: an about sheet (period, buyer, totals, every column explained), then one sheet per section. */
export function packWorkbook(f: PackFigures, lang: Lang, timeZone: string, generatedAt?: Date): Promise<Buffer> {
  const w = packWords(lang);
  const { buyer, horizonEnd: _end, ...rest } = f.params;
  return buildWorkbook({
    lang, report: 'renewal-pack', timeZone, generatedAt,
    params: { buyer: buyer ?? w('allBuyers'), ...rest, horizonEnd: f.params.horizonEnd },
    totals: { projectedSaving: f.totals.projectedSaving, missingCost: f.totals.missingCost, unusedCost: f.totals.unusedCost, openFollowups: f.totals.openFollowups },
    sheets: packSheets(f, lang),
  });
}
