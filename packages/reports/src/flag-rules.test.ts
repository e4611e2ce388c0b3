import { describe, expect, it } from 'vitest';
import { median, schoolWeeksOf } from './flag-rules.ts';
import { DEFAULT_FLAG_SETTINGS, flagEnvName, flagSettingsFromEnv } from './flag-settings.ts';
import { lookbackWeeks } from './flags.ts';

describe('the pure parts of the flags (figures 20–25)', () => {
  it('median: the middle value, the mean of the middle two for an even count, none of nothing', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('school weeks: at least the share of the median week with any use; the last eight kept', () => {
    const weeks = [0, 10, 12, 1, 11, 10, 9, 12, 4, 10, 11, 10, 12].map((n, i) => ({ week: `w${String(i).padStart(2, '0')}`, n }));
    const w = schoolWeeksOf(weeks, 0.5);
    // Weeks with use: median of 10,12,1,11,10,9,12,4,10,11,10,12 is 10; 5 is the bar, so 1 and 4 are holidays.
    expect(w.median).toBe(10);
    expect(w.school).toEqual(['w04', 'w05', 'w06', 'w07', 'w09', 'w10', 'w11', 'w12']);
    // A bar exactly met counts: 5 >= 0.5 × 10.
    expect(schoolWeeksOf([{ week: 'a', n: 10 }, { week: 'b', n: 5 }, { week: 'c', n: 10 }], 0.5).school).toEqual(['a', 'b', 'c']);
  });

  it('looks back over 26 complete weeks: a Sunday ends its own week, any other day the week before', () => {
    expect(lookbackWeeks('2026-03-22')).toEqual({ from: '2025-09-22', to: '2026-03-22' });
    expect(lookbackWeeks('2026-03-21')).toEqual({ from: '2025-09-15', to: '2026-03-15' });
  });

  it('settings: defaults, LICENSKOLL_FLAG_* overrides, and a value out of bounds named', () => {
    expect(flagSettingsFromEnv({})).toEqual(DEFAULT_FLAG_SETTINGS);
    expect(flagEnvName('concentratedMinSchools')).toBe('LICENSKOLL_FLAG_CONCENTRATED_MIN_SCHOOLS');
    expect(flagSettingsFromEnv({ LICENSKOLL_FLAG_GRACE_DAYS: '14', LICENSKOLL_FLAG_LOW_UTILISATION: '0.4' })).toMatchObject({ graceDays: 14, lowUtilisation: 0.4 });
    expect(() => flagSettingsFromEnv({ LICENSKOLL_FLAG_GRACE_DAYS: '1.5' })).toThrow('LICENSKOLL_FLAG_GRACE_DAYS: "1.5" must be a whole number from 0 to 365');
    expect(() => flagSettingsFromEnv({ LICENSKOLL_FLAG_LOW_UTILISATION: '2' })).toThrow(/from 0 to 1/);
  });
});
