import { describe, it } from 'vitest';

/**
 * Whether a suite that needs something from the machine (Chromium, mount or chattr rights)
 * should be skipped. On a developer's machine a missing need skips the suite with a warning;
 * on CI (`CI` set) it is a failure, so that a green run always means the suite ran.
 */
export function skipWithout(suite: string, missing: string | null | undefined): boolean {
  if (!missing) return false;
  if (process.env.CI) {
    describe(suite, () => {
      it('has what it needs on CI', () => {
        throw new Error(`${suite} cannot run: ${missing}. On CI this is a failure, not a skip.`);
      });
    });
  } else {
    console.warn(`[${suite}] skipped: ${missing}`);
  }
  return true;
}
