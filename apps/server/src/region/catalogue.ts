import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { ApiError, isoDate, todayInZone } from '@licenskoll/core';
import { regionUnmapped, unmappedReport } from '@licenskoll/reports';
import { BODY_LIMITS } from '../http/body-limits.ts';
import { tooLargeError } from '../http/incoming-body.ts';
import { validQuery } from '../http/validation.ts';
import { catalogueCsv, readCatalogueUpload } from './catalogue-file.ts';
import { listCatalogue, removeFromCatalogue, storeCatalogue } from './catalogue-registry.ts';
import type { Organisers } from './organisers.ts';
import type { RegionEnv } from './region-tokens.ts';

const formatQuery = z.strictObject({
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).optional(),
}, { message: 'is not a parameter of the catalogue' });

const windowQuery = z.strictObject({ from: isoDate.optional(), to: isoDate.optional() }, { message: 'is not a parameter of this report' })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] });

/** A catalogue file is a products sheet: as large as an organiser's import may be. */
const uploadLimit = bodyLimit({ maxSize: BODY_LIMITS.imports.bytes, onError: () => { throw tooLargeError(BODY_LIMITS.imports); } });

/**
 * The region's shared product catalogue (docs/tenants.md, "Shared catalogue"): products with
 * every identifier events may carry, which every organiser inherits into its own products
 * table (Organisers.inheritCatalogue) unless it overrides one; exported and imported as a file;
 * and the identifiers that no organiser's products map yet, counted across organisers without
 * naming any, so that the region admin knows what to add.
 */
export function catalogueRoutes(reg: () => Organisers, roles: { readers: MiddlewareHandler<RegionEnv>; admins: MiddlewareHandler<RegionEnv> }): Hono<RegionEnv> {
  const app = new Hono<RegionEnv>();
  // The catalogue is written first, and inheritance is idempotent: where it failed, the next
  // catalogue write or start brings the organiser in line.
  const inherit = async () => {
    try {
      await reg().inheritCatalogue();
    } catch {
      throw new ApiError(503, 'storage_unavailable', 'the catalogue is changed, but not every organiser has inherited the change yet: it will at the next catalogue write or start', undefined, { 'Retry-After': '5' });
    }
  };

  app.get('/catalogue', roles.readers, async (c) => {
    const { format } = validQuery(c, formatQuery);
    const rows = await listCatalogue(reg().region);
    if (format !== 'csv') return c.json({ rows });
    return c.body(catalogueCsv(rows), 200, {
      'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="licenskoll-catalogue.csv"',
    });
  });

  // Upserts by id, as an organiser's products import does: the good rows are stored and every
  // refused one named by row (CSV) or index (JSON) and field; nothing good at all is a 400.
  app.put('/catalogue', roles.admins, uploadLimit, async (c) => {
    const upload = await readCatalogueUpload(await c.req.text(), c.req.header('content-type') ?? '');
    if (!upload.products.length) {
      const details = upload.rejected.map((r) => ({ ...r, field: r.field ?? '(body)' }));
      const first = details[0];
      const where = first ? `${first.row !== undefined ? `row ${first.row}` : `index ${first.index}`}: ${first.field}: ${first.reason}` : 'no products in the file';
      throw new ApiError(400, 'invalid_catalogue', `invalid catalogue: ${where}`, details.length ? details : [{ field: '(body)', reason: 'holds no products' }]);
    }
    const stored = await storeCatalogue(reg().region, upload.products);
    await inherit();
    return c.json({ stored: stored.length, rejectedCount: upload.rejected.length, rejected: upload.rejected, notes: upload.notes }, 200);
  });

  // Removed from every organiser that inherited it; an organiser's override of it stays, its own now.
  app.delete('/catalogue/:id', roles.admins, async (c) => {
    const id = c.req.param('id');
    if (!(await removeFromCatalogue(reg().region, id))) throw new ApiError(404, 'not_found', `no product ${id.slice(0, 100)} in the catalogue`);
    await inherit();
    return c.json({ removed: id }, 200);
  });

  // Each organiser's own unmapped report (figure 2) over the window, as of its own today, summed per identifier.
  app.get('/unmapped', roles.readers, async (c) => {
    const q = validQuery(c, windowQuery);
    const per = [];
    for (const rt of reg().all()) {
      await rt.ctx.ingest.caughtUp(5_000);
      const { timeZone } = rt.ctx.config;
      const window = { from: q.from ?? '1970-01-01', to: q.to ?? rt.ctx.today ?? todayInZone(timeZone) };
      per.push(await unmappedReport(rt.ctx.storage, window, timeZone));
    }
    return c.json({ rows: regionUnmapped(per) });
  });
  return app;
}
