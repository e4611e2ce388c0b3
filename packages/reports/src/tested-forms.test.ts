import { describe, expect, it } from 'vitest';
import { parseTestedForms } from './tested-forms.ts';

describe('LICENSKOLL_TESTED_YEARS', () => {
  it('defaults to years 3, 6 and 9 of GR and every year of GY', () => {
    expect(parseTestedForms(undefined)).toEqual([{ schoolType: 'GR', years: [3, 6, 9] }, { schoolType: 'GY', years: [] }]);
    expect(parseTestedForms('  ')).toEqual(parseTestedForms(undefined));
  });
  it('reads forms with and without years, upper-casing the form and sorting the years', () => {
    expect(parseTestedForms('gr: 9, 6 ; GRS:6;GY')).toEqual([
      { schoolType: 'GR', years: [6, 9] }, { schoolType: 'GRS', years: [6] }, { schoolType: 'GY', years: [] },
    ]);
  });
  it('refuses a year out of range, a malformed part and a form named twice', () => {
    expect(() => parseTestedForms('GR:3,11')).toThrow(/"11" in "GR:3,11" must be a year from 0 to 10/);
    expect(() => parseTestedForms('GR 3')).toThrow(/"GR 3" must be a school form/);
    expect(() => parseTestedForms('GR:3;gr:6')).toThrow(/GR is named twice/);
  });
});
