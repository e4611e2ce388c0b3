import { type LicenceInput, describeIssues, licenceInput } from '@licenskoll/core';
import { LICENCE_HEADERS, type LicenceColumn } from './headers.ts';
import type { ImportInput } from './input.ts';
import { type BatchResult, type Rejection, rejectRow } from './result.ts';
import { type SheetOptions, type SheetRow, readSheet } from './sheet.ts';
import { targetCells } from './target-cells.ts';
import { type Parsed, parseDate, parseDecimal, parseEnum, parseSeats, splitList, stableId } from './values.ts';

type Audience = LicenceInput['audience'];
type ScopeType = LicenceInput['scope']['type'];

export interface LicencesCsvOptions extends SheetOptions {
  /**
   * Audience when the column is absent or a cell empty. Default `students`: learning
   * materials are bought for pupils, and counting staff logins against pupil seats would
   * overstate use.
   */
  defaultAudience?: Audience;
  defaultCurrency?: string;
  /**
   * The framework agreements the organiser takes part in (figure 27): a row naming another is
   * rejected at its Ramavtal cell, with the same reason whether the agreement exists or not.
   * Absent: not checked (the caller checks).
   */
  agreements?: ReadonlySet<string>;
}

/** Why a licence may not name an agreement: one reason for an unknown one and for another organiser's. */
export const NOT_AN_AGREEMENT = 'is not a framework agreement this organiser takes part in';

const SCOPES: Record<string, ScopeType> = {
  organisation: 'organisation', organization: 'organisation', org: 'organisation', huvudman: 'organisation', kommun: 'organisation', hela: 'organisation',
  school: 'school', skolenhet: 'school', skola: 'school', skolor: 'school', skolenheter: 'school', 'school unit': 'school',
  group: 'group', grupp: 'group', grupper: 'group', klass: 'group', class: 'group', groups: 'group', klasser: 'group',
};

const AUDIENCES: Record<string, Audience> = {
  students: 'students', student: 'students', elever: 'students', elev: 'students', pupils: 'students', pupil: 'students',
  staff: 'staff', personal: 'staff', lärare: 'staff', teachers: 'staff', teacher: 'staff',
  all: 'all', alla: 'all', both: 'all', båda: 'all', 'elever och personal': 'all',
};

const CURRENCY_WORDS: Record<string, string> = { kr: 'SEK', kronor: 'SEK', ':-': 'SEK', '€': 'EUR', euro: 'EUR' };

/** Where a zod issue path points in the sheet. */
const PATH_COLUMN: Record<string, LicenceColumn> = {
  id: 'id', product: 'product', seats: 'seats', 'scope.type': 'scopeType', 'scope.ids': 'scopeIds', audience: 'audience',
  start: 'start', end: 'end', price: 'price', currency: 'currency', buyer: 'buyer', orderRef: 'orderRef', forvaltning: 'forvaltning', agreement: 'agreement',
  'target.schoolTypes': 'schoolTypes', 'target.years': 'years', 'target.subjects': 'subjects', 'target.dutyRoles': 'dutyRoles',
};

function rowToLicence(r: SheetRow<LicenceColumn>, opts: LicencesCsvOptions): { licence?: Record<string, unknown>; problems: { col: LicenceColumn; reason: string }[] } {
  const problems: { col: LicenceColumn; reason: string }[] = [];
  const take = <T>(col: LicenceColumn, p: Parsed<T>): T | undefined => {
    if (p.error !== undefined) { problems.push({ col, reason: p.error }); return undefined; }
    return p.value;
  };
  const seats = take('seats', parseSeats(r.get('seats')));
  const scopeIds = splitList(r.get('scopeIds'), /[|,;\s]+/);
  let scopeType: ScopeType | undefined;
  if (r.get('scopeType')) scopeType = take('scopeType', parseEnum(r.get('scopeType'), SCOPES, 'scope type'));
  else if (scopeIds.length) problems.push({ col: 'scopeType', reason: 'is empty while scope ids are given: say school, group or organisation' });
  else scopeType = 'organisation';
  // An organiser-wide licence covers everyone under the organiser: its ids carry no meaning, but the schema wants one.
  if (scopeType === 'organisation' && scopeIds.length === 0) scopeIds.push('organisation');
  if (scopeType && scopeType !== 'organisation' && scopeIds.length === 0) {
    problems.push({ col: 'scopeIds', reason: `needs at least one ${scopeType === 'school' ? 'school unit code' : 'group id'}` });
  }
  const audience = r.get('audience') ? take('audience', parseEnum(r.get('audience'), AUDIENCES, 'audience')) : (opts.defaultAudience ?? 'students');
  const start = take('start', parseDate(r.get('start')));
  const end = take('end', parseDate(r.get('end')));
  const price = take('price', parseDecimal(r.get('price')));
  const rawCurrency = r.get('currency');
  const currency = rawCurrency ? (CURRENCY_WORDS[rawCurrency.toLowerCase()] ?? rawCurrency.toUpperCase()) : (opts.defaultCurrency ?? 'SEK');
  const product = r.get('product');
  const buyer = r.get('buyer');
  const orderRef = r.get('orderRef');
  const target = targetCells(r);
  problems.push(...target.problems);
  if (problems.length) return { problems };
  // Without an id column the licence is named by what identifies a purchase, so that
  // importing the corrected sheet again updates the same licences instead of adding new ones.
  const id = r.get('id') || `lic-${stableId('licence', product, orderRef, scopeType!, scopeIds.join('|'), start!, end!, buyer).slice(0, 24)}`;
  const licence: Record<string, unknown> = { id, product, seats, scope: { type: scopeType, ids: scopeIds }, audience, start, end, price, currency, buyer };
  if (orderRef) licence.orderRef = orderRef;
  // A sheet with a Förvaltning column says it for every row (an empty cell clears it); without the column the stored one stays.
  if (r.has('forvaltning')) licence.forvaltning = r.get('forvaltning');
  // Ramavtal likewise: an empty cell says the licence is no call-off.
  if (r.has('agreement')) {
    const agreement = r.get('agreement');
    if (agreement && opts.agreements && !opts.agreements.has(agreement)) return { problems: [{ col: 'agreement', reason: NOT_AN_AGREEMENT }] };
    licence.agreement = agreement;
  }
  if (target.target) licence.target = target.target;
  return { licence, problems };
}

/**
 * A licence sheet (CSV, Swedish or English headers, `;` or `,`, decimal commas) →
 * `LicenceInput[]`, each checked against core's `licenceInput`. A bad row is rejected with
 * its row number and column and the good rows are kept.
 */
export async function parseLicencesCsv(input: ImportInput, opts: LicencesCsvOptions = {}): Promise<BatchResult<LicenceInput>> {
  const file = opts.fileName;
  const { tally, rows } = await readSheet(input, 'licences', LICENCE_HEADERS, ['product', 'seats', 'start', 'end', 'price', 'buyer'], opts);
  if (!rows[0]?.has('id')) tally.note('no id column: licence ids are derived from product, order ref, scope, period and buyer');
  const seen = new Map<string, number>();
  const out: LicenceInput[] = [];
  for (const r of rows) {
    const at = (col: LicenceColumn, reason: string): Rejection => ({ ...(file ? { file } : {}), row: r.row, line: r.line, field: r.header(col), reason });
    const { licence, problems } = rowToLicence(r, opts);
    if (!licence) { rejectRow(tally, problems.map((p) => at(p.col, p.reason))); continue; }
    const parsed = licenceInput.safeParse(licence);
    if (!parsed.success) {
      rejectRow(tally, describeIssues(parsed.error).map((d) => at(PATH_COLUMN[d.field] ?? 'id', d.reason)));
      continue;
    }
    const first = seen.get(parsed.data.id);
    if (first !== undefined) {
      tally.reject(at('id', r.get('id') ? `"${parsed.data.id}" already on row ${first}` : `same product, order ref, scope, period and buyer as row ${first}: add an id column to tell them apart`));
      continue;
    }
    seen.set(parsed.data.id, r.row);
    tally.stats.kept++;
    out.push(parsed.data);
  }
  return tally.batch('licences', 'licences', out);
}
