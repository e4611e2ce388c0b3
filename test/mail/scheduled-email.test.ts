import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { skipWithout } from '../helpers/required.ts';
import { selfSignedCertificate, TestSmtp, type Received } from '../helpers/smtp.ts';
import { ID, sendScenario } from '../core/scenario.ts';

/**
 * Scheduled e-mail end to end (docs/email.md): a real SMTP server inside the test (smtp-server,
 * STARTTLS with a certificate made here, login required), the real service as its own process.
 * Schedules are six-field crons (seconds first) set a few seconds ahead in the organiser's zone,
 * so a schedule fires while the test watches. The attachment is opened with exceljs and its
 * figures checked by hand and against the API. Then the SMTP server is stopped (the mail waits
 * and goes once when it is back), made to refuse the login (a clear status, nothing else stops),
 * and the service is SIGKILLed while a mail is in the middle of its SMTP transaction.
 */
const TZ = 'Europe/Stockholm';
const tls = selfSignedCertificate();
const skip = skipWithout('scheduled e-mail', tls ? null : 'openssl is needed to make the test certificate');

const dayIn = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** A daily six-field cron at the wall-clock second `ms` from now in the organiser's zone. */
function cronIn(ms: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(Date.now() + ms)).map((p) => [p.type, Number(p.value)]),
  );
  return `${parts.second} ${parts.minute} ${parts.hour} * * *`;
}
async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sheetOf(m: Received) {
  expect(m.mail.attachments).toHaveLength(1);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(m.mail.attachments[0].content as never);
  const ws = wb.worksheets[1];
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, unknown>[] = [];
  for (let i = 2; i <= ws.rowCount; i++) {
    const v = (ws.getRow(i).values as unknown[]).slice(1);
    if (v.length) rows.push(Object.fromEntries(header.map((h, j) => [h, v[j]])));
  }
  return { wb, ws, header, rows };
}

/** Every cell of every sheet as text: for looking for what must not be there. */
function allText(wb: ExcelJS.Workbook): string {
  const out: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((r) => r.eachCell((c) => out.push(String(c.value)))));
  return out.join('\n');
}

let smtp: TestSmtp;
let s: RunningServer;
let a: ReturnType<typeof api>;
let env: Record<string, string>;
let dataDir = '';
const today = dayIn(new Date());

beforeAll(async () => {
  if (skip) return;
  smtp = new TestSmtp(tls!);
  await smtp.start();
  env = {
    LICENSKOLL_SMTP_HOST: '127.0.0.1',
    LICENSKOLL_SMTP_PORT: String(smtp.port),
    LICENSKOLL_SMTP_SECURE: 'starttls',
    LICENSKOLL_SMTP_USER: smtp.user,
    LICENSKOLL_SMTP_PASSWORD: smtp.password,
    LICENSKOLL_SMTP_FROM: 'Licenskoll <licenskoll@exempel.se>',
    LICENSKOLL_SMTP_CA_FILE: tls!.certFile,
    LICENSKOLL_MAIL_RETRY_FIRST: '500ms',
    LICENSKOLL_MAIL_RETRY_MAX: '2s',
  };
  s = await startServer({ env, keepData: true });
  dataDir = s.dataDir;
  a = api(s.url, s.adminToken);
  await sendScenario(a);
  // Licences ending soon from today, and use in the last full month: p1, p3, p4 (Norrskolan)
  // use Matte Direkt, p2 and p5 (Söderskolan since January) English Online.
  const start = addDays(today, -180);
  const lastMonth = new Date(Date.parse(`${today.slice(0, 7)}-01T00:00:00Z`) - 86_400_000).toISOString().slice(0, 7);
  const ls = [
    { id: 'L-MAIL-A', product: 'MATTE', seats: 10, scope: { type: 'school', ids: ['11111111'] }, audience: 'students', start, end: addDays(today, 20), price: 2500, buyer: 'Rektor Norrskolan' },
    { id: 'L-MAIL-B', product: 'ENG', seats: 8, scope: { type: 'school', ids: ['22222222'] }, audience: 'students', start, end: addDays(today, 45), price: 1600, buyer: 'Inköp <inkop@exempel.se>' },
    { id: 'L-MAIL-C', product: 'MATTE', seats: 50, scope: { type: 'organisation', ids: [ID.org] }, audience: 'students', start, end: addDays(today, 300), price: 5000, buyer: 'Central förvaltning' },
  ];
  expect((await a.post('/v1/licences', ls)).status).toBe(201);
  const ev = (user: string, product: string, n: number) => ({ id: `mail-${n}`, type: 'login', time: `${lastMonth}-10T09:0${n}:00Z`, user, product });
  const events = [
    ev('p1@edu.exempel.se', 'https://sp.matte.example/shibboleth', 1), ev('p3@edu.exempel.se', 'https://sp.matte.example/shibboleth', 2),
    ev('p4@edu.exempel.se', 'https://sp.matte.example/shibboleth', 3), ev('p2@edu.exempel.se', 'eng.example.com', 4), ev('p5@edu.exempel.se', 'eng.example.com', 5),
  ];
  expect((await a.post('/v1/events', events)).status).toBe(202);
  expect((await a.post('/v1/followups', { licence: 'L-MAIL-A', status: 'open', note: 'Fråga rektorn om sex platser räcker' })).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await s?.stop();
  await smtp?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const subscription = (over: Record<string, unknown>) => ({ name: 'Test', report: 'renewals', format: 'xlsx', lang: 'sv', params: { within: 60 }, ...over });

describe.skipIf(skip)('scheduled e-mail', () => {
  it('refuses bad input with 400 naming each field', async () => {
    const r = await a.post('/v1/subscriptions', {
      name: 'Fel', report: 'forecast', schedule: '0 25 * * 1', recipients: { kind: 'addresses', addresses: ['inköp at kommun'] },
    });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('invalid_subscription');
    const fields = r.json.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['recipients.addresses.0', 'report', 'schedule']);
    expect(r.json.error.message).toMatch(/report: unknown report "forecast": one of renewals, unused, overview, followups, renewal-pack/);
    expect(r.json.error.message).toMatch(/schedule: is not a valid cron expression: Invalid value for hour: 25/);
    expect(r.json.error.message).toMatch(/recipients\.addresses\.0: is not an e-mail address \(got "inköp at kommun"\)/);

    const pdf = await a.post('/v1/subscriptions', subscription({ report: 'overview', format: 'pdf', params: { days: 7, within: 3 }, schedule: 'every monday', recipients: { kind: 'buyers' } }));
    expect(pdf.status).toBe(400);
    expect(pdf.json.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['format', 'params.within', 'recipients.kind', 'schedule']);
    expect((await a.post('/v1/subscriptions', subscription({ schedule: '0 7 * * 1', recipients: { kind: 'buyers', addresses: { 'Rektor Norrskolan': 'rektor' } } }))).json.error.details)
      .toEqual([{ field: 'recipients.addresses.Rektor Norrskolan', reason: 'is not an e-mail address (got "rektor")' }]);
    expect((await a.get('/v1/subscriptions')).json.rows).toEqual([]);
  });

  let day = '';
  it('sends each recipient their mail when the schedule fires: over STARTTLS with login, the figures the API gives', { timeout: 60_000 }, async () => {
    const schedule = cronIn(8_000);
    const all = await a.post('/v1/subscriptions', subscription({ name: 'Förnyelser, alla', schedule, recipients: { kind: 'addresses', addresses: ['inkopschef@exempel.se'] } }));
    expect(all.status).toBe(201);
    const buyers = await a.post('/v1/subscriptions', subscription({
      name: 'Förnyelser till beställarna', schedule, recipients: { kind: 'buyers', within: 60, addresses: { 'Rektor Norrskolan': 'rektor@norr.exempel.se' } },
    }));
    expect(buyers.status).toBe(201);
    const list = await a.get('/v1/subscriptions');
    expect(list.json.mail).toMatchObject({ configured: true, host: '127.0.0.1', security: 'starttls', from: 'licenskoll@exempel.se' });
    expect(list.json.rows.map((r: { id: string }) => r.id)).toEqual([all.json.id, buyers.json.id]);

    await waitFor('three mails', () => smtp.received.length >= 3);
    await sleep(1_000);
    expect(smtp.received).toHaveLength(3);
    expect(smtp.received.every((m) => m.secure && m.user === 'licenskoll')).toBe(true);
    const to = (addr: string) => smtp.received.find((m) => m.to[0] === addr)!;
    const chief = to('inkopschef@exempel.se');
    const period = String(chief.mail.headers.get('x-licenskoll-period'));
    day = period.slice(0, 10);
    expect(chief.mail.subject).toBe(`Licenskoll: Licenser som ska förnyas, ${day}`);
    expect(chief.mail.from?.value[0].address).toBe('licenskoll@exempel.se');
    expect(chief.mail.messageId).toMatch(/^<[0-9a-f]{32}\.licenskoll@exempel\.se>$/);
    expect(chief.mail.text).toMatch(/2 licenser slutar inom 60 dagar/);

    // Hand-computed: peak 3 (p1, p3, p4 last month), 3 x 1.1 -> 4 seats, (10 - 4) x 2500 / 10 saved;
    // peak 2 (p2, p5), 2 x 1.1 -> 3 seats, (8 - 3) x 1600 / 8 saved. L-MAIL-C ends after 60 days.
    const { rows, ws, header } = await sheetOf(chief);
    const byLicence = new Map(rows.map((r) => [r.Licens, r]));
    expect([...byLicence.keys()].sort()).toEqual(['L-MAIL-A', 'L-MAIL-B']);
    expect(byLicence.get('L-MAIL-A')).toMatchObject({ 'Högsta användning': 3, 'Rekommenderade platser': 4, 'Möjlig besparing': 1500, Beställare: 'Rektor Norrskolan' });
    expect(byLicence.get('L-MAIL-B')).toMatchObject({ 'Högsta användning': 2, 'Rekommenderade platser': 3, 'Möjlig besparing': 1000 });
    expect(ws.getCell(2, header.indexOf('Möjlig besparing') + 1).numFmt).toBe('#,##0.00 "kr"');
    // ... and the API's answer for the same day and horizon, row by row.
    const api = await a.get(`/v1/reports/renewals?asOf=${day}&within=60`);
    expect(api.json.rows.map((r: { licence: string }) => r.licence).sort()).toEqual(['L-MAIL-A', 'L-MAIL-B']);
    for (const r of api.json.rows) {
      expect(byLicence.get(r.licence)).toMatchObject({ 'Högsta användning': r.peak, 'Rekommenderade platser': r.recommendedSeats, 'Möjlig besparing': r.projectedSaving, Platser: r.seats, 'Dagar kvar': r.daysToExpiry });
    }

    // Each buyer gets their own licences only: counts and money, no pupil.
    const rektor = await sheetOf(to('rektor@norr.exempel.se'));
    expect(rektor.rows.map((r) => r.Licens)).toEqual(['L-MAIL-A']);
    const inkop = await sheetOf(to('inkop@exempel.se'));
    expect(inkop.rows.map((r) => r.Licens)).toEqual(['L-MAIL-B']);
    for (const m of smtp.received) {
      const text = `${allText((await sheetOf(m)).wb)}\n${m.mail.text}`;
      expect(text).not.toMatch(/edu\.exempel\.se|c0000000-0000-4000/i);
    }
    expect(to('rektor@norr.exempel.se').mail.text).toMatch(/för Rektor Norrskolan/);

    const audit = await a.get('/v1/audit?action=mail.sent');
    expect(audit.json.rows.map((r: { params: { recipient: string } }) => r.params.recipient).sort()).toEqual(['inkop@exempel.se', 'inkopschef@exempel.se', 'rektor@norr.exempel.se']);
    expect(audit.json.rows.every((r: { role: string; via: string }) => r.role === 'system' && r.via === 'mail')).toBe(true);
    const after = await a.get('/v1/subscriptions');
    expect(after.json.rows.map((r: { status: { state: string; lastSent: { period: string } } }) => [r.status.state, r.status.lastSent.period])).toEqual([['ok', period], ['ok', period]]);
    expect(after.json.mail.transport.state).toBe('ok');
  });

  it('attaches the renewal pack as PDF, cut to one buyer, with the figures of the renewals report', { timeout: 60_000 }, async () => {
    const bad = await a.post('/v1/subscriptions', subscription({ report: 'renewal-pack', format: 'csv', schedule: '0 7 1 1 *', recipients: { kind: 'addresses', addresses: ['x@exempel.se'] } }));
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: { field: string }) => d.field)).toContain('format');
    const sub = await a.post('/v1/subscriptions', subscription({
      name: 'Förnyelseunderlag', report: 'renewal-pack', format: 'pdf', params: { within: 60 }, schedule: '0 7 1 1 *',
      recipients: { kind: 'buyers', within: 60, addresses: { 'Rektor Norrskolan': 'rektor@norr.exempel.se' } },
    }));
    expect(sub.status).toBe(201);
    const res = await fetch(`${s.url}/v1/subscriptions/${sub.json.id}/file?buyer=${encodeURIComponent('Rektor Norrskolan')}`, { headers: { authorization: `Bearer ${s.adminToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/pdf/);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: Buffer.from(await res.arrayBuffer()) }).toString();
    expect(text).toMatch(/Sida 1 av \d+/);
    expect(text).toMatch(/L-MAIL-A/);
    const renewals = (await a.get(`/v1/reports/renewals?asOf=${today}&within=60`)).json.rows.filter((r: { buyer: string }) => r.buyer === 'Rektor Norrskolan');
    expect(renewals.map((r: { licence: string }) => r.licence)).toEqual(['L-MAIL-A']);
    expect(text).not.toMatch(/L-MAIL-B/);
    expect(text).not.toMatch(/edu\.exempel\.se/);
    await a.del(`/v1/subscriptions/${sub.json.id}`);
  });

  it('keeps a mail while the SMTP server is down, tries again with back-off, and sends it once when it is back', { timeout: 60_000 }, async () => {
    await smtp.stop();
    const sub = await a.post('/v1/subscriptions', subscription({
      name: 'Oanvända', report: 'unused', format: 'csv-excel', params: { days: 30 }, schedule: cronIn(6_000), recipients: { kind: 'addresses', addresses: ['controller@exempel.se'] },
    }));
    expect(sub.status).toBe(201);
    const failing = await waitFor('three failed attempts', async () => {
      const r = await a.get(`/v1/subscriptions/${sub.json.id}`);
      return r.json.deliveries[0]?.attempts >= 3 && r.json.deliveries[0].state === 'failed' && r.json;
    });
    expect(failing.status.state).toBe('failing');
    expect(failing.status.lastError.error).toMatch(/cannot reach the SMTP server 127\.0\.0\.1/);
    // Nothing else stops: reports answer.
    expect((await a.get(`/v1/reports/unused?asOf=${today}`)).status).toBe(200);

    await smtp.start();
    const [m] = await waitFor('the mail after the server is back', () => smtp.of(sub.json.id).length > 0 && smtp.of(sub.json.id));
    await sleep(3_000);
    expect(smtp.of(sub.json.id)).toHaveLength(1);
    const d = (await a.get(`/v1/subscriptions/${sub.json.id}`)).json;
    expect(d.deliveries).toHaveLength(1);
    expect(d.deliveries[0].state).toBe('sent');
    expect(d.deliveries[0].attempts).toBeGreaterThanOrEqual(4);
    expect(d.status.state).toBe('ok');
    // The Swedish-Excel CSV: BOM, `;`, Swedish headers, one line per licence the API lists as unused.
    const csv = m.mail.attachments[0].content.toString('utf8');
    expect(csv.startsWith('\uFEFFLicens;')).toBe(true);
    const periodDay = String(m.mail.headers.get('x-licenskoll-period')).slice(0, 10);
    const unused = await a.get(`/v1/reports/unused?asOf=${periodDay}&days=30`);
    const lines = csv.trim().split('\r\n').slice(1);
    expect(lines.map((l) => l.split(';')[0]).sort()).toEqual(unused.json.rows.map((r: { licence: string }) => r.licence).sort());
  });

  it('shows a refused login as the subscription\'s status, and "send now to me" answers with it; nothing else stops', { timeout: 60_000 }, async () => {
    const subs = (await a.get('/v1/subscriptions')).json.rows;
    smtp.password = 'ändrat';
    const tryIt = await a.post(`/v1/subscriptions/${subs[0].id}/send-now`, { to: 'admin@exempel.se' });
    expect(tryIt.status).toBe(502);
    expect(tryIt.json.error.code).toBe('smtp_auth');
    expect(tryIt.json.error.message).toMatch(/refused the login of LICENSKOLL_SMTP_USER "licenskoll".*535/);
    expect(tryIt.json.error.details[0].field).toBe('LICENSKOLL_SMTP_USER');
    expect((await a.post(`/v1/subscriptions/${subs[0].id}/send-now`, { to: 'admin' })).json.error.details[0].field).toBe('to');

    const sub = await a.post('/v1/subscriptions', subscription({ name: 'Åtgärdslista', report: 'followups', params: {}, schedule: cronIn(6_000), recipients: { kind: 'addresses', addresses: ['atgard@exempel.se'] } }));
    const st = await waitFor('the refused login on the subscription', async () => {
      const r = (await a.get('/v1/subscriptions')).json;
      const mine = r.rows.find((x: { id: string }) => x.id === sub.json.id);
      return mine.status.state === 'failing' && /refused the login/.test(mine.status.lastError?.error ?? '') && r;
    });
    expect(st.mail.transport.state).toBe('auth');
    expect((await a.get(`/v1/reports/renewals?asOf=${today}`)).status).toBe(200);
    expect((await a.get(`/v1/subscriptions/${sub.json.id}/file`)).status).toBe(200);

    smtp.password = env.LICENSKOLL_SMTP_PASSWORD;
    await waitFor('the action list once the login works', () => smtp.of(sub.json.id).length > 0);
    const list = await sheetOf(smtp.of(sub.json.id)[0]);
    expect(list.rows.map((r) => [r.Licens, r.Status, r.Anteckning])).toEqual([['L-MAIL-A', 'open', 'Fråga rektorn om sex platser räcker']]);
    expect(list.header).not.toContain('Av');

    const ok = await a.post(`/v1/subscriptions/${subs[1].id}/send-now`, { to: 'admin@exempel.se', buyer: 'Rektor Norrskolan' });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ sent: true, to: 'admin@exempel.se', buyer: 'Rektor Norrskolan' });
    const trial = await waitFor('the try', () => smtp.received.find((m) => m.to[0] === 'admin@exempel.se'));
    expect(trial.mail.subject).toMatch(/^\[Prov\] Licenskoll: Licenser som ska förnyas/);
    expect((await sheetOf(trial)).rows.map((r) => r.Licens)).toEqual(['L-MAIL-A']);
    // A try is not the schedule's: its subscription still has its one period sent.
    expect(smtp.of(subs[1].id).filter((m) => m.to[0] !== 'admin@exempel.se')).toHaveLength(2);
  });

  it('sends nothing twice and loses nothing when the service is killed in the middle of sending', { timeout: 120_000 }, async () => {
    const sub = await a.post('/v1/subscriptions', subscription({
      name: 'Tre mottagare', schedule: cronIn(6_000), recipients: { kind: 'addresses', addresses: ['a@exempel.se', 'b@exempel.se', 'c@exempel.se'] },
    }));
    expect(sub.status).toBe(201);
    smtp.hold = (to) => to.includes('b@exempel.se');
    const held = smtp.held();
    await held;
    // b's message is read whole and waits for the server's 250: the service dies now.
    await s.kill();
    smtp.hold = null;
    expect(smtp.of(sub.json.id).map((m) => m.to[0])).toEqual(['a@exempel.se']);

    s = await startServer({ env, dataDir });
    a = api(s.url, s.adminToken);
    await waitFor('b and c after the restart', () => smtp.of(sub.json.id).length >= 3, 60_000);
    await sleep(3_000);
    const got = smtp.of(sub.json.id);
    expect(got.map((m) => m.to[0]).sort()).toEqual(['a@exempel.se', 'b@exempel.se', 'c@exempel.se']);
    expect(new Set(got.map((m) => m.mail.headers.get('x-licenskoll-period'))).size).toBe(1);
    const d = (await a.get(`/v1/subscriptions/${sub.json.id}`)).json;
    expect(d.deliveries.map((x: { recipient: string; state: string; attempts: number }) => [x.recipient, x.state, x.attempts]).sort())
      .toEqual([['a@exempel.se', 'sent', 1], ['b@exempel.se', 'sent', 2], ['c@exempel.se', 'sent', 1]]);
    // The earlier subscriptions' periods were not planned again by the new start.
    expect(smtp.received.filter((m) => m.to[0] === 'inkopschef@exempel.se')).toHaveLength(1);
  });
});
