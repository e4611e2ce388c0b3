import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ApiError } from '@licenskoll/core';
import { ltiIdentities, parseLtiLaunches } from './lti.ts';

const fixture = (name: string) => readFileSync(new URL(`../test-fixtures/lti/${name}`, import.meta.url));
const example = () => fixture('resource-link-payload.json');

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const ASTRID = {
  id: 'c0f5b5e2-3a57-4f0f-9d0b-8b1f2d6a9e11',
  type: 'launch',
  time: '2024-09-02T07:14:58.000Z',
  user: 'lti:https://lms.example.se:39f1dae5',
  product: 'tool-client-7f3a',
  source: 'lti',
  group: 'ma-7b-2024',
  school: '99999999',
};

describe('parseLtiLaunches', () => {
  it('maps a pretty-printed payload (pretty-printed, one document) field by field', async () => {
    const res = await parseLtiLaunches(example());
    expect(await all(res.records)).toEqual([ASTRID]);
  });

  it('reads JSON lines: array aud takes azp, jti wins over nonce, no context means no group', async () => {
    const res = await parseLtiLaunches(fixture('launches.ndjson'), { fileName: 'launches.ndjson' });
    const events = await all(res.records);
    expect(events).toEqual([
      ASTRID,
      { id: 'jti-2', type: 'launch', time: '2024-09-02T08:00:00.000Z', user: 'lti:https://lms.example.se:93df7ece', product: 'tool-client-7f3a', source: 'lti' },
    ]);
    expect(res.skippedReasons).toEqual({ 'anonymous launch (no sub)': 1 });
    expect(res.rejected).toEqual([{ file: 'launches.ndjson', line: 4, index: 3, field: 'iat', reason: 'null is not a time in epoch seconds' }]);
  });

  it('uses lis.person_sourcedid when asked, falling back to the qualified sub', async () => {
    const res = await parseLtiLaunches(fixture('launches.ndjson'), { user: 'person_sourcedid' });
    const events = await all(res.records);
    expect(events.map((e) => e.user)).toEqual(['39f1dae5-ffc5-41ce-b57b-6e3218bbd902', 'lti:https://lms.example.se:93df7ece']);
  });

  it('can name the product per deployment', async () => {
    const res = await parseLtiLaunches(example(), { product: 'deployment' });
    expect((await all(res.records))[0].product).toBe('tool-client-7f3a#6eadeea2-c94e-4e45-87d2-d447d36289e3');
  });

  it('decodes raw id_tokens one per line and reports one that is not JSON', async () => {
    const res = await parseLtiLaunches(fixture('id-tokens.jwt.log'), { fileName: 'tokens.log' });
    expect(await all(res.records)).toEqual([ASTRID]);
    expect(res.rejected).toHaveLength(1);
    expect(res.rejected[0]).toMatchObject({ file: 'tokens.log', line: 2, reason: expect.stringMatching(/^not valid JSON/) });
  });

  it('takes a JSON array of payloads too', async () => {
    const p = JSON.parse(example().toString());
    const res = await parseLtiLaunches(JSON.stringify([p, { ...p, nonce: 'other' }]));
    expect((await all(res.records)).map((e) => e.id)).toEqual([ASTRID.id, 'other']);
  });
});

describe('parseLtiLaunches: messages that are not launches', () => {
  it('stores only the resource launch of a deep-linking request, a launch and a submission review', async () => {
    const res = await parseLtiLaunches(fixture('deep-linking-beside-launch.ndjson'), { fileName: 'lti.ndjson' });
    // Line 2 is Astrid's launch: 1725261298 = 2024-09-02T07:14:58Z.
    expect(await all(res.records)).toEqual([ASTRID]);
    expect(res.skippedReasons).toEqual({
      'LTI message LtiDeepLinkingRequest: a teacher choosing content to link, not use of it': 1,
      'LTI message LtiSubmissionReviewRequest: a teacher reviewing a submission, not use by the pupil': 1,
    });
    expect(res.stats).toEqual({ read: 3, kept: 1, rejected: 0, skipped: 2 });
  });
});

describe('ltiIdentities', () => {
  it('exposes every identifier of a launch', () => {
    expect(ltiIdentities(JSON.parse(example().toString()))).toEqual({
      iss: 'https://lms.example.se',
      sub: '39f1dae5',
      qualifiedSub: 'lti:https://lms.example.se:39f1dae5',
      personSourcedId: '39f1dae5-ffc5-41ce-b57b-6e3218bbd902',
      clientId: 'tool-client-7f3a',
      deploymentId: '6eadeea2-c94e-4e45-87d2-d447d36289e3',
      contextId: 'ma-7b-2024',
      messageType: 'LtiResourceLinkRequest',
    });
  });
  it('takes the first aud when an array comes without azp', () => {
    expect(ltiIdentities({ iss: 'i', sub: 's', aud: ['c1', 'c2'] }).clientId).toBe('c1');
  });
});

describe('parseLtiLaunches: other launches', () => {
  const payload = (o: Record<string, unknown>) => ({ ...JSON.parse(example().toString()), ...o });
  const run = async (...ps: Record<string, unknown>[]) => {
    const res = await parseLtiLaunches(ps.map((p) => JSON.stringify(p)).join('\n'));
    return { events: await all(res.records), res };
  };

  it('takes a payload without message_type for a resource launch', async () => {
    const { events } = await run(payload({ 'https://purl.imsglobal.org/spec/lti/claim/message_type': undefined }));
    expect(events.map((e) => e.type)).toEqual(['launch']);
  });

  it('names an unknown Lti… message type, but not junk', async () => {
    const mt = 'https://purl.imsglobal.org/spec/lti/claim/message_type';
    const { events, res } = await run(payload({ [mt]: 'LtiFutureRequest' }), payload({ [mt]: 'x'.repeat(500), nonce: 'n2' }));
    expect(events).toEqual([]);
    expect(res.skippedReasons).toEqual({
      'LTI message LtiFutureRequest: not a resource launch': 1,
      'LTI message of another type: not a resource launch': 1,
    });
  });

  it('finds a school unit code under other custom keys, and none when absent', async () => {
    const custom = 'https://purl.imsglobal.org/spec/lti/claim/custom';
    expect((await run(payload({ [custom]: { skolenhetskod: '88888888' } }))).events[0].school).toBe('88888888');
    expect((await run(payload({ [custom]: {} }))).events[0].school).toBeUndefined();
  });

  it('derives an id from the payload when there is neither jti nor nonce', async () => {
    const { events } = await run(payload({ nonce: undefined }));
    expect(events[0].id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('rejects a payload without iss or client id', async () => {
    const { res } = await run(payload({ iss: undefined }), payload({ aud: undefined, azp: undefined }));
    expect(res.rejected.map((r) => r.field)).toEqual(['iss', 'aud']);
  });

  it('keeps an LTI sub case-sensitive and qualified by its platform', async () => {
    const { events } = await run(payload({ sub: 'AbC' }), payload({ sub: 'abc', nonce: 'n2' }));
    expect(events.map((e) => e.user)).toEqual(['lti:https://lms.example.se:AbC', 'lti:https://lms.example.se:abc']);
  });
});

describe('parseLtiLaunches: options as the HTTP route passes them', () => {
  it('takes identity as an alias of user', async () => {
    const res = await parseLtiLaunches(fixture('launches.ndjson'), { identity: 'person_sourcedid' });
    expect((await all(res.records))[0].user).toBe('39f1dae5-ffc5-41ce-b57b-6e3218bbd902');
  });

  it('answers 400 for an identity it does not know', async () => {
    const err = await parseLtiLaunches(fixture('launches.ndjson'), { identity: 'email' as never }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.message).toBe('identity: must be "sub" or "person_sourcedid", not "email"');
  });
});
