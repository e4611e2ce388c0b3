import { describe, expect, it } from 'vitest';
import { filtersOf, readFilters, readNumber, writeFilters, writeParam } from './filters.ts';

const today = '2026-11-29';

describe('readFilters', () => {
  it('defaults to the running school year, clamped to today', () => {
    expect(readFilters('', today)).toMatchObject({ periodKey: 'sy-2026', custom: false, from: '2026-08-01', to: today, asOf: today, periodTo: '2027-07-31' });
  });
  it('reads a preset, a school unit and a product', () => {
    const f = readFilters('?period=ht-2025&school=S1&product=matte', today);
    expect(f).toMatchObject({ periodKey: 'ht-2025', from: '2025-08-01', to: '2025-12-31', asOf: '2025-12-31', school: 'S1', product: 'matte' });
  });
  it('reads a custom period', () => {
    expect(readFilters('from=2026-01-10&to=2026-02-20', today)).toMatchObject({ custom: true, periodKey: 'custom', from: '2026-01-10', to: '2026-02-20' });
  });
  it('falls back on nonsense', () => {
    expect(readFilters('period=nonsense', today).periodKey).toBe('sy-2026');
    expect(readFilters('from=2026-03-01&to=2026-02-01', today).periodKey).toBe('sy-2026');
    expect(readFilters('from=2026-02-30&to=2026-03-01', today).custom).toBe(false);
    expect(readFilters('school=%20', today).school).toBeUndefined();
  });
});

describe('writeFilters', () => {
  it('keeps page parameters untouched', () => {
    const q = writeFilters('days=60&q=matte&period=2026-03', { school: 'S2' });
    expect(q.get('days')).toBe('60');
    expect(q.get('q')).toBe('matte');
    expect(q.get('period')).toBe('2026-03');
    expect(q.get('school')).toBe('S2');
  });
  it('switches between preset and custom', () => {
    const custom = writeFilters('period=sy-2025', { period: null, from: '2026-01-01', to: '2026-01-31' });
    expect(custom.toString()).toBe('from=2026-01-01&to=2026-01-31');
    const preset = writeFilters(custom, { period: 'vt-2026' });
    expect(preset.toString()).toBe('period=vt-2026');
  });
  it('removes a filter with an empty value', () => {
    expect(writeFilters('school=S1&product=P', { school: '' }).toString()).toBe('product=P');
  });
});

describe('round trip', () => {
  const cases = [
    'period=sy-2025',
    'period=ht-2026&school=S1',
    'period=2026-03&product=matte-direkt&school=905',
    'from=2026-01-10&to=2026-02-20&school=S9',
    'from=2026-09-01&to=2027-03-01',
  ];
  for (const c of cases) {
    it(c, () => {
      const once = readFilters(c, today);
      const url = writeFilters('', filtersOf(once));
      const twice = readFilters(url, today);
      expect(twice).toEqual(once);
      expect(new Set(url.keys())).toEqual(new Set(new URLSearchParams(c).keys()));
    });
  }
});

describe('page parameters', () => {
  it('readNumber bounds values', () => {
    expect(readNumber('days=60', 'days', 30, 1, 366)).toBe(60);
    expect(readNumber('days=0', 'days', 30, 1, 366)).toBe(30);
    expect(readNumber('days=x', 'days', 30, 1, 366)).toBe(30);
    expect(readNumber('', 'days', 30, 1, 366)).toBe(30);
    expect(readNumber('threshold=0.3', 'threshold', 0.5, 0, 1)).toBe(0.3);
  });
  it('writeParam sets and removes', () => {
    expect(writeParam('a=1', 'b', 2).toString()).toBe('a=1&b=2');
    expect(writeParam('a=1&b=2', 'b', null).toString()).toBe('a=1');
  });
});
