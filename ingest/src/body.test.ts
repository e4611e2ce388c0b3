import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { MAX_EVENTS_PER_REQUEST, MalformedBody, TooManyEvents, opensMoreThan, parseEventsBody, validateEvent } from './body.ts';
import { caliperToEvents } from './caliper.ts';

const ok = { id: 'e1', type: 'login', time: '2026-03-02T08:15:00+01:00', user: 'astrid@skola.se', product: 'https://sp.example.com' };
const now = Date.parse('2026-06-01T00:00:00Z');

describe('event validation beyond the schema', () => {
  it.each([
    ['a lone surrogate', { product: 'x\ud800' }, /^product: is not valid Unicode/],
    ['a NUL character', { user: 'a\u0000b' }, /^user: must not contain NUL/],
    ['a day that does not exist', { time: '2026-02-30T10:00:00+01:00' }, /^time: is not a valid calendar date/],
    ['a product empty once normalised', { product: 'urn:uuid:' }, /^product: is empty once normalised/],
    ['year 9999', { time: '9999-12-31T23:59:59Z' }, /future/],
  ])('rejects %s, naming the field', (_what, change, error) => {
    const v = validateEvent({ ...ok, ...change }, now);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.error).toMatch(error);
  });

  it('keeps emoji and other well-formed text', () => {
    expect(validateEvent({ ...ok, source: 'portal 😀', group: 'Klass 7A – Ä' }, now).ok).toBe(true);
  });

  it('never lets __proto__ in a body reach the event or Object.prototype', () => {
    const r = parseEventsBody(`{"__proto__": {"polluted": 1}, ${JSON.stringify(ok).slice(1)}`, 'application/json', now);
    expect(r.events).toHaveLength(1);
    expect(Object.keys(r.events[0].event)).not.toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('body bounds', () => {
  it('refuses a body that opens millions of values before parsing it', () => {
    const body = `[${'{},'.repeat(500_000)}{}]`;
    expect(opensMoreThan(body, 4 * MAX_EVENTS_PER_REQUEST)).toBe(true);
    expect(() => parseEventsBody(body, 'application/json', now)).toThrow(TooManyEvents);
    expect(() => parseEventsBody('['.repeat(1_000_000), 'application/json', now)).toThrow(TooManyEvents);
  });

  it('refuses more events than a request may hold, in JSON and NDJSON', () => {
    expect(() => parseEventsBody(`[${Array(MAX_EVENTS_PER_REQUEST + 1).fill('1').join(',')}]`, 'application/json', now)).toThrow(TooManyEvents);
    expect(() => parseEventsBody(Array(MAX_EVENTS_PER_REQUEST + 1).fill('1').join('\n'), 'application/x-ndjson', now)).toThrow(TooManyEvents);
  });
});

describe('caliper', () => {
  it('takes a 1.0 envelope (no dataVersion, IRIs) and names each skipped item by type and action', () => {
    const iri = (t: string) => `http://purl.imsglobal.org/caliper/v1/${t}`;
    const act = (a: string) => `http://purl.imsglobal.org/vocab/caliper/v1/action#${a}`;
    const ev = (a: string) => ({ '@type': iri('SessionEvent'), action: act(a), eventTime: ok.time, actor: { '@id': 'u' }, object: { '@id': 'p' } });
    const r = caliperToEvents({ sensor: 's', sendTime: 'x', data: [ev('LoggedIn'), ev('LoggedOut'), ev('LoggedOut')] });
    expect(r.events.map((e) => [e.index, e.raw.type, e.raw.user, e.raw.product])).toEqual([[0, 'login', 'u', 'p']]);
    expect(r.skipped).toBe(2);
    expect(Object.entries(r.skippedReasons)).toEqual([[expect.stringMatching(/^Caliper SessionEvent LoggedOut: not use/), 2]]);
  });

  it('still requires sensor, sendTime and data', () => {
    expect(() => caliperToEvents({ sensor: 's', data: [] })).toThrow('envelope.sendTime: is required');
  });

  it('cuts a long sensor name to 100 units without splitting an emoji', () => {
    const sensor = `${'s'.repeat(91)}😀😀😀😀😀😀`; // an emoji straddles unit 100
    const r = caliperToEvents({ sensor, sendTime: 'x', dataVersion: 'x', data: [{ type: 'SessionEvent', action: 'LoggedIn', eventTime: ok.time, actor: { id: 'u' }, object: { id: 'p' } }] });
    const source = r.events[0].raw.source as string;
    expect(source.length).toBeLessThanOrEqual(100);
    expect(validateEvent(r.events[0].raw, now).ok).toBe(true);
  });
});

describe('CSV bodies (text/csv)', () => {
  const NOW = Date.parse('2026-03-05T00:00:00Z');
  const csv = readFileSync(new URL('../../packages/importers/test-fixtures/events/events.csv', import.meta.url), 'utf8');

  it('validates each row like a JSON event, naming the row and field, and keeps the good ones', () => {
    const b = parseEventsBody(csv, 'text/csv; charset=utf-8', NOW);
    expect(b.events.map((e) => e.event.id)).toEqual(['csv-1', 'csv-2', 'csv-5']);
    expect(b.rejected).toEqual([
      { index: 2, line: 4, row: 4, error: 'row 4: time: must be an ISO-8601 time with an offset, e.g. 2026-03-01T08:15:00+01:00' },
      { index: 3, line: 5, row: 5, error: 'row 5: user: is required' },
    ]);
    expect(b.blank).toBe(1);
  });

  it('refuses a header without the event fields as malformed CSV', () => {
    const e = (() => { try { parseEventsBody('a,b\n1,2\n', 'text/csv', NOW); } catch (x) { return x; } })() as MalformedBody;
    expect(e).toBeInstanceOf(MalformedBody);
    expect(e.code).toBe('malformed_csv');
    expect(e.message).toMatch(/^body: header: columns type, time, user, product missing/);
  });
});

