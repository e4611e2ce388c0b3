import { describe, expect, it } from 'vitest';
import { parseShibbolethAudit } from './shibboleth.ts';
import { parseSatosa } from './satosa.ts';

/**
 * A year of audit logs is tens of millions of lines: the importers must pull the input as
 * records are consumed and never hold the file. One million generated lines, fed in 64 KiB
 * chunks like a file stream; the heap is sampled while consuming.
 */
const LINES = 1_000_000;
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0 Safari/537.36';

function shibLine(i: number): string {
  const t = new Date(Date.UTC(2024, 8, 2, 7) + i * 1000).toISOString();
  return `192.0.2.${i % 250}|${t}|${t}|user${i % 5000}|https://sp${i % 40}.example-edtech.com/shibboleth|_a${i.toString(16).padStart(31, '0')}|password|${t}|eduPersonPrincipalName,mail|AAdz${i}|transient|false|false|AES256-GCM|urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect|urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST|Proceed|Success||s${i % 9000}|${UA}\n`;
}

function satosaLine(i: number): string {
  const t = new Date(Date.UTC(2024, 8, 2, 7) + i * 1000).toISOString();
  return `{"router":"Saml2IDP->Saml2","timestamp":"${t}","sessionid":"urn:uuid:${i}","idp":"https://idp.example.se/idp","sp":"https://sp${i % 40}.example-edtech.com/sp","attr":{"eppn":["user${i % 5000}@edu.example.se"],"uid":["u${i}"]}}\n`;
}

/**
 * 1000 distinct lines, repeated: each chunk is a fresh Buffer as a file stream's would be,
 * but the test spends its time parsing, not formatting dates.
 */
async function* generate(lines: number, make: (i: number) => string): AsyncGenerator<Buffer> {
  const block = Array.from({ length: 1000 }, (_, i) => make(i)).join('');
  for (let done = 0; done < lines; done += 1000) {
    const n = Math.min(1000, lines - done);
    yield Buffer.from(n === 1000 ? block : Array.from({ length: n }, (_, i) => make(i)).join(''));
  }
}

async function measure(records: AsyncIterable<unknown>) {
  globalThis.gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  let n = 0;
  const t0 = performance.now();
  for await (const _ of records) {
    if (++n % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  return { n, ms: Math.round(performance.now() - t0), growthMb: Math.round((peak - base) / 1024 / 1024) };
}

describe('streaming in bounded memory', () => {
  it(`reads ${LINES.toLocaleString('en')} Shibboleth audit lines with the heap well under 200 MB of growth`, async () => {
    const res = await parseShibbolethAudit(generate(LINES, shibLine));
    const m = await measure(res.records);
    console.log(`shibboleth: ${m.n} lines, peak heap growth ${m.growthMb} MB, ${m.ms} ms`);
    expect(m.n).toBe(LINES);
    expect(res.stats).toEqual({ read: LINES, kept: LINES, rejected: 0, skipped: 0 });
    expect(m.growthMb).toBeLessThan(200);
  }, 120_000);

  it(`reads ${LINES.toLocaleString('en')} SATOSA JSON lines likewise`, async () => {
    const res = await parseSatosa(generate(LINES, satosaLine));
    const m = await measure(res.records);
    console.log(`satosa: ${m.n} lines, peak heap growth ${m.growthMb} MB, ${m.ms} ms`);
    expect(m.n).toBe(LINES);
    expect(m.growthMb).toBeLessThan(200);
  }, 120_000);

  it('keeps at most maxRejections rejections of a million bad lines, with the full count', async () => {
    async function* bad() {
      yield Buffer.from(shibLine(0));
      const block = 'bad line\n'.repeat(999);
      for (let i = 0; i < 1001; i++) yield Buffer.from(block);
    }
    const res = await parseShibbolethAudit(bad());
    const m = await measure(res.records);
    expect(m.n).toBe(1);
    expect(res.stats.rejected).toBe(999 * 1001);
    expect(res.rejected).toHaveLength(1000);
    expect(res.notes).toContain(`${999 * 1001} records were rejected; only the first 1000 are listed`);
    expect(m.growthMb).toBeLessThan(200);
  }, 120_000);
});
