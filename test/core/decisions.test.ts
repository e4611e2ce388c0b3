import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { loadScenario, roleClients, type Api } from '../helpers/scenario.ts';
import { AS_OF, CODE, ID, events, licences, products, roster } from './decisions-scenario.ts';

/**
 * Förvaltning, seat moves (figure 18) and the action list (figure 19) against hand-computed
 * answers (decisions-scenario.ts), through real HTTP on the real engine.
 */
let s: RunningServer;
let a: Api;
const who: Record<string, Api> = {};
const Q = `asOf=${AS_OF}`;
const ACTIONS = `/v1/reports/actions?${Q}&before=2026-06-30`;
const brief = (r: any) => `${r.action} ${r.licence}${r.toLicence !== null ? `>${r.toLicence || r.toSchoolName}` : ''} ${r.seats} ${r.sek}`;

beforeAll(async () => {
  s = await startServer();
  a = api(s.url, s.adminToken);
  await loadScenario(a, { events, roster, rosterAsOf: '2025-08-15', products, licences });
  Object.assign(who, await roleClients(s.url, a, { purchaser: { role: 'purchaser' }, principalS2: { role: 'principal', schools: [CODE.s2] }, principalS3: { role: 'principal', schools: [CODE.s3] }, teacher: { role: 'teacher', groups: [ID.g7A] } }));
  expect((await a.post('/v1/followups', { licence: 'L-CUT', status: 'contacted' })).status).toBe(201);
  expect((await a.post('/v1/followups', { licence: 'L-E2', status: 'open' })).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await s?.stop();
});

describe('förvaltning', () => {
  it('is stored on a licence from the API, set on a buyer by a purchaser, audited, and refused when bad', async () => {
    expect((await a.get('/v1/licences/L-M2')).json.forvaltning).toBe('Förvaltning Syd');
    const set = await who.purchaser.put(`/v1/buyers/${encodeURIComponent('Rektor Norrskolan')}/forvaltning`, { forvaltning: 'Grundskoleförvaltningen' });
    expect(set.status, set.text).toBe(200);
    expect(set.json).toEqual({ buyer: 'Rektor Norrskolan', forvaltning: 'Grundskoleförvaltningen', licences: 3, licenceForvaltningar: [] });
    expect((await who.purchaser.get('/v1/buyers')).json.rows).toEqual([
      { buyer: 'Rektor Norrskolan', forvaltning: 'Grundskoleförvaltningen', licences: 3, licenceForvaltningar: [] },
      { buyer: 'Rektor Söderskolan', forvaltning: '', licences: 2, licenceForvaltningar: ['Förvaltning Syd'] },
    ]);
    const bad = await who.purchaser.put('/v1/licences/L-E1/forvaltning', { forvaltning: 'x'.repeat(201) });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details).toEqual([{ field: 'forvaltning', reason: 'must be at most 200 characters' }]);
    expect((await who.purchaser.put('/v1/licences/L-E1/forvaltning', { forvaltning: 'A', extra: 1 })).status).toBe(400);
    expect((await who.principalS2.put('/v1/licences/L-E2/forvaltning', { forvaltning: 'A' })).status).toBe(403);
    expect((await who.purchaser.put('/v1/licences/NOPE/forvaltning', { forvaltning: 'A' })).status).toBe(404);
    // Set and cleared again: the licence keeps its other fields, the log both values.
    expect((await who.purchaser.put('/v1/licences/L-E1/forvaltning', { forvaltning: 'Tillfällig' })).json.forvaltning).toBe('Tillfällig');
    const cleared = await who.purchaser.put('/v1/licences/L-E1/forvaltning', { forvaltning: '' });
    expect(cleared.json).toMatchObject({ id: 'L-E1', seats: 3, price: 300, forvaltning: '' });
    const log = (await a.get('/v1/audit?action=licence.forvaltning')).json.rows.filter((r: any) => r.status === 200);
    expect(log.map((r: any) => [r.params.before, r.params.forvaltning])).toEqual(expect.arrayContaining([['', 'Tillfällig'], ['Tillfällig', '']]));
  });

  it('comes in through the licences CSV (Förvaltning), and a sheet without the column keeps it', async () => {
    const sheet = 'id;produkt;antal;omfattning;omfattning id;start;slut;pris;beställare;Förvaltning\nL-CSV;ENG;1;school;33300003;2025-08-01;2026-07-31;50;Rektor Västerskolan;Förvaltning Väst\n';
    const r = await a.post('/v1/import/licences?file=l.csv', sheet, { 'content-type': 'text/csv' });
    expect(r.status, r.text).toBe(200);
    expect((await a.get('/v1/licences/L-CSV')).json.forvaltning).toBe('Förvaltning Väst');
    const again = sheet.replace(';Förvaltning\n', '\n').replace(';Förvaltning Väst\n', '\n').replace(';50;', ';60;');
    expect((await a.post('/v1/import/licences?file=l.csv', again, { 'content-type': 'text/csv' })).status).toBe(200);
    expect((await a.get('/v1/licences/L-CSV')).json).toMatchObject({ price: 60, forvaltning: 'Förvaltning Väst' });
    expect((await a.del('/v1/licences/L-CSV')).status).toBe(204);
  });
});

describe('seat moves (figure 18)', () => {
  it('moves only seats nobody used, to the over-used licence first, then to the unit without one', async () => {
    const r = await a.get(`/v1/reports/seat-moves?${Q}`);
    expect(r.status, r.text).toBe(200);
    // L-M1: 6 seats, 3 in use in March (the February peak of 2 would leave 4): 3 can move.
    // L-M2 lacks 4 - 2 = 2 (150 kr a seat): 2 seats, 300 kr. Västerskolan lacks 2 and gets
    // the 1 left, at L-M1's 100 kr. L-E1's 3 seats are all in use: no ENG move, though L-E2 lacks 1.
    expect(r.json.rows.map((m: any) => [m.fromLicence, m.toLicence, m.toSchoolName, m.reason, m.lacking, m.seats, m.seatPrice, m.saving])).toEqual([
      ['L-M1', 'L-M2', 'Söderskolan', 'overused', 2, 2, 150, 300],
      ['L-M1', '', 'Västerskolan', 'unlicensed', 2, 1, 100, 100],
    ]);
    expect(r.json.rows[0]).toMatchObject({ fromSchoolName: 'Norrskolan', fromSeats: 6, fromInUse: 3, surplus: 3, toSeats: 2, toInUse: 4 });
    expect(r.json.totals).toEqual({ seats: 3, saving: 400 });
    // A move changes nothing stored: the licences keep their seats.
    expect((await a.get('/v1/licences/L-M1')).json.seats).toBe(6);
  });

  it('gives a principal the moves touching their units, a teacher 403, and CSV', async () => {
    expect((await who.principalS3.get(`/v1/reports/seat-moves?${Q}`)).json.rows.map((m: any) => m.toSchoolName)).toEqual(['Västerskolan']);
    expect((await who.principalS2.get(`/v1/reports/seat-moves?${Q}`)).json.rows.map((m: any) => m.toLicence)).toEqual(['L-M2']);
    expect((await who.teacher.get(`/v1/reports/seat-moves?${Q}`)).status).toBe(403);
    const csv = await a.get(`/v1/reports/seat-moves?${Q}&format=csv`);
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toMatch(/^product,productName,fromLicence/);
    expect(lines.length).toBe(3);
  });
});

describe('the action list (figure 19)', () => {
  it('lists everything to decide before the date, by money at stake, with the rule and the follow-up status', async () => {
    const r = await a.get(ACTIONS);
    expect(r.status, r.text).toBe(200);
    // L-CUT: nobody used it, 2,000 kr. L-M2: peak 4, renew with ceil(4.4) = 5 seats × 150 = 750 kr.
    // The move to L-M2 (300) is due now, before L-M1's reduction to ceil(2.2) = 3 seats (3 × 100 = 300).
    // L-E2's open follow-up: its price, 200 kr. The move to Västerskolan: 100 kr.
    // Flags (figures 20-25) as of 15 March: L-CUT never used in its 226 days; L-M2, L-E1 and
    // L-E2 had nobody in the last 30 days (15 Feb - 15 Mar: the use was earlier), so each is
    // low-utilisation. On L-CUT, L-M2 and L-E2 the flag joins the item already there; L-E1 has
    // no other item, so it is a follow-up with the school at its unused cost: 3 seats × 100 kr.
    expect(r.json.rows.map(brief)).toEqual([
      'cut L-CUT 0 2000', 'renew L-M2 5 750', 'move L-M1>L-M2 2 300', 'followup L-E1 null 300', 'reduce L-M1 3 300', 'followup L-E2 null 200',
      'move L-M1>Västerskolan 1 100',
    ]);
    expect(r.json.rows.map((x: any) => [x.rule, x.followupStatus, x.effect, x.due])).toEqual([
      ['no-use,flag:never-used', 'contacted', 'saving', '2026-05-31'],
      ['overused,flag:low-utilisation', null, 'cost', '2026-06-30'],
      ['seat-move:overused', null, 'saving', AS_OF],
      ['flag:low-utilisation', null, 'saving', AS_OF],
      ['peak-below-seats', null, 'saving', '2026-06-30'],
      ['followup-open,flag:low-utilisation', 'open', 'cost', AS_OF],
      ['seat-move:unlicensed', null, 'saving', AS_OF],
    ]);
    expect(r.json.rows[1].explanation).toMatch(/^4 använde licensen en månad men den har 2 platser: förnya med 5 platser \(3 fler, 450 kr\)\. Signal: /);
    expect(r.json.totals).toEqual({ saving: 3000, cost: 950, items: 7, byAction: { renew: 1, reduce: 1, cut: 1, move: 2, followup: 2, flag: 0 } });
  });

  it('is cut per buyer and per förvaltning (a move belongs to both ends), and refuses unknown names', async () => {
    const buyer = await a.get(`${ACTIONS}&buyer=${encodeURIComponent('Rektor Söderskolan')}`);
    expect(buyer.json.rows.map(brief)).toEqual(['renew L-M2 5 750', 'move L-M1>L-M2 2 300', 'followup L-E2 null 200']);
    const syd = await a.get(`${ACTIONS}&forvaltning=${encodeURIComponent('Förvaltning Syd')}`);
    expect(syd.json.rows.map(brief)).toEqual(['renew L-M2 5 750', 'move L-M1>L-M2 2 300']);
    // Rektor Norrskolan's förvaltning, set on the buyer, is that of its licences.
    const gr = await a.get(`${ACTIONS}&forvaltning=Grundskoleförvaltningen`);
    expect(gr.json.rows.map(brief)).toEqual(['cut L-CUT 0 2000', 'move L-M1>L-M2 2 300', 'followup L-E1 null 300', 'reduce L-M1 3 300', 'move L-M1>Västerskolan 1 100']);
    const unknown = await a.get(`${ACTIONS}&buyer=Ingen&forvaltning=Ingen`);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.details.map((d: any) => d.field)).toEqual(['buyer', 'forvaltning']);
    const other = await a.get(`/v1/reports/renewals?${Q}&buyer=Ingen`);
    expect(other.status).toBe(400);
    expect(other.json.error.details).toEqual([{ field: 'buyer', reason: 'only actions takes buyer' }]);
    expect((await a.get(`${ACTIONS.replace('2026-06-30', '2026-03-01')}`)).status).toBe(400);
  });

  it('gives a principal the items of their units, a teacher 403; CSV has every row', async () => {
    expect((await who.principalS2.get(ACTIONS)).json.rows.map(brief)).toEqual(['renew L-M2 5 750', 'move L-M1>L-M2 2 300', 'followup L-E2 null 200']);
    expect((await who.principalS3.get(ACTIONS)).json.rows.map(brief)).toEqual(['move L-M1>Västerskolan 1 100']);
    expect((await who.teacher.get(ACTIONS)).status).toBe(403);
    expect((await who.principalS3.get(`${ACTIONS}&school=${CODE.s1}`)).status).toBe(403);
    const csv = await a.get(`${ACTIONS}&format=csv`);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toMatch(/^action,due,licence/);
    expect(lines.length).toBe(8);
  });
});
