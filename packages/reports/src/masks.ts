/**
 * SQL for the half-year day masks of `usage_days`: bit i of a row's mask is the i-th day
 * (from 0) of the half-year starting on the row's `half` (1 January or 1 July). A window, a
 * membership or an entitlement becomes a mask of the same half-year, so "was there a day of
 * use in it" is one AND of two 256-bit numbers instead of a join over days.
 */

import { halfOf } from '@licenskoll/storage';

/** The half-year a day falls in, as its first day (defined with the table it keys, `usage_days`). */
export { halfOf };

/** Last day of the half-year starting on `half`. */
export const halfEnd = (half: string) => `(addMonths(${half}, 6) - 1)`;

/** Day offsets `lo`..`hi` (integers, both included) as a mask; 0 when `lo > hi`. */
export const bits = (lo: string, hi: string) =>
  `bitShiftLeft(toUInt256(bitShiftLeft(toUInt256(1), greatest(toInt32(${hi}) - toInt32(${lo}) + 1, 0)) - 1), least(greatest(toInt32(${lo}), 0), 255))`;

/** Days `from`..`to` (Date expressions, both included) as a mask of the half-year `half`. */
export const span = (half: string, from: string, to: string) =>
  bits(`toUInt16(greatest(${from}, ${half})) - toUInt16(${half})`, `toUInt16(least(${to}, ${halfEnd(half)})) - toUInt16(${half})`);

/** The report window `{from:Date}..{to:Date}` as a mask of `half`. */
export const windowMask = (half: string) => span(half, '{from:Date}', '{to:Date}');

/**
 * The half-years the window touches that hold any use, as an array of their first days. A
 * window without a start reaches back to 1970: 112 half-years, each multiplying the
 * candidate licences of every signature, unless cut to the stored use.
 */
const lowHalf = `greatest(${halfOf('{from:Date}')}, ifNull((SELECT min(half) FROM usage_days), toDate('1970-01-01')))`;
const highHalf = `least(${halfOf('{to:Date}')}, ifNull((SELECT max(half) FROM usage_days), toDate('1970-01-01')))`;
export const windowHalves = `arrayMap(i -> addMonths(${lowHalf}, 6 * i), range(toUInt32(greatest(0, intDiv(dateDiff('month', ${lowHalf}, ${highHalf}), 6) + 1))))`;

/** Offset of the highest day set in a non-zero mask. */
export const lastBit = (mask: string) => `arrayFirst(i -> bitAnd(${mask}, bitShiftLeft(toUInt256(1), i)) != 0, range(255, -1, -1))`;
