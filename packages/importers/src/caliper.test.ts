import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caliperTerm, caliperVersion, mapCaliperEvent, parseCaliper } from './caliper.ts';
import { FormatError } from './result.ts';
import { sniff } from './sniff.ts';

const fx = (name: string) => readFileSync(new URL(`../test-fixtures/caliper/${name}`, import.meta.url));

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

// Astrid's login at 07:12:33.118Z to the LMS, as each fixture carries it.
const LOGIN = {
  type: 'login', time: '2024-09-02T07:12:33.118Z', user: 'https://lms.example.se/users/39f1dae5',
  product: 'https://lms.example.se', source: 'caliper:https://lms.example.se/caliper/sensors/1',
};
const LOGIN_ID = 'urn:uuid:4b0e7f3a-2c61-4d8e-9a15-6f2d3c8b1e01';
// Her use of the tool at 07:20:05 in MA 7B: a ToolUseEvent/Used counts as a launch.
const TOOL_USE = {
  id: 'urn:uuid:4b0e7f3a-2c61-4d8e-9a15-6f2d3c8b1e03', type: 'launch', time: '2024-09-02T07:20:05.000Z',
  user: 'https://lms.example.se/users/39f1dae5', product: 'https://tool.example-edtech.com', source: LOGIN.source,
  group: 'https://lms.example.se/courses/ma-7b-2024', school: '99999999',
};
const NOT_USE = 'only SessionEvent LoggedIn, ToolLaunchEvent Launched and ToolUseEvent Used are use';

describe('parseCaliper: one login in every version', () => {
  it('reads Caliper 1.0 (no dataVersion, @type/@id, IRIs, no event id) and skips the logout by name', async () => {
    const res = await parseCaliper(fx('login-v1p0.json'));
    expect(await all(res.records)).toEqual([LOGIN]);
    expect(res.skippedReasons).toEqual({ [`Caliper SessionEvent LoggedOut: not use (${NOT_USE})`]: 1 });
    expect(res.notes).toEqual(['Caliper 1.0']);
  });

  it('reads Caliper 1.1 and 1.2 to the same events, ToolUseEvent included', async () => {
    const v11 = await all((await parseCaliper(fx('login-v1p1.json'))).records);
    const res = await parseCaliper(fx('login-v1p2.json'));
    const v12 = await all(res.records);
    expect(v11).toEqual([{ id: LOGIN_ID, ...LOGIN }, TOOL_USE]);
    expect(v12).toEqual(v11);
    expect(res.skippedReasons).toEqual({ [`Caliper ViewEvent Viewed: not use (${NOT_USE})`]: 1 });
    expect(res.stats).toEqual({ read: 3, kept: 2, rejected: 0, skipped: 1 });
  });

  it('gives 1.0 the same event as 1.2 but for the id 1.0 does not have', async () => {
    const v10 = await all((await parseCaliper(fx('login-v1p0.json'))).records);
    const v12 = await all((await parseCaliper(fx('login-v1p2.json'))).records);
    expect(v10[0]).toEqual({ ...v12[0], id: undefined });
  });

  it('reads the older 1.2 fixture, concatenated envelopes, an array of them and bare events', async () => {
    const one = await all((await parseCaliper(fx('envelope-v1p2.json'))).records);
    expect(one.map((e) => e.type)).toEqual(['login', 'launch']);
    const env = JSON.parse(fx('login-v1p1.json').toString());
    const cat = await all((await parseCaliper(`${JSON.stringify(env)}\n${JSON.stringify(env)}\n`)).records);
    expect(cat).toHaveLength(4);
    expect(await all((await parseCaliper(JSON.stringify([env])).then((r) => r.records)))).toHaveLength(2);
    const bare = env.data.map((e: unknown) => JSON.stringify(e)).join('\n');
    const res = await parseCaliper(bare);
    expect((await all(res.records)).map((e) => ({ ...e, source: undefined }))).toEqual([{ id: LOGIN_ID, ...LOGIN, source: undefined }, { ...TOOL_USE, source: undefined }]);
  });

  it('rejects an event it cannot use with its line, position and field, and keeps the others', async () => {
    const env = JSON.parse(fx('login-v1p2.json').toString());
    env.data[0].eventTime = 'igår';
    delete env.data[1].actor;
    const text = JSON.stringify(env, null, 2);
    const res = await parseCaliper(`\n${text}`, { fileName: 'caliper.json' });
    expect(await all(res.records)).toEqual([]);
    expect(res.rejected).toEqual([
      { file: 'caliper.json', line: 2, index: 0, field: 'data[0].eventTime', reason: '"igår" is not a time' },
      { file: 'caliper.json', line: 2, index: 1, field: 'data[1].actor', reason: 'missing: no person to count the use for' },
    ]);
    expect(res.stats).toEqual({ read: 3, kept: 0, rejected: 2, skipped: 1 });
  });

  it('refuses a file that is something else, naming it', async () => {
    const err = await parseCaliper(readFileSync(new URL('../test-fixtures/lti/launches.ndjson', import.meta.url))).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toBe('this looks like a log of LTI 1.3 launches (JSON lines), not a file of Caliper events');
  });
});

describe('mapCaliperEvent', () => {
  const base = { type: 'SessionEvent', action: 'LoggedIn', actor: 'u', object: 'p', eventTime: '2024-09-02T07:00:00Z' };
  it('takes entities as IRIs or objects with id or @id, and a pre-1.0 draft action "logged in"', () => {
    expect(mapCaliperEvent({ ...base, actor: { '@id': 'u' }, object: { id: 'p' }, action: 'logged in' })).toEqual({
      event: { type: 'login', time: '2024-09-02T07:00:00Z', user: 'u', product: 'p', source: 'caliper' },
    });
  });
  it('falls back to edApp for the product and startedAtTime for the time', () => {
    const r = mapCaliperEvent({ ...base, object: undefined, edApp: { id: 'lms' }, eventTime: undefined, startedAtTime: '2015-12-10T21:18:57.358Z' });
    expect(r).toMatchObject({ event: { product: 'lms', time: '2015-12-10T21:18:57.358Z' } });
  });
  it('names entities and junk types without letting them grow the list', () => {
    expect(mapCaliperEvent({ type: 'Person', id: 'x' })).toEqual({ skip: 'Caliper Person: an entity, not an event' });
    expect(mapCaliperEvent({ ...base, type: 'x'.repeat(300) })).toEqual({ skip: `Caliper of another kind LoggedIn: not use (${NOT_USE})` });
    expect(mapCaliperEvent('text')).toEqual({ reject: { reason: 'must be an object (a Caliper event)' } });
  });
  it('reads versions and terms', () => {
    expect(caliperTerm('http://purl.imsglobal.org/vocab/caliper/v1/action#LoggedIn')).toBe('LoggedIn');
    expect(caliperTerm('http://purl.imsglobal.org/caliper/v1/SessionEvent')).toBe('SessionEvent');
    expect([{}, { dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p1' }, { dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p2' }].map(caliperVersion)).toEqual(['1.0', '1.1', '1.2']);
  });
});

describe('sniff names each Caliper version', () => {
  it.each([
    ['login-v1p0.json', 'v1p0', 'a Caliper 1.0 envelope'],
    ['login-v1p1.json', 'v1p1', 'a Caliper 1.1 envelope'],
    ['login-v1p2.json', 'v1p2', 'a Caliper 1.2 envelope'],
  ])('%s', (file, variant, label) => {
    expect(sniff(new Uint8Array(fx(file)))).toEqual({ format: 'caliper', variant, label, kind: 'caliper' });
  });
});
