/** The shared filters of the current URL, resolved for today, with setters that keep the rest of the query. */
import { useCallback, useMemo } from 'react';
import { readFilters, writeFilters, writeParam, type Filters, type ResolvedFilters } from './filters.ts';
import { todayInStockholm } from './format.ts';
import { useSearchParams } from './router.ts';

export interface FilterState {
  filters: ResolvedFilters;
  search: URLSearchParams;
  today: string;
  update(patch: Partial<Filters>, opts?: { replace?: boolean }): void;
  setParam(key: string, value: string | number | null | undefined, opts?: { replace?: boolean }): void;
}

export function useFilters(): FilterState {
  const [search, setSearch] = useSearchParams();
  const key = search.toString();
  // Today is read once per render; a dashboard left open over midnight picks the new day up on the next navigation.
  const today = todayInStockholm();
  const filters = useMemo(() => readFilters(key, today), [key, today]);
  const update = useCallback((patch: Partial<Filters>, opts?: { replace?: boolean }) => setSearch(writeFilters(key, patch), opts), [key, setSearch]);
  const setParam = useCallback(
    (k: string, v: string | number | null | undefined, opts?: { replace?: boolean }) => setSearch(writeParam(key, k, v), opts),
    [key, setSearch],
  );
  return { filters, search, today, update, setParam };
}
