/**
 * Which shared filters the report on screen actually applied. Every report answers with
 * the `params` it used; a filter missing there (e.g. `school` on a report computed for the
 * whole organiser) is marked "not used here" in the filter bar instead of silently doing
 * nothing. When the server starts applying it, the mark disappears by itself.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

interface Applied {
  keys: readonly string[] | null;
  set(keys: readonly string[] | null): void;
}

const Ctx = createContext<Applied>({ keys: null, set: () => {} });

export function AppliedFiltersProvider({ children }: { children: ReactNode }) {
  const [keys, set] = useState<readonly string[] | null>(null);
  const value = useMemo(() => ({ keys, set }), [keys]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

/** null while unknown (nothing is marked then). */
export function useAppliedFilterKeys(): readonly string[] | null {
  return useContext(Ctx).keys;
}

/** Called by a page with its report's `params`. */
export function useReportApplied(params: Record<string, unknown> | undefined): void {
  const { set } = useContext(Ctx);
  const signature = params ? Object.keys(params).sort().join(',') : '';
  useEffect(() => {
    if (signature) set(signature.split(','));
  }, [signature, set]);
  useEffect(() => () => set(null), [set]);
}
