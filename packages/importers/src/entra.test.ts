import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseEntraSignIns, readSignIn } from './entra.ts';
import { FormatError } from './result.ts';

const fixture = (name: string) => readFileSync(new URL(`../test-fixtures/entra/${name}`, import.meta.url));

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const ASTRID = {
  id: '055e572f-7494-415b-8a7e-de9295b67c8e',
  type: 'login',
  time: '2024-09-02T07:12:31Z',
  user: 'astrid.exempel@edu.example.se',
  product: '8561c6ac-2ac2-452c-a526-0c53292f9116',
  source: 'entra',
};
const NILS = {
  id: '6a1f2b3c-0000-4000-8000-00000000a002',
  type: 'login',
  time: '2024-09-02T08:01:02Z',
  user: 'nils.testsson@edu.example.se',
  product: '0f9e8d7c-6b5a-4000-8000-00000000b001',
  source: 'entra',
};

describe('parseEntraSignIns: Microsoft Graph page', () => {
  it('maps a one-record page exactly, with the link to the next page', async () => {
    const res = await parseEntraSignIns(fixture('graph-page-first.json'));
    expect(await all(res.records)).toEqual([ASTRID]);
    expect(res.nextLink).toBe('https://graph.microsoft.com/v1.0/auditLogs/signIns?$top=1&$skiptoken=EXAMPLE');
    expect(res.apps).toEqual([{ appId: '8561c6ac-2ac2-452c-a526-0c53292f9116', name: 'Exempel Matte', signIns: 1 }]);
  });

  it('counts failures per app instead of events, and rejects records it cannot use with their index', async () => {
    const res = await parseEntraSignIns(fixture('graph-page.json'), { fileName: 'page.json' });
    const events = await all(res.records);
    // noupn falls back to userId (the GUID), which the roster can match as an external id.
    expect(events).toEqual([ASTRID, NILS, { ...ASTRID, id: '6a1f2b3c-0000-4000-8000-00000000a005', time: '2024-09-02T08:07:00Z', user: '8e281029-a649-4f84-833d-ae3527c0e995' }]);
    expect(res.failures).toEqual([
      { product: '8561c6ac-2ac2-452c-a526-0c53292f9116', name: 'Exempel Matte', failures: 2, byCode: { 50126: 1, 50074: 1 } },
    ]);
    expect(res.skippedReasons).toEqual({ 'failed sign-in': 2 });
    expect(res.rejected).toEqual([
      { file: 'page.json', line: expect.any(Number), index: 5, field: 'createdDateTime', reason: '"2 september 2024" is not a time' },
    ]);
    expect(res.stats).toEqual({ read: 6, kept: 3, rejected: 1, skipped: 2 });
  });

  it('skips non-interactive sign-ins only when asked', async () => {
    const res = await parseEntraSignIns(fixture('graph-page.json'), { interactiveOnly: true });
    const events = await all(res.records);
    expect(events.map((e) => e.user)).not.toContain('nils.testsson@edu.example.se');
    expect(res.skippedReasons['non-interactive sign-in']).toBe(1);
  });
});

describe('parseEntraSignIns: other shapes', () => {
  it('reads the portal JSON download (array, BOM, CRLF)', async () => {
    const res = await parseEntraSignIns(fixture('portal-download.json'));
    expect(await all(res.records)).toEqual([ASTRID, NILS]);
    expect(res.failures[0].byCode).toEqual({ 50126: 1 });
  });

  it('reads an Azure Monitor blob, skipping service principal sign-ins', async () => {
    const res = await parseEntraSignIns(fixture('azure-monitor.json'));
    expect(await all(res.records)).toEqual([ASTRID, NILS]);
    expect(res.skippedReasons).toEqual({ 'failed sign-in': 1, 'service principal or managed identity sign-in (no person)': 1 });
  });

  it('reads Log Analytics PascalCase rows with Status as JSON text', async () => {
    const res = await parseEntraSignIns(fixture('log-analytics.json'));
    expect(await all(res.records)).toEqual([ASTRID]);
    expect(res.failures).toEqual([{ product: ASTRID.product, name: 'Exempel Matte', failures: 1, byCode: { 50126: 1 } }]);
  });

  it('reads JSON lines and reports a cut-off last record', async () => {
    const res = await parseEntraSignIns(fixture('signins.ndjson'), { fileName: 'signins.ndjson' });
    expect(await all(res.records)).toEqual([ASTRID, NILS]);
    expect(res.rejected).toEqual([{ file: 'signins.ndjson', line: 3, index: 2, reason: 'the file ends inside a JSON value (truncated?)' }]);
  });

  it('gives the same result however the bytes are chunked', async () => {
    const buf = fixture('graph-page.json');
    const whole = await all((await parseEntraSignIns(buf)).records);
    for (const size of [1, 3, 17, 4096]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < buf.length; i += size) chunks.push(buf.subarray(i, i + size));
      const res = await parseEntraSignIns(Readable.from(chunks));
      expect(await all(res.records)).toEqual(whole);
      expect(res.nextLink).toMatch(/skiptoken=EXAMPLE$/);
    }
  });

  it('keeps å, ä, ö split across chunk boundaries intact', async () => {
    const rec = { id: 'x1', createdDateTime: '2024-09-02T07:00:00Z', userPrincipalName: 'åsa.öberg@edu.example.se', appId: 'app-1', appDisplayName: 'Läromedel Ä', status: { errorCode: 0 } };
    const buf = Buffer.from(JSON.stringify({ value: [rec] }));
    const chunks: Buffer[] = [];
    for (let i = 0; i < buf.length; i += 1) chunks.push(buf.subarray(i, i + 1));
    const res = await parseEntraSignIns(Readable.from(chunks));
    expect((await all(res.records))[0].user).toBe('åsa.öberg@edu.example.se');
    expect(res.apps[0].name).toBe('Läromedel Ä');
  });
});

describe('readSignIn', () => {
  it('takes resultType from the envelope when properties lack a status', () => {
    const s = readSignIn({ resultType: '50126', properties: { id: 'a', createdDateTime: '2024-09-02T07:00:00Z', appId: 'x', userPrincipalName: 'u@example.se' } });
    expect(s.errorCode).toBe(50126);
  });
  it('reads Graph beta signInEventTypes', () => {
    expect(readSignIn({ signInEventTypes: ['servicePrincipal'], status: { errorCode: 0 } }).eventTypes).toEqual(['servicePrincipal']);
  });
});

describe('wrong files', () => {
  it('names a Shibboleth log given as Entra', async () => {
    const shib = readFileSync(new URL('../test-fixtures/shibboleth/idp-audit-v4.log', import.meta.url));
    const err = await parseEntraSignIns(shib).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toBe('this looks like a Shibboleth IdP audit log (v4/v5 format), not an Entra sign-in log');
  });

  it('names the authentication details file of a CSV download, which holds no sign-ins', async () => {
    const csv = 'Request ID,Authentication method,Authentication method detail,Succeeded,Result detail\r\nr1,Password,Password in the cloud,true,\r\n';
    const err = await parseEntraSignIns(csv, { fileName: 'InteractiveSignIns_AuthDetails.csv' }).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toMatch(/^InteractiveSignIns_AuthDetails\.csv: this looks like the authentication details file of an Entra sign-in download/);
  });

  it('names a Caliper envelope', async () => {
    const err = await parseEntraSignIns(readFileSync(new URL('../test-fixtures/caliper/envelope-v1p2.json', import.meta.url))).catch((e) => e);
    expect(err.message).toBe('this looks like a Caliper 1.2 envelope, not an Entra sign-in log');
  });
});

describe('parseEntraSignIns: record details', () => {
  const rec = (o: Record<string, unknown>) => ({ id: 'r1', createdDateTime: '2024-09-02T07:00:00Z', userPrincipalName: 'A.Exempel@Edu.Example.se', appId: 'app-1', status: { errorCode: 0 }, ...o });
  const run = async (records: unknown[], opts = {}) => {
    const res = await parseEntraSignIns(JSON.stringify({ value: records }), opts);
    return { events: await all(res.records), res };
  };

  it('passes the UPN through as written: the core normalises case before pseudonymising', async () => {
    expect((await run([rec({})])).events[0].user).toBe('A.Exempel@Edu.Example.se');
  });

  it('skips non-interactive Azure Monitor categories only with interactiveOnly', async () => {
    const blob = { records: [{ category: 'NonInteractiveUserSignInLogs', resultType: '0', properties: rec({ isInteractive: false }) }] };
    const all1 = await parseEntraSignIns(JSON.stringify(blob));
    expect(await all(all1.records)).toHaveLength(1);
    const only = await parseEntraSignIns(JSON.stringify(blob), { interactiveOnly: true });
    expect(await all(only.records)).toHaveLength(0);
  });

  it('skips managed identity sign-ins and Graph beta service principal event types', async () => {
    const { events, res } = await run([rec({ signInEventTypes: ['servicePrincipal'] }), rec({ id: 'r2', signInEventTypes: ['interactiveUser'] })]);
    expect(events.map((e) => e.id)).toEqual(['r2']);
    expect(res.skippedReasons).toEqual({ 'service principal or managed identity sign-in (no person)': 1 });
  });

  it('rejects records without a status or an app, and non-objects', async () => {
    const { res } = await run([rec({ status: undefined }), rec({ appId: '' }), 'text', rec({ userPrincipalName: null, userId: null })]);
    expect(res.rejected.map((r) => [r.index, r.field, r.reason])).toEqual([
      [0, 'status.errorCode', 'missing: cannot tell success from failure'],
      [1, 'appId', 'missing: no application to count the sign-in for'],
      [2, undefined, 'expected a sign-in record (a JSON object)'],
      [3, 'userPrincipalName', 'missing, and no userId either'],
    ]);
  });

  it('derives a stable id when a record has none', async () => {
    const a = (await run([rec({ id: undefined })])).events[0].id;
    const b = (await run([rec({ id: undefined })])).events[0].id;
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).toBe(b);
  });

  it('lists apps with names and counts, most used first', async () => {
    const { res } = await run([rec({ appDisplayName: 'Matte' }), rec({ id: 'r2', appId: 'app-2', appDisplayName: 'Svenska' }), rec({ id: 'r3', appId: 'app-2' })]);
    expect(res.apps).toEqual([{ appId: 'app-2', name: 'Svenska', signIns: 2 }, { appId: 'app-1', name: 'Matte', signIns: 1 }]);
  });

  it('serialises the live summaries with JSON.stringify', async () => {
    const { res } = await run([rec({}), rec({ id: 'r2', status: { errorCode: 50126 } })]);
    const json = JSON.parse(JSON.stringify({ ...res, records: undefined }));
    expect(json.failures).toEqual([{ product: 'app-1', failures: 1, byCode: { 50126: 1 } }]);
    expect(json.apps).toEqual([{ appId: 'app-1', signIns: 1 }]);
    expect(json.stats).toEqual({ read: 2, kept: 1, rejected: 0, skipped: 1 });
  });
});

describe('a broken record in a pretty-printed export', () => {
  it('names the line of the error, not the line the record starts on, and keeps the good record', async () => {
    const good = JSON.stringify({ id: ASTRID.id, createdDateTime: ASTRID.time, userPrincipalName: ASTRID.user, appId: ASTRID.product, appDisplayName: 'Exempel Matte', status: { errorCode: 0 } }, null, 2);
    const filler = Array.from({ length: 58 }, (_, k) => `    "extra${k}": ${k},`).join('\n');
    // The second record opens on line 3 + good's lines; its missing value sits 60 lines further down.
    const broken = `{\n    "id": "x",\n${filler}\n    "appId": \n}`;
    const text = `{"value": [\n${good},\n${broken}\n]}\n`;
    const start = 2 + good.split('\n').length;
    const errorLine = start + 61;
    expect(text.split('\n')[errorLine - 1]).toBe('}');
    const res = await parseEntraSignIns(Buffer.from(text), { fileName: 'broken.json' });
    expect(await all(res.records)).toEqual([ASTRID]);
    expect(res.rejected).toHaveLength(1);
    expect(res.rejected[0].line).toBe(errorLine);
    expect(res.rejected[0].reason).toContain(`the record starts on line ${start}`);
  });
});
