import { describe, expect, it } from 'vitest';
import { LICENCE_HEADERS, PRODUCT_HEADERS, PRODUCT_IDENTIFIER_COLUMNS, mapHeaders } from './headers.ts';
import { readSheet } from './sheet.ts';

describe('licence header aliases', () => {
  const expectations: [string, keyof typeof LICENCE_HEADERS][] = [
    ['Licens-ID', 'id'], ['licence id', 'id'], ['ID', 'id'],
    ['Produkt', 'product'], ['Product ID', 'product'], ['Artikelnummer', 'product'], ['Läromedel', 'product'],
    ['Antal licenser', 'seats'], ['Platser', 'seats'], ['Seats', 'seats'], ['antal_platser', 'seats'], ['Quantity', 'seats'],
    ['Omfattning', 'scopeType'], ['Scope type', 'scopeType'], ['scope', 'scopeType'],
    ['Omfattning id', 'scopeIds'], ['Scope IDs', 'scopeIds'], ['omfattnings-id', 'scopeIds'],
    ['Målgrupp', 'audience'], ['Audience', 'audience'],
    ['Startdatum', 'start'], ['Giltig från', 'start'], ['Start date', 'start'], ['Fr.o.m', 'start'],
    ['Slutdatum', 'end'], ['Giltig till', 'end'], ['End date', 'end'], ['T.o.m', 'end'],
    ['Pris', 'price'], ['Kostnad', 'price'], ['Price', 'price'], ['Totalpris', 'price'],
    ['Valuta', 'currency'], ['Currency', 'currency'],
    ['Beställare', 'buyer'], ['Köpare', 'buyer'], ['Buyer', 'buyer'], ['Ansvarig', 'buyer'],
    ['Ordernummer', 'orderRef'], ['Order ref', 'orderRef'], ['Order number', 'orderRef'], ['Referens', 'orderRef'],
    ['Ramavtal', 'agreement'], ['Ramavtals-id', 'agreement'], ['Framework agreement', 'agreement'],
  ];
  for (const [header, key] of expectations) {
    it(`"${header}" → ${key}`, () => {
      expect(mapHeaders([header], LICENCE_HEADERS)).toEqual({ [key]: 0 });
    });
  }

  it('ignores columns it does not know and finds the rest by position', () => {
    expect(mapHeaders(['Kommentar', 'Produkt', 'Pris'], LICENCE_HEADERS)).toEqual({ product: 1, price: 2 });
  });

  it('takes no bare "Avtal" for the framework agreement: sheets use it for the supplier\'s contract number', () => {
    expect(mapHeaders(['Avtal', 'Agreement'], LICENCE_HEADERS)).toEqual({});
  });
});

describe('product header aliases', () => {
  it('maps Swedish and English names', () => {
    expect(mapHeaders(['ID', 'Namn', 'Leverantör', 'Identifierare'], PRODUCT_HEADERS)).toEqual({ id: 0, name: 1, supplier: 2, identifiers: 3 });
    expect(mapHeaders(['Product name', 'Publisher', 'Aliases'], PRODUCT_HEADERS)).toEqual({ name: 0, supplier: 1, identifiers: 2 });
    expect(mapHeaders(['Titel', 'Förlag'], PRODUCT_HEADERS)).toEqual({ name: 0, supplier: 1 });
  });

  it('knows the identifier-kind columns in normalised form', () => {
    for (const h of ['entityid', 'lti client id', 'app id', 'url', 'artikelnummer']) expect(PRODUCT_IDENTIFIER_COLUMNS).toContain(h);
  });
});

describe('readSheet', () => {
  it('rejects rows of the wrong width before mapping them, and counts every row', async () => {
    const { tally, rows } = await readSheet('a;b\n1;2\n3\n4;5;6\n', 'licences', { a: ['a'], b: ['b'] }, ['a'], { fileName: 's.csv' });
    expect(rows.map((r) => [r.row, r.get('a'), r.get('b')])).toEqual([[2, '1', '2']]);
    expect(tally.rejected).toEqual([
      { file: 's.csv', row: 3, line: 3, reason: 'expected 2 fields, got 1 (is the separator right?)' },
      { file: 's.csv', row: 4, line: 4, reason: 'expected 2 fields, got 3 (an unquoted separator inside a value?)' },
    ]);
    expect(tally.stats.read).toBe(3);
  });

  it('answers empty cells for absent optional columns and gives headers as the file spells them', async () => {
    const { rows } = await readSheet('Produkt\nx\n', 'licences', { product: ['produkt'], buyer: ['buyer'] }, ['product'], {});
    expect(rows[0].get('buyer')).toBe('');
    expect(rows[0].has('buyer')).toBe(false);
    expect(rows[0].header('product')).toBe('Produkt');
    expect(rows[0].header('buyer')).toBe('buyer');
  });

  it('honours a forced delimiter', async () => {
    const { rows } = await readSheet('a|b\n1|2\n', 'licences', { a: ['a|b'] }, ['a'], { delimiter: ';' });
    expect(rows[0].get('a')).toBe('1|2');
  });
});
