import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseEntraSignIns, readSignIn } from './entra.ts';
import { FormatError } from './result.ts';

const fixture = (name: string) => readFileSync(new URL(`../test-fixtures/entra/${name}`, import.meta.url));
const shared = (name: string) => readFileSync(new URL(`../../../../shared/examples/${name}`, import.meta.url));

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
  it('maps the shared example page exactly', async () => {
    const res = await parseEntraSignIns(shared('entra-graph-signins-page.json'));
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

  it('names the Entra CSV download and asks for JSON', async () => {
    const csv = 'Date (UTC),Request ID,User agent,Correlation ID,User ID,User,Username,Application,Application ID,Status\r\n';
    const err = await parseEntraSignIns(csv).catch((e) => e);
    expect(err.message).toBe('this looks like an Entra sign-in CSV download (use the JSON download instead), not an Entra sign-in log');
  });

  it('names a Caliper envelope', async () => {
    const err = await parseEntraSignIns(shared('caliper-envelope.json')).catch((e) => e);
    expect(err.message).toBe('this looks like a Caliper envelope, not an Entra sign-in log');
  });
});
