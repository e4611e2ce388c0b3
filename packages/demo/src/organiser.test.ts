import { describe, expect, it } from 'vitest';
import { generateDemo } from './index.ts';
import { asOrganiser, REGION_DEMO_ORGANISERS } from './organiser.ts';

describe('asOrganiser: a municipality of the region demo', () => {
  const [norrvik] = REGION_DEMO_ORGANISERS;
  const base = generateDemo({ seed: norrvik.seed, today: '2026-11-20', scale: norrvik.scale });
  const demo = asOrganiser(base, norrvik);
  const orgs = demo.ss12000.organisations as { organisationType: string; displayName: string }[];

  it('is named for it, and its schools no longer say Exempelstad', () => {
    expect(orgs.find((o) => o.organisationType === 'Huvudman')!.displayName).toBe('Norrviks kommun');
    expect(JSON.stringify(orgs)).not.toContain('Exempelstad');
    expect(orgs.some((o) => o.displayName === 'Norrviks gymnasium')).toBe(true);
    expect(demo.licences.map((l) => l.buyer).join('|')).not.toContain('Exempelstad');
  });

  it('pays its own prices: the catalogue price times its factor, rounded to the krona', () => {
    expect(demo.licences.map((l) => l.price)).toEqual(base.licences.map((l) => Math.round(l.price * norrvik.priceFactor)));
    expect(demo.licences.map((l) => l.seats)).toEqual(base.licences.map((l) => l.seats));
  });

  it('has distinct municipalities, each with an id an organiser may have', () => {
    expect(new Set(REGION_DEMO_ORGANISERS.map((o) => o.id)).size).toBe(REGION_DEMO_ORGANISERS.length);
    for (const o of REGION_DEMO_ORGANISERS) expect(o.id).toMatch(/^[a-z][a-z0-9-]{1,39}$/);
  });
});
