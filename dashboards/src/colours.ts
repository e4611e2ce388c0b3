/**
 * The colours that carry meaning, with the text colour each must be read in. Adoption
 * and utilisation buckets go from pale to deep blue (one hue, readable in greyscale and
 * by red–green colour-blind readers); every cell also prints its figure, so colour is
 * never the only signal. colours.test.ts checks every pair against WCAG AA (4.5:1).
 */
export interface Swatch { bg: string; fg: string }

/** Adoption / utilisation buckets: [0, .2), [.2, .4), [.4, .6), [.6, .8), [.8, 1]. */
export const SHARE_SCALE: readonly Swatch[] = [
  { bg: '#f1f5fb', fg: '#1b2a41' },
  { bg: '#d6e4f5', fg: '#1b2a41' },
  { bg: '#a9c7ec', fg: '#10233d' },
  { bg: '#2f6db5', fg: '#ffffff' },
  { bg: '#1d4e89', fg: '#ffffff' },
];

/** A paid material a class never opened: hatched, with a dark red label. */
export const NEVER_OPENED: Swatch & { stripe: string } = { bg: '#ffffff', stripe: '#fbe3e0', fg: '#9b1c12' };
/** No pupils enrolled, so no share. */
export const NO_SHARE: Swatch = { bg: '#f6f7f9', fg: '#4a5566' };

export const STATUS: Record<'danger' | 'warn' | 'ok' | 'neutral' | 'info', Swatch> = {
  danger: { bg: '#fdecea', fg: '#9b1c12' },
  warn: { bg: '#fff4dc', fg: '#7a4b00' },
  ok: { bg: '#e6f4ea', fg: '#1e5e34' },
  neutral: { bg: '#eef0f3', fg: '#37414f' },
  info: { bg: '#e7effa', fg: '#1d4e89' },
};

export function shareSwatch(share: number): Swatch {
  const i = Math.min(SHARE_SCALE.length - 1, Math.max(0, Math.floor(share * SHARE_SCALE.length)));
  return SHARE_SCALE[i];
}

/** WCAG 2 relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
