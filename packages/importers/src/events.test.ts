import { describe, expect, it } from 'vitest';
import { type EventInput, eventInput } from '@licenskoll/core';
import { FailureCounter, inBatches, mapEvents, quickValid } from './events.ts';
import { Tally } from './result.ts';
import { toIsoTime } from './times.ts';

const base: EventInput = { id: 'e1', type: 'login', time: '2024-09-02T07:12:33.118Z', user: 'astrid@example.se', product: 'https://sp.example.se', source: 'shibboleth' };

describe('quickValid agrees with core eventInput', () => {
  const variants: Record<string, unknown>[] = [
    base,
    { ...base, id: undefined },
    { ...base, type: 'launch', group: 'g', school: '99999999' },
    { ...base, type: 'logout' },
    { ...base, time: '2024-09-02T07:12:33Z' },
    { ...base, time: '2024-09-02T09:12:33+02:00' },
    { ...base, time: '2024-09-02T09:12:33+0200' },
    { ...base, time: '2024-09-02T07:12' + 'Z' },
    { ...base, time: '2024-09-02T07:12:33' },
    { ...base, time: '2024-09-02 07:12:33Z' },
    { ...base, time: '2024-02-30T07:12:33Z' },
    { ...base, time: '2024-09-02T25:12:33Z' },
    { ...base, time: '2024-09-02T07:12:33.1234567890Z' },
    { ...base, user: '' },
    { ...base, user: ' padded ' },
    { ...base, user: 'x'.repeat(512) },
    { ...base, user: 'x'.repeat(513) },
    { ...base, product: 'p'.repeat(513) },
    { ...base, id: 'i'.repeat(200) },
    { ...base, id: 'i'.repeat(201) },
    { ...base, source: 's'.repeat(101) },
    { ...base, group: '' },
    { ...base, school: 's'.repeat(201) },
    { ...base, user: 42 },
  ];
  for (const v of variants) {
    it(JSON.stringify(v).slice(0, 90), () => {
      const zod = eventInput.safeParse(v);
      // quickValid may be stricter than zod (it then defers to zod), never looser.
      if (quickValid(v as EventInput)) expect(zod.success).toBe(true);
      // and on the shapes the mappers produce (trimmed strings), exactly equal:
      if (typeof v.user !== 'string' || v.user.trim() === v.user) expect(quickValid(v as EventInput)).toBe(zod.success);
    });
  }
});

describe('mapEvents', () => {
  it('validates, counts, rejects with the location and keeps going', async () => {
    const tally = new Tally();
    async function* batches() {
      yield [{ line: 1 }, { line: 2 }, { line: 3 }, { line: 4 }, { line: 5 }];
    }
    const out: EventInput[] = [];
    for await (const e of mapEvents(batches(), (item) => {
      if (item.line === 1) return { event: base };
      if (item.line === 2) return { event: { ...base, time: 'nonsense' } };
      if (item.line === 3) return { skip: 'failed' };
      if (item.line === 4) return null;
      throw new Error('mapper blew up');
    }, tally, 'f.log')) out.push(e);
    expect(out).toEqual([base]);
    expect(tally.rejected).toEqual([
      { file: 'f.log', line: 2, field: 'time', reason: 'must be an ISO-8601 time with an offset, e.g. 2026-03-01T08:15:00+01:00' },
      { file: 'f.log', line: 5, reason: 'mapper blew up' },
    ]);
    // The null (a blank line) is read and counted apart: 5 = 1 kept + 2 rejected + 1 skipped + 1 blank.
    expect(tally.stats).toEqual({ read: 5, kept: 1, rejected: 2, skipped: 1, blank: 1 });
  });

  it('trims through zod when a mapper hands over padded values', async () => {
    const tally = new Tally();
    async function* batches() { yield [{ line: 1 }]; }
    const out: EventInput[] = [];
    for await (const e of mapEvents(batches(), () => ({ event: { ...base, user: ' astrid@example.se ' } }), tally)) out.push(e);
    expect(out[0].user).toBe('astrid@example.se');
  });
});

describe('inBatches and FailureCounter', () => {
  it('groups a stream into arrays of a size', async () => {
    async function* n() { for (let i = 0; i < 7; i++) yield i; }
    const got: number[][] = [];
    for await (const b of inBatches(n(), 3)) got.push(b);
    expect(got).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('counts failures per product and code, most failing first, bounded', () => {
    const f = new FailureCounter(2);
    f.add('a', '50126', 'App A');
    f.add('b', '50074');
    f.add('b', '50074');
    f.add('c', 'x');
    expect(f.summary()).toEqual([
      { product: 'b', failures: 2, byCode: { 50074: 2 } },
      { product: 'a', name: 'App A', failures: 1, byCode: { 50126: 1 } },
      { product: '(other)', failures: 1, byCode: { x: 1 } },
    ]);
  });
});

describe('toIsoTime', () => {
  it('keeps ISO times with an offset as they are', () => {
    expect(toIsoTime('2024-09-02T07:12:33.118Z')).toBe('2024-09-02T07:12:33.118Z');
    expect(toIsoTime('2024-09-02T09:12:33+02:00')).toBe('2024-09-02T09:12:33+02:00');
  });
  it('adds the colon Joda leaves out, and reads compact v3 stamps', () => {
    expect(toIsoTime('2024-09-02T09:12:33.118+0200')).toBe('2024-09-02T09:12:33.118+02:00');
    expect(toIsoTime('20240902T071233Z')).toBe('2024-09-02T07:12:33Z');
    expect(toIsoTime('2024-09-02 07:12:33 Z')).toBe('2024-09-02T07:12:33Z');
  });
  it('reads wall-clock times in a zone, across daylight saving', () => {
    expect(toIsoTime('2024-07-01T12:00:00', 'Europe/Stockholm')).toBe('2024-07-01T10:00:00.000Z');
    expect(toIsoTime('2024-12-01T12:00:00', 'Europe/Stockholm')).toBe('2024-12-01T11:00:00.000Z');
    expect(toIsoTime('2024-03-31T03:30:00', 'Europe/Stockholm')).toBe('2024-03-31T01:30:00.000Z');
    expect(toIsoTime('2024-09-02T07:12:33.5')).toBe('2024-09-02T07:12:33.500Z');
  });
  it('reads epoch seconds and milliseconds', () => {
    expect(toIsoTime(1725261298)).toBe('2024-09-02T07:14:58.000Z');
    expect(toIsoTime(1725261298000)).toBe('2024-09-02T07:14:58.000Z');
    expect(toIsoTime('1725261298')).toBe('2024-09-02T07:14:58.000Z');
  });
  it('refuses what is not a time', () => {
    for (const v of ['yesterday', '', '2024-13-01T00:00:00Z', '02/09/2024 07:12', null, undefined, {}]) expect(toIsoTime(v)).toBeNull();
  });
});
