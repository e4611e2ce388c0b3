import { describe, expect, it } from 'vitest';
import { targetText, yearsText } from './targetText.ts';

describe('targetText', () => {
  it('says a target as the API does', () => {
    expect(targetText({ schoolTypes: ['GR'], years: [7, 8, 9], subjects: [], dutyRoles: [] })).toBe('GR åk 7–9');
    expect(targetText({ schoolTypes: [], years: [], subjects: [], dutyRoles: ['Lärare'] })).toBe('Lärare');
    expect(targetText({ schoolTypes: [], years: [], subjects: [], dutyRoles: [] })).toBe('');
    expect(yearsText([0, 1, 2, 3, 6])).toBe('F–3, 6');
  });
});
