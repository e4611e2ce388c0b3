import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Pseudonymiser } from './identity.ts';

const KEY = 'test-pseudonym-key-0123456789abcdef';
const hmac = (v: string) => createHmac('sha256', KEY).update(v, 'utf8').digest('hex').slice(0, 32);

describe('Pseudonymiser', () => {
  it('gives the HMAC of the normalised identifier, the same when it is remembered and after its memory was emptied', () => {
    const p = new Pseudonymiser(KEY);
    const ids = ['Astrid@Skola.se', 'urn:uuid:0F8FAD5B-D9CB-469F-A165-70867728950E', 'lti-sub-Åsa'];
    const want = ['astrid@skola.se', '0f8fad5b-d9cb-469f-a165-70867728950e', 'lti-sub-Åsa'].map(hmac);
    expect(ids.map((v) => p.user(v))).toEqual(want);
    expect(ids.map((v) => p.user(v))).toEqual(want);
    // More identifiers than it remembers: the memory is emptied, the answers stay the same.
    for (let i = 0; i < 100_001; i++) p.hash(`person-${i}`);
    expect(p.hash('person-7')).toBe(hmac('person-7'));
    expect(ids.map((v) => p.user(v))).toEqual(want);
    expect(new Pseudonymiser('another-key-0123456789').user(ids[0])).not.toBe(want[0]);
  });
});
