/** Money to öre: figures are shown and compared to the unit, never to float noise. */
export const money = (v: number): number => Math.round(v * 100) / 100;

/** ceil(peak x (1 + headroom)) without float noise: 10 x 1.1 is 11, not 12. */
export function ceilWithHeadroom(peak: number, headroom: number): number {
  return Math.ceil(Number((peak * (1 + headroom)).toFixed(9)));
}
