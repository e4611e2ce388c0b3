import { describe, expect, it } from 'vitest';
import { dayInZone } from './dates.ts';

const reference = (ms: number, tz: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);

describe('dayInZone', () => {
  it('gives the local day around midnight, across both daylight-saving changes, and again from its cache', () => {
    const cases: [string, string, string][] = [
      ['2025-11-30T22:59:59.999Z', 'Europe/Stockholm', '2025-11-30'],
      ['2025-11-30T23:00:00.000Z', 'Europe/Stockholm', '2025-12-01'],
      ['2026-03-29T21:59:59.999Z', 'Europe/Stockholm', '2026-03-29'],
      ['2026-03-29T22:00:00.000Z', 'Europe/Stockholm', '2026-03-30'],
      ['2026-10-25T22:59:59.999Z', 'Europe/Stockholm', '2026-10-25'],
      ['2026-10-25T23:00:00.000Z', 'Europe/Stockholm', '2026-10-26'],
      ['2026-03-01T18:14:59.999Z', 'Asia/Kathmandu', '2026-03-01'],
      ['2026-03-01T18:15:00.000Z', 'Asia/Kathmandu', '2026-03-02'],
    ];
    for (let pass = 0; pass < 2; pass++) {
      for (const [iso, tz, day] of cases) expect(dayInZone(new Date(iso), tz), `${iso} ${tz}`).toBe(day);
    }
  });

  it('agrees with the formatter minute by minute over a year, historic zones included', () => {
    for (const tz of ['Europe/Stockholm', 'America/St_Johns', 'Australia/Eucla']) {
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 7 * 60_000 + 13_000) {
        if (dayInZone(new Date(ms), tz) !== reference(ms, tz)) expect(dayInZone(new Date(ms), tz)).toBe(reference(ms, tz));
      }
    }
    // Local mean time, before time zones: offsets not on a quarter hour.
    for (let ms = Date.UTC(1870, 0, 1); ms < Date.UTC(1870, 0, 3); ms += 60_000) {
      if (dayInZone(new Date(ms), 'Europe/Stockholm') !== reference(ms, 'Europe/Stockholm')) {
        expect(dayInZone(new Date(ms), 'Europe/Stockholm')).toBe(reference(ms, 'Europe/Stockholm'));
      }
    }
  });
});
