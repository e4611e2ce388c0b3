import { type ProductInput, describeIssues, productInput } from '@licenskoll/core';
import { normaliseHeader } from './csv.ts';
import { PRODUCT_HEADERS, PRODUCT_IDENTIFIER_COLUMNS, type ProductColumn } from './headers.ts';
import type { ImportInput } from './input.ts';
import { type BatchResult, type Rejection, rejectRow } from './result.ts';
import { type SheetOptions, readSheet } from './sheet.ts';
import { splitList } from './values.ts';
import { targetCells } from './target-cells.ts';

/** "Exempel Matte Åk 7" → "exempel-matte-ak-7": a stable id when the sheet has none. */
export function slug(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100);
}

/**
 * A product sheet → `ProductInput[]`: id, name, supplier, identifiers (`|`-separated),
 * plus any column named like an identifier kind (`entityID`, `LTI client_id`, `App ID`,
 * `URL`…), each adding its cell to the identifiers.
 */
export async function parseProductsCsv(input: ImportInput, opts: SheetOptions = {}): Promise<BatchResult<ProductInput>> {
  const file = opts.fileName;
  const { tally, rows } = await readSheet(input, 'products', PRODUCT_HEADERS, ['name'], opts);
  if (rows.length && !rows[0].has('id')) tally.note('no id column: product ids are derived from the names');
  const extraCols = rows.length
    ? rows[0].headers.map((h, i) => ({ h, i })).filter(({ h, i }) => PRODUCT_IDENTIFIER_COLUMNS.includes(normaliseHeader(h)) && rows[0].header('identifiers') !== rows[0].headers[i])
    : [];
  const seen = new Map<string, number>();
  const out: ProductInput[] = [];
  for (const r of rows) {
    const at = (col: ProductColumn | string, reason: string): Rejection => ({
      ...(file ? { file } : {}), row: r.row, line: r.line, field: col in PRODUCT_HEADERS ? r.header(col as ProductColumn) : col, reason,
    });
    const name = r.get('name');
    const identifiers = [...splitList(r.get('identifiers')), ...extraCols.flatMap(({ i }) => splitList(r.fields[i] ?? ''))];
    const product: Record<string, unknown> = { id: r.get('id') || slug(name), name, identifiers: [...new Set(identifiers)] };
    if (r.get('supplier')) product.supplier = r.get('supplier');
    const target = targetCells(r);
    if (target.problems.length) { rejectRow(tally, target.problems.map((p) => at(p.col, p.reason))); continue; }
    if (target.target) product.target = target.target;
    const parsed = productInput.safeParse(product);
    if (!parsed.success) {
      rejectRow(tally, describeIssues(parsed.error).map((d) => at(d.field.split('.')[0], d.reason)));
      continue;
    }
    const first = seen.get(parsed.data.id);
    if (first !== undefined) { tally.reject(at('id', `"${parsed.data.id}" already on row ${first}`)); continue; }
    seen.set(parsed.data.id, r.row);
    tally.stats.kept++;
    out.push(parsed.data);
  }
  return tally.batch('products', 'products', out);
}
