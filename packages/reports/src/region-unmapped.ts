import type { UnmappedRow } from './unmapped.ts';

/**
 * An identifier events carry that no product maps, as the region sees it (`GET
 * /v1/region/unmapped`): once however many organisers see it, with how many do. No organiser
 * is named and no user counted (a person seen at two organisers would be two), so that the
 * region admin learns what to add to the shared catalogue and nothing of whom (docs/privacy.md).
 */
export interface RegionUnmappedRow {
  identifier: string;
  organisers: number;
  events: number;
  firstDay: string;
  lastDay: string;
}

/**
 * Each organiser's unmapped report (unmappedReport, its days in its own time zone) summed per
 * identifier. Identifiers are in their normal form already (ingest stores them so), so the same
 * identifier at two organisers is one row. Most organisers first, then most events.
 */
export function regionUnmapped(perOrganiser: UnmappedRow[][]): RegionUnmappedRow[] {
  const by = new Map<string, RegionUnmappedRow>();
  for (const rows of perOrganiser) {
    for (const r of rows) {
      const first = r.firstSeen.slice(0, 10);
      const last = r.lastSeen.slice(0, 10);
      const had = by.get(r.identifier);
      if (!had) {
        by.set(r.identifier, { identifier: r.identifier, organisers: 1, events: r.events, firstDay: first, lastDay: last });
        continue;
      }
      had.organisers++;
      had.events += r.events;
      if (first < had.firstDay) had.firstDay = first;
      if (last > had.lastDay) had.lastDay = last;
    }
  }
  return [...by.values()].sort((a, b) => b.organisers - a.organisers || b.events - a.events || (a.identifier < b.identifier ? -1 : 1));
}
