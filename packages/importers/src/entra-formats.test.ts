import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvUtcTime } from './entra-csv.ts';
import { NEXT_LINK_HINT, parseEntraSignIns } from './entra.ts';
import { sniff } from './sniff.ts';

/**
 * The same five sign-ins (test-fixtures/entra/same-signins) as every export Microsoft
 * offers: a Graph page, the admin centre's CSV in English and in Swedish, and Log
 * Analytics rows as JSON, as the query API's tables and as the portal's CSV.
 */
const fx = (name: string) => readFileSync(new URL(`../test-fixtures/entra/same-signins/${name}`, import.meta.url));

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Times as instants: `07:12:31Z` and `07:12:31.000Z` are the same moment, and stored the same. */
const instants = <T extends { time: string }>(es: T[]) => es.map((e) => ({ ...e, time: new Date(e.time).toISOString() }));

const MATTE = '8561c6ac-2ac2-452c-a526-0c53292f9116';
const SVENSKA = '0f9e8d7c-6b5a-4000-8000-00000000b001';
const login = (id: string, time: string, user: string, product: string) => ({ id, type: 'login', time, user, product, source: 'entra' });
// Sign-ins 1, 2 and 4 succeed; 3 is a wrong password (50126), 5 an interrupted one (50140).
const EVENTS = [
  login('055e572f-7494-415b-8a7e-de9295b67c8e', '2024-09-02T07:12:31Z', 'astrid.exempel@edu.example.se', MATTE),
  login('6a1f2b3c-0000-4000-8000-00000000a002', '2024-09-02T08:01:02Z', 'nils.testsson@edu.example.se', SVENSKA),
  login('6a1f2b3c-0000-4000-8000-00000000a004', '2024-09-03T06:55:10Z', 'astrid.exempel@edu.example.se', MATTE),
];
const CODES: Record<string, Record<string, number>> = { [MATTE]: { 50126: 1 }, [SVENSKA]: { 50140: 1 } };

const FILES: [string, string, string][] = [
  ['graph-page.json', 'graph-page', 'an Entra sign-in log (Microsoft Graph page)'],
  ['InteractiveSignIns_2024-09-02_2024-09-04.csv', 'portal-csv', 'an Entra sign-in CSV download (admin centre)'],
  ['Inloggningar_2024-09-02_2024-09-04.csv', 'portal-csv-sv', 'an Entra sign-in CSV download (admin centre, Swedish headers)'],
  ['log-analytics-rows.json', 'log-analytics', 'an Entra sign-in log (Log Analytics export)'],
  ['log-analytics-query.json', 'log-analytics-query', 'an Entra sign-in log (Log Analytics query answer)'],
  ['SigninLogs.csv', 'log-analytics-csv', 'an Entra sign-in log (Log Analytics CSV export)'],
];

describe('the same sign-ins in every export', () => {
  it.each(FILES)('%s gives the same logins and failures', async (file, variant, label) => {
    expect(sniff(new Uint8Array(fx(file)))).toEqual({ format: 'entra-signins', variant, label, kind: 'entra-signins' });
    const res = await parseEntraSignIns(fx(file), { fileName: file });
    expect(instants(await all(res.records))).toEqual(instants(EVENTS));
    expect(Object.fromEntries(res.failures.map((f) => [f.product, f.byCode]))).toEqual(CODES);
    expect(res.stats).toEqual({ read: 5, kept: 3, rejected: 0, skipped: 2 });
    expect(res.apps.map((a) => [a.appId, a.signIns])).toEqual([[MATTE, 2], [SVENSKA, 1]]);
  });

  it('finds CSV columns by name: reordered and with columns dropped, the download reads the same', async () => {
    const lines = fx('InteractiveSignIns_2024-09-02_2024-09-04.csv').toString().replace(/^\uFEFF/, '').trim().split('\r\n');
    // Keep five columns, in another order; none of these values holds a comma.
    const header = lines[0].split(',');
    const keep = ['Status', 'Application ID ', 'Sign-in error code', 'Username', 'Request ID', 'Date (UTC)'].map((h) => header.indexOf(h));
    const rows = lines.slice(1).map((l) => l.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '')));
    const csv = [keep.map((i) => header[i]).join(';'), ...rows.map((r) => keep.map((i) => r[i]).join(';'))].join('\n');
    expect(await all((await parseEntraSignIns(csv)).records)).toEqual(EVENTS);
  });

  it('reads a KQL projection of four columns, deriving stable ids', async () => {
    const csv = 'TimeGenerated,UserPrincipalName,AppId,ResultType\n2024-09-02T07:16:02Z,astrid.exempel@edu.example.se,8561c6ac-2ac2-452c-a526-0c53292f9116,0\n2024-09-02T08:09:13Z,astrid.exempel@edu.example.se,8561c6ac-2ac2-452c-a526-0c53292f9116,50126\n';
    const res = await parseEntraSignIns(csv);
    const events = await all(res.records);
    expect(events).toEqual([{ ...login(expect.stringMatching(/^[0-9a-f]{32}$/) as unknown as string, '2024-09-02T07:16:02Z', 'astrid.exempel@edu.example.se', MATTE) }]);
    expect((await all((await parseEntraSignIns(csv)).records))[0].id).toBe(events[0].id);
    const json = JSON.stringify([{ TimeGenerated: '2024-09-02T07:16:02Z', UserPrincipalName: 'astrid.exempel@edu.example.se', AppId: MATTE, ResultType: '0' }]);
    expect(sniff(json)).toMatchObject({ kind: 'entra-signins', variant: 'log-analytics' });
    expect(await all((await parseEntraSignIns(json)).records)).toEqual(events);
  });

  it('names file, row and the column as the file spells it for a bad row, and keeps the good ones', async () => {
    const text = fx('Inloggningar_2024-09-02_2024-09-04.csv').toString().replace('2024-09-03T06:55:10Z', 'i tisdags');
    const res = await parseEntraSignIns(text, { fileName: 'Inloggningar.csv' });
    expect(await all(res.records)).toEqual(EVENTS.slice(0, 2));
    // The fourth sign-in is the fifth row (the header is row 1).
    expect(res.rejected).toEqual([{ file: 'Inloggningar.csv', row: 5, line: 5, field: 'Datum (UTC)', reason: '"i tisdags" is not a time' }]);
  });

  it('refuses a CSV without the columns it needs, listing what it accepts', async () => {
    const res = await parseEntraSignIns('Date (UTC),Username,Status\n2024-09-02T07:12:31Z,a@example.se,Success\n', { fileName: 's.csv' });
    expect(await all(res.records)).toEqual([]);
    expect(res.rejected).toEqual([{ file: 's.csv', row: 1, line: 1, field: 'application id', reason: expect.stringMatching(/^column missing; accepted headers: application id, appid/) }]);
  });

  it('skips the rows of a service principal download, which have no person', async () => {
    const csv = 'Date (UTC),Request ID,Service principal ID,Service principal name,Application,Application ID ,Status,Sign-in error code\n2024-09-02T07:00:00Z,r1,sp-1,Backup,Backup,app-9,Success,0\n';
    const res = await parseEntraSignIns(csv);
    expect(await all(res.records)).toEqual([]);
    expect(res.skippedReasons).toEqual({ 'service principal or managed identity sign-in (no person)': 1 });
  });

  it('reads the time formats of the UTC columns', () => {
    expect(csvUtcTime('2024-09-02T07:12:31Z')).toBe('2024-09-02T07:12:31Z');
    expect(csvUtcTime('2024-09-02 07:12:31')).toBe('2024-09-02T07:12:31.000Z');
    expect(csvUtcTime('9/2/2024, 7:12:31.000 PM')).toBe('2024-09-02T19:12:31.000Z');
    expect(csvUtcTime('9/2/2024, 12:05:00 AM')).toBe('2024-09-02T00:05:00Z');
    expect(csvUtcTime('2 september')).toBeNull();
  });
});

describe('a Graph page that is not the last', () => {
  it('says more pages exist and how to get them', async () => {
    const res = await parseEntraSignIns(fx('graph-page.json'));
    await all(res.records);
    expect(res.nextLink).toBe('https://graph.microsoft.com/v1.0/auditLogs/signIns?$top=5&$skiptoken=EXAMPLE2');
    expect(res.notes).toEqual([NEXT_LINK_HINT]);
  });

  it('takes the link of the last page when pages are put one after another', async () => {
    const page = JSON.parse(fx('graph-page.json').toString());
    const last = { ...page, value: [], '@odata.nextLink': undefined };
    const res = await parseEntraSignIns(`${JSON.stringify(page)}\n${JSON.stringify(last)}`);
    expect(await all(res.records)).toHaveLength(3);
    expect(res.nextLink).toBeUndefined();
    expect(res.notes).toEqual([]);
  });
});

describe('a broken record in a pretty-printed export', () => {
  it('is named by the line of the error, not of the record start, and the others are kept', async () => {
    const text = fx('graph-page.json').toString();
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes('"riskState"') ) + lines.slice(lines.findIndex((l) => l.includes('"riskState"')) + 1).findIndex((l) => l.includes('"riskState"')) + 1;
    // Break the second record's riskState value: `"riskState": ,`.
    lines[at] = lines[at].replace('"none"', '');
    const start = lines.findIndex((l, i) => i < at && l.includes('6a1f2b3c-0000-4000-8000-00000000a002')) - 1;
    const res = await parseEntraSignIns(lines.join('\n'), { fileName: 'page.json' });
    expect((await all(res.records)).map((e) => e.id)).toEqual([EVENTS[0].id, EVENTS[2].id]);
    expect(res.rejected).toEqual([{
      file: 'page.json', line: at + 1, index: 1,
      reason: `not valid JSON: "," where a value was expected (line ${at + 1}, column 20; the record starts on line ${start + 1})`,
    }]);
  });
});
