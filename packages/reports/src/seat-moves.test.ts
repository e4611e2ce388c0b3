import { describe, expect, it } from 'vitest';
import { inUseMonths, matchSeats, type Giver, type Taker } from './seat-moves.ts';

/** Figure 16's matching by hand: never more than a giver's surplus, never more than a taker lacks. */
const g = (licence: string, unit: string, surplus: number, product = 'P'): Giver => ({ licence, unit, product, surplus });
const t = (licence: string, unit: string, lacking: number, reason: Taker['reason'] = 'overused', product = 'P'): Taker => ({ licence, unit, product, lacking, reason });
const moves = (gs: Giver[], ts: Taker[]) => matchSeats(gs, ts).map((m) => `${m.from.licence}>${m.to.licence || m.to.unit}:${m.seats}`);

describe('matchSeats', () => {
  it('moves no seat from a licence whose seats are all in use', () => {
    expect(moves([g('A', 'u1', 0)], [t('B', 'u2', 3)])).toEqual([]);
  });

  it('gives at most the surplus: 3 spare seats for 2 + 3 lacking serve the larger lack first', () => {
    // B lacks 2, unit u3 (no licence) lacks 3: u3 first (3 > 2) and takes all 3; B gets nothing.
    expect(moves([g('A', 'u1', 3)], [t('B', 'u2', 2), t('', 'u3', 3, 'unlicensed')])).toEqual(['A>u3:3']);
  });

  it('on an equal lack serves an over-used licence before a unit without one, and takes from the largest surplus first', () => {
    expect(moves([g('A', 'u1', 1), g('C', 'u4', 2)], [t('', 'u3', 2, 'unlicensed'), t('B', 'u2', 2)])).toEqual(['C>B:2', 'A>u3:1']);
  });

  it('never moves seats within one unit or across products', () => {
    expect(moves([g('A', 'u1', 5), g('X', 'u9', 5, 'Q')], [t('B', 'u1', 2)])).toEqual([]);
  });

  it('splits a lack over several givers', () => {
    expect(moves([g('A', 'u1', 2), g('C', 'u4', 2)], [t('B', 'u2', 3)])).toEqual(['A>B:2', 'C>B:1']);
  });
});

describe('inUseMonths', () => {
  it('is the three full months before asOf and its own month', () => {
    expect(inUseMonths('2026-03-15')).toEqual(['2025-12-01', '2026-01-01', '2026-02-01', '2026-03-01']);
  });
});
