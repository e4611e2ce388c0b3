import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, storeSignature } from './bench-config.ts';

/** Where the region benchmark's store is: one data directory, one database per organiser. */
export const regionDir = (scale: number, n: number) => join(BENCH_DIR, `region-${scale}x${n}`);
export const regionMarker = (scale: number, n: number) => join(regionDir(scale, n), 'loaded.json');
export const regionSignature = (scale: number, n: number) => `${storeSignature(scale)}/${n}`;

/** The organisers beside the first, as the region registry holds them (embedded: database `org_<id>`). */
export const regionOrganisers = (n: number) =>
  Array.from({ length: n - 1 }, (_, i) => ({ id: `bench-${i + 2}`, name: `Benchkommun ${i + 2}`, database: `org_bench_${i + 2}` }));

export interface RegionLoad {
  signature: string;
  organisers: number;
  events: number;
  seconds: number;
}

export function loadedRegion(scale: number, n: number): RegionLoad | undefined {
  const f = regionMarker(scale, n);
  if (!existsSync(f)) return undefined;
  const r = JSON.parse(readFileSync(f, 'utf8')) as RegionLoad;
  return r.signature === regionSignature(scale, n) ? r : undefined;
}
