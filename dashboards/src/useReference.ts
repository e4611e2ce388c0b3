/**
 * Names for ids: school units and the organiser from /v1/organisations, learning
 * materials from /v1/products. Fetched once at start, in parallel with /v1/me and the
 * page's report (never before it), and cached for ten minutes.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { queries } from './api/queries.ts';
import type { Organisation, Product } from './api/types.ts';

export interface Reference {
  organiser: Organisation | undefined;
  schools: Organisation[];
  products: Product[];
  schoolName(id: string): string;
  productName(id: string): string;
  ready: boolean;
}

const SCHOOL_TYPE = /skolenhet|school/i;

/** School units: typed as such, or (when the register has no type) every node below the root. */
export function schoolUnits(rows: readonly Organisation[]): Organisation[] {
  const typed = rows.filter((o) => SCHOOL_TYPE.test(o.type ?? ''));
  const list = typed.length ? typed : rows.filter((o) => o.parent);
  return [...list].sort((a, b) => a.name.localeCompare(b.name, 'sv'));
}

export function useReference(): Reference {
  const orgs = useQuery(queries.organisations());
  const products = useQuery(queries.products());
  return useMemo(() => {
    const orgRows = orgs.data?.rows ?? [];
    const productRows = [...(products.data?.rows ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'sv'));
    const orgById = new Map(orgRows.map((o) => [o.id, o]));
    const productById = new Map(productRows.map((p) => [p.id, p]));
    return {
      organiser: orgRows.find((o) => !o.parent) ?? undefined,
      schools: schoolUnits(orgRows),
      products: productRows,
      schoolName: (id) => orgById.get(id)?.name ?? id,
      productName: (id) => productById.get(id)?.name ?? id,
      ready: orgs.data !== undefined && products.data !== undefined,
    };
  }, [orgs.data, products.data]);
}
