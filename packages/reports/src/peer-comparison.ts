import { queryRows, type Storage } from '@licenskoll/storage';
import { licenceRows } from './licence-figures.ts';
import { money } from './money.ts';
import type { Window } from './params.ts';
import { MIN_GROUP_SIZE } from './small-groups.ts';

/**
 * "Så gör andra" (docs/figures.md, figure 26): an organiser's adoption, cost per active user
 * and price per seat of each product it licenses, beside the distribution of the same figures
 * among the other organisers of the installation that license that product. Nothing here names
 * another organiser: a contribution carries no organiser id, a distribution is shown only over
 * at least PEER_MIN others, and no statistic is one organiser's value alone.
 */
export const PEER_MIN = 3;

export type PeerFigure = 'adoption' | 'costPerActiveUser' | 'pricePerSeat';
export const PEER_FIGURES: readonly PeerFigure[] = ['adoption', 'costPerActiveUser', 'pricePerSeat'];
/** Which way is better: a higher adoption, a lower cost per active user and price per seat. */
const HIGHER_IS_BETTER: Record<PeerFigure, boolean> = { adoption: true, costPerActiveUser: false, pricePerSeat: false };

/** One organiser's figures of one product, as it contributes them (or sees its own). */
export interface PeerProduct {
  product: string;
  name: string;
  /** The product's identifiers: another organiser's product is the same when it shares the id or one of these. */
  identifiers: string[];
  licensedActive: number;
  /** Persons in the licences' targets (figure 14); null when a licence of it has none. */
  audience: number | null;
  adoption: number | null;
  costPerActiveUser: number | null;
  pricePerSeat: number | null;
}

/** What one organiser gives the comparison: its products' figures, no organiser id, no person. */
export interface PeerContribution {
  products: PeerProduct[];
}

/** What a comparison is made of: the organiser's own figures and the others' (asPeer), or nothing when it opted out. */
export type PeerInputs = { own: PeerContribution; others: PeerContribution[] } | 'opted_out';

/**
 * One organiser's figures per product it licenses in SEK over the window (figures 6, 7, 14):
 * licences live in the window, of every scope. As the organiser sees them itself; what it
 * gives the others is `asPeer` of this.
 */
export async function peerContribution(storage: Storage, p: { window: Window; asOf: string }): Promise<PeerContribution> {
  const [rows, products] = await Promise.all([
    licenceRows(storage, { window: p.window, asOf: p.asOf, products: [] }),
    queryRows<{ id: string; identifiers: string[] }>(storage.read, 'SELECT id, identifiers FROM products FINAL WHERE deleted = 0'),
  ]);
  const idents = new Map(products.map((r) => [r.id, r.identifiers]));
  const live = rows.filter((l) => l.currency === 'SEK' && l.start <= p.window.to && l.end >= p.window.from);
  const out: PeerProduct[] = [];
  for (const id of [...new Set(live.map((l) => l.product))].sort()) {
    const ls = live.filter((l) => l.product === id);
    const active = ls.reduce((a, l) => a + l.licensedActive, 0);
    const cost = ls.reduce((a, l) => a + l.price, 0);
    const limited = ls.filter((l) => l.seats !== null);
    const seats = limited.reduce((a, l) => a + (l.seats ?? 0), 0);
    // The audience is only known when every licence of the product has a target (figure 14).
    const audience = ls.every((l) => l.targetSize !== null) ? ls.reduce((a, l) => a + (l.targetSize ?? 0), 0) : null;
    out.push({
      product: id,
      name: ls[0].productName,
      identifiers: idents.get(id) ?? [],
      licensedActive: active,
      audience,
      adoption: audience ? active / audience : null,
      costPerActiveUser: active > 0 ? money(cost / active) : null,
      pricePerSeat: seats > 0 ? money(limited.reduce((a, l) => a + l.price, 0) / seats) : null,
    });
  }
  return { products: out };
}

/** What an organiser gives the others: a figure made from 1 to 4 persons is left out (the small-group rule). */
export function asPeer(c: PeerContribution): PeerContribution {
  const small = (n: number | null) => n !== null && n > 0 && n < MIN_GROUP_SIZE;
  return {
    products: c.products.map((p) => {
      const blanked = small(p.licensedActive);
      return { ...p, adoption: blanked || small(p.audience) ? null : p.adoption, costPerActiveUser: blanked ? null : p.costPerActiveUser };
    }),
  };
}

/** Median and quartiles of the others, and where the organiser stands among them and itself. */
export interface PeerDistribution {
  /** The organiser's own value; null when it has none. */
  own: number | null;
  /** How many others contribute a value; null when fewer than PEER_MIN do (nothing else is shown then). */
  peers: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
  /** 1 = best among the others and itself; null without an own value or without a distribution. */
  rank: number | null;
  /** The number ranked: the others and itself. */
  of: number | null;
}

export interface PeerComparisonRow {
  product: string;
  name: string;
  adoption: PeerDistribution;
  costPerActiveUser: PeerDistribution;
  pricePerSeat: PeerDistribution;
}

/**
 * The quantile p of sorted values (at least PEER_MIN), so that it is never one organiser's
 * value alone: between two values it is interpolated (position p × (n − 1), counted from 0);
 * where the position falls on one value, it is the mean of that value and its two neighbours.
 */
export function peerQuantile(sorted: readonly number[], p: number): number {
  const h = p * (sorted.length - 1);
  const lo = Math.floor(h);
  if (h === lo) {
    const at = Math.min(Math.max(lo, 1), sorted.length - 2);
    return (sorted[at - 1] + sorted[at] + sorted[at + 1]) / 3;
  }
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

/** Figure 26 for one figure of one product. */
export function peerDistribution(own: number | null, others: readonly number[], figure: PeerFigure): PeerDistribution {
  if (others.length < PEER_MIN) return { own, peers: null, q1: null, median: null, q3: null, rank: null, of: null };
  const sorted = [...others].sort((a, b) => a - b);
  const round = (v: number) => (figure === 'adoption' ? v : money(v));
  const better = (v: number) => (HIGHER_IS_BETTER[figure] ? v > (own ?? 0) : v < (own ?? 0));
  return {
    own,
    peers: sorted.length,
    q1: round(peerQuantile(sorted, 0.25)),
    median: round(peerQuantile(sorted, 0.5)),
    q3: round(peerQuantile(sorted, 0.75)),
    rank: own === null ? null : 1 + sorted.filter(better).length,
    of: own === null ? null : sorted.length + 1,
  };
}

/** Another organiser's product that is the same as `p`: the same id, or one identifier in common. */
function sameProduct(p: PeerProduct, contribution: PeerContribution): PeerProduct | undefined {
  const mine = new Set(p.identifiers);
  return contribution.products.find((q) => q.product === p.product) ?? contribution.products.find((q) => q.identifiers.some((i) => mine.has(i)));
}

/** Figure 26: per product the organiser licenses, each figure beside the other organisers' distribution. */
export function peerComparison(own: PeerContribution, others: readonly PeerContribution[]): PeerComparisonRow[] {
  return own.products.map((p) => {
    const theirs = others.map((c) => sameProduct(p, c)).filter((q): q is PeerProduct => q !== undefined);
    const of = (figure: PeerFigure) => peerDistribution(p[figure], theirs.map((q) => q[figure]).filter((v): v is number => v !== null), figure);
    return { product: p.product, name: p.name, adoption: of('adoption'), costPerActiveUser: of('costPerActiveUser'), pricePerSeat: of('pricePerSeat') };
  });
}
