import { describe, expect, it } from 'vitest';
import { renewalMoney, renewalTotals } from './renewals.ts';

/** Figure 12 (docs/figures.md) by hand, for the cases the HTTP test does not build. */
describe('renewal money (figures 9, 12)', () => {
  it('the issue\'s licence: 30 seats, peak 58, 64 recommended, 30,000 kr', () => {
    // 34 seats missing at 30000 / 30 = 1000 kr each.
    expect(renewalMoney(30, 30_000, 58, 64)).toEqual({ projectedSaving: 0, overused: true, seatsMissing: 34, missingCost: 34_000 });
  });

  it('under-bought but not over-used: the peak fits, the headroom does not', () => {
    // Peak 10 of 10 seats, recommended 11: one seat missing at 2000 / 10 = 200 kr.
    expect(renewalMoney(10, 2000, 10, 11)).toEqual({ projectedSaving: 0, overused: false, seatsMissing: 1, missingCost: 200 });
  });

  it('a saving and no missing seats; unlimited and seatless licences have no seat price', () => {
    expect(renewalMoney(10, 2000, 2, 3)).toEqual({ projectedSaving: 1400, overused: false, seatsMissing: 0, missingCost: 0 });
    expect(renewalMoney(null, 3000, 5, 6)).toEqual({ projectedSaving: null, overused: false, seatsMissing: null, missingCost: null });
    expect(renewalMoney(0, 500, 1, 2)).toEqual({ projectedSaving: 0, overused: true, seatsMissing: 2, missingCost: null });
  });

  it('totals saved and needed separately, to the öre', () => {
    const rows = [
      { projectedSaving: 0, missingCost: 666.67, overused: true },
      { projectedSaving: 0, missingCost: 333.33, overused: true },
      { projectedSaving: 1400, missingCost: 0, overused: false },
      { projectedSaving: null, missingCost: null, overused: null },
    ];
    expect(renewalTotals(rows)).toEqual({ projectedSaving: 1400, missingCost: 1000, overused: 2 });
  });
});
