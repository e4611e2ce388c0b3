import { describe, expect, it } from 'vitest';
import { signInBase } from './school-sign-in.ts';

describe('the organiser a sign-in page signs in at', () => {
  it('is ?organiser=<id> in the address, else the first organiser', () => {
    expect(signInBase('?organiser=kungalv')).toBe('/auth/kungalv');
    expect(signInBase('?x=1&organiser=gr-2')).toBe('/auth/gr-2');
    expect(signInBase('')).toBe('/auth');
    // Not an organiser id: never a path of the caller's choosing.
    for (const bad of ['?organiser=../v1', '?organiser=Kungalv', '?organiser=', '?organiser=a%2Fb']) expect(signInBase(bad)).toBe('/auth');
  });
});
