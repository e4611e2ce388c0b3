import { describe, expect, it } from 'vitest';
import { asPeer, peerComparison, peerDistribution, peerQuantile, type PeerContribution, type PeerProduct } from './peer-comparison.ts';

/** Figure 26 by hand: the k rule, quartiles that are never one organiser's value, the rank. */
const product = (over: Partial<PeerProduct>): PeerProduct => ({
  product: 'MATTE', name: 'Matte', identifiers: [], licensedActive: 10, audience: 20, adoption: null, costPerActiveUser: null, pricePerSeat: null, ...over,
});
const org = (...products: Partial<PeerProduct>[]): PeerContribution => ({ products: products.map(product) });

describe('peerQuantile', () => {
  it('interpolates between two values, and averages three where the position falls on one', () => {
    // 3 values: Q1 at position 0.5 = (10 + 20) / 2, median at 1 = (10 + 20 + 60) / 3, Q3 at 1.5 = (20 + 60) / 2.
    expect([0.25, 0.5, 0.75].map((p) => peerQuantile([10, 20, 60], p))).toEqual([15, 30, 40]);
    // 4 values: positions 0.75, 1.5, 2.25: 10 + 0.75 × 10, (20 + 30) / 2, 30 + 0.25 × 10.
    expect([0.25, 0.5, 0.75].map((p) => peerQuantile([10, 20, 30, 40], p))).toEqual([17.5, 25, 32.5]);
    // 5 values: positions 1, 2, 3 fall on values: (1+2+3)/3, (2+3+4)/3, (3+4+50)/3.
    expect([0.25, 0.5, 0.75].map((p) => peerQuantile([1, 2, 3, 4, 50], p))).toEqual([2, 3, 19]);
  });
});

describe('peerDistribution', () => {
  it('shows nothing of 2 others, and the distribution and rank of 3', () => {
    expect(peerDistribution(0.5, [0.4, 0.9], 'adoption')).toEqual({ own: 0.5, peers: null, q1: null, median: null, q3: null, rank: null, of: null });
    // Adoption 0.5 against 0.4, 0.6, 0.9: two others are higher, so 3rd of 4.
    const d = peerDistribution(0.5, [0.9, 0.4, 0.6], 'adoption');
    expect(d).toMatchObject({ own: 0.5, peers: 3, rank: 3, of: 4 });
    expect(d.q1).toBeCloseTo(0.5);
    expect(d.median).toBeCloseTo(19 / 30);
    expect(d.q3).toBeCloseTo(0.75);
  });

  it('ranks money the other way: the lowest cost is first, and a tie shares the better rank', () => {
    // 400 kr per active user against 300, 400, 500: one is cheaper, so 2nd of 4 (the tie at 400 is not above).
    expect(peerDistribution(400, [500, 300, 400], 'costPerActiveUser')).toMatchObject({ rank: 2, of: 4, q1: 350, median: 400, q3: 450 });
    // Without an own value the others still show, unranked.
    expect(peerDistribution(null, [500, 300, 400], 'pricePerSeat')).toMatchObject({ own: null, peers: 3, rank: null, of: null, median: 400 });
  });
});

describe('peerComparison', () => {
  it('matches the same product by id or by an identifier, and counts only the others with a value', () => {
    const own = org({ adoption: 0.5, identifiers: ['https://matte.example/shibboleth'] });
    const others = [
      org({ adoption: 0.8 }),
      org({ product: 'M2', identifiers: ['https://matte.example/shibboleth'], adoption: 0.6 }),
      org({ adoption: null }), // blanked or without a target: no value to give
      org({ product: 'ENG', adoption: 0.1 }), // another product
    ];
    const [row] = peerComparison(own, others);
    expect(row.adoption).toMatchObject({ own: 0.5, peers: null });
    const [withThird] = peerComparison(own, [...others, org({ adoption: 0.2 })]);
    // 0.2, 0.6, 0.8: own 0.5 has two above it, 3rd of 4.
    expect(withThird.adoption).toMatchObject({ peers: 3, rank: 3, of: 4, q1: 0.4 });
    expect(withThird.adoption.q3).toBeCloseTo(0.7);
  });
});

describe('asPeer', () => {
  it('leaves out what 1 to 4 persons make, and keeps the price per seat', () => {
    const [p] = asPeer(org({ licensedActive: 4, audience: 10, adoption: 0.4, costPerActiveUser: 500, pricePerSeat: 200 })).products;
    expect(p).toMatchObject({ adoption: null, costPerActiveUser: null, pricePerSeat: 200 });
    const [q] = asPeer(org({ licensedActive: 5, audience: 4, adoption: 1.25, costPerActiveUser: 400 })).products;
    expect(q).toMatchObject({ adoption: null, costPerActiveUser: 400 });
    const [none] = asPeer(org({ licensedActive: 0, audience: 30, adoption: 0, costPerActiveUser: null })).products;
    expect(none.adoption).toBe(0);
  });
});
