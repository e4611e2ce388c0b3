import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { licenceInput } from '@licenskoll/core';
import { parseLicencesCsv } from './licences-csv.ts';
import { FormatError } from './result.ts';

const fixture = (name: string) => readFileSync(new URL(`../test-fixtures/licences/${name}`, import.meta.url));

describe('parseLicencesCsv: Swedish sheet (BOM, CRLF, ;, decimal comma)', () => {
  it('maps every column of the good rows', async () => {
    const res = await parseLicencesCsv(fixture('licenser-sv.csv'), { fileName: 'licenser.csv' });
    expect(res.kind).toBe('licences');
    expect(res.produces).toBe('licences');
    expect(res.records).toEqual([
      {
        id: 'L-2024-001', product: 'exempel-matte', seats: 400, scope: { type: 'school', ids: ['99999999', '88888888'] },
        audience: 'students', start: '2024-08-01', end: '2025-07-31', price: 12500.5, currency: 'SEK', buyer: 'Anna Inköpare', orderRef: 'PO-1001',
      },
      {
        id: 'L-2024-002', product: 'exempel-svenska', seats: null, scope: { type: 'organisation', ids: ['organisation'] },
        audience: 'all', start: '2024-08-01', end: '2025-06-30', price: 99000, currency: 'SEK',
        buyer: 'Centrala förvaltningen; IT-enheten\nAnna Inköpare', orderRef: 'PO-1002',
      },
      {
        id: 'L-2024-006', product: 'exempel-bild', seats: 25, scope: { type: 'school', ids: ['99999999'] },
        audience: 'students', start: '2024-08-01', end: '2025-07-31', price: 3750.25, currency: 'EUR', buyer: 'Lärare Lisa', orderRef: 'PO-1006',
      },
    ]);
    for (const l of res.records) expect(licenceInput.safeParse(l).success).toBe(true);
  });

  it('rejects each bad row with its spreadsheet row, line, column as the sheet names it, and reason', async () => {
    const res = await parseLicencesCsv(fixture('licenser-sv.csv'), { fileName: 'licenser.csv' });
    expect(res.rejected).toEqual([
      { file: 'licenser.csv', row: 4, line: 5, field: 'Antal licenser', reason: '"många" is not a number' },
      { file: 'licenser.csv', row: 5, line: 6, field: 'Startdatum', reason: '"2024-13-01" is not a date YYYY-MM-DD' },
      { file: 'licenser.csv', row: 6, line: 7, field: 'Slutdatum', reason: 'must not be before start' },
      { file: 'licenser.csv', row: 9, line: 10, reason: 'expected 12 fields, got 8' },
      { file: 'licenser.csv', row: 10, line: 11, reason: 'the file ends inside a quoted field: the row is cut off' },
    ]);
    // Line 9 is blank: read, counted apart, not rejected (9 = 3 + 5 + 1).
    expect(res.stats).toEqual({ read: 9, kept: 3, rejected: 5, skipped: 0, blank: 1 });
  });
});

describe('parseLicencesCsv: other sheets', () => {
  it('reads English headers, a quoted "1,234.50", empty seats as unlimited, and refuses a duplicate id', async () => {
    const res = await parseLicencesCsv(fixture('licences-en.csv'));
    expect(res.records).toEqual([
      {
        id: 'lic-1', product: 'https://sp.example-edtech.com/shibboleth', seats: 120, scope: { type: 'school', ids: ['99999999'] },
        audience: 'students', start: '2024-08-01', end: '2025-06-30', price: 1234.5, currency: 'SEK', buyer: 'purchasing@example.se',
      },
      {
        id: 'lic-2', product: 'tool-client-7f3a', seats: null, scope: { type: 'organisation', ids: ['2120009999'] },
        audience: 'all', start: '2024-01-01', end: '2024-12-31', price: 0, currency: 'SEK', buyer: 'IT department', orderRef: 'ORD-9',
      },
    ]);
    expect(res.rejected).toEqual([{ row: 4, line: 4, field: 'id', reason: '"lic-1" already on row 2' }]);
  });

  it('reads an Excel Windows-1252 export, derives stable ids, and names two identical purchases', async () => {
    const res = await parseLicencesCsv(fixture('licenser-excel-1252.csv'));
    expect(res.notes).toContain("the file is not UTF-8; read as Windows-1252 (Excel's Swedish CSV)");
    expect(res.notes).toContain('no id column: licence ids are derived from product, order ref, scope, period and buyer');
    expect(res.records).toHaveLength(1);
    expect(res.records[0]).toMatchObject({ buyer: 'Åsa Öberg', price: 1500, seats: 30, audience: 'students', scope: { type: 'school', ids: ['99999999'] } });
    expect(res.records[0].id).toMatch(/^lic-[0-9a-f]{24}$/);
    const again = await parseLicencesCsv(fixture('licenser-excel-1252.csv'));
    expect(again.records[0].id).toBe(res.records[0].id);
    expect(res.rejected).toEqual([
      { row: 3, line: 3, field: 'id', reason: 'same product, order ref, scope, period and buyer as row 2: add an id column to tell them apart' },
    ]);
  });

  it('refuses the whole file when required columns are missing, naming the accepted headers', async () => {
    const res = await parseLicencesCsv(fixture('missing-columns.csv'), { fileName: 'x.csv' });
    expect(res.records).toEqual([]);
    expect(res.rejected.map((r) => r.field)).toEqual(['seats', 'start', 'end']);
    expect(res.rejected[0]).toMatchObject({ file: 'x.csv', row: 1, line: 1, reason: expect.stringMatching(/^column missing; accepted headers: seats, antal licenser, platser/) });
  });

  it('defaults audience and currency as configured', async () => {
    const csv = 'produkt;antal;start;slut;pris;köpare\nexempel-matte;5;2024-08-01;2025-06-30;100;Anna\n';
    const res = await parseLicencesCsv(csv, { defaultAudience: 'all', defaultCurrency: 'NOK' });
    expect(res.records[0]).toMatchObject({ audience: 'all', currency: 'NOK', scope: { type: 'organisation', ids: ['organisation'] } });
  });

  it('reads a Förvaltning column (an empty cell clears it), leaves it out without the column, and refuses one too long', async () => {
    const csv = `produkt;antal;start;slut;pris;köpare;Förvaltning\np;5;2024-08-01;2025-06-30;100;Anna;Grundskoleförvaltningen\np2;5;2024-08-01;2025-06-30;100;Anna;\np3;5;2024-08-01;2025-06-30;100;Anna;${'x'.repeat(201)}\n`;
    const res = await parseLicencesCsv(csv);
    expect(res.records.map((r) => r.forvaltning)).toEqual(['Grundskoleförvaltningen', '']);
    expect(res.rejected).toEqual([{ row: 4, line: 4, field: 'Förvaltning', reason: 'must be at most 200 characters' }]);
    const without = await parseLicencesCsv('produkt;antal;start;slut;pris;köpare\np;5;2024-08-01;2025-06-30;100;Anna\n');
    expect('forvaltning' in without.records[0]).toBe(false);
  });

  it('reads a Ramavtal column: a known agreement is kept, an empty cell clears it, any other is refused at its cell', async () => {
    const csv = 'produkt;antal;start;slut;pris;köpare;Ramavtal\np;5;2024-08-01;2025-06-30;100;Anna;GR-MATTE-2024\np2;5;2024-08-01;2025-06-30;100;Anna;\np3;5;2024-08-01;2025-06-30;100;Anna;ANNAT-AVTAL\n';
    const res = await parseLicencesCsv(csv, { agreements: new Set(['GR-MATTE-2024']) });
    expect(res.records.map((r) => r.agreement)).toEqual(['GR-MATTE-2024', '']);
    expect(res.rejected).toEqual([{ row: 4, line: 4, field: 'Ramavtal', reason: 'is not a framework agreement this organiser takes part in' }]);
    const without = await parseLicencesCsv('produkt;antal;start;slut;pris;köpare\np;5;2024-08-01;2025-06-30;100;Anna\n');
    expect('agreement' in without.records[0]).toBe(false);
  });

  it('insists on a scope type when ids are given, and on ids for a school scope', async () => {
    const csv = 'product,seats,scope,scope ids,start,end,price,buyer\np,1,,99999999,2024-08-01,2025-06-30,1,A\np,1,school,,2024-08-01,2025-06-30,1,A\np,1,kommunen,,2024-08-01,2025-06-30,1,A\n';
    const res = await parseLicencesCsv(csv);
    expect(res.rejected).toEqual([
      { row: 2, line: 2, field: 'scope', reason: 'is empty while scope ids are given: say school, group or organisation' },
      { row: 3, line: 3, field: 'scope ids', reason: 'needs at least one school unit code' },
      { row: 4, line: 4, field: 'scope', reason: '"kommunen" is not a known scope type (organisation, school, group)' },
    ]);
  });

  it('lists every problem of one row but counts the row once', async () => {
    const csv = 'product,seats,start,end,price,buyer\np,x,nej,2025-06-30,dyr,A\n';
    const res = await parseLicencesCsv(csv);
    expect(res.rejected.map((r) => r.field)).toEqual(['seats', 'start', 'price']);
    expect(res.stats.rejected).toBe(1);
  });

  it('names a product sheet or an audit log given as licences', async () => {
    const products = readFileSync(new URL('../test-fixtures/products/produkter.csv', import.meta.url));
    await expect(parseLicencesCsv(products)).rejects.toThrow('this looks like a product sheet (CSV), not a licence sheet (CSV)');
    const shib = readFileSync(new URL('../test-fixtures/shibboleth/idp-audit-v4.log', import.meta.url));
    await expect(parseLicencesCsv(shib)).rejects.toBeInstanceOf(FormatError);
    await expect(parseLicencesCsv('{"value": []}')).rejects.toThrow(/this looks like a JSON document of an unknown kind, not a licence sheet/);
  });

  it('takes an empty file as no licences', async () => {
    const res = await parseLicencesCsv('');
    expect(res.records).toEqual([]);
    expect(res.rejected).toEqual([]);
  });
});

describe('parseLicencesCsv: the variety of real sheets', () => {
  const header = 'Produkt\tAntal platser\tOmfattningstyp\tOmfattning id\tMålgrupp\tGiltig från\tGiltig till\tKostnad\tValuta\tKöpare\tOrdernr';
  const row = (cells: Partial<Record<string, string>>) => {
    const d = { product: 'exempel-matte', seats: '30', scope: 'grupp', ids: 'g1', aud: 'elever', from: '2024-08-01', to: '2025-06-30', price: '1000', cur: 'SEK', buyer: 'Anna', order: '' };
    const v = { ...d, ...cells };
    return [v.product, v.seats, v.scope, v.ids, v.aud, v.from, v.to, v.price, v.cur, v.buyer, v.order].join('\t');
  };

  it('reads tab-separated sheets with other Swedish headers', async () => {
    const res = await parseLicencesCsv(`${header}\n${row({})}\n`);
    expect(res.records[0]).toMatchObject({ product: 'exempel-matte', seats: 30, scope: { type: 'group', ids: ['g1'] }, audience: 'students', price: 1000, buyer: 'Anna' });
    expect(res.records[0].orderRef).toBeUndefined();
  });

  const cases: [string, Partial<Record<string, string>>, Record<string, unknown>][] = [
    ['seats with a thousands space', { seats: '1 200' }, { seats: 1200 }],
    ['seats "obegränsat"', { seats: 'obegränsat' }, { seats: null }],
    ['seats "Unlimited"', { seats: 'Unlimited' }, { seats: null }],
    ['price "12 500,50 kr"', { price: '12 500,50 kr' }, { price: 12500.5 }],
    ['price with a no-break space', { price: '12\u00a0500' }, { price: 12500 }],
    ['currency "kr" means SEK', { cur: 'kr' }, { currency: 'SEK' }],
    ['currency in lower case', { cur: 'eur' }, { currency: 'EUR' }],
    ['audience "personal"', { aud: 'personal' }, { audience: 'staff' }],
    ['audience "Alla"', { aud: 'Alla' }, { audience: 'all' }],
    ['scope "Skolenhet" with several codes', { scope: 'Skolenhet', ids: '99999999 88888888|77777777' }, { scope: { type: 'school', ids: ['99999999', '88888888', '77777777'] } }],
    ['scope "huvudman" with an organisation number', { scope: 'huvudman', ids: '2120009999' }, { scope: { type: 'organisation', ids: ['2120009999'] } }],
    ['dates written 2024/08/01', { from: '2024/08/01' }, { start: '2024-08-01' }],
    ['dates with a time part', { to: '2025-06-30 23:59' }, { end: '2025-06-30' }],
    ['an order number', { order: 'PO 77' }, { orderRef: 'PO 77' }],
  ];
  for (const [name, cells, expected] of cases) {
    it(name, async () => {
      const res = await parseLicencesCsv(`${header}\n${row(cells)}\n`);
      expect(res.rejected).toEqual([]);
      expect(res.records[0]).toMatchObject(expected);
    });
  }

  const bad: [string, Partial<Record<string, string>>, string, string][] = [
    ['negative seats', { seats: '-5' }, 'Antal platser', 'must not be negative'],
    ['fractional seats', { seats: '2,5' }, 'Antal platser', '"2,5" is not a whole number of seats'],
    ['a day-first date', { from: '01/08/2024' }, 'Giltig från', '"01/08/2024" is not a date YYYY-MM-DD'],
    ['a currency that is not a code', { cur: 'kronor svenska' }, 'Valuta', 'must be an ISO 4217 code such as SEK'],
    ['an unknown audience', { aud: 'föräldrar' }, 'Målgrupp', '"föräldrar" is not a known audience (students, staff, all)'],
    ['a negative price', { price: '-100' }, 'Kostnad', 'must not be negative'],
    ['an empty buyer', { buyer: '' }, 'Köpare', 'must not be empty'],
    ['an empty product', { product: '' }, 'Produkt', 'must not be empty'],
    ['an empty price', { price: '' }, 'Kostnad', 'is empty'],
  ];
  for (const [name, cells, field, reason] of bad) {
    it(`rejects ${name}, naming the column`, async () => {
      const res = await parseLicencesCsv(`${header}\n${row({})}\n${row(cells)}\n`, { fileName: 'l.csv' });
      expect(res.records).toHaveLength(1);
      expect(res.rejected).toEqual([{ file: 'l.csv', row: 3, line: 3, field, reason }]);
    });
  }

  it('keeps the id column when given and trims cells', async () => {
    const res = await parseLicencesCsv('id;product;seats;start;end;price;buyer\n  L-1  ; p ;5;2024-08-01;2024-12-31;10; Anna \n');
    expect(res.records[0]).toMatchObject({ id: 'L-1', product: 'p', buyer: 'Anna' });
  });

  it('tolerates trailing empty columns that spreadsheets add', async () => {
    const res = await parseLicencesCsv('product;seats;start;end;price;buyer;;\np;5;2024-08-01;2024-12-31;10;Anna;;\n');
    expect(res.records).toHaveLength(1);
  });

  it('reads a sheet whose header cells are padded and oddly cased', async () => {
    const res = await parseLicencesCsv(' PRODUKT ; Antal_Licenser ;START DATE;End-Date;Pris;Beställare\np;5;2024-08-01;2024-12-31;10;Anna\n');
    expect(res.records[0]).toMatchObject({ product: 'p', seats: 5, start: '2024-08-01', end: '2024-12-31' });
  });

  it('ignores the ;;;;; rows Excel writes below a table and counts them apart, not as rejections', async () => {
    const res = await parseLicencesCsv(fixture('licenser-excel-blank-rows.csv'), { fileName: 'licenser.csv' });
    expect(res.records.map((l) => [l.id, l.seats, l.price])).toEqual([['L-2025-101', 120, 5460], ['L-2025-102', 30, 1350]]);
    // Row 4 (between the data) and rows 6-8 (below it) are blank; row 5 has a bad seat count.
    expect(res.rejected).toEqual([{ file: 'licenser.csv', row: 5, line: 5, field: 'Antal licenser', reason: '"många" is not a number' }]);
    expect(res.stats).toEqual({ read: 7, kept: 2, rejected: 1, skipped: 0, blank: 4 });
  });
});
