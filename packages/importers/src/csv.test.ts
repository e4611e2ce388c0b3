import { describe, expect, it } from 'vitest';
import { detectDelimiter, normaliseHeader, parseCsv, readCsvTable, widthProblem } from './csv.ts';
import { parseDate, parseDecimal, parseEnum, parseSeats, splitList } from './values.ts';

const rows = (text: string) => [...parseCsv(text)].map((r) => r.fields);

describe('parseCsv', () => {
  it('reads plain comma-separated rows', () => {
    expect(rows('a,b,c\n1,2,3\n')).toEqual([['a', 'b', 'c'], ['1', '2', '3']]);
  });

  it('detects ; and tab from the header, ignoring delimiters inside quotes', () => {
    expect(detectDelimiter('a;b;c\n1,5;2;3')).toBe(';');
    expect(detectDelimiter('"x;y",b,c\n')).toBe(',');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('single')).toBe(',');
    expect(rows('namn;pris\nMatte;12 500,50\n')).toEqual([['namn', 'pris'], ['Matte', '12 500,50']]);
  });

  it('handles quotes with delimiters, doubled quotes and newlines inside', () => {
    const text = 'id,note\n1,"a, b"\n2,"say ""hi"""\n3,"line one\nline two"\n4,""\n';
    expect(rows(text)).toEqual([['id', 'note'], ['1', 'a, b'], ['2', 'say "hi"'], ['3', 'line one\nline two'], ['4', '']]);
  });

  it('strips a BOM and reads CRLF and lone CR', () => {
    expect(rows('\uFEFFa;b\r\n1;2\r\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(rows('a,b\r1,2\r')).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('numbers lines and spreadsheet rows, counting multi-line cells and blank lines right', () => {
    const recs = [...parseCsv('h1,h2\n"multi\nline",x\n\nlast,y\n')];
    expect(recs.map((r) => [r.row, r.line])).toEqual([[1, 1], [2, 2], [4, 5]]);
  });

  it('flags a record cut off inside quotes', () => {
    const recs = [...parseCsv('a,b\n1,"unterminated\n')];
    expect(recs[1]).toMatchObject({ fields: ['1', 'unterminated\n'], unterminatedQuote: true });
  });

  it('keeps a stray quote inside an unquoted field literally', () => {
    expect(rows('a,b\n12" screen,x\n')).toEqual([['a', 'b'], ['12" screen', 'x']]);
  });

  it('keeps empty trailing fields', () => {
    expect(rows('a,b,c\n1,,\n')).toEqual([['a', 'b', 'c'], ['1', '', '']]);
  });
});

describe('readCsvTable and widthProblem', () => {
  it('returns null for an empty file and headers trimmed', () => {
    expect(readCsvTable('')).toBeNull();
    expect(readCsvTable(' a ; b \n1;2')!.headers).toEqual(['a', 'b']);
  });

  it('explains a wrong width, tolerating trailing empty cells', () => {
    const rec = (fields: string[]) => ({ fields, line: 2, row: 2 });
    expect(widthProblem(rec(['1', '2']), 2)).toBeNull();
    expect(widthProblem(rec(['1', '2', '', ' ']), 2)).toBeNull();
    expect(widthProblem(rec(['1;2;3']), 3)).toBe('expected 3 fields, got 1 (is the separator right?)');
    expect(widthProblem(rec(['1', '2', 'x']), 2)).toBe('expected 2 fields, got 3 (an unquoted separator inside a value?)');
  });

  it('normalises headers for matching', () => {
    expect(normaliseHeader(' Antal_Licenser ')).toBe('antal licenser');
    expect(normaliseHeader('Licens-ID')).toBe('licens id');
  });
});

describe('cell values', () => {
  it('reads Swedish and English numbers', () => {
    expect(parseDecimal('12 500,50').value).toBe(12500.5);
    expect(parseDecimal('12\u00a0500,50').value).toBe(12500.5);
    expect(parseDecimal('12\u202f500').value).toBe(12500);
    expect(parseDecimal('12.500,50').value).toBe(12500.5);
    expect(parseDecimal('1,234.56').value).toBe(1234.56);
    expect(parseDecimal('1.234.567').value).toBe(1234567);
    expect(parseDecimal('450 kr').value).toBe(450);
    expect(parseDecimal('SEK 450,5').value).toBe(450.5);
    expect(parseDecimal('0').value).toBe(0);
    expect(parseDecimal('-12,5').value).toBe(-12.5);
    expect(parseDecimal('').error).toBe('is empty');
    expect(parseDecimal('tolv').error).toBe('"tolv" is not a number');
    expect(parseDecimal('1,2,3').error).toBe('"1,2,3" is not a number');
  });

  it('reads seats, with unlimited as null', () => {
    expect(parseSeats('400').value).toBe(400);
    expect(parseSeats('1 200').value).toBe(1200);
    expect(parseSeats('').value).toBeNull();
    expect(parseSeats('Obegränsad').value).toBeNull();
    expect(parseSeats('unlimited').value).toBeNull();
    expect(parseSeats('12,5').error).toBe('"12,5" is not a whole number of seats');
  });

  it('reads dates in unambiguous forms only', () => {
    expect(parseDate('2024-08-01').value).toBe('2024-08-01');
    expect(parseDate('20240801').value).toBe('2024-08-01');
    expect(parseDate('2024/08/01').value).toBe('2024-08-01');
    expect(parseDate('2024-08-01T00:00:00').value).toBe('2024-08-01');
    expect(parseDate('2024-08-01 00:00').value).toBe('2024-08-01');
    expect(parseDate('01/08/2024').error).toBe('"01/08/2024" is not a date YYYY-MM-DD');
    expect(parseDate('2024-02-30').error).toBe('"2024-02-30" is not a date YYYY-MM-DD');
    expect(parseDate(' ').error).toBe('is empty');
  });

  it('maps enum aliases and lists the allowed words', () => {
    const a = { elever: 'students', students: 'students', alla: 'all' } as const;
    expect(parseEnum('Elever', a, 'audience').value).toBe('students');
    expect(parseEnum('lärare', a, 'audience').error).toBe('"lärare" is not a known audience (students, all)');
  });

  it('splits lists on | and spaces', () => {
    expect(splitList('a | b  c|')).toEqual(['a', 'b', 'c']);
    expect(splitList('')).toEqual([]);
  });
});
