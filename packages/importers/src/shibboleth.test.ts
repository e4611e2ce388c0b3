import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { eventInput } from '@licenskoll/core';
import {
  SHIBBOLETH_V3_FORMAT, SHIBBOLETH_V4_FORMAT, detectAuditFormat, parseAuditFormat, parseShibbolethAudit,
} from './shibboleth.ts';
import { FormatError } from './result.ts';
import { sniff } from './sniff.ts';

const fixture = (name: string) => readFileSync(new URL(`../test-fixtures/shibboleth/${name}`, import.meta.url));

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('parseShibbolethAudit, v4/v5 default format', () => {
  it('maps each successful SSO to a login with every field', async () => {
    const res = await parseShibbolethAudit(fixture('idp-audit-v4.log'), { fileName: 'idp-audit.log' });
    const events = await all(res.records);
    expect(events[0]).toEqual({
      id: '_5b0c6f0e3d7a4e2b9c1d8f7a6e5b4c3d',
      type: 'login',
      time: '2024-09-02T07:12:33.118Z',
      user: 'astrid.exempel',
      product: 'https://sp.example-edtech.com/shibboleth',
      source: 'shibboleth',
    });
    // SSO=true (session reuse) to another SP still counts; a "|" inside the User-Agent is not a field break.
    expect(events[1]).toMatchObject({ id: '_7d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a', user: 'astrid.exempel', product: 'https://matte.example-edtech.com/sp', time: '2024-09-02T07:20:02.200Z' });
    // Without an assertion id the id is derived from the line: stable, 32 hex.
    expect(events[2]).toMatchObject({ user: 'bo.exempel', time: '2024-09-02T19:05:01.000Z' });
    expect(events[2].id).toMatch(/^[0-9a-f]{32}$/);
    expect(events).toHaveLength(3);
    for (const e of events) expect(eventInput.safeParse(e).success).toBe(true);
  });

  it('counts failures per SP, skips passive requests, rejects bad lines with line numbers', async () => {
    const res = await parseShibbolethAudit(fixture('idp-audit-v4.log'), { fileName: 'idp-audit.log' });
    await all(res.records);
    expect(res.failures).toEqual([{ product: 'https://sp.example-edtech.com/shibboleth', failures: 1, byCode: { InvalidPassword: 1 } }]);
    expect(res.skippedReasons).toEqual({ 'unsuccessful authentication': 1, 'no user (unauthenticated or passive request)': 1 });
    expect(res.rejected).toEqual([
      { file: 'idp-audit.log', line: 6, reason: 'expected 21 |-separated fields, got 3; this looks like CSV' },
      { file: 'idp-audit.log', line: 7, field: '%T', reason: '"yesterday" is not a time' },
      { file: 'idp-audit.log', line: 9, reason: 'expected 21 |-separated fields, got 5; the file ends mid-line (truncated?)' },
    ]);
    // The blank CRLF line on line 4 is not a record: counted apart (9 lines = 3 + 3 + 2 + 1).
    expect(res.stats).toEqual({ read: 9, kept: 3, rejected: 3, skipped: 2, blank: 1 });
  });

  it('gives the same ids on a second import of the same file', async () => {
    const a = await all((await parseShibbolethAudit(fixture('idp-audit-v4.log'))).records);
    const b = await all((await parseShibbolethAudit(fixture('idp-audit-v4.log'))).records);
    expect(a.map((e) => e.id)).toEqual(b.map((e) => e.id));
  });

  it('reads a gzip-rolled log and a Node stream the same as the plain file', async () => {
    const plain = await all((await parseShibbolethAudit(fixture('idp-audit-v4.log'))).records);
    const gz = await all((await parseShibbolethAudit(gzipSync(fixture('idp-audit-v4.log')))).records);
    const buf = fixture('idp-audit-v4.log');
    const chunks = [];
    for (let i = 0; i < buf.length; i += 7) chunks.push(buf.subarray(i, i + 7)); // lines split across chunks
    const streamed = await all((await parseShibbolethAudit(Readable.from(chunks))).records);
    expect(gz).toEqual(plain);
    expect(streamed).toEqual(plain);
  });

  it('reports a line that is not valid UTF-8 and keeps the others', async () => {
    const good = fixture('idp-audit-v4.log').toString('utf8').split('\n')[0];
    const bad = Buffer.concat([Buffer.from(good.replace('astrid.exempel', 'astrid.')), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    const res = await parseShibbolethAudit(Buffer.concat([Buffer.from(`${good}\n`), bad, Buffer.from(`${good}\n`)]));
    const events = await all(res.records);
    expect(events).toHaveLength(2);
    expect(res.rejected).toEqual([{ line: 2, reason: 'the line is not valid UTF-8 (is the file in another encoding?)' }]);
  });

  it('reads local-time stamps in the configured zone', async () => {
    const fmt = '%T|%u|%SP|%e';
    const res = await parseShibbolethAudit('2024-09-02T21:30:00|astrid|https://sp.example.se|Proceed\n2024-01-15 08:00:00|nils|https://sp.example.se|Proceed\n', { format: fmt, timeZone: 'Europe/Stockholm' });
    const events = await all(res.records);
    expect(events.map((e) => e.time)).toEqual(['2024-09-02T19:30:00.000Z', '2024-01-15T07:00:00.000Z']);
  });

  it('accepts the commented custom date format with an offset (yyyy-MM-ddTHH:mm:ss.SSSZZ)', async () => {
    const res = await parseShibbolethAudit('2024-09-02T09:12:33.118+0200|astrid|https://sp.example.se|Proceed\n', { format: '%T|%u|%SP|%e' });
    const [e] = await all(res.records);
    expect(e.time).toBe('2024-09-02T09:12:33.118+02:00');
    expect(eventInput.safeParse(e).success).toBe(true);
  });
});

describe('parseShibbolethAudit, v3 format', () => {
  it('recognises the v3 default, reads compact UTC times and skips logouts', async () => {
    const res = await parseShibbolethAudit(fixture('idp-audit-v3.log'));
    const events = await all(res.records);
    expect(events).toEqual([
      { id: '_c0ffee03', type: 'login', time: '2024-09-02T07:12:33Z', user: 'astrid.exempel', product: 'https://sp.example-edtech.com/shibboleth', source: 'shibboleth' },
      { id: expect.stringMatching(/^[0-9a-f]{32}$/), type: 'login', time: '2024-09-02T09:15:00Z', user: 'nils.testsson', product: 'https://lms.example.se/shibboleth', source: 'shibboleth' },
    ]);
    expect(res.skippedReasons).toEqual({ 'not a sign-on (logout, attribute query, status)': 1 });
    expect(res.notes).toContain(`audit format: ${SHIBBOLETH_V3_FORMAT}`);
  });

  it('refuses v4 lines when told the file is v3, naming the count', async () => {
    const res = await parseShibbolethAudit(fixture('idp-audit-v4.log'), { format: SHIBBOLETH_V3_FORMAT });
    await all(res.records);
    expect(res.stats.kept).toBe(0);
    expect(res.rejected[0].reason).toBe('expected 14 |-separated fields, got 21; does the format string match shibboleth.AuditFormattingMap in audit.xml?');
  });
});

describe('audit records behind a logback or syslog prefix', () => {
  // The first three lines of idp-audit-v4.log (two SSOs, one failed password) and all of idp-audit-v3.log.
  const plainV4 = async () => (await all((await parseShibbolethAudit(fixture('idp-audit-v4.log'))).records)).slice(0, 2);
  const plainV3 = async () => all((await parseShibbolethAudit(fixture('idp-audit-v3.log'))).records);

  it('reads idp-process.log (v4 default pattern), skipping other loggers and stack traces', async () => {
    const res = await parseShibbolethAudit(fixture('idp-process-v4.log'), { fileName: 'idp-process.log' });
    expect(await all(res.records)).toEqual(await plainV4());
    expect(res.failures).toEqual([{ product: 'https://sp.example-edtech.com/shibboleth', failures: 1, byCode: { InvalidPassword: 1 } }]);
    // Lines 1, 4, 5 and 6 are other loggers and a stack trace.
    expect(res.skippedReasons).toEqual({
      'not an audit entry (another logger of idp-process.log, or a continuation line)': 4,
      'unsuccessful authentication': 1,
    });
    expect(res.stats).toEqual({ read: 7, kept: 2, rejected: 0, skipped: 5 });
    expect(res.notes).toEqual([`audit format: ${SHIBBOLETH_V4_FORMAT}`, 'audit records read in idp-process.log behind logback prefixes']);
  });

  it('reads the short "16:25:19.395 - INFO [Shibboleth-Audit:1028] - " pattern around v3 records', async () => {
    const res = await parseShibbolethAudit(fixture('idp-process-v3.log'));
    const events = await all(res.records);
    // The same ids as the plain file: the derived id hashes the record, not the prefix.
    expect(events).toEqual(await plainV3());
    expect(res.rejected).toEqual([]);
  });

  it('reads syslog lines (RFC 3164 and 5424) and skips other programs', async () => {
    const res = await parseShibbolethAudit(fixture('idp-audit-syslog.log'));
    expect(await all(res.records)).toEqual(await plainV4());
    expect(res.skippedReasons).toEqual({ "not an audit entry (another program's syslog line)": 1, 'unsuccessful authentication': 1 });
    expect(res.failures[0].failures).toBe(1);
  });

  it('names the format and the prefix', () => {
    expect(sniff(new Uint8Array(fixture('idp-process-v4.log')))).toMatchObject({
      format: 'shibboleth-audit', variant: 'v4-logback', label: 'a Shibboleth IdP audit log (v4/v5 format, in idp-process.log behind logback prefixes)',
    });
    expect(sniff(new Uint8Array(fixture('idp-process-v3.log')))).toMatchObject({ variant: 'v3-logback' });
    expect(sniff(new Uint8Array(fixture('idp-audit-syslog.log')))).toMatchObject({ variant: 'v4-syslog', label: 'a Shibboleth IdP audit log (v4/v5 format, behind syslog prefixes)' });
    expect(detectAuditFormat(fixture('idp-process-v3.log').toString())).toBe(SHIBBOLETH_V3_FORMAT);
  });

  it('still names a bad record behind a prefix by its line', async () => {
    const res = await parseShibbolethAudit('09:00:00.000 - INFO [Shibboleth-Audit:1028] - 20240902T071233Z|a|b\n', { format: SHIBBOLETH_V3_FORMAT, fileName: 'p.log' });
    await all(res.records);
    expect(res.rejected).toEqual([{ file: 'p.log', line: 1, reason: 'expected 14 |-separated fields, got 3; does the format string match shibboleth.AuditFormattingMap in audit.xml?' }]);
  });
});

describe('format strings', () => {
  it('splits the defaults into their tokens', () => {
    expect(parseAuditFormat(SHIBBOLETH_V4_FORMAT)).toHaveLength(21);
    expect(parseAuditFormat(SHIBBOLETH_V3_FORMAT)).toHaveLength(14);
    expect(() => parseAuditFormat('%a|%u|%SP')).toThrow(/no %T/);
    expect(() => parseAuditFormat('%T|%u|hello')).toThrow(/not a %field token/);
  });

  it('detects the format from the first lines', () => {
    expect(detectAuditFormat(fixture('idp-audit-v4.log').toString())).toBe(SHIBBOLETH_V4_FORMAT);
    expect(detectAuditFormat(fixture('idp-audit-v3.log').toString())).toBe(SHIBBOLETH_V3_FORMAT);
    expect(detectAuditFormat('a|b|c\n')).toBeNull();
  });
});

describe('wrong files', () => {
  it('names an Entra sign-in log instead of refusing every line', async () => {
    const entra = readFileSync(new URL('../test-fixtures/entra/graph-page-first.json', import.meta.url));
    const err = await parseShibbolethAudit(entra, { fileName: 'signins.json' }).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toBe('signins.json: this looks like an Entra sign-in log (Microsoft Graph page), not a Shibboleth IdP audit log');
    expect(err.detected).toBe('entra-signins');
  });

  it('names a SATOSA log', async () => {
    const err = await parseShibbolethAudit('{"router":"r","timestamp":"2024-09-02T07:12:33Z","sessionid":"s","idp":"i","sp":"p","attr":{}}\n').catch((e) => e);
    expect(err.message).toBe('this looks like a SATOSA custom log, not a Shibboleth IdP audit log');
  });

  it('asks for the format string when the field count is unknown', async () => {
    const err = await parseShibbolethAudit('2024-09-02T07:12:33Z|a|b|c|d|e|f|g|h|i|j\n').catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toMatch(/pass the site's format string/);
  });

  it('takes an empty file as zero records', async () => {
    const res = await parseShibbolethAudit('');
    expect(await all(res.records)).toEqual([]);
    expect(res.stats.read).toBe(0);
  });
});

describe('parseShibbolethAudit: site formats', () => {
  it('recognises the CARSI variant of v3 (%a|%s| appended)', async () => {
    const line = '20240902T071233Z|urn:b|_in|https://sp.example.se/shibboleth|urn:mace:shibboleth:2.0:profiles:saml2:sso:browser|https://idp.example.se|urn:bb|_out|astrid|urn:ac|eduPersonPrincipalName||_a1|192.0.2.10|sess1|\n';
    const res = await parseShibbolethAudit(line);
    const [e] = await all(res.records);
    expect(e).toMatchObject({ id: '_a1', user: 'astrid', product: 'https://sp.example.se/shibboleth', time: '2024-09-02T07:12:33Z' });
  });

  it('takes the user from another field when the site hashes usernames', async () => {
    const res = await parseShibbolethAudit('2024-09-02T07:00:00Z|x|9f86d081884c7d65|https://sp.example.se\n', { format: '%T|%u|%HASHEDu|%SP', userField: '%HASHEDu' });
    expect((await all(res.records))[0].user).toBe('9f86d081884c7d65');
  });

  it('accepts the full SAML status URN as success and counts a Requester status as failure', async () => {
    const fmt = '%T|%u|%SP|%S';
    const res = await parseShibbolethAudit(
      '2024-09-02T07:00:00Z|a|https://sp.example.se|urn:oasis:names:tc:SAML:2.0:status:Success\n2024-09-02T07:01:00Z|b|https://sp.example.se|Requester\n',
      { format: fmt },
    );
    expect((await all(res.records)).map((e) => e.user)).toEqual(['a']);
    expect(res.failures).toEqual([{ product: 'https://sp.example.se', failures: 1, byCode: { Requester: 1 } }]);
  });

  it('skips attribute queries and logouts where the format has %P', async () => {
    const fmt = '%T|%u|%SP|%P';
    const res = await parseShibbolethAudit(
      [
        '2024-09-02T07:00:00Z|a|https://sp.example.se|http://shibboleth.net/ns/profiles/saml2/sso/browser',
        '2024-09-02T07:00:01Z|a|https://sp.example.se|http://shibboleth.net/ns/profiles/saml2/query/attribute',
        '2024-09-02T07:00:02Z|a|https://sp.example.se|http://shibboleth.net/ns/profiles/saml2/logout',
        '2024-09-02T07:00:03Z|a|https://cas.example.se|https://www.apereo.org/cas/protocol/login',
      ].join('\n'),
      { format: fmt },
    );
    expect((await all(res.records)).map((e) => e.product)).toEqual(['https://sp.example.se', 'https://cas.example.se']);
    expect(res.stats.skipped).toBe(2);
  });

  it('reports a line that is JSON inside an audit log', async () => {
    const good = fixture('idp-audit-v4.log').toString().split('\n')[0];
    const res = await parseShibbolethAudit(`${good}\n{"router":"x"}\n`);
    await all(res.records);
    expect(res.rejected[0].reason).toBe('expected 21 |-separated fields, got 1; this looks like JSON, not an audit log line');
  });

  it('skips an over-long line without holding it', async () => {
    const good = fixture('idp-audit-v4.log').toString().split('\n')[0];
    const res = await parseShibbolethAudit(`${good}\n${'x'.repeat(2 * 1024 * 1024)}\n${good}\n`);
    expect(await all(res.records)).toHaveLength(2);
    expect(res.rejected).toEqual([{ line: 2, reason: 'line longer than 1 MiB: not an audit log line' }]);
  });

  it('counts lines without a relying party as skipped, not as errors', async () => {
    const res = await parseShibbolethAudit('2024-09-02T07:00:00Z|a||Proceed\n', { format: '%T|%u|%SP|%e' });
    await all(res.records);
    expect(res.skippedReasons).toEqual({ 'no relying party': 1 });
  });
});

describe('parseShibbolethAudit: a bad format string is the caller\'s 400', () => {
  it('answers ApiError 400 naming the format', async () => {
    const { ApiError } = await import('@licenskoll/core');
    const err = await parseShibbolethAudit('x|y\n', { format: '%T|%u|hello' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.details).toEqual([{ field: 'format', reason: '"hello" in the audit format is not a %field token' }]);
  });
});
