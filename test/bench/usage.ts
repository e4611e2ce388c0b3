import { dayIndex, schoolYearDays, type Day } from './calendar.ts';
import { inBand, type Municipality, type Product } from './municipality.ts';
import { Random } from './random.ts';

/**
 * A school year of login and launch events for the benchmark municipality, about 20 million
 * at scale 1, generated day by day without holding the year in memory. Pupils use the
 * products licensed to their class, school unit or organiser (and a few unlicensed ones) on
 * the weekdays their class has lessons; staff use theirs; unknown users and unmapped
 * identifiers are there too, as in real logs.
 */

/** One event in compact form; `stored.ts` renders it as an API event or a stored row. */
export interface Ev {
  /** Ordinal in the year: the id is `bench-<n>` unless `hasId` is false. */
  n: number;
  day: number;
  /** Seconds after local midnight. */
  sec: number;
  user: string;
  product: string;
  kind: number;
  hasId: boolean;
}

interface Pair { user: number; product: number; from: number; to: number; p: number; week: Float64Array }

/** Identifier kinds in order: SAML (login), Entra (login), LTI (launch), portal URL (launch). */
export const KIND_TYPE = ['login', 'login', 'launch', 'launch'] as const;
export const KIND_SOURCE = ['shibboleth', 'entra', 'lti', 'skolon'] as const;
const UNMAPPED = 6;
/** Events on a day of use: 1 + floor(Exp(mean 2)) has mean 1 + 1/(e^0.5 - 1) = 2.54. */
const EVENTS_PER_ACTIVE_DAY = 1 + 1 / (Math.exp(0.5) - 1);
const TERM_START = dayIndex('2025-08-18');

export interface Usage {
  days: Day[];
  /** Raw identifiers per user for each kind (unknown users have one for every kind). */
  users: string[][];
  /** Identifier strings of each product by kind; unmapped pseudo-products after the real ones. */
  productIdents: string[][];
  pairs: Pair[];
  k: number;
  expectedEvents: number;
}

function weekOf(rnd: Random, staff: boolean): Float64Array {
  if (staff) return Float64Array.from([1, 1, 1, 1, 0.8, 0.03, 0.08]);
  const lessons = new Set([rnd.int(0, 4), rnd.int(0, 4), rnd.int(0, 4)]);
  return Float64Array.from([0, 1, 2, 3, 4, 5, 6].map((d) => (d >= 5 ? 0.04 : lessons.has(d) ? 1 : 0.3)));
}

/** Which products a class has: licensed to it by group, school unit or organiser scope. */
function licensedByClass(m: Municipality): Set<number>[] {
  const productIdx = new Map<string, number>();
  m.products.forEach((p, i) => {
    productIdx.set(p.id, i);
    for (const x of p.idents) productIdx.set(x, i);
  });
  const unitIdx = new Map<string, number>();
  for (const u of m.units) {
    unitIdx.set(u.id, u.idx);
    unitIdx.set(u.code, u.idx);
  }
  const out = m.classes.map(() => new Set<number>());
  for (const l of m.licences) {
    if (l.audience === 'staff') continue;
    const p = productIdx.get(l.product)!;
    const band = m.products[p].band;
    const units = l.scope.type === 'school' ? new Set(l.scope.ids.map((id) => unitIdx.get(id))) : undefined;
    for (const k of m.classes) {
      if (!inBand(band, k.grade)) continue;
      if (l.scope.type === 'organisation' || (units && units.has(k.unit)) || (l.scope.type === 'group' && l.scope.ids.includes(k.id))) out[k.idx].add(p);
    }
  }
  return out;
}

export function planUsage(m: Municipality, seed: number, scale: number): Usage {
  const rnd = new Random(seed, 'usage');
  const days = schoolYearDays();
  const last = days.length - 1;
  const users: string[][] = [];
  for (const p of [...m.pupils, ...m.staff]) {
    users.push([p.eppn, p.email.toUpperCase(), `urn:uuid:${p.id}`, p.eppn]);
  }
  const productIdents: string[][] = m.products.map((p: Product) => [...p.idents]);
  for (let i = 1; i <= UNMAPPED; i++) productIdents.push(Array(4).fill(`https://unknown${i}.example.org/sp`));

  const pairs: Pair[] = [];
  const byClass = licensedByClass(m);
  interface Cohort { open: boolean; adoption: number; rate: number; week: Float64Array; start: number }
  const cohorts = new Map<string, Cohort>();
  const cohortOf = (klass: number, product: number): Cohort => {
    const key = `${klass}/${product}`;
    let c = cohorts.get(key);
    if (!c) {
      const pop = m.products[product]?.popularity ?? 0.3;
      c = { open: rnd.chance(pop), adoption: 0.35 + rnd.float() * 0.6, rate: 0.2 + rnd.float() * 0.35, week: weekOf(rnd, false), start: TERM_START + rnd.int(0, 20) };
      cohorts.set(key, c);
    }
    return c;
  };
  // An unlicensed product some classes use anyway: active users without a licence to count them.
  const extraOf = m.classes.map((k) => {
    if (!rnd.chance(0.3)) return -1;
    const fits = m.products.map((p, i) => (inBand(p.band, k.grade) && !byClass[k.idx].has(i) ? i : -1)).filter((i) => i >= 0);
    return fits.length ? rnd.pick(fits) : -1;
  });

  for (const pupil of m.pupils) {
    for (const seg of pupil.segments) {
      const products = [...byClass[seg.klass]];
      if (extraOf[seg.klass] >= 0) products.push(extraOf[seg.klass]);
      for (const product of products) {
        const c = cohortOf(seg.klass, product);
        if (!c.open || !rnd.chance(c.adoption)) continue;
        const from = Math.max(seg.from, c.start + Math.floor(-Math.log(1 - rnd.float()) * 5));
        const to = rnd.chance(0.1) ? Math.min(seg.to, from + rnd.int(15, 120)) : seg.to;
        if (from <= to) pairs.push({ user: pupil.idx, product, from, to, p: c.rate * rnd.spread(0.5), week: c.week });
      }
    }
    if (rnd.chance(0.01)) {
      const from = rnd.int(TERM_START, last - 60);
      pairs.push({ user: pupil.idx, product: m.products.length + rnd.int(0, UNMAPPED - 1), from, to: from + rnd.int(10, 60), p: 0.2, week: weekOf(rnd, false) });
    }
  }

  const staffWeek = weekOf(rnd, true);
  const staffLicensed = m.licences.filter((l) => l.audience !== 'students').map((l) => m.products.findIndex((p) => p.id === l.product || p.idents.includes(l.product)));
  const unitProducts = m.units.map((u) => [...new Set(m.classes.filter((k) => k.unit === u.idx).flatMap((k) => [...byClass[k.idx]]))]);
  for (const s of m.staff) {
    const user = m.pupils.length + s.idx;
    const mine = new Set<number>();
    for (const p of staffLicensed) if (rnd.chance(0.25)) mine.add(p);
    const theirs = unitProducts[s.units[0]];
    for (let i = rnd.int(1, 3); i > 0 && theirs.length; i--) mine.add(rnd.pick(theirs));
    for (const product of mine) pairs.push({ user, product, from: TERM_START - 7, to: last, p: 0.08 + rnd.float() * 0.3, week: staffWeek });
  }

  for (let i = 0; i < 300; i++) {
    const ident = i % 3 === 0 ? `vikarie${i}@edu.storstad.se` : i % 3 === 1 ? `Privat.Elev${i}@Example.com` : `lti-sub-${(i * 7919).toString(36)}`;
    users.push([ident, ident, ident, ident]);
    for (let n = rnd.int(1, 2); n > 0; n--) {
      const from = rnd.int(TERM_START, last - 70);
      pairs.push({ user: users.length - 1, product: rnd.int(0, m.products.length - 1), from, to: from + rnd.int(10, 60), p: 0.35, week: weekOf(rnd, false) });
    }
  }

  // Calibrate the daily chance of use so that the year lands near 20 million events x scale.
  const target = 20_000_000 * scale;
  const expected = (k: number) => {
    let sum = 0;
    for (const pr of pairs) {
      for (let d = pr.from; d <= pr.to; d++) sum += Math.min(0.95, pr.p * k * days[d].factor * pr.week[days[d].weekday]);
    }
    return sum * EVENTS_PER_ACTIVE_DAY;
  };
  let k = 1;
  for (let i = 0; i < 4; i++) k *= target / expected(k);
  return { days, users, productIdents, pairs, k, expectedEvents: Math.round(expected(k)) };
}

/** Hours of the day, weighted: lessons on teaching days, evenings and late mornings otherwise. */
const TEACHING_HOURS = [[8, 8], [9, 12], [10, 12], [11, 8], [12, 3], [13, 10], [14, 9], [15, 5], [16, 2], [17, 2], [18, 3], [19, 4], [20, 3], [21, 1]];
const OFF_HOURS = [[9, 2], [10, 4], [11, 5], [12, 4], [13, 5], [14, 5], [15, 5], [16, 4], [17, 4], [18, 5], [19, 6], [20, 5], [21, 3]];
const table = (w: number[][]) => w.flatMap(([h, n]) => Array(n).fill(h) as number[]);
const TEACHING = table(TEACHING_HOURS);
const OFF = table(OFF_HOURS);

/**
 * Replays the plan day by day, yielding each day's events (in generation order, not sorted
 * by time). The same plan always yields the same events.
 */
export function* eventDays(u: Usage, seed: number): Generator<Ev[]> {
  const rnd = new Random(seed, 'events');
  let n = 0;
  for (let d = 0; d < u.days.length; d++) {
    const day = u.days[d];
    const hours = day.factor === 1 && day.weekday < 5 ? TEACHING : OFF;
    const events: Ev[] = [];
    for (const pr of u.pairs) {
      if (d < pr.from || d > pr.to) continue;
      if (rnd.float() >= Math.min(0.95, pr.p * u.k * day.factor * pr.week[day.weekday])) continue;
      const count = Math.min(12, 1 + Math.floor(-Math.log(1 - rnd.float()) * 2));
      const idents = u.productIdents[pr.product];
      // A product is reached mostly one way (its SSO), often a second (a portal or an LMS),
      // now and then any other: each way names the product and the user differently.
      const primary = pr.product % 4;
      const secondary = (primary + 2) % 4;
      for (let i = 0; i < count; i++) {
        const r0 = rnd.float();
        const kind = r0 < 0.75 ? primary : r0 < 0.95 ? secondary : rnd.int(0, 3);
        let user = u.users[pr.user][kind];
        const r = rnd.float();
        // Sources vary the case of the same identifier: normalisation must bring them together.
        if (r < 0.05 && kind === 0) user = user.charAt(0).toUpperCase() + user.slice(1);
        else if (r < 0.1 && kind === 2) user = user.toUpperCase().replace('URN:UUID:', 'urn:uuid:');
        const sec = rnd.pick(hours) * 3600 + rnd.int(0, 3599);
        events.push({ n: n++, day: d, sec, user, product: idents[kind], kind, hasId: rnd.chance(0.97) });
      }
    }
    yield events;
  }
}
