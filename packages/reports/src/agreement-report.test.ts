import { describe, expect, it } from 'vitest';
import { dayInZone } from '@licenskoll/core';
import { agreementReport, callOffWindow } from './agreement-report.ts';

/** An agreement of 250 kr a seat for the school year 2026/27; the numbers below are by hand. */
const agreement = {
  id: 'GR-MATTE-26', name: 'Matte åk 7-9', product: 'MATTE', supplier: 'Förlaget', pricePerSeat: 250, currency: 'SEK',
  start: '2026-08-01', end: '2027-06-30', organisers: ['a', 'b', 'c'],
};
const at = (id: string) => ({ organiser: { id, name: id.toUpperCase() }, asOf: '2026-11-28', window: { from: '2026-08-01', to: '2026-11-28' } });

describe('figure 27: a framework agreement per organiser and in total', () => {
  it('unused SEK is unused seats × price per seat; the total sums the lines', () => {
    // a: 2 call-offs of 10 + 30 seats, 6 and 12 used: unused 4 + 18 = 22 seats, 22 × 250 = 5,500 kr.
    // b: one call-off of 20 seats, 25 used (over-used): unused 0, 0 kr.
    const r = agreementReport(agreement, [
      { ...at('a'), callOffs: 2, seats: 40, used: 18, unusedSeats: 22 },
      { ...at('b'), callOffs: 1, seats: 20, used: 25, unusedSeats: 0 },
      { ...at('c'), callOffs: 0, seats: 0, used: 0, unusedSeats: 0 },
    ]);
    expect(r.rows.map(({ organiser, callOffs, seats, used, unusedSeats, unusedSek, suppressed }) => ({ id: organiser.id, callOffs, seats, used, unusedSeats, unusedSek, suppressed }))).toEqual([
      { id: 'a', callOffs: 2, seats: 40, used: 18, unusedSeats: 22, unusedSek: 5500, suppressed: false },
      { id: 'b', callOffs: 1, seats: 20, used: 25, unusedSeats: 0, unusedSek: 0, suppressed: false },
      { id: 'c', callOffs: 0, seats: 0, used: 0, unusedSeats: 0, unusedSek: 0, suppressed: false },
    ]);
    expect(r.total).toEqual({ callOffs: 3, seats: 60, used: 43, unusedSeats: 22, unusedSek: 5500, suppressed: false });
    expect(r.minCount).toBe(5);
  });

  it('1 to 4 persons are blanked with every figure made from them, and so is every total made from a blanked line', () => {
    // b: 3 of its 20 seats used: used, unused seats (17) and unused SEK (4,250 kr) are blanked;
    // shown, they would give its 3 back from the total. Seats and call-offs count no person.
    const r = agreementReport(agreement, [
      { ...at('a'), callOffs: 1, seats: 10, used: 5, unusedSeats: 5 },
      { ...at('b'), callOffs: 1, seats: 20, used: 3, unusedSeats: 17 },
    ]);
    expect(r.rows[0]).toMatchObject({ used: 5, unusedSeats: 5, unusedSek: 1250, suppressed: false });
    expect(r.rows[1]).toMatchObject({ callOffs: 1, seats: 20, used: null, unusedSeats: null, unusedSek: null, suppressed: true });
    expect(r.total).toEqual({ callOffs: 2, seats: 30, used: null, unusedSeats: null, unusedSek: null, suppressed: true });
  });

  it('an unlimited call-off has no seats and no unused seats, and neither has the total', () => {
    const r = agreementReport(agreement, [
      { ...at('a'), callOffs: 2, seats: null, used: 7, unusedSeats: null },
      { ...at('b'), callOffs: 1, seats: 20, used: 9, unusedSeats: 11 },
    ]);
    expect(r.rows[0]).toMatchObject({ seats: null, used: 7, unusedSeats: null, unusedSek: null, suppressed: false });
    expect(r.total).toEqual({ callOffs: 3, seats: null, used: 16, unusedSeats: null, unusedSek: null, suppressed: false });
  });

  it("counts each organiser up to its own today: the period, cut while it runs, none before it starts", () => {
    // At 22:30 on 30 November UTC it is 11:30 on 1 December in Auckland (UTC+13), 23:30 on 30 November in Stockholm.
    const now = new Date('2026-11-30T22:30:00Z');
    expect(callOffWindow(agreement, dayInZone(now, 'Europe/Stockholm'))).toEqual({ from: '2026-08-01', to: '2026-11-30' });
    expect(callOffWindow(agreement, dayInZone(now, 'Pacific/Auckland'))).toEqual({ from: '2026-08-01', to: '2026-12-01' });
    expect(callOffWindow(agreement, '2027-09-01')).toEqual({ from: '2026-08-01', to: '2027-06-30' });
    expect(callOffWindow(agreement, '2026-08-01')).toEqual({ from: '2026-08-01', to: '2026-08-01' });
    expect(callOffWindow(agreement, '2026-07-31')).toBeNull();
  });
});
