import { type LicenceInput, addDays, describeIssues, licenceInput } from '@licenskoll/core';
import { type CommonOptions, type ImportInput, decodeText, readAll } from './input.ts';
import { type BatchResult, FormatError, type Rejection, Tally, rejectRow } from './result.ts';
import { assertKind } from './sniff.ts';
import { parseDate, stableId } from './values.ts';

/*
 * BOL 1.1/1.2 (Sambruk, "Beställning och leverans", BOLv1_openapi301.json). Only the shapes
 * Licenskoll reads are typed here; unknown keys are ignored.
 */

type SchoolIdSource = 'skolverket' | 'client' | 'serviceProvider' | 'other';

export interface BolBuyer {
  type?: 'organization' | 'private';
  organizationNumber?: string | null;
  name?: string | null;
  reference?: { firstName?: string; lastName?: string; email?: string; notify?: boolean } | null;
  school?: { idSource?: SchoolIdSource; id?: string; name?: string } | null;
}

export interface BolOrderRequest {
  clientId: string;
  serviceProviderId: string;
  clientOrderNumber: string;
  clientOrderReference?: string | null;
  buyer: BolBuyer;
  orderLines: { clientOrderLineId: string; articleNumber: string; quantity: number; fromDate?: string | null; duration?: number | null; durationUnit?: string | null }[];
}

export interface BolOrderResponseLine {
  clientOrderLineId: string;
  articleNumber: string;
  quantity: number;
  deliveryDate?: string | null;
  validFromDate?: string | null;
  validToDate?: string | null;
  unitPrice?: number | null;
  discountedUnitPrice?: number | null;
  currency?: string | null;
  licenseKeys?: string[];
  status: 'beingProcessed' | 'backordered' | 'delivered' | 'failed';
  errorMessage?: string | null;
}

export interface BolOrderResponse {
  clientId: string;
  serviceProviderId: string;
  clientOrderNumber: string;
  orderLines: BolOrderResponseLine[];
  /** Not in the response schema; some portals store the request's buyer beside the response. */
  buyer?: BolBuyer;
}

export interface BolOrderOptions extends CommonOptions {
  /**
   * The order requests, when they come as a separate file: the response alone has no
   * buyer, school or duration. Matched on clientId + clientOrderNumber.
   */
  requests?: unknown;
  /** Audience of every licence. Default `students`: BOL articles are pupil licences. */
  audience?: LicenceInput['audience'];
  /** Buyer when neither request nor response names one. Default: the client id (the licence portal). */
  buyer?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isResponse = (o: Record<string, unknown>) =>
  Array.isArray(o.orderLines) && o.orderLines.some((l) => isObj(l) && 'status' in l);
const isRequest = (o: Record<string, unknown>) => Array.isArray(o.orderLines) && isObj(o.buyer) && !isResponse(o);
const orderKey = (o: { clientId?: unknown; clientOrderNumber?: unknown }) => `${o.clientId ?? ''}\u001f${o.clientOrderNumber ?? ''}`;

/** Flatten what a file may hold: one message, an array, or `{request, response}` pairs. */
function collect(doc: unknown, requests: Map<string, BolOrderRequest>, responses: { order: BolOrderResponse; index: number }[]): void {
  const items = Array.isArray(doc) ? doc : [doc];
  items.forEach((item, index) => {
    if (!isObj(item)) return;
    for (const part of [item, item.request, item.response, item.orderRequest, item.orderResponse]) {
      if (!isObj(part)) continue;
      if (isResponse(part)) responses.push({ order: part as unknown as BolOrderResponse, index });
      else if (isRequest(part)) requests.set(orderKey(part), part as unknown as BolOrderRequest);
    }
  });
}

/** An order whose lines carry no per-line status: the shape of BOL before 1.1. */
function looksLikeOlderBol(doc: unknown): boolean {
  const items = Array.isArray(doc) ? doc : [doc];
  return items.some((o) => isObj(o) && ('clientOrderNumber' in o || 'orderNumber' in o) && Array.isArray(o.orderLines ?? o.orderRows));
}

/** "Per Johansson <per.johansson@doman.se>", else the organisation: the person to follow up first. */
export function bolBuyerName(b: BolBuyer | undefined): string | undefined {
  const r = b?.reference;
  const person = [r?.firstName, r?.lastName].map((s) => s?.trim()).filter(Boolean).join(' ');
  const email = r?.email?.trim();
  if (person || email) return person && email ? `${person} <${email}>` : person || email;
  if (b?.name?.trim()) return b.name.trim();
  if (b?.organizationNumber?.trim()) return `organisation ${b.organizationNumber.trim()}`;
  return undefined;
}

function endFromDuration(start: string, duration?: number | null, unit?: string | null): string | undefined {
  if (!duration || duration <= 0 || !Number.isFinite(duration)) return undefined;
  let d = new Date(`${start}T00:00:00Z`);
  const u = (unit ?? 'M').trim().toUpperCase();
  // Calendar months clamp to the month's end: one month from 31 January runs to 28/29 February.
  const addMonths = (months: number) => {
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth() + months;
    const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    d = new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), last)));
  };
  if (u.startsWith('Y') || u.startsWith('Å')) addMonths(12 * duration);
  else if (u.startsWith('M')) addMonths(duration);
  else if (u.startsWith('W') || u.startsWith('V')) d.setUTCDate(d.getUTCDate() + 7 * duration);
  else if (u.startsWith('D')) d.setUTCDate(d.getUTCDate() + duration);
  else return undefined;
  // A 12-month licence from 1 August ends on 31 July: periods include both days.
  return addDays(d.toISOString().slice(0, 10), -1);
}

/** Licence ids: readable when they fit, hashed when the client's numbers are long. */
export function bolLicenceId(clientOrderNumber: string, clientOrderLineId: string): string {
  const id = `bol-${clientOrderNumber}-${clientOrderLineId}`;
  return id.length <= 100 && !/\s/.test(id) ? id : `bol-${stableId('bol', clientOrderNumber, clientOrderLineId)}`;
}

const FIELD_OF: Record<string, string> = {
  id: 'clientOrderLineId', product: 'articleNumber', seats: 'quantity', start: 'validFromDate', end: 'validToDate',
  price: 'unitPrice', currency: 'currency', buyer: 'buyer', 'scope.ids': 'buyer.school.id', orderRef: 'clientOrderNumber',
};

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * BOL order responses → one `LicenceInput` per delivered order line: seats = quantity,
 * price = quantity × (discountedUnitPrice ?? unitPrice), period = validFromDate..validToDate,
 * product = articleNumber, scope = the buyer's school (a `skolverket` id is a school unit
 * code) else the organisation, buyer = the reference person or organisation, id =
 * `bol-<clientOrderNumber>-<clientOrderLineId>` so a re-import updates. Lines not yet
 * delivered are skipped with their status.
 */
export async function parseBolOrders(input: ImportInput, opts: BolOrderOptions = {}): Promise<BatchResult<LicenceInput>> {
  const file = opts.fileName;
  const tally = new Tally(opts.maxRejections);
  const { doc, problem } = await readJson(input, 'bol-orders', file);
  if (problem) { tally.reject(problem); return tally.batch('bol-orders', 'licences', []); }
  if (Array.isArray(doc) && doc.length === 0) return tally.batch('bol-orders', 'licences', []);
  const requests = new Map<string, BolOrderRequest>();
  const responses: { order: BolOrderResponse; index: number }[] = [];
  if (opts.requests !== undefined) collect(opts.requests, requests, []);
  collect(doc, requests, responses);
  // Nothing to read at all is the wrong file, not a file of rejected rows: 400, as for every kind.
  if (responses.length === 0) {
    const where = file ? `${file}: ` : '';
    const not = 'not a BOL order response';
    if (requests.size) {
      // Still the BOL order exchange, only its other half: a row-level answer says what to send.
      tally.reject({ ...(file ? { file } : {}), reason: 'only order requests, no order responses: the response says what was delivered' });
      return tally.batch('bol-orders', 'licences', []);
    }
    const old = looksLikeOlderBol(doc);
    throw new FormatError(
      old
        ? `${where}this looks like a BOL 1.0 order (order lines without a status), ${not} (BOL 1.1/1.2)`
        : `${where}this looks like JSON of another kind, ${not} (an object with clientOrderNumber and orderLines with a status)`,
      'bol-orders', old ? 'bol-1.0' : 'json', file,
    );
  }
  const byId = new Map<string, LicenceInput>();
  let unpriced = 0;
  let skippedNotes = 0;
  for (const { order, index } of responses) {
    const req = requests.get(orderKey(order));
    const buyerObj = order.buyer ?? req?.buyer;
    const buyer = bolBuyerName(buyerObj) ?? opts.buyer ?? order.clientId;
    if (!bolBuyerName(buyerObj)) tally.note(`order ${order.clientOrderNumber}: no buyer in the file (pass the order request); buyer set to "${buyer}"`);
    const school = buyerObj?.school;
    if (school?.id && school.idSource && school.idSource !== 'skolverket') {
      tally.note(`order ${order.clientOrderNumber}: school id "${school.id}" comes from "${school.idSource}", not a Skolverket school unit code`);
    }
    const scope = school?.id?.trim()
      ? { type: 'school' as const, ids: [school.id.trim()] }
      : { type: 'organisation' as const, ids: [buyerObj?.organizationNumber?.trim() || 'organisation'] };
    order.orderLines.forEach((line, li) => {
      tally.stats.read++;
      const at = (field: string, reason: string): Rejection => ({ ...(file ? { file } : {}), index, field: `orderLines[${li}].${field}`, reason });
      if (!isObj(line)) { tally.reject(at('', 'not an order line object')); return; }
      if (line.status !== 'delivered') {
        // The publisher's own words say why (a failed line usually names an unknown article or school).
        const why = typeof line.errorMessage === 'string' && line.errorMessage.trim() ? `: ${line.errorMessage.trim().slice(0, 200)}` : '';
        tally.skip(`not delivered (${line.status ?? 'no status'}${why})`);
        if (why && skippedNotes++ < 50) tally.note(`order ${order.clientOrderNumber} line ${line.clientOrderLineId}: ${line.status ?? 'no status'}${why}`);
        return;
      }
      const reqLine = req?.orderLines?.find((l) => l.clientOrderLineId === line.clientOrderLineId);
      const problems: Rejection[] = [];
      const date = (field: string, v: string | null | undefined) => {
        if (v === undefined || v === null || v === '') return undefined;
        const p = parseDate(String(v));
        if (p.error !== undefined) { problems.push(at(field, p.error)); return undefined; }
        return p.value;
      };
      const start = date('validFromDate', line.validFromDate) ?? date('fromDate', reqLine?.fromDate) ?? date('deliveryDate', line.deliveryDate);
      const end = date('validToDate', line.validToDate) ?? (start ? endFromDuration(start, reqLine?.duration, reqLine?.durationUnit) : undefined);
      if (!start && !problems.length) problems.push(at('validFromDate', 'missing, and no fromDate or deliveryDate to fall back on'));
      if (!end && !problems.length) problems.push(at('validToDate', 'missing, and no duration in the order request'));
      const unit = line.discountedUnitPrice ?? line.unitPrice;
      if (typeof line.quantity !== 'number') problems.push(at('quantity', 'must be a number'));
      if (problems.length) { rejectRow(tally, problems); return; }
      if (unit === undefined || unit === null) unpriced++;
      const licence = {
        id: bolLicenceId(String(order.clientOrderNumber), String(line.clientOrderLineId)),
        product: line.articleNumber,
        seats: line.quantity,
        scope,
        audience: opts.audience ?? 'students',
        start,
        end,
        price: round2(line.quantity * (unit ?? 0)),
        currency: (line.currency ?? 'SEK').trim().toUpperCase(),
        buyer,
        orderRef: String(order.clientOrderNumber),
      };
      const parsed = licenceInput.safeParse(licence);
      if (!parsed.success) {
        rejectRow(tally, describeIssues(parsed.error).map((d) => at(FIELD_OF[d.field] ?? d.field, d.reason)));
        return;
      }
      // A later (asynchronous) response for the same line supersedes an earlier one.
      if (byId.has(parsed.data.id)) tally.note(`order line ${order.clientOrderNumber}/${line.clientOrderLineId} appears more than once; the last one is kept`);
      else tally.stats.kept++;
      byId.set(parsed.data.id, parsed.data);
    });
  }
  if (unpriced) tally.note(`${unpriced} delivered line(s) without unitPrice: their price is 0`);
  return tally.batch('bol-orders', 'licences', [...byId.values()]);
}

/** One article at one school as the publisher counts it (BOL `/v1/school-units/licenses`). */
export interface PublisherLicenceStatus {
  serviceProviderId?: string;
  school: { idSource: string; id: string };
  articleNumber: string;
  articleName: string;
  totalLicenses: number;
  assignedLicenses: number;
  unassignedLicenses: number;
  /** "Opened at least once", by the publisher's own measure; absent when the publisher does not say. */
  usedLicenses?: number;
}

const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

/**
 * BOL `SchoolUnitLicensesResponse` (one or an array) → one status record per school and
 * article: the publisher's figure, to show beside the usage Licenskoll measures itself.
 */
export async function parseBolSchoolLicences(input: ImportInput, opts: CommonOptions = {}): Promise<BatchResult<PublisherLicenceStatus>> {
  const file = opts.fileName;
  const tally = new Tally(opts.maxRejections);
  const { doc, problem } = await readJson(input, 'bol-school-licences', file);
  if (problem) { tally.reject(problem); return tally.batch('bol-school-licences', 'publisher-licence-status', []); }
  const out: PublisherLicenceStatus[] = [];
  const responses = Array.isArray(doc) ? doc : [doc];
  if (responses.length && !responses.some((r) => isObj(r) && Array.isArray(r.schools))) {
    throw new FormatError(`${file ? `${file}: ` : ''}this looks like JSON of another kind, not a BOL school-unit licence response (schools[].articles[])`, 'bol-school-licences', 'json', file);
  }
  responses.forEach((resp, index) => {
    if (!isObj(resp) || !Array.isArray(resp.schools)) {
      tally.reject({ ...(file ? { file } : {}), index, field: 'schools', reason: 'missing: not a SchoolUnitLicensesResponse' });
      return;
    }
    const sp = typeof resp.serviceProviderId === 'string' ? resp.serviceProviderId : undefined;
    resp.schools.forEach((school: unknown, si: number) => {
      const s = isObj(school) ? school : {};
      const articles = Array.isArray(s.articles) ? s.articles : [];
      articles.forEach((a: unknown, ai: number) => {
        tally.stats.read++;
        const at = (field: string, reason: string): Rejection => ({ ...(file ? { file } : {}), index, field: `schools[${si}].articles[${ai}].${field}`, reason });
        const art = isObj(a) ? a : {};
        const problems: Rejection[] = [];
        if (typeof s.id !== 'string' || !s.id) problems.push({ ...(file ? { file } : {}), index, field: `schools[${si}].id`, reason: 'missing' });
        if (typeof art.articleNumber !== 'string' || !art.articleNumber) problems.push(at('articleNumber', 'missing'));
        const total = count(art.totalLicenses);
        const assigned = count(art.assignedLicenses);
        if (total === undefined) problems.push(at('totalLicenses', 'must be a number ≥ 0'));
        if (assigned === undefined) problems.push(at('assignedLicenses', 'must be a number ≥ 0'));
        if (art.usedLicenses !== undefined && art.usedLicenses !== null && count(art.usedLicenses) === undefined) problems.push(at('usedLicenses', 'must be a number ≥ 0 when given'));
        if (problems.length) { rejectRow(tally, problems); return; }
        const rec: PublisherLicenceStatus = {
          ...(sp ? { serviceProviderId: sp } : {}),
          school: { idSource: typeof s.idSource === 'string' ? s.idSource : 'skolverket', id: s.id as string },
          articleNumber: art.articleNumber as string,
          articleName: typeof art.articleName === 'string' ? art.articleName : (art.articleNumber as string),
          totalLicenses: total!,
          assignedLicenses: assigned!,
          // Not required by the schema; what is neither assigned nor gone is unassigned.
          unassignedLicenses: count(art.unassignedLicenses) ?? Math.max(0, total! - assigned!),
        };
        const used = count(art.usedLicenses);
        if (used !== undefined) rec.usedLicenses = used;
        tally.stats.kept++;
        out.push(rec);
      });
    });
  });
  return tally.batch('bol-school-licences', 'publisher-licence-status', out);
}

/** The whole JSON document, or a rejection that says where it broke (a cut-off download, usually). */
async function readJson(input: ImportInput, kind: 'bol-orders' | 'bol-school-licences', file?: string): Promise<{ doc?: unknown; problem?: Rejection }> {
  const bytes = await readAll(input, 64 * 1024 * 1024);
  assertKind(bytes.subarray(0, 64 * 1024), kind, file);
  const text = decodeText(bytes);
  if (text.trim() === '') return { doc: [] };
  try {
    return { doc: JSON.parse(text) };
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : text.split('\n').length;
    const truncated = /end of JSON input|Unterminated/i.test(msg);
    return { problem: { ...(file ? { file } : {}), line, reason: `not valid JSON${truncated ? ' (the file is cut off)' : ''}: ${msg}` } };
  }
}
