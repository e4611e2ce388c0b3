import { NO_TARGET, type Target } from '@licenskoll/core';

/**
 * A target (målgrupp) as the products and licences tables hold it: four array columns. A
 * product or licence written without a target keeps the one it had (a products sheet without
 * a Skolform column must not wipe what an administrator set in the dashboard).
 */
export const TARGET_COLUMNS = 'target_school_types, target_years, target_subjects, target_duty_roles';

export interface TargetColumns {
  target_school_types: string[];
  target_years: number[];
  target_subjects: string[];
  target_duty_roles: string[];
}

export const targetColumns = (t: Target | undefined): TargetColumns => {
  const v = t ?? NO_TARGET;
  return { target_school_types: v.schoolTypes, target_years: v.years, target_subjects: v.subjects, target_duty_roles: v.dutyRoles };
};

export const targetOf = (r: Partial<TargetColumns>): Target => ({
  schoolTypes: r.target_school_types ?? [],
  years: (r.target_years ?? []).map(Number),
  subjects: r.target_subjects ?? [],
  dutyRoles: r.target_duty_roles ?? [],
});
