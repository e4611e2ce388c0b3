import type { Storage } from '@licenskoll/storage';
import type { Caller } from '../context.ts';
import type { Lang } from '../http/csv.ts';
import { renewalPackFigures, type PackFigures, type RenewalPackQuery } from './figures.ts';
import { packPdf } from './pdf.ts';
import { packWorkbook } from './workbook.ts';

export { renewalPackFigures, visibleBuyers, CHART_WEEKS, type PackFigures, type RenewalPackQuery } from './figures.ts';

export type PackFormat = 'pdf' | 'xlsx';

export interface RenewalPackParams extends RenewalPackQuery {
  format: PackFormat;
  /** Swedish by default. */
  lang?: Lang;
  /** The organiser's time zone (config.timeZone): "today", and the wall clock of "made". */
  timeZone: string;
  /** Pins "today" (tests; the service's ctx.today). */
  today?: string;
  generatedAt?: Date;
}

export interface RenewalPack {
  format: PackFormat;
  contentType: string;
  /** `licenskoll-fornyelseunderlag-<buyer>-<asOf>.pdf`: ASCII, safe in a header and an attachment. */
  fileName: string;
  body: Buffer;
  /** The figures the document was made from (the JSON answer of the pack). */
  figures: PackFigures;
}

const CONTENT_TYPES: Record<PackFormat, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A file-name part from free text: å ä ö to a a o, anything else outside [a-z0-9] to a dash. */
export function slug(s: string): string {
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'x';
}

/**
 * The renewal pack of one buyer (or of every buyer the caller can see) as PDF or XLSX, for the
 * API's download and for mailing: the figures of /v1/reports/renewals, /v1/reports/unused and
 * /v1/followups for the same parameters, limited to what `caller`'s role may see. Throws
 * ApiError (400 naming the field, 403) like the reports do.
 */
export async function buildRenewalPack(storage: Storage, caller: Caller, params: RenewalPackParams): Promise<RenewalPack> {
  const lang = params.lang ?? 'sv';
  const figures = await renewalPackFigures(storage, caller, params, { timeZone: params.timeZone, today: params.today });
  const body = params.format === 'pdf'
    ? await packPdf({ figures, lang, timeZone: params.timeZone, generatedAt: params.generatedAt })
    : await packWorkbook(figures, lang, params.timeZone, params.generatedAt);
  const who = figures.params.buyer === null ? (lang === 'sv' ? 'alla' : 'all') : slug(figures.params.buyer);
  const name = lang === 'sv' ? 'fornyelseunderlag' : 'renewal-pack';
  return { format: params.format, contentType: CONTENT_TYPES[params.format], fileName: `licenskoll-${name}-${who}-${figures.params.asOf}.${params.format}`, body, figures };
}
