import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { productInput } from '@licenskoll/core';
import { parseProductsCsv, slug } from './products-csv.ts';

const fixture = (name: string) => readFileSync(new URL(`../test-fixtures/products/${name}`, import.meta.url));

describe('parseProductsCsv', () => {
  it('maps id, name, supplier, identifiers and identifier-named columns', async () => {
    const res = await parseProductsCsv(fixture('produkter.csv'), { fileName: 'produkter.csv' });
    expect(res.kind).toBe('products');
    expect(res.records).toEqual([
      {
        id: 'exempel-matte', name: 'Exempel Matte', supplier: 'Exempel Förlag AB',
        identifiers: ['8561c6ac-2ac2-452c-a526-0c53292f9116', '9789127000001', 'https://sp.example-edtech.com/shibboleth', 'tool-client-7f3a'],
      },
      // no id: derived from the name
      { id: 'exempel-svenska-ak-7-9', name: 'Exempel Svenska Åk 7–9', supplier: 'Exempel Förlag AB', identifiers: ['0f9e8d7c-6b5a-4000-8000-00000000b001'] },
    ]);
    for (const p of res.records) expect(productInput.safeParse(p).success).toBe(true);
  });

  it('rejects a nameless row and a duplicate id with row, column and reason', async () => {
    const res = await parseProductsCsv(fixture('produkter.csv'), { fileName: 'produkter.csv' });
    expect(res.rejected).toEqual([
      { file: 'produkter.csv', row: 4, line: 4, field: 'namn', reason: expect.stringMatching(/./) },
      { file: 'produkter.csv', row: 5, line: 5, field: 'id', reason: '"exempel-matte" already on row 2' },
    ]);
    expect(res.stats).toEqual({ read: 4, kept: 2, rejected: 2, skipped: 0 });
  });

  it('reads an English sheet without an id column', async () => {
    const res = await parseProductsCsv(fixture('products-en.csv'));
    expect(res.records).toEqual([
      { id: 'exempel-matte', name: 'Exempel Matte', supplier: 'Example Publishing', identifiers: ['https://sp.example-edtech.com/shibboleth', 'tool-client-7f3a'] },
    ]);
    expect(res.notes).toContain('no id column: product ids are derived from the names');
  });

  it('needs a name column', async () => {
    const res = await parseProductsCsv('id,leverantör,identifierare\nx,y,z\n');
    expect(res.records).toEqual([]);
    expect(res.rejected[0]).toMatchObject({ row: 1, field: 'name', reason: expect.stringMatching(/^column missing/) });
  });

  it('refuses a licence sheet given as products', async () => {
    const lic = readFileSync(new URL('../test-fixtures/licences/licences-en.csv', import.meta.url));
    await expect(parseProductsCsv(lic)).rejects.toThrow('this looks like a licence sheet (CSV), not a product sheet (CSV)');
  });

  it('slugs names stably', () => {
    expect(slug('  Läromedel: Åk 7 & 8!  ')).toBe('laromedel-ak-7-8');
  });
});

describe('parseProductsCsv: identifiers', () => {
  it('drops duplicate identifiers and splits on | and whitespace', async () => {
    const res = await parseProductsCsv('namn;identifierare\nMatte;a | b  a\n');
    expect(res.records[0].identifiers).toEqual(['a', 'b']);
  });

  it('folds App ID and URL columns into the identifiers', async () => {
    const res = await parseProductsCsv('name,App ID,URL\nMatte,8561c6ac-2ac2-452c-a526-0c53292f9116,https://matte.example-edtech.com\n');
    expect(res.records[0]).toEqual({ id: 'matte', name: 'Matte', identifiers: ['8561c6ac-2ac2-452c-a526-0c53292f9116', 'https://matte.example-edtech.com'] });
  });

  it('reads a Windows-1252 sheet', async () => {
    const res = await parseProductsCsv(Buffer.from('namn;leverantör\nSvenska Åk 7;Förlaget\n', 'latin1'));
    expect(res.records[0]).toEqual({ id: 'svenska-ak-7', name: 'Svenska Åk 7', supplier: 'Förlaget', identifiers: [] });
  });

  it('refuses an id longer than the schema allows, naming the id column', async () => {
    const res = await parseProductsCsv(`id,name\n${'x'.repeat(101)},Matte\n`);
    expect(res.rejected).toEqual([{ row: 2, line: 2, field: 'id', reason: 'must be at most 100 characters' }]);
  });

  it('counts blank rows apart, tabs and spaces only as well', async () => {
    const res = await parseProductsCsv('id;namn;leverantör\r\np1;Matte;Förlag\r\n;;\r\n ; ;\t\r\n\r\np2;Svenska;Förlag\r\n');
    expect(res.records.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(res.stats).toEqual({ read: 5, kept: 2, rejected: 0, skipped: 0, blank: 3 });
  });
});
