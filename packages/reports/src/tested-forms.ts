import { DEFAULT_TESTED, type TestedForm } from './sign-in-readiness.ts';

/**
 * `LICENSKOLL_TESTED_YEARS`: the school forms and years sign-in readiness (figure 16) looks at,
 * as `GR:3,6,9;GY` (a form without years: every year of it). Unset or empty: the defaults, the
 * years of the national tests. A malformed value stops the start with the reason, never
 * silently a report of other years.
 */
export function parseTestedForms(text: string | undefined): TestedForm[] {
  if (text === undefined || !text.trim()) return DEFAULT_TESTED;
  const forms = new Map<string, TestedForm>();
  for (const part of text.split(';').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-zÅÄÖåäö]{2,8})\s*(?::\s*(.*))?$/.exec(part);
    if (!m) throw new Error(`LICENSKOLL_TESTED_YEARS: "${part}" must be a school form, optionally with years, such as GR:3,6,9 or GY`);
    const schoolType = m[1].toUpperCase();
    const years = (m[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((y) => {
      if (!/^\d{1,2}$/.test(y) || Number(y) > 10) throw new Error(`LICENSKOLL_TESTED_YEARS: "${y}" in "${part}" must be a year from 0 to 10`);
      return Number(y);
    });
    if (forms.has(schoolType)) throw new Error(`LICENSKOLL_TESTED_YEARS: ${schoolType} is named twice`);
    forms.set(schoolType, { schoolType, years: [...new Set(years)].sort((a, b) => a - b) });
  }
  return [...forms.values()];
}
