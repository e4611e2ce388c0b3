import { z } from 'zod';

/**
 * Who a product or a licence is meant for (its målgrupp, docs/figures.md figure 13): school
 * forms, years (årskurs), subjects and, for staff, duty roles. Every dimension left empty is
 * unrestricted; a target with every dimension empty is no target at all ("målgrupp saknas"),
 * and every figure is then as it was before targets existed.
 *
 * Not to be confused with a licence's `audience` (students, staff or all), which says whose
 * use a licence covers at all (figure 5).
 */
export interface Target {
  schoolTypes: string[];
  years: number[];
  subjects: string[];
  dutyRoles: string[];
}

export const NO_TARGET: Target = { schoolTypes: [], years: [], subjects: [], dutyRoles: [] };

/** SS12000 schoolType codes (Skolverket's Group and Enrolment schemas). */
export const SCHOOL_TYPES = [
  'FS', 'FKLASS', 'FTH', 'OPPFTH', 'GR', 'GRS', 'TR', 'SP', 'SAM', 'GY', 'GYS', 'VUX', 'VUXSFI', 'VUXGR', 'VUXGY',
  'VUXSARGR', 'VUXSARTR', 'VUXSARGY', 'SFI', 'SARVUX', 'SARVUXGR', 'SARVUXGY', 'KU', 'YH', 'FHS', 'STF', 'KKU', 'HS', 'ABU', 'AU',
] as const;
const SCHOOL_TYPE_SET = new Set<string>(SCHOOL_TYPES);

/** SS12000's schoolYear runs 0 (förskoleklass) to 10 (grundsärskolan's year 10). */
export const MIN_YEAR = 0;
export const MAX_YEAR = 10;

export const hasTarget = (t: Target | null | undefined): t is Target =>
  !!t && (t.schoolTypes.length > 0 || t.years.length > 0 || t.subjects.length > 0 || t.dutyRoles.length > 0);

/** `GR`, `gr, gy`, `GR|GY` → codes; unknown codes named. */
export function parseSchoolTypes(text: string): { value?: string[]; error?: string } {
  const codes = text.split(/[|,;\s/]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);
  const bad = codes.filter((c) => !SCHOOL_TYPE_SET.has(c));
  if (bad.length) return { error: `${bad.slice(0, 3).join(', ')} is not a school form (SS12000 schoolType such as GR, GRS, GY, GYS, FS, VUX)` };
  return { value: [...new Set(codes)] };
}

/**
 * `7-9`, `7–9`, `1,2,3`, `F-3` (F or FK is förskoleklass, year 0), `4-6, 9` → sorted years.
 * A range that runs backwards (`9-7`) or a year outside 0–10 is refused with the reason.
 */
export function parseYears(text: string): { value?: number[]; error?: string } {
  const out = new Set<number>();
  const year = (s: string): number | string => {
    const t = s.trim().toUpperCase().replace(/^ÅK\s*/, '');
    if (t === 'F' || t === 'FK') return 0;
    if (!/^\d{1,2}$/.test(t)) return `"${s.trim()}" is not a year (write 7-9 or 1,2,3)`;
    const n = Number(t);
    return n < MIN_YEAR || n > MAX_YEAR ? `${n} is out of range: a year is ${MIN_YEAR}–${MAX_YEAR}` : n;
  };
  for (const part of text.split(/[,;|]+/).map((s) => s.trim()).filter(Boolean)) {
    const m = /^(.+?)\s*[-–—]\s*(.+)$/.exec(part);
    if (!m) {
      const y = year(part);
      if (typeof y === 'string') return { error: y };
      out.add(y);
      continue;
    }
    const a = year(m[1]);
    const b = year(m[2]);
    if (typeof a === 'string') return { error: a };
    if (typeof b === 'string') return { error: b };
    if (a > b) return { error: `${part} runs backwards: write ${b}-${a}` };
    for (let y = a; y <= b; y++) out.add(y);
  }
  return { value: [...out].sort((x, y) => x - y) };
}

const words = (max: number) =>
  z.array(z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters')).max(max, `at most ${max} values`);

/** Years as `[7, 8, 9]` or as text (`"7-9"`, `"1,2,3"`); each mistake named with its reason. */
const yearsInput = z.unknown().transform((v, ctx): number[] => {
  if (typeof v === 'string') {
    if (v.length > 100) { ctx.addIssue({ code: 'custom', message: 'must be at most 100 characters' }); return z.NEVER; }
    const r = parseYears(v);
    if (r.error) { ctx.addIssue({ code: 'custom', message: r.error }); return z.NEVER; }
    return r.value!;
  }
  if (!Array.isArray(v) || v.length > 11) { ctx.addIssue({ code: 'custom', message: 'must be years 0–10 as a list [7, 8, 9] or text "7-9"' }); return z.NEVER; }
  v.forEach((y, i) => {
    if (typeof y !== 'number' || !Number.isInteger(y)) ctx.addIssue({ code: 'custom', path: [i], message: 'must be a whole year' });
    else if (y < MIN_YEAR || y > MAX_YEAR) ctx.addIssue({ code: 'custom', path: [i], message: `${y} is out of range: a year is ${MIN_YEAR}–${MAX_YEAR}` });
  });
  return v as number[];
});

/** School forms as `["GR"]` or text (`"GR, GRS"`). */
const schoolTypesInput = z.union([z.array(z.string().max(20)).max(30), z.string().max(200)], { message: 'must be school forms as a list ["GR"] or text "GR, GRS"' }).transform((v, ctx) => {
  const r = parseSchoolTypes(Array.isArray(v) ? v.join(',') : v);
  if (r.error) { ctx.addIssue({ code: 'custom', message: r.error }); return z.NEVER; }
  return r.value!;
});

/** A target as the API takes it: each dimension optional; unknown keys are refused (a typo would silently widen it). */
export const targetInput = z
  .strictObject({
    schoolTypes: schoolTypesInput.optional(),
    years: yearsInput.optional(),
    subjects: words(50).optional(),
    dutyRoles: words(50).optional(),
  }, { message: 'is not a part of a target (schoolTypes, years, subjects, dutyRoles)' })
  .transform((t): Target => ({
    schoolTypes: t.schoolTypes ?? [],
    years: [...new Set(t.years ?? [])].sort((a, b) => a - b),
    subjects: [...new Set(t.subjects ?? [])],
    dutyRoles: [...new Set(t.dutyRoles ?? [])],
  }));
export type TargetInput = z.input<typeof targetInput>;

const narrow = <T>(product: T[], licence: T[]): T[] =>
  product.length === 0 ? licence : licence.length === 0 ? product : product.filter((x) => licence.includes(x));

/**
 * A licence's own target narrows its product's: per dimension, the licence's values where
 * only it has some, the product's where only it has some, and those in both where both do
 * (a licence for years 7–8 of a 7–9 product is for 7–8). Both empty: no target.
 */
export function effectiveTarget(product: Target | null | undefined, licence: Target | null | undefined): Target {
  const p = product ?? NO_TARGET;
  const l = licence ?? NO_TARGET;
  return {
    schoolTypes: narrow(p.schoolTypes, l.schoolTypes),
    years: narrow(p.years, l.years),
    subjects: narrow(p.subjects, l.subjects),
    dutyRoles: narrow(p.dutyRoles, l.dutyRoles),
  };
}

/**
 * True when both name a dimension and have no value of it in common: nobody can be in such a
 * licence's target, which is worth saying where it is set.
 */
export function targetsDisjoint(product: Target, licence: Target): keyof Target | null {
  for (const k of ['schoolTypes', 'years', 'subjects', 'dutyRoles'] as const) {
    const p = product[k] as unknown[];
    const l = licence[k] as unknown[];
    if (p.length && l.length && !l.some((x) => p.includes(x))) return k;
  }
  return null;
}

/** `7,8,9` → `7–9`; `1,2,3,5` → `1–3, 5`. */
export function yearsText(years: number[]): string {
  const out: string[] = [];
  const ys = [...years].sort((a, b) => a - b);
  for (let i = 0; i < ys.length; ) {
    let j = i;
    while (j + 1 < ys.length && ys[j + 1] === ys[j] + 1) j++;
    const y = (n: number) => (n === 0 ? 'F' : String(n));
    out.push(j > i ? `${y(ys[i])}–${y(ys[j])}` : y(ys[i]));
    i = j + 1;
  }
  return out.join(', ');
}

/** A target in words: `GR åk 7–9`, `GY`, `åk 4–6 · Lärare`; '' for none. */
export function targetText(t: Target | null | undefined): string {
  if (!hasTarget(t)) return '';
  const forms = [t.schoolTypes.join(', '), t.years.length ? `åk ${yearsText(t.years)}` : ''].filter(Boolean).join(' ');
  return [forms, t.subjects.join(', '), t.dutyRoles.join(', ')].filter(Boolean).join(' · ');
}
