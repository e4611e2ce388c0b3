import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSatosa, satosaUser } from './satosa.ts';
import { FormatError } from './result.ts';

const fixture = () => readFileSync(new URL('../test-fixtures/satosa/custom.log', import.meta.url));

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('parseSatosa', () => {
  it('maps every field of each authentication response', async () => {
    const res = await parseSatosa(fixture(), { fileName: 'custom.log' });
    const events = await all(res.records);
    expect(events).toEqual([
      { id: expect.stringMatching(/^[0-9a-f]{32}$/), type: 'login', time: '2024-09-02T07:12:33Z', user: 'astrid.exempel@edu.example.se', product: 'https://sp.example-edtech.com/shibboleth', source: 'satosa' },
      { id: expect.stringMatching(/^[0-9a-f]{32}$/), type: 'login', time: '2024-09-02T07:12:33Z', user: 'astrid.exempel@edu.example.se', product: 'https://matte.example-edtech.com/sp', source: 'satosa' },
      // no eppn: mail is next in the default order; no offset: UTC by default
      { id: expect.stringMatching(/^[0-9a-f]{32}$/), type: 'login', time: '2024-09-02T09:30:00.000Z', user: 'nils.testsson@example.se', product: 'tool-client-7f3a', source: 'satosa' },
    ]);
    // Same session, same AuthnInstant, two SPs: two distinct events.
    expect(events[0].id).not.toBe(events[1].id);
  });

  it('rejects what it cannot use, with line numbers and reasons', async () => {
    const res = await parseSatosa(fixture(), { fileName: 'custom.log' });
    await all(res.records);
    expect(res.rejected).toEqual([
      { file: 'custom.log', line: 4, reason: 'this is a plain log line ("[session] message"), not JSON: enable the CustomLoggingService micro-service' },
      { file: 'custom.log', line: 6, field: 'sp', reason: 'missing: no relying party to count the login for' },
      { file: 'custom.log', line: 7, reason: 'the last line is cut off (truncated file?)' },
    ]);
    expect(res.skippedReasons).toEqual({ 'no user attribute (eppn, mail, uid)': 1 });
    expect(res.stats).toEqual({ read: 7, kept: 3, rejected: 3, skipped: 1 });
  });

  it('follows a configured attribute order and zone', async () => {
    const res = await parseSatosa(fixture(), { userAttributes: ['uid'], timeZone: 'Europe/Stockholm' });
    const events = await all(res.records);
    expect(events.map((e) => e.user)).toEqual(['astexe01', 'astexe01', 'niltes01']);
    expect(events[2].time).toBe('2024-09-02T07:30:00.000Z');
  });

  it('gives the same ids on re-import', async () => {
    const a = await all((await parseSatosa(fixture())).records);
    const b = await all((await parseSatosa(fixture())).records);
    expect(a.map((e) => e.id)).toEqual(b.map((e) => e.id));
  });

  it('refuses an LTI log given as SATOSA', async () => {
    const lti = readFileSync(new URL('../test-fixtures/lti/launches.ndjson', import.meta.url));
    const err = await parseSatosa(lti).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toBe('this looks like a log of LTI 1.3 launches (JSON lines), not a SATOSA custom log');
  });

  it('refuses a plain SATOSA debug log as a whole', async () => {
    const err = await parseSatosa('[urn:uuid:1] Requesting authentication\n[urn:uuid:1] Done\n').catch((e) => e);
    expect(err.message).toBe('this looks like a plain text log ("[…] message" lines), not a SATOSA custom log');
  });
});

describe('satosaUser', () => {
  it('matches attribute names case-insensitively and through the eduPersonPrincipalName alias', () => {
    expect(satosaUser({ eduPersonPrincipalName: ['a@example.se'] }, ['eppn'])).toBe('a@example.se');
    expect(satosaUser({ EPPN: 'b@example.se' }, ['eppn'])).toBe('b@example.se');
    expect(satosaUser({ eppn: [''], mail: ['c@example.se'] }, ['eppn', 'mail'])).toBe('c@example.se');
    expect(satosaUser({ cn: ['X'] }, ['eppn', 'mail', 'uid'])).toBeUndefined();
  });
});

describe('parseSatosa: timestamps and attribute shapes', () => {
  const line = (o: Record<string, unknown>) => `${JSON.stringify({ router: 'r', timestamp: '2024-09-02T07:12:33Z', sessionid: 's', idp: 'i', sp: 'https://sp.example.se', attr: { eppn: ['a@example.se'] }, ...o })}\n`;
  const one = async (o: Record<string, unknown>, opts = {}) => {
    const res = await parseSatosa(line(o), opts);
    const events = [];
    for await (const e of res.records) events.push(e);
    return { events, res };
  };

  it('reads epoch seconds, epoch milliseconds and ISO with offset', async () => {
    expect((await one({ timestamp: 1725261153 })).events[0].time).toBe('2024-09-02T07:12:33.000Z');
    expect((await one({ timestamp: 1725261153000 })).events[0].time).toBe('2024-09-02T07:12:33.000Z');
    expect((await one({ timestamp: '2024-09-02T09:12:33+02:00' })).events[0].time).toBe('2024-09-02T09:12:33+02:00');
  });

  it('takes a single-valued attribute as a string too', async () => {
    expect((await one({ attr: { eppn: 'b@example.se' } })).events[0].user).toBe('b@example.se');
  });

  it('rejects a missing timestamp, naming the field', async () => {
    const { res } = await one({ timestamp: undefined });
    expect(res.rejected).toEqual([{ line: 1, field: 'timestamp', reason: 'null is not a time' }]);
  });

  it('rejects a JSON line that is not an object', async () => {
    const res = await parseSatosa('{"router":"r","timestamp":"2024-09-02T07:12:33Z","sp":"x","attr":{"eppn":["a@example.se"]}}\n[1,2]\n');
    for await (const _ of res.records) { /* drain */ }
    expect(res.rejected).toEqual([{ line: 2, reason: 'expected one JSON object per line' }]);
  });
});

describe('parseSatosa: options as the HTTP route passes them', () => {
  it('splits a comma-separated userAttributes string', async () => {
    const res = await parseSatosa(fixture(), { userAttributes: 'uid, eppn' });
    const users = [];
    for await (const e of res.records) users.push(e.user);
    expect(users).toEqual(['astexe01', 'astexe01', 'niltes01']);
  });
});
