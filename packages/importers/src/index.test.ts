import { readFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type AnyImportResult, detectImport, importKinds, importers, inBatches, isImportKind } from './index.ts';

const path = (p: string) => fileURLToPath(new URL(`../test-fixtures/${p}`, import.meta.url));
const fx = (p: string) => readFileSync(path(p));

/** How the HTTP route or CLI would use the registry: generic over every kind. */
async function run(kind: string, input: Parameters<typeof importers.licences.parse>[0], fileName?: string) {
  if (!isImportKind(kind)) throw new Error(`unknown kind ${kind}`);
  const res: AnyImportResult = await importers[kind].parse(input, { fileName });
  let count = 0;
  if (Symbol.asyncIterator in res.records) {
    for await (const batch of inBatches(res.records as AsyncIterable<unknown>, 2)) count += batch.length;
  } else {
    count = (res.records as unknown[]).length;
  }
  return { res, count };
}

describe('importers registry', () => {
  it('names every kind once, with what it produces', () => {
    expect(Object.keys(importers).sort()).toEqual([...importKinds].sort());
    expect(Object.fromEntries(Object.values(importers).map((i) => [i.kind, i.produces]))).toEqual({
      oneroster: 'roster',
      licences: 'licences',
      products: 'products',
      'bol-orders': 'licences',
      'bol-school-licences': 'publisher-licence-status',
      'entra-signins': 'events',
      'shibboleth-audit': 'events',
      satosa: 'events',
      'lti-launches': 'events',
      caliper: 'events',
      events: 'events',
    });
    for (const i of Object.values(importers)) {
      expect(i.streaming).toBe(i.produces === 'events');
      expect(i.label).toMatch(/^an? /);
    }
  });

  it('parses a fixture of each kind through the generic entry, streams included', async () => {
    const cases: [string, string, number][] = [
      ['oneroster', 'oneroster/v1p2/users.csv', 1],
      ['licences', 'licences/licenser-sv.csv', 3],
      ['products', 'products/produkter.csv', 2],
      ['bol-orders', 'bol/order-exchanges.json', 4],
      ['bol-school-licences', 'bol/school-unit-licenses.json', 2],
      ['entra-signins', 'entra/graph-page.json', 3],
      ['shibboleth-audit', 'shibboleth/idp-audit-v4.log', 3],
      ['satosa', 'satosa/custom.log', 3],
      ['lti-launches', 'lti/launches.ndjson', 2],
      ['caliper', 'caliper/login-v1p2.json', 2],
      ['events', 'events/events.csv', 3],
    ];
    for (const [kind, file, expected] of cases) {
      const { res, count } = await run(kind, createReadStream(path(file)), file.split('/').pop());
      expect([kind, count]).toEqual([kind, expected]);
      expect(res.kind).toBe(kind);
      expect(res.stats.kept).toBe(kind === 'oneroster' ? 6 : expected);
    }
  });

  it('tells an unknown kind apart', () => {
    expect(isImportKind('shibboleth-audit')).toBe(true);
    expect(isImportKind('caliper')).toBe(true);
    expect(isImportKind('events')).toBe(true);
    expect(isImportKind('ss12000')).toBe(false);
    expect(isImportKind('toString')).toBe(false);
  });
});

describe('detectImport', () => {
  it('picks the importer from the content and hands back a replayable input', async () => {
    const d = await detectImport(createReadStream(path('shibboleth/idp-audit-v3.log')));
    expect(d.kind).toBe('shibboleth-audit');
    const res = await importers[d.kind!].parse(d.input);
    let n = 0;
    for await (const _ of res.records as AsyncIterable<unknown>) n++;
    expect(n).toBe(2);
  });

  it('picks the events importer for Licenskoll events and the Caliper one for Caliper files', async () => {
    const events = '{"type":"login","time":"2024-09-02T07:00:00Z","user":"a@example.se","product":"p"}\n';
    expect((await detectImport(events)).kind).toBe('events');
    const d = await detectImport(fx('caliper/login-v1p0.json'));
    expect(d.kind).toBe('caliper');
    expect(d.sniffed.label).toBe('a Caliper 1.0 envelope');
  });

  it('sees through gzip', async () => {
    const { gzipSync } = await import('node:zlib');
    const d = await detectImport(gzipSync(fx('satosa/custom.log')));
    expect(d.kind).toBe('satosa');
  });
});
