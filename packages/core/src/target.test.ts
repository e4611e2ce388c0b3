import { describe, expect, it } from 'vitest';
import { describeIssues } from './schemas.ts';
import { effectiveTarget, hasTarget, parseSchoolTypes, parseYears, targetInput, targetText, targetsDisjoint } from './target.ts';

describe('years (årskurs)', () => {
  it('reads ranges, lists and förskoleklass', () => {
    expect(parseYears('7-9').value).toEqual([7, 8, 9]);
    expect(parseYears('7–9').value).toEqual([7, 8, 9]);
    expect(parseYears('1,2,3').value).toEqual([1, 2, 3]);
    expect(parseYears('F-3').value).toEqual([0, 1, 2, 3]);
    expect(parseYears('4-6, 9').value).toEqual([4, 5, 6, 9]);
    expect(parseYears('åk 7').value).toEqual([7]);
    expect(parseYears('').value).toEqual([]);
  });
  it('refuses a backwards range, a year out of range and words', () => {
    expect(parseYears('9-7').error).toBe('9-7 runs backwards: write 7-9');
    expect(parseYears('7-11').error).toBe('11 is out of range: a year is 0–10');
    expect(parseYears('sju').error).toMatch(/is not a year/);
  });
});

describe('school forms (skolform)', () => {
  it('takes SS12000 codes in any case and names an unknown one', () => {
    expect(parseSchoolTypes('gr, GRS').value).toEqual(['GR', 'GRS']);
    expect(parseSchoolTypes('GR|XX').error).toMatch(/^XX is not a school form/);
  });
});

describe('targetInput', () => {
  const issues = (v: unknown) => {
    const r = targetInput.safeParse(v);
    return r.success ? [] : describeIssues(r.error, 'target');
  };
  it('takes years as a list or as text', () => {
    expect(targetInput.parse({ schoolTypes: ['GR'], years: '7-9' })).toEqual({ schoolTypes: ['GR'], years: [7, 8, 9], subjects: [], dutyRoles: [] });
    expect(targetInput.parse({ years: [9, 7, 8, 7] }).years).toEqual([7, 8, 9]);
    expect(targetInput.parse({})).toEqual({ schoolTypes: [], years: [], subjects: [], dutyRoles: [] });
  });
  it('names the field of each mistake', () => {
    expect(issues({ years: '9-7' })).toEqual([{ field: 'target.years', reason: '9-7 runs backwards: write 7-9' }]);
    expect(issues({ years: [7, 12] })[0].field).toBe('target.years.1');
    expect(issues({ schoolTypes: ['GR', 'XYZ'] })[0]).toMatchObject({ field: 'target.schoolTypes' });
    expect(issues({ yeras: '7-9' })[0]).toMatchObject({ field: 'target.yeras' });
  });
});

describe('effective target', () => {
  const t = (o: Partial<Record<'schoolTypes' | 'subjects' | 'dutyRoles', string[]> & { years: number[] }>) => ({ schoolTypes: [], years: [], subjects: [], dutyRoles: [], ...o });
  it('is the licence narrowing the product, dimension by dimension', () => {
    expect(effectiveTarget(t({ schoolTypes: ['GR'], years: [7, 8, 9] }), t({ years: [7, 8] }))).toEqual(t({ schoolTypes: ['GR'], years: [7, 8] }));
    expect(effectiveTarget(t({ schoolTypes: ['GR'] }), t({ years: [4] }))).toEqual(t({ schoolTypes: ['GR'], years: [4] }));
    expect(effectiveTarget(undefined, t({ years: [1] }))).toEqual(t({ years: [1] }));
    expect(hasTarget(effectiveTarget(undefined, undefined))).toBe(false);
    // Disjoint: nobody is in it, and whoever sets it is told.
    expect(effectiveTarget(t({ years: [7, 8, 9] }), t({ years: [4, 5] })).years).toEqual([]);
    expect(targetsDisjoint(t({ years: [7, 8, 9] }), t({ years: [4, 5] }))).toBe('years');
  });
  it('reads as words', () => {
    expect(targetText(t({ schoolTypes: ['GR'], years: [7, 8, 9] }))).toBe('GR åk 7–9');
    expect(targetText(t({ years: [0, 1, 2, 3, 5] }))).toBe('åk F–3, 5');
    expect(targetText(t({}))).toBe('');
  });
});
