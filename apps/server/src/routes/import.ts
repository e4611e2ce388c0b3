import { Hono } from 'hono';
import { ApiError, isIsoDate, todayInZone, type EventInput } from '@licenskoll/core';
import {
  FormatError, importKinds, importers, isImportKind, parseOutcome, type AnyImportResult, type ImportOptions, type Rejection, type StreamResult,
} from '@licenskoll/importers';
import { importSs12000, unresolvedNote, unresolvedPolicy, type Ss12000Import, type UnresolvedSummary } from '@licenskoll/roster';
import { storePublisherLicences, upsertLicences, upsertProducts, type PublisherLicenceRecord } from '@licenskoll/licensing';
import type { LicenceInput, ProductInput } from '@licenskoll/core';
import { requireRole } from '../auth/auth.ts';
import type { AppContext, Env } from '../context.ts';
import { knownAgreements } from './agreements.ts';

export interface ImportSummary {
  kind: string;
  file?: string;
  /**
   * Rows or lines read, stored, skipped as duplicates, deliberately skipped, blank (empty
   * rows and lines), rejected with reasons: read = stored + duplicates + skipped + blank + rejectedCount.
   */
  read: number;
  stored: number;
  duplicates: number;
  skipped: number;
  blank: number;
  rejectedCount: number;
  rejected: Rejection[];
  skippedReasons: Record<string, number>;
  notes: string[];
  roster?: unknown;
  /** A roster's references to organisations and persons neither in the file nor in the store. */
  unresolved?: UnresolvedSummary;
  /** An Entra Graph page's `@odata.nextLink`: more sign-ins wait there (a note says how to get them). */
  nextLink?: string;
  /** Failed sign-ins per product (Entra, Shibboleth): counted apart, never as use. */
  failedSignIns?: { product: string; name?: string; failures: number; byCode: Record<string, number> }[];
}

/**
 * `POST /v1/import/<kind>`: a file in its own format as the request body (gzip accepted).
 * The good records are stored; every rejected one is named by file, line or row, field and
 * reason. A file of another format than announced answers 400 naming what it looks like.
 */
export function importRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  app.post('/import/:kind', requireRole('admin'), async (c) => {
    const kind = c.req.param('kind');
    if (!isImportKind(kind)) {
      throw new ApiError(404, 'not_found', `no importer "${kind}": use one of ss12000, ${importKinds.join(', ')}`);
    }
    const file = c.req.query('file') ?? undefined;
    const asOf = c.req.query('asOf') ?? ctx.today ?? todayInZone(ctx.config.timeZone);
    if (!isIsoDate(asOf)) throw new ApiError(400, 'bad_request', 'asOf: must be a date YYYY-MM-DD');
    const options: ImportOptions = { ...(file ? { fileName: file } : {}), timeZone: ctx.config.timeZone };
    const unresolved = unresolvedPolicy(c.req.query('unresolved'), c.req.query('strict'));
    for (const k of ['format', 'userAttributes', 'identity']) {
      const v = c.req.query(k);
      if (v) options[k] = v;
    }
    const body = c.req.raw.body;
    if (!body) throw new ApiError(400, 'empty_body', `body: send the ${importers[kind].label} as the request body`);
    // A licence sheet's Ramavtal cells must name agreements this organiser takes part in (figure 27).
    if (kind === 'licences') options.agreements = await knownAgreements(ctx);
    let result: AnyImportResult;
    try {
      result = await importers[kind].parse(body as unknown as AsyncIterable<Uint8Array>, options);
    } catch (e) {
      if (e instanceof FormatError) {
        throw new ApiError(400, 'wrong_format', e.message, { expected: e.expected, detected: e.detected ?? null, file: e.file ?? file ?? null });
      }
      throw e;
    }
    const summary: ImportSummary = {
      kind, ...(file ? { file } : {}), read: 0, stored: 0, duplicates: 0, skipped: 0, blank: 0, rejectedCount: 0, rejected: [],
      skippedReasons: {}, notes: [],
    };
    if (result.produces === 'events') {
      // The summary says stored: the import answers once its events are in storage, not only journaled.
      const r = await ctx.ingest.load((result as StreamResult<EventInput>).records);
      summary.stored = r.accepted;
      summary.duplicates = r.duplicates;
      summary.rejected.push(...r.rejected.map((x) => ({ ...(file ? { file } : {}), index: x.index, reason: x.error })));
      summary.rejectedCount += r.rejected.length;
    } else {
      const records = (result as { records: unknown[] }).records;
      if (result.produces === 'roster') {
        const roster = records[0] as Ss12000Import | undefined;
        if (roster) {
          const r = await importSs12000({ storage: ctx.storage, pseudo: ctx.pseudo }, roster, asOf, { unresolved });
          summary.unresolved = r.unresolved;
          summary.roster = { asOf: r.asOf, counts: r.counts, closedMemberships: r.closedMemberships };
          // Rows, like `read`: the roster's counts (objects) are in `roster.counts`.
          summary.stored = Math.max(0, result.stats.kept - r.rejected.length);
          for (const x of r.rejected) summary.rejected.push({ index: x.index, field: x.kind, reason: `${x.id ? `${x.id}: ` : ''}${x.error}` });
          summary.rejectedCount += r.rejected.length;
        }
      } else if (result.produces === 'licences') {
        await upsertLicences(ctx.storage, records as LicenceInput[]);
        summary.stored = records.length;
      } else if (result.produces === 'products') {
        await upsertProducts(ctx.storage, records as ProductInput[]);
        summary.stored = records.length;
      } else {
        await storePublisherLicences(ctx.storage, records as PublisherLicenceRecord[]);
        summary.stored = records.length;
      }
    }
    const o = parseOutcome(result);
    Object.assign(summary, { read: o.read, skipped: o.skipped, blank: o.blank, skippedReasons: o.skippedReasons, notes: o.notes });
    summary.rejectedCount += o.rejected;
    summary.rejected.unshift(...o.rejections);
    if (summary.unresolved?.count) summary.notes.push(unresolvedNote(summary.unresolved));
    if (o.failures.length) summary.failedSignIns = o.failures;
    if (o.nextLink) summary.nextLink = o.nextLink;
    return c.json(summary, 200);
  });
  return app;
}
