import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { sv } from './sv.ts';
import { interpolate, translator } from './index.tsx';

const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)(?:\|[^}]*)?\}/g)].map((m) => m[1]))].sort();

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
  it('agrees the word with the count: one against many, a formatted number too', () => {
    expect(interpolate('{n} {n|plats|platser}', { n: 1 })).toBe('1 plats');
    expect(interpolate('{n} {n|plats|platser}', { n: '1 234' })).toBe('1 234 platser');
    expect(interpolate('{n} {n|plats|platser}', { n: 0 })).toBe('0 platser');
    expect(interpolate('{n|plats|platser}', {})).toBe('{n|plats|platser}');
    expect(translator('sv')('actions.seats', { n: 1 })).toBe('1 plats');
    expect(translator('sv')('classes.flagged', { n: 1 })).toBe('1 klass har inte öppnat ett läromedel som skolan betalar för.');
    expect(translator('en')('classes.flagged', { n: 1 })).toBe('1 class has not opened a material the school pays for.');
    expect(translator('en')('moves.summary', { n: 2, saving: 'x' })).toContain('Move 2 seats');
  });
});
