/** The Licenser page's own filters: free-text search and a "show" preset, both kept in the URL (`q`, `show`). */
import type { LicenceRow } from './api/types.ts';

export const SHOW_OPTIONS = ['all', 'low', 'none', 'expiring'] as const;
export type ShowOption = (typeof SHOW_OPTIONS)[number];

export function readShow(v: string | null): ShowOption {
  return (SHOW_OPTIONS as readonly string[]).includes(v ?? '') ? (v as ShowOption) : 'all';
}

export function filterLicences<T extends LicenceRow>(rows: readonly T[], q: string, show: ShowOption, productName: (id: string) => string): T[] {
  const needle = q.trim().toLocaleLowerCase('sv');
  return rows.filter((r) => {
    if (show === 'low' && !(r.utilisation !== null && r.utilisation < 0.5)) return false;
    if (show === 'none' && r.licensedActive !== 0) return false;
    if (show === 'expiring' && !(r.daysToExpiry >= 0 && r.daysToExpiry <= 90)) return false;
    if (!needle) return true;
    return [r.licence, r.product, r.productName ?? productName(r.product), r.buyer].some((s) => s?.toLocaleLowerCase('sv').includes(needle));
  });
}
