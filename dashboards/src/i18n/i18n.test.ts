import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { sv } from './sv.ts';
import { interpolate, translator } from './index.tsx';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('every Swedish key has an English text and no extra English keys exist', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(sv).sort());
    for (const [k, v] of Object.entries(en)) expect(v.trim(), k).not.toBe('');
  });
  it('both languages use the same placeholders', () => {
    for (const k of Object.keys(sv) as (keyof typeof sv)[]) expect(placeholders(en[k]), k).toEqual(placeholders(sv[k]));
  });
  it('uses the words of docs/design.md in Swedish', () => {
    expect(sv['col.utilisation']).toBe('Nyttjandegrad');
    expect(sv['col.unusedCost']).toBe('Oanvänd kostnad');
    expect(sv['kpi.costPerActive']).toBe('Kostnad per aktiv elev');
    expect(sv['filters.school']).toBe('Skolenhet');
    expect(sv['empty.events']).toBe('Inga händelser för perioden: skicka händelser till /v1/events eller välj en annan period.');
  });
});

describe('translator', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(interpolate('{a} av {b}', { a: 1, b: 2 })).toBe('1 av 2');
    expect(interpolate('{a} {x}', { a: 1 })).toBe('1 {x}');
    expect(translator('en')('common.of', { a: 3, b: 4 })).toBe('3 of 4');
    expect(translator('sv')('nav.unmapped')).toBe('Okända källor');
  });
});
