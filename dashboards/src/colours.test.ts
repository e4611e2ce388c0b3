import { describe, expect, it } from 'vitest';
import { contrast, NEVER_OPENED, NO_SHARE, SHARE_SCALE, shareSwatch, STATUS } from './colours.ts';

describe('contrast', () => {
  it('knows the reference values', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 1);
  });
  it('every meaningful swatch passes WCAG AA for normal text', () => {
    const pairs = [...SHARE_SCALE, NO_SHARE, { bg: NEVER_OPENED.bg, fg: NEVER_OPENED.fg }, { bg: NEVER_OPENED.stripe, fg: NEVER_OPENED.fg }, ...Object.values(STATUS)];
    for (const s of pairs) expect(contrast(s.bg, s.fg), `${s.fg} on ${s.bg}`).toBeGreaterThanOrEqual(4.5);
  });
});

describe('shareSwatch', () => {
  it('maps shares to buckets, including the edges', () => {
    expect(shareSwatch(0)).toBe(SHARE_SCALE[0]);
    expect(shareSwatch(0.2)).toBe(SHARE_SCALE[1]);
    expect(shareSwatch(0.79)).toBe(SHARE_SCALE[3]);
    expect(shareSwatch(1)).toBe(SHARE_SCALE[4]);
    expect(shareSwatch(1.4)).toBe(SHARE_SCALE[4]);
  });
});
