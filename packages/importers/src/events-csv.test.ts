import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EventCsvHeaderError, parseEvents, readEventsCsv } from './events-csv.ts';
import { detectImport } from './index.ts';
import { FormatError } from './result.ts';

const fixture = readFileSync(new URL('../test-fixtures/events/events.csv', import.meta.url));
const all = async <T>(it: AsyncIterable<T>) => { const out: T[] = []; for await (const x of it) out.push(x); return out; };

describe('parseEvents (CSV)', () => {
  it('maps columns by name in any order, keeps the good rows and names the bad ones by row and field', async () => {
    const res = await parseEvents(fixture, { fileName: 'events.csv' });
    const events = await all(res.records);
    expect(events.map((e) => e.id)).toEqual(['csv-1', 'csv-2', 'csv-5']);
    expect(events[0]).toEqual({
      id: 'csv-1', type: 'login', time: '2026-03-02T08:15:00+01:00', user: 'astrid.exempel@edu.example.se',
      product: 'https://sp.example-edtech.com/shibboleth', school: '99999999',
    });
    // An empty cell is an absent field, not an empty one.
    expect(events[1]).not.toHaveProperty('school');
    expect(res.rejected).toEqual([
      { file: 'events.csv', row: 4, line: 4, field: 'time', reason: 'must be an ISO-8601 time with an offset, e.g. 2026-03-01T08:15:00+01:00' },
      { file: 'events.csv', row: 5, line: 5, field: 'user', reason: 'is required' },
    ]);
    // 6 rows below the header: 3 events + 2 rejected + 1 blank (`;;;;;;`).
    expect(res.stats).toEqual({ read: 6, kept: 3, rejected: 2, skipped: 0, blank: 1 });
    expect(res.notes).toContain('columns ignored (not event fields): kommentar');
  });

  it('is what `import auto` picks for an event CSV and for event JSON', async () => {
    expect((await detectImport(fixture, 'events.csv')).kind).toBe('events');
    const json = '{"type":"login","time":"2026-03-02T08:15:00+01:00","user":"u@example.se","product":"p"}\n{"type":"launch","time":"2026-03-02T08:16:00+01:00","user":"u@example.se","product":"p"}\n';
    const d = await detectImport(json, 'events.ndjson');
    expect(d.kind).toBe('events');
    const res = await parseEvents(d.input);
    expect((await all(res.records)).map((e) => e.type)).toEqual(['login', 'launch']);
  });

  it('refuses a CSV that does not name the event fields, and other formats, by name', async () => {
    const e = await parseEvents('namn;antal\nMatte;3\n', { fileName: 'x.csv' }).catch((x) => x);
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(/^x\.csv: this looks like a CSV file with columns namn, antal, not a file of Licenskoll usage events \(CSV or JSON\) \(header: columns type, time, user, product missing/);
    const lic = readFileSync(new URL('../test-fixtures/licences/licences-en.csv', import.meta.url));
    await expect(parseEvents(lic)).rejects.toThrow('this looks like a licence sheet (CSV), not a file of Licenskoll usage events');
  });
});

describe('readEventsCsv', () => {
  it('rejects a row of the wrong width with its row, and counts blank rows', () => {
    const csv = readEventsCsv('type,time,user,product\nlogin,2026-03-02T08:15:00Z,u,p,extra\n,,,\n\nlogin,2026-03-02T08:15:00Z,u,p\n');
    expect(csv.rows).toEqual([
      { row: 2, line: 2, error: 'expected 4 fields, got 5 (an unquoted separator inside a value?)' },
      { row: 5, line: 5, raw: { type: 'login', time: '2026-03-02T08:15:00Z', user: 'u', product: 'p' } },
    ]);
    expect(csv.blank).toBe(2);
  });

  it('throws before any row when a required column is missing', () => {
    expect(() => readEventsCsv('type,time,user\nlogin,2026-03-02T08:15:00Z,u\n')).toThrow(EventCsvHeaderError);
  });
});
