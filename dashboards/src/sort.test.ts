import { describe, expect, it } from 'vitest';
import { nextSort, sortRows } from './sort.ts';

interface Row { name: string; util: number | null; n: number }
const rows: Row[] = [
  { name: 'Öppna', util: 0.2, n: 1 },
  { name: '10A', util: null, n: 2 },
  { name: 'Ämne', util: 0.9, n: 3 },
  { name: '7A', util: 0.2, n: 4 },
  { name: 'Zeta', util: 0.5, n: 5 },
];

describe('sortRows', () => {
  it('sorts numbers both ways with missing values last', () => {
    expect(sortRows(rows, (r) => r.util, 'asc').map((r) => r.n)).toEqual([1, 4, 5, 3, 2]);
    expect(sortRows(rows, (r) => r.util, 'desc').map((r) => r.n)).toEqual([3, 5, 1, 4, 2]);
  });
  it('is stable for equal values', () => {
    expect(sortRows(rows, (r) => r.util, 'asc').slice(0, 2).map((r) => r.n)).toEqual([1, 4]);
    expect(sortRows(rows, (r) => r.util, 'desc').slice(2, 4).map((r) => r.n)).toEqual([1, 4]);
  });
  it('sorts text the Swedish way, numbers inside names numerically', () => {
    expect(sortRows(rows, (r) => r.name, 'asc').map((r) => r.name)).toEqual(['7A', '10A', 'Zeta', 'Ämne', 'Öppna']);
  });
  it('does not mutate its input', () => {
    const copy = [...rows];
    sortRows(rows, (r) => r.n, 'desc');
    expect(rows).toEqual(copy);
  });
});

describe('nextSort', () => {
  it('starts a new column in its natural direction and flips the same one', () => {
    expect(nextSort(null, 'cost', 'desc')).toEqual({ key: 'cost', dir: 'desc' });
    expect(nextSort({ key: 'cost', dir: 'desc' }, 'cost', 'desc')).toEqual({ key: 'cost', dir: 'asc' });
    expect(nextSort({ key: 'cost', dir: 'asc' }, 'name', 'asc')).toEqual({ key: 'name', dir: 'asc' });
  });
});
