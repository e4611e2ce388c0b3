import { describe, expect, it } from 'vitest';
import { formatters } from './format.ts';
import { translator } from './i18n/index.tsx';
import { periodLabel } from './periodLabel.ts';

describe('periodLabel', () => {
  const sv = (k: string) => periodLabel(translator('sv'), formatters('sv'), k);
  const en = (k: string) => periodLabel(translator('en'), formatters('en'), k);
  it('names presets in Swedish', () => {
    expect(sv('sy-2025')).toBe('Läsår 2025/26');
    expect(sv('sy-2099')).toBe('Läsår 2099/00');
    expect(sv('ht-2025')).toBe('HT 2025');
    expect(sv('vt-2026')).toBe('VT 2026');
    expect(sv('2026-03')).toBe('Mars 2026');
    expect(sv('custom')).toBe('Eget intervall');
  });
  it('and in English', () => {
    expect(en('sy-2025')).toBe('School year 2025/26');
    expect(en('ht-2025')).toBe('Autumn term 2025');
    expect(en('2026-03')).toBe('March 2026');
  });
});
