/**
 * Table sorting, kept out of the component so it can be tested. Missing values (null,
 * undefined, NaN) always sort last, in both directions: an unlimited licence without a
 * utilisation must not top the list of the worst used ones. Text compares the Swedish way
 * (å, ä, ö after z) with numbers inside names in numeric order (7A before 10A). The sort
 * is stable, so equal rows keep the order the API gave them.
 */
export type SortDir = 'asc' | 'desc';
export type SortValue = string | number | null | undefined;

export interface SortState {
  key: string;
  dir: SortDir;
}

const collator = new Intl.Collator('sv', { numeric: true, sensitivity: 'base' });

const missing = (v: SortValue) => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) || v === '';

export function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

export function sortRows<T>(rows: readonly T[], value: (row: T) => SortValue, dir: SortDir): T[] {
  const indexed = rows.map((row, i) => ({ row, i, v: value(row) }));
  indexed.sort((x, y) => {
    const mx = missing(x.v);
    const my = missing(y.v);
    if (mx || my) return mx === my ? x.i - y.i : mx ? 1 : -1;
    const c = compareValues(x.v, y.v);
    return c === 0 ? x.i - y.i : dir === 'asc' ? c : -c;
  });
  return indexed.map((x) => x.row);
}

/** Clicking a column header: a new column starts in its natural direction, the same one flips. */
export function nextSort(current: SortState | null, key: string, firstDir: SortDir): SortState {
  if (current && current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: firstDir };
}
