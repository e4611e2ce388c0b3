import type { LicenceInput } from '@licenskoll/core';
import type { DemoData } from './index.ts';

/**
 * One of the region demo's municipalities (`LICENSKOLL_DEMO=region`): the demo municipality's
 * shape under another name, with a roster, usage and prices of its own (its own seed, scale
 * and the price it negotiated), so that the peer comparison has something to compare.
 */
export interface DemoOrganiser {
  id: string;
  name: string;
  /** Replaces "Exempelstad" in the names of its organisation, schools and buyers. */
  place: string;
  seed: number;
  scale: number;
  timeZone: string;
  /** Its prices against the catalogue's: 0.9 = it pays 10 % less per seat. */
  priceFactor: number;
}

/** The three municipalities beside the demo municipality (the first organiser) in the region demo. */
export const REGION_DEMO_ORGANISERS: readonly DemoOrganiser[] = [
  { id: 'norrvik', name: 'Norrviks kommun', place: 'Norrvik', seed: 3101, scale: 0.3, timeZone: 'Europe/Stockholm', priceFactor: 0.9 },
  { id: 'sjoby', name: 'Sjöby kommun', place: 'Sjöby', seed: 3102, scale: 0.25, timeZone: 'Europe/Stockholm', priceFactor: 1.15 },
  { id: 'akerby', name: 'Åkerby kommun', place: 'Åkerby', seed: 3103, scale: 0.35, timeZone: 'Europe/Stockholm', priceFactor: 1 },
];

/** The demo renamed for an organiser of the region demo, with its prices. Events are unchanged. */
export function asOrganiser(demo: DemoData, o: DemoOrganiser): DemoData {
  const rename = (s: string) => s.replaceAll('Exempelstad', o.place);
  const organisations = (demo.ss12000.organisations as { organisationType?: string; displayName?: string; address?: { locality?: string } }[]).map((org) => ({
    ...org,
    displayName: org.organisationType === 'Huvudman' ? o.name : rename(org.displayName ?? ''),
    ...(org.address ? { address: { ...org.address, locality: o.place } } : {}),
  }));
  const licences: LicenceInput[] = demo.licences.map((l) => ({ ...l, buyer: rename(l.buyer), price: Math.round(l.price * o.priceFactor) }));
  return { ...demo, ss12000: { ...demo.ss12000, organisations }, licences };
}
