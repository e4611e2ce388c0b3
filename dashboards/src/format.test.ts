import { describe, expect, it } from 'vitest';
import { formatters, todayInStockholm, MISSING } from './format.ts';

const NBSP = '\u00a0';
const sv = formatters('sv');
const en = formatters('en');

describe('Swedish formats', () => {
  it('money in whole kronor with a space as thousands separator', () => {
    expect(sv.money(12500)).toBe(`12${NBSP}500${NBSP}kr`);
    expect(sv.money(1234567.6)).toBe(`1${NBSP}234${NBSP}568${NBSP}kr`);
    expect(sv.money(0)).toBe(`0${NBSP}kr`);
  });
  it('percent with a space before the sign', () => {
    expect(sv.percent(0.45)).toBe(`45${NBSP}%`);
    expect(sv.percent(1)).toBe(`100${NBSP}%`);
    expect(sv.percent(0.004)).toBe(`0${NBSP}%`);
  });
  it('dates stay ISO', () => {
    expect(sv.date('2026-03-01')).toBe('2026-03-01');
  });
  it('numbers with grouping', () => {
    expect(sv.number(12500)).toBe(`12${NBSP}500`);
    expect(sv.integer(-0.2)).toBe('0');
  });
  it('instants in Stockholm time', () => {
    expect(sv.dateTime('2026-03-01T07:15:00Z')).toBe('2026-03-01 08:15');
    expect(sv.dateTime('2026-07-01T07:15:00+00:00')).toBe('2026-07-01 09:15');
  });
  it('month names', () => {
    expect(sv.month('2026-03')).toBe('mars 2026');
  });
});

describe('English formats', () => {
  it('money, percent, dates', () => {
    expect(en.money(12500)).toBe(`SEK${NBSP}12,500`);
    expect(en.money(99, 'EUR')).toBe('€99');
    expect(en.percent(0.45)).toBe('45%');
    expect(en.date('2026-03-01')).toBe('1 Mar 2026');
    expect(en.month('2026-03')).toBe('March 2026');
    expect(en.dateTime('2026-03-01T07:15:00Z')).toBe('1 Mar 2026, 08:15');
  });
});

describe('missing values', () => {
  it('render as an en dash, never as zero', () => {
    for (const f of [sv, en]) {
      expect(f.money(null)).toBe(MISSING);
      expect(f.percent(null)).toBe(MISSING);
      expect(f.number(undefined)).toBe(MISSING);
      expect(f.date(null)).toBe(MISSING);
      expect(f.percent(Number.NaN)).toBe(MISSING);
    }
  });
});

describe('todayInStockholm', () => {
  it('uses the Stockholm calendar day', () => {
    expect(todayInStockholm(new Date('2026-03-01T23:30:00Z'))).toBe('2026-03-02');
    expect(todayInStockholm(new Date('2026-03-01T12:00:00Z'))).toBe('2026-03-01');
  });
});
