import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { FormatError } from './result.ts';
import { assertKind, oneRosterTable, sniff } from './sniff.ts';

const fx = (path: string) => readFileSync(new URL(`../test-fixtures/${path}`, import.meta.url));

describe('sniff recognises every format', () => {
  const cases: [string, Buffer | string, string, string?][] = [
    ['SS12000 organisations page', fx('ss12000/organisations.json'), 'ss12000'],
    ['SS12000 persons page', fx('ss12000/persons.json'), 'ss12000'],
    ['SS12000 import object', JSON.stringify({ groups: JSON.parse(fx('ss12000/groups.json').toString()).data }), 'ss12000'],
    ['Caliper envelope', fx('caliper/envelope-v1p2.json'), 'caliper'],
    ['LTI payload (pretty)', fx('lti/resource-link-payload.json'), 'lti-launches', 'document'],
    ['LTI JSON lines', fx('lti/launches.ndjson'), 'lti-launches', 'lines'],
    ['LTI raw JWTs', fx('lti/id-tokens.jwt.log'), 'lti-launches', 'jwt'],
    ['Entra Graph page', fx('entra/graph-page-first.json'), 'entra-signins', 'graph-page'],
    ['Entra portal download', fx('entra/portal-download.json'), 'entra-signins', 'portal-array'],
    ['Entra Azure Monitor', fx('entra/azure-monitor.json'), 'entra-signins', 'azure-monitor'],
    ['Entra Log Analytics', fx('entra/log-analytics.json'), 'entra-signins', 'log-analytics'],
    ['Entra JSON lines', fx('entra/signins.ndjson'), 'entra-signins', 'lines'],
    ['Shibboleth v4', fx('shibboleth/idp-audit-v4.log'), 'shibboleth-audit', 'v4'],
    ['Shibboleth v3', fx('shibboleth/idp-audit-v3.log'), 'shibboleth-audit', 'v3'],
    ['SATOSA', fx('satosa/custom.log'), 'satosa', 'lines'],
    ['BOL order response', fx('bol/order-response.json'), 'bol-orders'],
    ['BOL order request', fx('bol/order-request.json'), 'bol-orders', 'request'],
    ['BOL exchanges', fx('bol/order-exchanges.json'), 'bol-orders'],
    ['BOL school-unit licences', fx('bol/school-unit-licenses.json'), 'bol-school-licences'],
    ['licence sheet (sv)', fx('licences/licenser-sv.csv'), 'licences-csv'],
    ['licence sheet (en)', fx('licences/licences-en.csv'), 'licences-csv'],
    ['product sheet', fx('products/produkter.csv'), 'products-csv'],
    ['OneRoster users.csv', fx('oneroster/v1p2/users.csv'), 'oneroster-csv', 'users'],
    ['OneRoster manifest', fx('oneroster/v1p2/manifest.csv'), 'oneroster-csv', 'manifest'],
    ['OneRoster 1.1 users (BOM, CRLF)', fx('oneroster/v1p1/users.csv'), 'oneroster-csv', 'users'],
    ['Licenskoll NDJSON', '{"type":"login","time":"2024-09-02T07:00:00Z","user":"a@example.se","product":"p"}\n{"type":"launch","time":"2024-09-02T07:00:00Z","user":"a@example.se","product":"p"}\n', 'licenskoll-events'],
    ['Licenskoll JSON array', '[{"type":"login","time":"2024-09-02T07:00:00Z","user":"a@example.se","product":"p"}]', 'licenskoll-events'],
    ['Entra CSV download', 'Date (UTC),Request ID,User,Username,Application ID,Status\n', 'entra-signins', 'portal-csv'],
  ];
  for (const [name, input, format, variant] of cases) {
    it(name, () => {
      const s = sniff(typeof input === 'string' ? input : new Uint8Array(input));
      expect(s.format).toBe(format);
      if (variant) expect(s.variant).toBe(variant);
      expect(s.label).toMatch(/^(a|an|Licenskoll) /);
    });
  }

  it('recognises a zip, a gzip, binary and empty input', () => {
    const zip = zipSync({ 'users.csv': new Uint8Array(fx('oneroster/v1p2/users.csv')) });
    expect(sniff(zip).format).toBe('oneroster-zip');
    expect(sniff(zip, 'export.zip').kind).toBe('oneroster');
    expect(sniff(zip, 'bilder.docx').format).toBe('zip');
    expect(sniff(gzipSync('x')).format).toBe('gzip');
    expect(sniff(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]))).toMatchObject({ format: 'binary' });
    expect(sniff('   \n').format).toBe('empty');
    expect(sniff(new Uint8Array()).format).toBe('empty');
  });

  it('works on a head cut in the middle of a JSON document', () => {
    const head = fx('entra/graph-page-first.json').toString().slice(0, 400);
    expect(sniff(head).format).toBe('entra-signins');
  });

  it('falls back to generic labels for unknown content', () => {
    expect(sniff('{"hello": "world"}')).toMatchObject({ format: 'json' });
    expect(sniff('a,b,c\n1,2,3\n')).toMatchObject({ format: 'csv', label: 'a CSV file with columns a, b, c' });
    expect(sniff('just some words\n')).toMatchObject({ format: 'text' });
  });

  it('names every OneRoster table the importer reads', () => {
    for (const f of readdirSync(new URL('../test-fixtures/oneroster/v1p2/', import.meta.url))) {
      const header = fx(`oneroster/v1p2/${f}`).toString().replace(/^\uFEFF/, '').split('\n')[0].split(',');
      expect(oneRosterTable(header)).toBe(f.replace('.csv', ''));
    }
  });
});

describe('assertKind', () => {
  it('passes the right format and empty input', () => {
    expect(assertKind(fx('shibboleth/idp-audit-v4.log'), 'shibboleth-audit').kind).toBe('shibboleth-audit');
    expect(assertKind('', 'licences').format).toBe('empty');
  });

  it('names what it got and what was expected', () => {
    const attempt = (input: Buffer | string, kind: Parameters<typeof assertKind>[1], file?: string) => {
      try { assertKind(input, kind, file); } catch (e) { return e as FormatError; }
      return null;
    };
    expect(attempt(fx('entra/graph-page-first.json'), 'shibboleth-audit')?.message).toBe('this looks like an Entra sign-in log (Microsoft Graph page), not a Shibboleth IdP audit log');
    expect(attempt(fx('shibboleth/idp-audit-v4.log'), 'satosa', 'idp-audit.log')?.message).toBe('idp-audit.log: this looks like a Shibboleth IdP audit log (v4/v5 format), not a SATOSA custom log');
    expect(attempt(fx('caliper/envelope-v1p2.json'), 'lti-launches')?.message).toBe('this looks like a Caliper 1.2 envelope, not a log of LTI 1.3 launches');
    expect(attempt(fx('ss12000/persons.json'), 'oneroster')?.message).toBe('this looks like an SS12000 API response, not a OneRoster CSV export');
    expect(attempt(fx('oneroster/v1p2/users.csv'), 'licences')?.message).toBe('this looks like a OneRoster users.csv, not a licence sheet (CSV)');
    expect(attempt(fx('bol/order-response.json'), 'entra-signins')?.detected).toBe('bol-orders');
    expect(attempt('a,b\n1,2\n', 'bol-orders')?.message).toBe('this looks like a CSV file with columns a, b, not a BOL order response');
  });

  it('lets unknown but plausible content through to the importer', () => {
    expect(attempt2('x;y\n1;2\n', 'licences')).toBe(true);
    expect(attempt2('2024|a|b\n', 'shibboleth-audit')).toBe(true);
  });
});

function attempt2(input: string, kind: Parameters<typeof assertKind>[1]): boolean {
  try { assertKind(input, kind); return true; } catch { return false; }
}
