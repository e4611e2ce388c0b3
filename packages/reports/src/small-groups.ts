/**
 * The small-group rule (docs/privacy.md): the figures of a group with fewer than five pupils
 * are shown only to admins and to that group's own teacher; everyone else gets nulls,
 * `suppressed: true` and the reason. One rule for every report with class rows (class usage,
 * demand without a licence).
 */
export const MIN_GROUP_SIZE = 5;
export const SUPPRESSED_TEXT = 'färre än 5';

/** Who is looking: their role, and a teacher's own groups. */
export interface Viewer {
  role: string;
  groups: readonly string[];
}

/** A row with its figures withheld where the rule says so. */
export type Suppressible<T, K extends keyof T> = Omit<T, K> & { [P in K]: T[P] | null } & { suppressed: boolean; reason?: string };

export interface SmallGroupRule<T, K extends keyof T> {
  /** The figures withheld. */
  figures: readonly K[];
  /** The group a row is about, or null for a row that is not a group's (a school's, a product's). */
  group: (row: T) => string | null;
  /** The pupils the row's group had. */
  size: (row: T) => number | null;
}

export interface SuppressedRows<T, K extends keyof T> {
  rows: Suppressible<T, K>[];
  /** The same rows for files, a withheld figure read as the reason (a blank cell would look like zero). */
  fileRows: Record<string, unknown>[];
  /** How many rows were withheld. */
  suppressed: number;
}

export function sees(viewer: Viewer, group: string): boolean {
  return viewer.role === 'admin' || (viewer.role === 'teacher' && viewer.groups.includes(group));
}

export function suppressSmallGroups<T extends object, K extends keyof T>(rows: readonly T[], viewer: Viewer, rule: SmallGroupRule<T, K>): SuppressedRows<T, K> {
  let suppressed = 0;
  const out: Suppressible<T, K>[] = [];
  const files: Record<string, unknown>[] = [];
  const withheld = (v: unknown) => Object.fromEntries(rule.figures.map((f) => [f, v]));
  for (const r of rows) {
    const group = rule.group(r);
    if (group === null || (rule.size(r) ?? 0) >= MIN_GROUP_SIZE || sees(viewer, group)) {
      const kept = { ...r, suppressed: false } as unknown as Suppressible<T, K>;
      out.push(kept);
      files.push(kept as Record<string, unknown>);
      continue;
    }
    suppressed++;
    out.push({ ...r, ...withheld(null), suppressed: true, reason: SUPPRESSED_TEXT } as unknown as Suppressible<T, K>);
    files.push({ ...r, ...withheld(SUPPRESSED_TEXT), suppressed: true, reason: SUPPRESSED_TEXT });
  }
  return { rows: out, fileRows: files, suppressed };
}
