import { daysBetween } from '@licenskoll/core';
import type { Storage } from '@licenskoll/storage';
import { forvaltningOf, getLicences, listFollowups, type Licence } from '@licenskoll/licensing';
import { productNames } from './licence-figures.ts';
import { money } from './money.ts';
import { licencesOf, renewalsWithin, type ScopedRenewalRow } from './reach.ts';
import { renewalsReport, type RenewalRow } from './renewals.ts';
import { seatMovesReport, type SeatMoveRow } from './seat-moves.ts';
import { flagsReport } from './flags.ts';
import type { FlagRow } from './flag-rules.ts';
import { flagSettingsFromEnv, type FlagSettings } from './flag-settings.ts';

/**
 * `/v1/reports/actions` (docs/figures.md, figure 19): one list of what to decide before a
 * date, per buyer and per förvaltning, each item with the money at stake, the rule that raised
 * it and the licence's follow-up status beside it. Its sources are the other reports, never
 * figures of its own: renewals (figure 9, 12) give renew / reduce / cut, seat moves (figure
 * 18) give move, the low-value flags (figures 20-25) give flag, the follow-ups (figure 10)
 * give follow up. A move and a reduction of the same licence are alternatives; the list shows
 * both, each with its own money. A flag on a licence the list already decides (renew, reduce,
 * cut) is named in that item's rule and reason instead of being an item of its own, so that
 * its money is not counted twice.
 */

export type ActionKind = 'renew' | 'reduce' | 'cut' | 'move' | 'followup' | 'flag';
const ORDER: Record<ActionKind, number> = { renew: 0, reduce: 1, cut: 2, move: 3, followup: 4, flag: 5 };

export interface ActionItem {
  action: ActionKind;
  /** Decide by this day: a renewal by the licence's last day, everything else now (asOf). */
  due: string;
  licence: string;
  product: string;
  productName: string;
  buyer: string;
  forvaltning: string;
  /** Seats to renew with, reduce to, or move; null where no number of seats is decided. */
  seats: number | null;
  /** The money at stake, and whether deciding saves it or costs it. */
  sek: number;
  effect: 'saving' | 'cost';
  /** The rule (or flag) that raised the item. */
  rule: string;
  /** What the item says, in plain Swedish, with its numbers. */
  explanation: string;
  /** The licence's latest follow-up status, null when it has none. */
  followupStatus: string | null;
  /** A move's receiving side: the licence ('' for a unit without one), its unit and buyer. */
  toLicence: string | null;
  toSchoolName: string | null;
  toBuyer: string | null;
  currency: string;
}

export interface ActionsParams {
  asOf: string;
  before: string;
  headroom: number;
  products: string[];
  buyer?: string;
  forvaltning?: string;
  /** A scoped caller's units (principal, or a `school` filter). */
  units?: Set<string>;
  /** "Today", for the audience shares of a scoped caller. */
  today: string;
  /** The flags' thresholds; by default the `LICENSKOLL_FLAG_*` settings. */
  flagSettings?: FlagSettings;
}

export interface ActionTotals {
  /** Sums of the items that save money and of those that cost it; never netted. */
  saving: number;
  cost: number;
  items: number;
  byAction: Record<ActionKind, number>;
}

const kr = (v: number) => `${new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 2 }).format(v)} kr`;

/** Figure 17's renewal items: cut what nobody used, reduce to the recommendation, else renew with it. */
export function renewalAction(r: RenewalRow | ScopedRenewalRow): Pick<ActionItem, 'action' | 'seats' | 'sek' | 'effect' | 'rule' | 'explanation'> {
  const seatPrice = r.seats && r.seats > 0 ? r.price / r.seats : null;
  if (r.recommendedSeats === null) {
    // A shared licence for a scoped caller: the seats are the whole licence's buyer's decision.
    return { action: 'renew', seats: null, sek: r.cost, effect: 'cost', rule: 'shared', explanation: `Licensen delas med andra skolor; er del kostar ${kr(r.cost)}. Antalet platser beslutas av den som köper för alla.` };
  }
  if (r.peak === 0) {
    return { action: 'cut', seats: 0, sek: r.cost, effect: 'saving', rule: 'no-use', explanation: `Ingen har använt licensen de senaste månaderna: säg upp den och spara ${kr(r.cost)}.` };
  }
  if ((r.projectedSaving ?? 0) > 0) {
    return {
      action: 'reduce', seats: r.recommendedSeats, sek: r.projectedSaving!, effect: 'saving', rule: 'peak-below-seats',
      explanation: `Högst ${r.peak} använde licensen en månad, av ${r.seats} platser: förnya med ${r.recommendedSeats} platser och spara ${kr(r.projectedSaving!)}.`,
    };
  }
  const sek = seatPrice === null ? r.cost : money(r.recommendedSeats * seatPrice);
  if (r.overused) {
    return {
      action: 'renew', seats: r.recommendedSeats, sek, effect: 'cost', rule: 'overused',
      explanation: `${r.peak} använde licensen en månad men den har ${r.seats} platser: förnya med ${r.recommendedSeats} platser (${r.seatsMissing} fler, ${kr(r.missingCost ?? 0)}).`,
    };
  }
  return {
    action: 'renew', seats: r.seats === null ? null : r.recommendedSeats, sek, effect: 'cost', rule: 'renewal',
    explanation: r.seats === null ? `Licensen slutar ${r.end} och används: förnya den (${kr(sek)}).` : `Licensen slutar ${r.end} och används: förnya med ${r.recommendedSeats} platser (${kr(sek)}).`,
  };
}

const moveReason = (m: SeatMoveRow) =>
  `${m.surplus} av ${m.fromSeats} platser på ${m.fromSchoolName} används inte; ${m.toSchoolName} ${m.reason === 'overused' ? `har ${m.toInUse} användare på ${m.toSeats} platser` : `har ${m.lacking} som använder läromedlet utan licens`}: flytta ${m.seats} platser i stället för att köpa (${kr(m.saving)}).`;

export async function actionsReport(storage: Storage, p: ActionsParams): Promise<{ rows: ActionItem[]; totals: ActionTotals }> {
  const within = Math.max(0, daysBetween(p.asOf, p.before));
  const renewalParams = { asOf: p.asOf, within, headroom: p.headroom, products: p.products };
  const [all, names, renewals, moves, followups, visible, flags] = await Promise.all([
    getLicences(storage),
    productNames(storage),
    p.units ? renewalsWithin(storage, p.units, renewalParams, p.today) : renewalsReport(storage, renewalParams),
    seatMovesReport(storage, { asOf: p.asOf, products: p.products, ...(p.units ? { units: p.units } : {}) }),
    listFollowups(storage),
    p.units ? licencesOf(storage, p.units) : Promise.resolve(null),
    flagsReport(storage, { asOf: p.asOf, settings: p.flagSettings ?? flagSettingsFromEnv(), products: p.products, ...(p.units ? { units: p.units } : {}) }),
  ]);
  const byId = new Map<string, Licence>(all.map((l) => [l.id, { ...l, product: names.resolve(l.product) }]));
  const forv = await forvaltningOf(storage, all);
  // Newest first: the first row of a licence is its latest status.
  const status = new Map<string, string>();
  for (const f of followups) if (!status.has(f.licence)) status.set(f.licence, f.status);
  const base = (l: Licence) => ({
    licence: l.id, product: l.product, productName: names.name(l.product), buyer: l.buyer, forvaltning: forv.get(l.id) ?? '',
    followupStatus: status.get(l.id) ?? null, toLicence: null, toSchoolName: null, toBuyer: null, currency: l.currency,
  });
  const items: (ActionItem & { others: string[] })[] = [];
  for (const r of renewals) {
    const l = byId.get(r.licence);
    if (l) items.push({ ...base(l), ...renewalAction(r), due: r.end, others: [] });
  }
  for (const m of moves) {
    const from = byId.get(m.fromLicence);
    if (!from) continue;
    const to = m.toLicence ? byId.get(m.toLicence) : undefined;
    items.push({
      ...base(from), action: 'move', due: p.asOf, seats: m.seats, sek: m.saving, effect: 'saving', rule: `seat-move:${m.reason}`, explanation: moveReason(m),
      toLicence: m.toLicence, toSchoolName: m.toSchoolName, toBuyer: m.toBuyer,
      // A move belongs to the buyers and förvaltningar of both ends.
      others: to ? [`b:${to.buyer}`, `f:${forv.get(to.id) ?? ''}`] : [],
    });
  }
  // Follow up: a licence whose latest status is open or contacted and that the list does not already name.
  const named = new Set(items.map((i) => i.licence));
  const mayFollow = visible ? visible.own : null;
  for (const [licence, s] of status) {
    const l = byId.get(licence);
    if (!l || named.has(licence) || (s !== 'open' && s !== 'contacted') || (mayFollow && !mayFollow.has(licence))) continue;
    if (p.products.length && !p.products.includes(l.product)) continue;
    items.push({
      ...base(l), action: 'followup', due: p.asOf, seats: null, sek: l.price, effect: 'cost', rule: `followup-${s}`,
      explanation: s === 'open' ? `Uppföljningen är öppen: kontakta ${l.buyer} om licensen (${kr(l.price)}).` : `Skolan är kontaktad men inget är beslutat om licensen (${kr(l.price)}).`,
      others: [],
    });
  }
  // Flags raise a follow-up with the school; on a licence the list already names they are named
  // in that item's rule and reason instead, so that no money is counted twice.
  const flagged = new Map<string, FlagRow[]>();
  for (const f of flags) flagged.set(f.licenceId, [...(flagged.get(f.licenceId) ?? []), f]);
  const byLicence = new Map(items.filter((i) => i.action !== 'move').map((i) => [i.licence, i]));
  for (const [licence, fs] of flagged) {
    const l = byId.get(licence);
    if (!l || (p.products.length && !p.products.includes(l.product))) continue;
    const rule = fs.map((f) => `flag:${f.flag}`).join(',');
    const reason = fs.map((f) => f.reason).join(' ');
    const item = byLicence.get(licence);
    if (item) {
      item.rule = `${item.rule},${rule}`;
      item.explanation = `${item.explanation} Signal: ${reason}`;
      continue;
    }
    const sek = money(Math.max(...fs.map((f) => f.sek)));
    items.push({ ...base(l), action: 'followup', due: p.asOf, seats: null, sek, effect: 'saving', rule, explanation: `${reason} Följ upp med skolan.`, others: [] });
  }
  const rows = items
    .filter((i) => p.buyer === undefined || i.buyer === p.buyer || i.others.includes(`b:${p.buyer}`))
    .filter((i) => p.forvaltning === undefined || i.forvaltning === p.forvaltning || i.others.includes(`f:${p.forvaltning}`))
    .map((i): ActionItem => ({
      action: i.action, due: i.due, licence: i.licence, product: i.product, productName: i.productName, buyer: i.buyer, forvaltning: i.forvaltning,
      seats: i.seats, sek: i.sek, effect: i.effect, rule: i.rule, explanation: i.explanation, followupStatus: i.followupStatus,
      toLicence: i.toLicence, toSchoolName: i.toSchoolName, toBuyer: i.toBuyer, currency: i.currency,
    }))
    .sort((a, b) => b.sek - a.sek || a.due.localeCompare(b.due) || ORDER[a.action] - ORDER[b.action] || a.licence.localeCompare(b.licence) || (a.toSchoolName ?? '').localeCompare(b.toSchoolName ?? ''));
  return { rows, totals: actionTotals(rows) };
}

export function actionTotals(rows: ActionItem[]): ActionTotals {
  const byAction = { renew: 0, reduce: 0, cut: 0, move: 0, followup: 0, flag: 0 };
  for (const r of rows) byAction[r.action]++;
  return {
    saving: money(rows.filter((r) => r.effect === 'saving').reduce((a, r) => a + r.sek, 0)),
    cost: money(rows.filter((r) => r.effect === 'cost').reduce((a, r) => a + r.sek, 0)),
    items: rows.length,
    byAction,
  };
}
