import { describe, expect, it } from 'vitest';
import { addDays, clampToToday, defaultPeriodKey, isDay, periodFromKey, presets, schoolYear, schoolYearOf, term, termOf } from './periods.ts';

describe('school year', () => {
  it('runs 1 August to 31 July', () => {
    expect(schoolYear(2025)).toMatchObject({ key: 'sy-2025', from: '2025-08-01', to: '2026-07-31' });
  });
  it('is found from any day', () => {
    expect(schoolYearOf('2025-08-01')).toBe(2025);
    expect(schoolYearOf('2026-07-31')).toBe(2025);
    expect(schoolYearOf('2026-01-15')).toBe(2025);
    expect(schoolYearOf('2026-11-29')).toBe(2026);
  });
});

describe('terms', () => {
  it('HT is August to December, VT January to June', () => {
    expect(term('HT', 2025)).toMatchObject({ key: 'ht-2025', from: '2025-08-01', to: '2025-12-31' });
    expect(term('VT', 2026)).toMatchObject({ key: 'vt-2026', from: '2026-01-01', to: '2026-06-30' });
  });
  it('termOf', () => {
    expect(termOf('2025-09-10').key).toBe('ht-2025');
    expect(termOf('2026-03-10').key).toBe('vt-2026');
  });
});

describe('periodFromKey', () => {
  it('parses every preset and rejects the rest', () => {
    expect(periodFromKey('sy-2024')?.from).toBe('2024-08-01');
    expect(periodFromKey('ht-2024')?.to).toBe('2024-12-31');
    expect(periodFromKey('vt-2025')?.from).toBe('2025-01-01');
    expect(periodFromKey('2024-02')).toMatchObject({ from: '2024-02-01', to: '2024-02-29', kind: 'month' });
    expect(periodFromKey('2025-02')?.to).toBe('2025-02-28');
    expect(periodFromKey('2025-13')).toBeNull();
    expect(periodFromKey('läsår')).toBeNull();
    expect(periodFromKey('')).toBeNull();
    expect(periodFromKey(null)).toBeNull();
  });
});

describe('presets', () => {
  const p = presets('2026-11-29');
  it('offers this and two previous school years, newest first', () => {
    expect(p.schoolYears.map((x) => x.key)).toEqual(['sy-2026', 'sy-2025', 'sy-2024']);
  });
  it('offers only terms that have begun', () => {
    expect(p.terms.map((x) => x.key)).toEqual(['ht-2026', 'vt-2026', 'ht-2025']);
    expect(presets('2027-02-01').terms.map((x) => x.key)).toEqual(['vt-2027', 'ht-2026', 'vt-2026', 'ht-2025']);
  });
  it('offers the last 13 months across the new year', () => {
    expect(p.months).toHaveLength(13);
    expect(p.months[0].key).toBe('2026-11');
    expect(p.months[12].key).toBe('2025-11');
  });
  it('defaults to the running school year', () => {
    expect(defaultPeriodKey('2026-11-29')).toBe('sy-2026');
    expect(defaultPeriodKey('2026-07-15')).toBe('sy-2025');
  });
});

describe('clampToToday', () => {
  it('stops a running period at today and leaves past and future ones alone', () => {
    expect(clampToToday('2026-08-01', '2027-07-31', '2026-11-29')).toEqual({ from: '2026-08-01', to: '2026-11-29' });
    expect(clampToToday('2025-08-01', '2026-07-31', '2026-11-29')).toEqual({ from: '2025-08-01', to: '2026-07-31' });
    expect(clampToToday('2027-01-01', '2027-06-30', '2026-11-29')).toEqual({ from: '2027-01-01', to: '2027-06-30' });
  });
});

describe('days', () => {
  it('isDay accepts only real calendar days', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2026-2-1')).toBe(false);
    expect(isDay(undefined)).toBe(false);
  });
  it('addDays crosses months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
