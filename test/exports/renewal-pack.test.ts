import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMNS } from '@licenskoll/reports';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { sendScenario } from '../core/scenario.ts';

/**
 * The renewal pack against the reports it is made of, for the same parameters: the XLSX opened
 * with exceljs cell by cell, the PDF's text by pdftotext (poppler-utils), the weekly figures
 * against the scenario by hand. Real HTTP, the real engine, the scenario of figures.test.ts.
 */
let s: RunningServer;
let a: ReturnType<typeof api>;
let principal: ReturnType<typeof api>;
let principalToken: string;
let teacher: ReturnType<typeof api>;
const dir = mkdtempSync(join(tmpdir(), 'licenskoll-pack-'));

const Q = 'asOf=2026-03-15&within=200';
const CENTRAL = 'Central förvaltning';
const NOTE = 'Ingen har öppnat; fråga förlaget om återbetalning för våren';

async function file(path: string, token = s.adminToken) {
  const res = await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

/** The PDF's text as pdftotext reads it, with Intl's no-break spaces as plain ones. */
function pdfText(pdf: Buffer, name: string): string {
  const p = join(dir, `${name}.pdf`);
  writeFileSync(p, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', p, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ');
}
const pdfPages = (pdf: Buffer, name: string) => {
  const p = join(dir, `${name}-info.pdf`);
  writeFileSync(p, pdf);
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [p], { encoding: 'utf8' }))![1]);
};
const kr = (n: number) => `${new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 0 }).format(n).replace(/[\u00a0\u202f]/g, ' ')} kr`;

beforeAll(async () => {
  s = await startServer();
  a = api(s.url, s.adminToken);
  await sendScenario(a);
  expect((await a.post('/v1/followups', { licence: 'L-ENG', status: 'open', note: NOTE })).status).toBe(201);
  // Closed again: its latest status is not open, so it is not in the pack.
  expect((await a.post('/v1/followups', { licence: 'L-S1', status: 'open', note: 'Fråga rektorn' })).status).toBe(201);
  expect((await a.post('/v1/followups', { licence: 'L-S1', status: 'keep', note: 'Behålls' })).status).toBe(201);
  const issue = async (body: object) => (await a.post('/v1/tokens', body)).json.token as string;
  principalToken = await issue({ name: 'Rektor Norrskolan', role: 'principal', schools: ['11111111'] });
  principal = api(s.url, principalToken);
  teacher = api(s.url, await issue({ name: 'Mentor 8B', role: 'teacher', groups: ['b0000000-0000-4000-8000-00000000008b'] }));
});

afterAll(async () => {
  await s?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('renewal pack figures', () => {
  it('are the renewals and unused reports and the open follow-ups for the same parameters, per buyer', async () => {
    const renewals = (await a.get(`/v1/reports/renewals?${Q}`)).json.rows;
    const unused = (await a.get('/v1/reports/unused?asOf=2026-03-15')).json.rows;
    const all = await a.get(`/v1/reports/renewal-pack?${Q}`);
    expect(all.status).toBe(200);
    expect(all.json.renewals).toEqual(renewals);
    expect(all.json.unused).toEqual(unused);
    expect(all.json.buyers).toEqual(['Central förvaltning', 'Rektor Norrskolan']);
    expect(all.json.organiser).toBe('Exempelstads kommun');

    const one = await a.get(`/v1/reports/renewal-pack?${Q}&buyer=${encodeURIComponent(CENTRAL)}`);
    expect(one.status).toBe(200);
    expect(one.json.params).toMatchObject({ asOf: '2026-03-15', within: 200, horizonEnd: '2026-10-01', buyer: CENTRAL, days: 30, threshold: 0.5, headroom: 0.1 });
    expect(one.json.renewals).toEqual(renewals.filter((r: any) => r.buyer === CENTRAL));
    expect(one.json.unused).toEqual(unused.filter((r: any) => r.buyer === CENTRAL));
    expect(one.json.renewals.map((r: any) => r.licence).sort()).toEqual(['L-ENG', 'L-ORG', 'L-STAFF']);
    // L-ENG's latest follow-up is open; L-S1's was closed (keep) and is another buyer's anyway.
    expect(one.json.followups).toEqual([{ licence: 'L-ENG', productName: 'English Online', buyer: CENTRAL, end: '2026-03-31', status: 'open', note: NOTE, by: expect.stringMatching(/\(admin\)$/), at: expect.any(String) }]);
    const rektor = await a.get(`/v1/reports/renewal-pack?${Q}&buyer=Rektor%20Norrskolan`);
    expect(rektor.json.followups).toEqual([]);
    expect(one.json.totals).toEqual({
      projectedSaving: 9800 + 4000, missingCost: 0, unusedCost: 10000 + 4000, renewals: 3, unused: 3, openFollowups: 1,
    });
  });

  it('have each licence\'s licensed active users per week (figure 6, weekly), computed by hand from the scenario', async () => {
    const r = await a.get(`/v1/reports/renewal-pack?${Q}`);
    const weekly: { licence: string; weeks: { week: string; licensedActive: number }[] }[] = r.json.weekly;
    // 26 weeks: the Monday 25 weeks before the week of 2026-03-15 (a Sunday) to 2026-03-09.
    for (const l of weekly) {
      expect(l.weeks).toHaveLength(26);
      expect(l.weeks[0].week).toBe('2025-09-15');
      expect(l.weeks[25].week).toBe('2026-03-09');
    }
    const used = Object.fromEntries(weekly.map((l) => [l.licence, Object.fromEntries(l.weeks.filter((w) => w.licensedActive > 0).map((w) => [w.week, w.licensedActive]))]));
    expect(used).toEqual({
      // P2 on 2026-02-02, enrolled at Söderskolan by then: only the organisation's licence covers them.
      'L-ORG': { '2026-02-02': 1 },
      // P2 on 2025-10-01, P3 on 3 and 4 November (one week), P1 on 20 November, P3 at 00:30 on 1 December in Stockholm.
      'L-S1': { '2025-09-29': 1, '2025-11-03': 1, '2025-11-17': 1, '2025-12-01': 1 },
      // P1 on 2026-03-05, in 8B since 1 March: the group licence is the most specific.
      'L-G': { '2026-03-02': 1 },
      'L-STAFF': { '2025-09-29': 1 },
      'L-ENG': {},
    });
  });

  it('are a principal\'s own: the reports as they see them, no follow-ups of licences that are not their school\'s', async () => {
    const renewals = (await principal.get(`/v1/reports/renewals?${Q}`)).json.rows;
    const r = await principal.get(`/v1/reports/renewal-pack?${Q}&buyer=${encodeURIComponent(CENTRAL)}`);
    expect(r.status).toBe(200);
    expect(r.json.renewals).toEqual(renewals.filter((x: any) => x.buyer === CENTRAL));
    expect(r.json.renewals.map((x: any) => [x.licence, x.reach])).toEqual(expect.arrayContaining([['L-ORG', 'partial'], ['L-STAFF', 'partial']]));
    expect(r.json.renewals.some((x: any) => x.licence === 'L-ENG')).toBe(false);
    expect(r.json.followups).toEqual([]);
    // L-ORG touches Norrskolan: its weeks count Norrskolan's pupils only (P2 had left on 10 January).
    expect(r.json.weekly.find((w: any) => w.licence === 'L-ORG').weeks.every((w: any) => w.licensedActive === 0)).toBe(true);
    const pdf = await file(`/v1/reports/renewal-pack?${Q}&format=pdf`, principalToken);
    expect(pdf.status).toBe(200);
    const text = pdfText(pdf.body, 'principal');
    expect(text).not.toMatch(/English Online|L-ENG/);
    expect(text).toContain('delvis');
  });

  it('refuse a teacher, an unknown buyer, a bad format or number with 400/403 naming the field', async () => {
    const t = await teacher.get(`/v1/reports/renewal-pack?${Q}`);
    expect(t.status).toBe(403);
    expect((await teacher.get('/v1/reports/renewal-pack/buyers')).status).toBe(403);
    const b = await a.get(`/v1/reports/renewal-pack?${Q}&buyer=Ingen%20s%C3%A5dan`);
    expect(b.status).toBe(400);
    expect(b.json.error.details[0]).toEqual({ field: 'buyer', reason: 'not the buyer of any licence you can see' });
    expect(b.json.error.message).toMatch(/buyer: "Ingen sådan" is not the buyer/);
    const f = await a.get(`/v1/reports/renewal-pack?${Q}&format=csv`);
    expect(f.status).toBe(400);
    expect(f.json.error.details[0].field).toBe('format');
    expect(f.json.error.message).toMatch(/format: must be one of json, pdf, xlsx \(got "csv"\)/);
    const w = await a.get('/v1/reports/renewal-pack?within=-1');
    expect(w.status).toBe(400);
    expect(w.json.error.details[0].field).toBe('within');
    const x = await a.get('/v1/reports/renewal-pack?colour=red');
    expect(x.status).toBe(400);
    expect(x.json.error.details).toEqual([{ field: 'colour', reason: 'is not a parameter of the renewal pack' }]);
  });

  it('lists the buyers a pack can be asked for', async () => {
    expect((await a.get('/v1/reports/renewal-pack/buyers')).json.rows).toEqual([{ buyer: CENTRAL }, { buyer: 'Rektor Norrskolan' }]);
    expect((await principal.get('/v1/reports/renewal-pack/buyers')).json.rows).toEqual([{ buyer: CENTRAL }, { buyer: 'Rektor Norrskolan' }]);
  });
});

describe('renewal pack XLSX', () => {
  it('holds the API\'s figures cell by cell with Swedish headers, money in kr, shares in per cent, days as dates', async () => {
    const json = (await a.get(`/v1/reports/renewal-pack?${Q}&buyer=${encodeURIComponent(CENTRAL)}`)).json;
    const res = await file(`/v1/reports/renewal-pack?${Q}&buyer=${encodeURIComponent(CENTRAL)}&format=xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="licenskoll-fornyelseunderlag-central-forvaltning-2026-03-15.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Om rapporten', 'Förnyelser', 'Oanvända', 'Uppföljning', 'Per vecka']);

    const about = wb.worksheets[0];
    const pair = (label: string) => about.getRows(1, about.rowCount)!.find((r) => r.getCell(1).value === label)?.getCell(2).value;
    expect(about.getCell(1, 1).value).toBe('Förnyelseunderlag');
    expect(pair('Beställare')).toBe(CENTRAL);
    expect(pair('Per datum')).toBe('2026-03-15');
    expect(pair('Horisont (dagar)')).toBe('200');
    expect(pair('Slutar senast')).toBe('2026-10-01');
    expect(pair('Möjlig besparing')).toBe(json.totals.projectedSaving);
    expect(pair('Oanvänd kostnad')).toBe(json.totals.unusedCost);
    expect(pair('Rekommenderade platser')).toBe(COLUMNS.recommendedSeats.meaningSv);

    const sheet = (name: string, rows: Record<string, unknown>[], cols: string[]) => {
      const ws = wb.getWorksheet(name)!;
      // A lead line, a blank row, then the header (frozen, with an autofilter).
      expect(ws.getCell(3, 1).value).toBe(COLUMNS[cols[0]].sv);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
      cols.forEach((c, i) => expect(ws.getCell(3, i + 1).value, `${name} ${c}`).toBe(COLUMNS[c].kind === 'ratio' ? `${COLUMNS[c].sv} (%)` : COLUMNS[c].sv));
      expect(ws.rowCount).toBe(3 + rows.length);
      rows.forEach((r, n) => cols.forEach((c, i) => {
        const cell = ws.getCell(4 + n, i + 1);
        const v = r[c];
        const where = `${name} row ${n} ${c}`;
        if (v === null || v === undefined) expect(cell.value, where).toBeNull();
        else if (typeof v === 'number') {
          expect(cell.value, where).toBe(v);
          expect(cell.numFmt, where).toBe({ money: '#,##0.00 "kr"', ratio: '0.0%', count: '#,##0' }[COLUMNS[c].kind as string] ?? cell.numFmt);
        } else if (COLUMNS[c].kind === 'date') {
          expect(cell.value, where).toBeInstanceOf(Date);
          expect((cell.value as Date).toISOString().slice(0, 10), where).toBe(v);
          expect(cell.numFmt, where).toBe('yyyy-mm-dd');
        } else if (COLUMNS[c].kind === 'datetime') expect(cell.value, where).toBeInstanceOf(Date);
        else expect(cell.value, where).toBe(v);
      }));
    };
    sheet('Förnyelser', json.renewals, ['licence', 'productName', 'buyer', 'end', 'daysToExpiry', 'seats', 'peak', 'recommendedSeats', 'projectedSaving', 'seatsMissing', 'missingCost', 'cost']);
    // Status in words: every unused row of this buyer is "Oanvänd".
    sheet('Oanvända', json.unused.map((r: any) => ({ ...r, status: { unused: 'Oanvänd', underused: 'Underutnyttjad' }[r.status as string] })), ['licence', 'productName', 'buyer', 'status', 'end', 'seats', 'licensedActive', 'utilisation', 'unusedSeats', 'unusedCost', 'cost']);
    sheet('Uppföljning', json.followups.map((r: any) => ({ ...r, status: 'Öppen' })), ['licence', 'productName', 'buyer', 'end', 'status', 'note']);
    const weeks = json.weekly.flatMap((l: any) => l.weeks.map((w: any) => ({ licence: l.licence, productName: l.productName, week: w.week, licensedActive: w.licensedActive })));
    sheet('Per vecka', weeks, ['licence', 'productName', 'week', 'licensedActive']);
  });

  it('is in English with lang=en', async () => {
    const res = await file(`/v1/reports/renewal-pack?${Q}&format=xlsx&lang=en`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['About', 'Renewals', 'Unused', 'Follow-ups', 'Per week']);
    expect(wb.getWorksheet('Renewals')!.getCell(3, 7).value).toBe('Peak use');
  });
});

describe('renewal pack PDF', () => {
  it('has the title, buyer, period, every figure of the pack, Swedish letters and "Sida i av N"', async () => {
    const json = (await a.get(`/v1/reports/renewal-pack?${Q}&buyer=${encodeURIComponent(CENTRAL)}`)).json;
    const res = await file(`/v1/reports/renewal-pack?${Q}&buyer=${encodeURIComponent(CENTRAL)}&format=pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(res.body, 'central');
    const pages = pdfPages(res.body, 'central');
    expect(text).toContain('Förnyelseunderlag');
    expect(text).toContain(CENTRAL);
    expect(text).toContain('Exempelstads kommun');
    expect(text).toContain('2026-03-15 – 2026-10-01 (inom 200 dagar)');
    expect(text).toContain('Licenser som slutar inom 200 dagar');
    expect(text).toContain('Oanvända och underutnyttjade licenser');
    expect(text).toContain('Öppna uppföljningsärenden');
    expect(text).toContain('Aktiva med licens per vecka');
    expect(text).toContain('Vad betyder det här?');
    expect(text).toMatch(/[åäö]/);
    expect(text).toContain('Högsta användning');
    // The note wraps in its cell: its words, with å ä ö, are all there.
    for (const word of NOTE.split(' ')) expect(text).toContain(word);
    for (const r of json.renewals) {
      expect(text).toContain(r.licence);
      expect(text).toContain(r.end);
      if (r.projectedSaving !== null) expect(text).toContain(kr(r.projectedSaving));
      expect(text).toContain(`${r.daysToExpiry} dagar kvar`);
    }
    for (const r of json.unused) if (r.unusedCost !== null) expect(text).toContain(kr(r.unusedCost));
    expect(text).toContain(kr(json.totals.projectedSaving));
    expect(text).toContain(kr(json.totals.unusedCost));
    // L-ORG's one licensed active week, 2026-02-02, under its chart.
    expect(text).toContain('Högst 1 (veckan från 2026-02-02), senaste veckan 0');
    expect(text).toMatch(/Ingen användning under perioden: English Online \(L-ENG\)/);
    expect(pages).toBeGreaterThanOrEqual(2);
    for (let i = 1; i <= pages; i++) expect(text).toContain(`Sida ${i} av ${pages}`);
    // Counts and money only: no pupil's identifier or pseudonym is in it.
    expect(text).not.toMatch(/c0000000-|@edu\.exempel\.se|[0-9a-f]{32}/i);
  });

  it('is in English with lang=en', async () => {
    const res = await file(`/v1/reports/renewal-pack?${Q}&format=pdf&lang=en`);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="licenskoll-renewal-pack-all-2026-03-15.pdf"');
    const text = pdfText(res.body, 'en');
    const pages = pdfPages(res.body, 'en');
    expect(text).toContain('Renewal pack');
    expect(text).toContain('All buyers');
    expect(text).toContain('Licences ending within 200 days');
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text).toContain('SEK 9,800');
    expect(text).toContain('What does this mean?');
  });

  // Last: the licences it adds would change the figures above.
  it('carries a long table over page breaks, its header on every page, no row lost', async () => {
    const ids = Array.from({ length: 45 }, (_, i) => `L-GY-${String(i + 1).padStart(2, '0')}`);
    const more = ids.map((id, i) => ({
      id, product: 'ENG', seats: 10 + i, scope: { type: 'school', ids: ['22222222'] }, audience: 'students', price: 1000 + i,
      currency: 'SEK', buyer: 'Gymnasieförvaltningen', start: '2025-08-01', end: '2026-05-31',
    }));
    expect((await a.post('/v1/licences', more)).status).toBe(201);
    const res = await file(`/v1/reports/renewal-pack?${Q}&buyer=Gymnasief%C3%B6rvaltningen&format=pdf`);
    expect(res.status).toBe(200);
    const pages = pdfText(res.body, 'long').split('\f').filter((p) => p.trim());
    // The renewals table: from its section title to the next section's.
    const first = pages.findIndex((p) => p.includes('Licenser som slutar inom 200 dagar'));
    const last = pages.findIndex((p) => p.includes('Oanvända och underutnyttjade licenser'));
    expect(last).toBeGreaterThan(first);
    for (const p of pages.slice(first, last + 1)) expect(p).toMatch(/Rekommenderade\s+platser/);
    const joined = pages.slice(first, last + 1).join('\n');
    const table = joined.slice(0, joined.indexOf('Oanvända och underutnyttjade licenser'));
    for (const id of ids) expect(table).toContain(id);
    pages.forEach((p, i) => expect(p).toContain(`Sida ${i + 1} av ${pages.length}`));
  });
});
