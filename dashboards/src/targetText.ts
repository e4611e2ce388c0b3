/** A target (målgrupp) in words, as the API's core/target.ts says it: `GR åk 7–9`, '' for none. */
import type { Target } from './api/types.ts';

export const hasTarget = (t: Target | null | undefined): t is Target =>
  !!t && (t.schoolTypes.length > 0 || t.years.length > 0 || t.subjects.length > 0 || t.dutyRoles.length > 0);

export function yearsText(years: number[]): string {
  const ys = [...years].sort((a, b) => a - b);
  const out: string[] = [];
  const y = (n: number) => (n === 0 ? 'F' : String(n));
  for (let i = 0; i < ys.length; ) {
    let j = i;
    while (j + 1 < ys.length && ys[j + 1] === ys[j] + 1) j++;
    out.push(j > i ? `${y(ys[i])}–${y(ys[j])}` : y(ys[i]));
    i = j + 1;
  }
  return out.join(', ');
}

export function targetText(t: Target | null | undefined, yearWord = 'åk'): string {
  if (!hasTarget(t)) return '';
  const forms = [t.schoolTypes.join(', '), t.years.length ? `${yearWord} ${yearsText(t.years)}` : ''].filter(Boolean).join(' ');
  return [forms, t.subjects.join(', '), t.dutyRoles.join(', ')].filter(Boolean).join(' · ');
}
