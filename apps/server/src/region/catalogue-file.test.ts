import { expect, it } from 'vitest';
import { NO_TARGET } from '@licenskoll/core';
import type { Product } from '@licenskoll/licensing';
import { catalogueCsv, readCatalogueUpload } from './catalogue-file.ts';

const products: Product[] = [
  { id: 'GR-NO', name: 'NO-spanar', supplier: 'Gleerups', identifiers: ['gr-no', 'https://no.example/shibboleth', 'lti-77'], target: { schoolTypes: ['GR', 'GRS'], years: [0, 1, 2, 3, 5], subjects: ['NO', 'Teknik'], dutyRoles: [] } },
  { id: 'GR-SV', name: 'Svenska, "Läsa"', supplier: 'Förlaget Å; Ö', identifiers: ['gr-sv'], target: NO_TARGET },
];

it('reads back the CSV it writes: the products sheet headers, lists, years and quoting', async () => {
  const csv = catalogueCsv(products);
  expect(csv.split('\r\n')[0]).toBe('\uFEFFid,name,supplier,identifiers,school type,years,subjects,duty roles');
  const back = await readCatalogueUpload(csv, 'text/csv');
  expect(back.rejected).toEqual([]);
  expect(back.products).toEqual(products.map(({ supplier, ...p }) => ({ ...p, supplier })));
});

it('reads JSON as an array or as the export ({"rows"}), naming refused items by index and field', async () => {
  const rows = JSON.stringify({ rows: [...products, { id: 'X', name: '  ' }, { ...products[0] }] });
  const got = await readCatalogueUpload(rows, '');
  expect(got.products.map((p) => p.id)).toEqual(['GR-NO', 'GR-SV']);
  expect(got.rejected.map((r) => [r.index, r.field])).toEqual([[2, 'name'], [3, 'id']]);
  expect((await readCatalogueUpload(JSON.stringify(products), 'application/json')).products).toHaveLength(2);
  await expect(readCatalogueUpload(' \n', '')).rejects.toMatchObject({ status: 400 });
  await expect(readCatalogueUpload('[1,', 'application/json')).rejects.toMatchObject({ status: 400, code: 'malformed_json' });
});
