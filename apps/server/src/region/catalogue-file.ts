import { ApiError, describeIssues, productInput, yearsText, type ProductInput } from '@licenskoll/core';
import { FormatError, parseProductsCsv, type Rejection } from '@licenskoll/importers';
import type { Product } from '@licenskoll/licensing';
import { toCsv } from '../http/csv.ts';

/**
 * The catalogue as a file, both ways (docs/tenants.md, "Shared catalogue"), so that organisers
 * without a shared installation can exchange one: JSON (`{"rows": [...]}`, each row a product as
 * `POST /v1/products` takes it) or CSV with the headers the products sheet importer reads
 * (packages/importers/src/headers.ts), so that a file exported from one installation imports
 * into another's catalogue, or into an organiser's own products (`POST /v1/import/products`).
 */

/** The CSV's columns: each is one of PRODUCT_HEADERS' accepted names. */
const CSV_COLUMNS = ['id', 'name', 'supplier', 'identifiers', 'school type', 'years', 'subjects', 'duty roles'];

export function catalogueCsv(products: Product[]): string {
  const rows = products.map((p) => ({
    id: p.id, name: p.name, supplier: p.supplier, identifiers: p.identifiers,
    'school type': p.target.schoolTypes, years: yearsText(p.target.years), subjects: p.target.subjects, 'duty roles': p.target.dutyRoles,
  }));
  return toCsv(rows, CSV_COLUMNS);
}

/** What a catalogue file gave: the products to store and each refused one, named by row (CSV) or index (JSON) and field. */
export interface CatalogueUpload {
  products: ProductInput[];
  rejected: Rejection[];
  notes: string[];
}

const looksLikeJson = (text: string, contentType: string) =>
  /json/i.test(contentType) || (!/csv/i.test(contentType) && /^[\uFEFF\s]*[[{]/.test(text));

/** A catalogue file in either format; what is not a catalogue at all is a 400 naming the body. */
export async function readCatalogueUpload(text: string, contentType: string): Promise<CatalogueUpload> {
  if (!text.replace(/^\uFEFF/, '').trim()) {
    throw new ApiError(400, 'empty_body', 'body: send the catalogue as JSON (an array of products, or {"rows": [...]}) or CSV', [{ field: '(body)', reason: 'is empty' }]);
  }
  return looksLikeJson(text, contentType) ? fromJson(text) : fromCsv(text);
}

function fromJson(text: string): CatalogueUpload {
  let body: unknown;
  try {
    body = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const reason = `is not valid JSON: ${(e as Error).message}`;
    throw new ApiError(400, 'malformed_json', `body ${reason}`, [{ field: '(body)', reason }]);
  }
  // The export's own shape, so that a file goes back in as it came out.
  const items = Array.isArray(body) ? body : (body as { rows?: unknown })?.rows;
  if (!Array.isArray(items)) {
    throw new ApiError(400, 'invalid_catalogue', 'body: must be an array of products or {"rows": [...]}', [{ field: '(body)', reason: 'is not an array of products' }]);
  }
  const out: CatalogueUpload = { products: [], rejected: [], notes: [] };
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const r = productInput.safeParse(item);
    if (!r.success) {
      for (const d of describeIssues(r.error)) out.rejected.push({ index, field: d.field, reason: d.reason });
      return;
    }
    const first = seen.get(r.data.id);
    if (first !== undefined) { out.rejected.push({ index, field: 'id', reason: `"${r.data.id}" already at index ${first}` }); return; }
    seen.set(r.data.id, index);
    out.products.push(r.data);
  });
  return out;
}

async function fromCsv(text: string): Promise<CatalogueUpload> {
  try {
    const r = await parseProductsCsv(text);
    return { products: r.records, rejected: r.rejected, notes: r.notes };
  } catch (e) {
    if (e instanceof FormatError) throw new ApiError(400, 'wrong_format', e.message, [{ field: '(body)', reason: e.message }]);
    throw e;
  }
}
