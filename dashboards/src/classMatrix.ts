/**
 * The class × product matrix of the Klasser page, built from class-usage rows. The API
 * lists every group against each product it is licensed for (or used), so a row with
 * pupils and no active pupil is a paid material the class never opened: the point of the
 * page. A class's enrolment is the same on every product row; the largest is taken in
 * case a row was cut by a product-specific roster.
 */
import type { ClassUsageRow } from './api/types.ts';

export interface ClassLine {
  key: string;
  school: string;
  schoolName: string;
  group: string;
  groupName: string;
  groupType?: string;
  enrolled: number;
  cells: Map<string, ClassUsageRow>;
  /** Products with pupils enrolled and nobody active. */
  neverOpened: number;
}

export interface ClassMatrix {
  products: { id: string; name: string }[];
  classes: ClassLine[];
  schools: number;
  /** Classes with at least one material never opened. */
  flagged: number;
}

/** A class outside the product's target (docs/figures.md, figure 13) is neutral: it was never meant to open it. */
export const isOutsideTarget = (r: ClassUsageRow) => r.inTarget === false;
export const isNeverOpened = (r: ClassUsageRow) => r.enrolled > 0 && r.active === 0 && !isOutsideTarget(r);
/** Products whose rows have no target at all: the page says "målgrupp saknas" for them. */
export const productsWithoutTarget = (rows: readonly ClassUsageRow[]) =>
  [...new Set(rows.filter((r) => r.inTarget === null || r.inTarget === undefined).map((r) => r.productName || r.product))].sort();

/** Keeps classes (`Klass`) only when the register types its groups; otherwise every group. */
export function onlyClasses(rows: readonly ClassUsageRow[]): ClassUsageRow[] {
  const typed = rows.some((r) => (r.groupType ?? '').toLowerCase() === 'klass');
  return typed ? rows.filter((r) => (r.groupType ?? '').toLowerCase() === 'klass') : [...rows];
}

const collator = new Intl.Collator('sv', { numeric: true, sensitivity: 'base' });

export function buildMatrix(rows: readonly ClassUsageRow[]): ClassMatrix {
  const products = new Map<string, string>();
  const classes = new Map<string, ClassLine>();
  for (const r of rows) {
    products.set(r.product, r.productName || products.get(r.product) || r.product);
    const key = `${r.school}\u0000${r.group}`;
    let line = classes.get(key);
    if (!line) {
      line = {
        key, school: r.school, schoolName: r.schoolName || r.school, group: r.group, groupName: r.groupName || r.group, groupType: r.groupType,
        enrolled: 0, cells: new Map(), neverOpened: 0,
      };
      classes.set(key, line);
    }
    line.enrolled = Math.max(line.enrolled, r.enrolled);
    line.cells.set(r.product, r);
    if (isNeverOpened(r)) line.neverOpened += 1;
  }
  const list = [...classes.values()].sort((a, b) => collator.compare(a.schoolName, b.schoolName) || collator.compare(a.groupName, b.groupName));
  return {
    products: [...products].map(([id, name]) => ({ id, name })).sort((a, b) => collator.compare(a.name, b.name)),
    classes: list,
    schools: new Set(list.map((c) => c.school)).size,
    flagged: list.filter((c) => c.neverOpened > 0).length,
  };
}
