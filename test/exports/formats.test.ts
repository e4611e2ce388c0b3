import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMNS, columnInfo } from '@licenskoll/reports';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { sendScenario } from '../core/scenario.ts';

/**
 * Every report and list in every format, against its own JSON answer for the same query: the
 * workbook is opened with exceljs (types, number formats, Swedish headers), the Swedish-Excel CSV
 * is split on `;`. Real HTTP, the real engine, the hand-computed scenario of figures.test.ts.
 */
let s: RunningServer;
let a: ReturnType<typeof api>;

const YEAR = 'from=2025-08-01&to=2026-07-31';
const REPORTS = [
  `/v1/reports/overview?${YEAR}`,
  `/v1/reports/class-usage?${YEAR}`,
  `/v1/reports/licences?${YEAR}`,
  '/v1/reports/unused?asOf=2026-03-15&days=60',
  '/v1/reports/renewals?asOf=2026-03-01&within=200',
  `/v1/reports/buyers?${YEAR}`,
  '/v1/reports/unmapped',
];
const LISTS = ['/v1/followups', '/v1/products', '/v1/licences', '/v1/tokens', '/v1/audit?action=followup.add', '/v1/organisations', '/v1/groups', '/v1/privacy/erasures'];
const withParam = (path: string, p: string) => `${path}${path.includes('?') ? '&' : '?'}${p}`;

async function workbook(path: string, lang = 'sv') {
  const res = await fetch(`${s.url}${withParam(path, `format=xlsx&lang=${lang}`)}`, { headers: { authorization: `Bearer ${s.adminToken}` } });
  expect(res.status, path).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  return wb;
}

/** The day or moment a cell's Date stands for, as the API writes it (days exactly; moments to the minute). */
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

beforeAll(async () => {
  s = await startServer();
  a = api(s.url, s.adminToken);
  await sendScenario(a);
  expect((await a.post('/v1/followups', { licence: 'L-ENG', status: 'open', note: 'Ingen har öppnat; ring förlaget' })).status).toBe(201);
});

afterAll(async () => {
  await s?.stop();
});

describe('format', () => {
  it('is refused with 400 naming the parameter and the value, on every report and list', async () => {
    for (const path of [...REPORTS, ...LISTS]) {
      const r = await a.get(withParam(path, 'format=pdf'));
      expect(r.status, path).toBe(400);
      expect(r.json.error.code).toBe('bad_request');
      expect(r.json.error.message, path).toMatch(/format: must be one of json, csv, csv-excel, xlsx \(got "pdf"\)/);
      expect(r.json.error.details[0].field).toBe('format');
      const l = await a.get(withParam(path, 'format=xlsx&lang=de'));
      expect(l.status, path).toBe(400);
      expect(l.json.error.message).toMatch(/lang: must be sv or en \(got "de"\)/);
    }
  });

  it('csv is machine CSV on every list too (followups gave JSON before)', async () => {
    for (const path of LISTS) {
      const r = await a.get(withParam(path, 'format=csv'));
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type'), path).toMatch(/^text\/csv/);
    }
    const f = await a.get('/v1/followups?format=csv');
    const [header, first] = f.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toBe('licence,status,note,by,at');
    expect(first).toMatch(/^L-ENG,open,"Ingen har öppnat; ring förlaget",/);
  });
});

describe('xlsx', () => {
  it('holds the JSON answer cell by cell: numbers as numbers, money in kr, shares in per cent, days as dates, Swedish headers', async () => {
    for (const path of [...REPORTS, ...LISTS]) {
      const json = (await a.get(path)).json;
      const wb = await workbook(path);
      expect(wb.worksheets.map((w) => w.name)[0], path).toBe('Om rapporten');
      const ws = wb.worksheets[1];
      const rows: Record<string, unknown>[] = json.rows;
      if (!rows.length) {
        expect(ws.getCell(1, 1).value).toBe('Inga rader för urvalet.');
        continue;
      }
      const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      expect(ws.rowCount, path).toBe(rows.length + 1);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.autoFilter, path).toBe(`A1:${ws.getColumn(cols.length).letter}${rows.length + 1}`);
      cols.forEach((col, i) => {
        const w = columnInfo(col, rows.map((r) => r[col]));
        const header = ws.getCell(1, i + 1).value;
        expect(header, `${path} ${col}`).toBe(w.kind === 'ratio' ? `${w.sv} (%)` : w.sv);
        expect(ws.getColumn(i + 1).width ?? 0, `${path} ${col}`).toBeGreaterThanOrEqual(10);
        rows.forEach((r, n) => {
          const cell = ws.getCell(n + 2, i + 1);
          const v = r[col];
          const where = `${path} row ${n} ${col}`;
          if (v === null || v === undefined) expect(cell.value, where).toBeNull();
          else if (typeof v === 'number') {
            expect(cell.value, where).toBe(v);
            if (w.kind === 'money') expect(cell.numFmt, where).toBe(r.currency && r.currency !== 'SEK' ? `#,##0.00 "${r.currency}"` : '#,##0.00 "kr"');
            if (w.kind === 'ratio') expect(cell.numFmt, where).toBe('0.0%');
            if (w.kind === 'count') expect(cell.numFmt, where).toBe('#,##0');
          } else if (w.kind === 'date') {
            expect(cell.value, where).toBeInstanceOf(Date);
            expect(dayOf(cell.value as Date), where).toBe(v);
            expect(cell.numFmt).toBe('yyyy-mm-dd');
          } else if (w.kind === 'datetime') {
            expect(cell.value, where).toBeInstanceOf(Date);
            expect(cell.numFmt).toBe('yyyy-mm-dd hh:mm');
          } else if (typeof v === 'boolean') expect(cell.value, where).toBe(v ? 'Ja' : 'Nej');
          else if (typeof v === 'string') expect(cell.value, where).toBe(v);
          else expect(typeof cell.value, where).toBe('string');
        });
      });
    }
  });

  it('says on its first sheet what the report is, its period and filters, when it was made and what each column means', async () => {
    const wb = await workbook(`/v1/reports/licences?${YEAR}&product=MATTE`);
    const about = wb.worksheets[0];
    const text = about.getSheetValues().flat().filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
    expect(text[0]).toBe('Licenser');
    const pair = (label: string) => {
      const row = about.getRows(1, about.rowCount)!.find((r) => r.getCell(1).value === label);
      return row?.getCell(2).value;
    };
    expect(pair('Från')).toBe('2025-08-01');
    expect(pair('Till')).toBe('2026-07-31');
    expect(pair('Läromedel')).toBe('MATTE');
    expect(String(pair('Skapad'))).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(Europe\/Stockholm\)$/);
    expect(pair('Nyttjandegrad (%)')).toBe(COLUMNS.utilisation.meaningSv);
    expect(pair('Oanvänd kostnad')).toBe(COLUMNS.unusedCost.meaningSv);
  });

  it('speaks English with lang=en or an English Accept-Language', async () => {
    const wb = await workbook(`/v1/reports/licences?${YEAR}`, 'en');
    expect(wb.worksheets[0].name).toBe('About');
    expect(wb.worksheets[1].getCell(1, 1).value).toBe('Licence');
    const res = await fetch(`${s.url}/v1/reports/licences?${YEAR}&format=csv-excel`, {
      headers: { authorization: `Bearer ${s.adminToken}`, 'accept-language': 'en-GB,en;q=0.9,sv;q=0.5' },
    });
    expect((await res.text()).replace(/^\uFEFF/, '').split(';')[0]).toBe('Licence');
  });

  it('exports a column no table knows under its key, typed by its values', async () => {
    const w = columnInfo('missingSeatsCost', [120.5, 0]);
    expect(w).toMatchObject({ sv: 'missingSeatsCost', kind: 'money' });
    expect(columnInfo('newShare', [0.5]).kind).toBe('ratio');
    expect(columnInfo('reviewedOn', ['2026-01-01', null]).kind).toBe('date');
    expect(columnInfo('comment', ['x', 3]).kind).toBe('text');
  });
});

describe('csv-excel', () => {
  it('opens in columns in Swedish Excel: `;`, decimal comma, per cent as per cent, Swedish headers, BOM', async () => {
    const json = (await a.get(`/v1/reports/licences?${YEAR}`)).json;
    const r = await a.get(`/v1/reports/licences?${YEAR}&format=csv-excel`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toMatch(/licenskoll-licences-excel\.csv/);
    const raw = Buffer.from(await (await fetch(`${s.url}/v1/reports/licences?${YEAR}&format=csv-excel`, { headers: { authorization: `Bearer ${s.adminToken}` } })).arrayBuffer());
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...lines] = r.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    const cols = header.split(';');
    expect(cols.slice(0, 3)).toEqual(['Licens', 'Läromedel (id)', 'Läromedel']);
    expect(lines).toHaveLength(json.rows.length);
    for (const row of json.rows) {
      // Scopes hold no `;`; split is enough for this report.
      const cells = lines.map((l) => l.split(';')).find((c) => c[0] === row.licence)!;
      const at = (c: string) => cells[cols.indexOf(c)];
      expect(at('Aktiva med licens')).toBe(String(row.licensedActive));
      expect(at('Pris')).toBe(row.price.toFixed(2).replace('.', ','));
      expect(at('Oanvänd kostnad')).toBe(row.unusedCost === null ? '' : row.unusedCost.toFixed(2).replace('.', ','));
      expect(at('Nyttjandegrad (%)')).toBe(row.utilisation === null ? '' : String(Math.round(row.utilisation * 10_000) / 100).replace('.', ','));
      expect(at('Slutar')).toBe(row.end);
    }
  });
});
