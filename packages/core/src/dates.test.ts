import { describe, expect, it } from 'vitest';
import { chTime, dayInZone, isIsoDate } from './dates.ts';

// One formatter per zone: making one per call was nearly all of this file's time.
const formatters = new Map<string, Intl.DateTimeFormat>();
const reference = (ms: number, tz: string) => {
  let f = formatters.get(tz);
  if (!f) formatters.set(tz, (f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(ms);
};

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

describe('isIsoDate', () => {
  it('accepts exactly the days that Date keeps as written, leap years and year 0000 to 9999 included', () => {
    const byDate = (s: string) => {
      const d = new Date(`${s}T00:00:00Z`);
      return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    };
    const days: string[] = ['2025-1-01', '2025-01-01T00', 'abcd-ef-gh', '', ' 2025-01-01', '2025-01-01 '];
    for (const y of [0, 1, 4, 100, 200, 400, 1600, 1900, 2000, 2023, 2024, 2025, 2100, 2400, 9999]) {
      for (let m = 0; m <= 13; m++) for (let d = 0; d <= 32; d++) days.push(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    }
    expect(days.filter((s) => isIsoDate(s) !== byDate(s))).toEqual([]);
    expect(days.filter(isIsoDate)).toHaveLength(15 * 365 + 7); // leap: 0000, 0004, 0400, 1600, 2000, 2024, 2400
  });
});

describe('chTime', () => {
  it('writes an instant as ClickHouse DateTime64(3) text in UTC, from a Date or milliseconds', () => {
    for (const ms of [0, Date.UTC(2026, 2, 29, 1, 59, 59, 999), Date.UTC(9999, 11, 31, 23, 59, 59, 1), Date.UTC(2000, 0, 1)]) {
      const want = new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
      expect([chTime(ms), chTime(new Date(ms))]).toEqual([want, want]);
    }
    expect(chTime(Date.UTC(2026, 10, 29, 12, 3, 4, 5))).toBe('2026-11-29 12:03:04.005');
  });
});
