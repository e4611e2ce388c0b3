import { daysBetween, type EventInput } from '@licenskoll/core';
import { breaksOf, dataFrom, dayKindOf, offsetFormatter, weekdayOf, type DayKind, type SchoolYear } from './calendar.ts';
import { inBand, type Catalogue, type IdentifierKind, type Level, type UsagePlan } from './catalogue.ts';
import { Random } from './random.ts';
import { DOMAIN, type Person, type Roster } from './roster-model.ts';

/** Events at scale 1: enough to look real, few enough that a fresh start seeds in seconds. */
const TARGET_EVENTS = 300_000;

/** Day activity relative to a teaching day: breaks are nearly silent, summer more so. */
const KIND_FACTOR: Record<DayKind, number> = { term: 1, lov: 0.04, red: 0.03, summer: 0.012 };

/**
 * `today` is the snapshot day and may well be the day the demo is seeded: its events stop
 * at 08:00 local time, so a seed run in working hours never holds events from the future.
 */
const TODAY_FACTOR = 0.2;

interface LevelParams {
  /** Chance a class opens the material at all: the rest are the classes a principal asks about. */
  open: number;
  /** Share of pupils of an open class who use it. */
  adoption: [number, number];
  /** Sessions per pupil on a lesson day, before calibration. */
  rate: number;
  /** Share of staff in scope who use a staff or all-audience licence. */
  staffShare: number;
}

const LEVELS: Record<Exclude<Level, 'never'>, LevelParams> = {
  heavy: { open: 0.97, adoption: [0.85, 0.98], rate: 0.55, staffShare: 0.5 },
  normal: { open: 0.85, adoption: [0.55, 0.85], rate: 0.3, staffShare: 0.3 },
  under: { open: 0.5, adoption: [0.15, 0.45], rate: 0.15, staffShare: 0.12 },
  broad: { open: 0.9, adoption: [0.25, 0.55], rate: 0.08, staffShare: 0.35 },
  sparse: { open: 0.6, adoption: [0.04, 0.15], rate: 0.12, staffShare: 0.05 },
  fading: { open: 0.9, adoption: [0.6, 0.85], rate: 0.35, staffShare: 0.3 },
};

const TEACHING_ROLES = new Set(['Lärare', 'Speciallärare/specialpedagog', 'Fritidspedagog', 'Bibliotekarie']);
const STAFF_WEEK = [0.9, 1, 0.9, 1, 0.7, 0.03, 0.12];

export interface Day {
  date: string;
  weekday: number;
  kind: DayKind;
  factor: number;
  offset: string;
  isToday: boolean;
}

/** One user using one product over a stretch of days, at a daily rate shaped by a week pattern. */
export interface Pair {
  /** Index into `persons`, or beyond it into the unknown users. */
  who: number;
  product: number;
  from: number;
  to: number;
  rate: number;
  week: readonly number[];
}

export interface Usage {
  days: Day[];
  pairs: Pair[];
  unknownUsers: string[];
  /** Calibration: multiplies every rate so the total lands near the target. */
  k: number;
  approxEvents: number;
}

function daysOf(sy: SchoolYear, from: string, today: string, timeZone: string): Day[] {
  const breaks = breaksOf(sy);
  const offsetOf = offsetFormatter(timeZone);
  const out: Day[] = [];
  const n = daysBetween(from, today);
  for (let i = 0; i <= n; i++) {
    const date = new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
    const kind = dayKindOf(date, sy, breaks);
    const isToday = i === n;
    out.push({ date, weekday: weekdayOf(date), kind, factor: KIND_FACTOR[kind] * (isToday ? TODAY_FACTOR : 1), offset: offsetOf(date), isToday });
  }
  return out;
}

/** Made-up people the roster does not know: substitutes, private accounts, opaque LTI subjects, pupils who left. */
function unknownUsersOf(rnd: Random, persons: Person[]): string[] {
  const known = new Set(persons.map((p) => p.eppn));
  const out: string[] = [];
  for (let i = 1; i <= 8; i++) out.push(`vikarie${String(i).padStart(2, '0')}@edu.${DOMAIN}`);
  for (let i = 1; i <= 6; i++) out.push(`elev.privat${rnd.int(10, 99)}@example.com`);
  for (let i = 1; i <= 6; i++) out.push(rnd.hex(24));
  while (out.length < 30) {
    const p = rnd.pick(persons);
    const eppn = `${p.eppn.split('@')[0].replace(/\d+$/, '')}${rnd.int(100, 999)}@edu.${DOMAIN}`;
    if (!known.has(eppn) && !out.includes(eppn)) out.push(eppn);
  }
  return out;
}

export function planUsage(seed: number, today: string, sy: SchoolYear, timeZone: string, roster: Roster, cat: Catalogue, scale: number): Usage {
  const rnd = new Random(seed, 'usage');
  const from = dataFrom(sy, today);
  const days = daysOf(sy, from, today, timeZone);
  const last = days.length - 1;
  const dayIdx = (date: string) => Math.min(last, Math.max(0, daysBetween(from, date)));
  // May be negative (term began before the first day of data) or beyond `last` (not yet begun).
  const termStart = daysBetween(from, sy.termStart);
  const { persons, units } = roster;
  const pupils = persons.filter((p) => p.kind === 'pupil');
  const teachers = persons.filter((p) => p.kind === 'staff' && TEACHING_ROLES.has(p.dutyRole ?? ''));
  const pairs: Pair[] = [];
  const seen = new Set<string>();

  const lessonWeek = (): number[] => {
    const lessons = new Set(rnd.sample([0, 1, 2, 3, 4], rnd.int(2, 3)));
    return [...[0, 1, 2, 3, 4].map((d) => (lessons.has(d) ? 1 : 0.25)), 0.05, 0.1];
  };

  interface Cohort { open: boolean; adoption: number; mult: number; week: number[]; start: number }
  const cohorts = new Map<string, Cohort>();
  const cohortOf = (plan: UsagePlan, group: number, p: LevelParams): Cohort => {
    const key = `${plan.key}@${group}`;
    let c = cohorts.get(key);
    if (!c) {
      c = {
        open: rnd.chance(p.open),
        adoption: rnd.between(p.adoption[0], p.adoption[1]),
        mult: rnd.logNormal(0.35),
        week: lessonWeek(),
        // Teachers introduce a material some days into term; keen ones sooner.
        start: termStart + Math.round(rnd.int(0, 20) * (plan.level === 'heavy' ? 0.4 : 1)),
      };
      cohorts.set(key, c);
    }
    return c;
  };

  // Most specific scope first: a pupil covered twice uses the product the way their group does.
  const order = { group: 0, school: 1, organisation: 2 } as const;
  const plans = cat.plans.map((p, i) => ({ p, i })).sort((a, b) => order[a.p.scope] - order[b.p.scope] || a.i - b.i).map((x) => x.p);

  for (const plan of plans) {
    if (plan.level === 'never') continue;
    const params = LEVELS[plan.level];
    const bands = cat.usageProducts[plan.product].bands;

    if (plan.audience !== 'staff') {
      for (const pupil of pupils) {
        if (!inBand(bands, pupil.schoolType, pupil.grade)) continue;
        pupil.segments.forEach((seg, si) => {
          let via: number | undefined;
          if (plan.scope === 'group') via = [seg.klass, ...seg.groups].find((g) => plan.groups.has(g));
          else if (plan.scope === 'school') via = plan.units.has(seg.unit) ? seg.klass : undefined;
          else via = plan.onlyUnits && !plan.units.has(seg.unit) ? undefined : seg.klass;
          if (via === undefined) return;
          const key = `${pupil.idx}:${plan.product}:${si}`;
          if (seen.has(key)) return;
          seen.add(key);
          const cohort = cohortOf(plan, via, params);
          if (!cohort.open || !rnd.chance(cohort.adoption)) return;
          const from = Math.max(dayIdx(seg.from), cohort.start + Math.floor(-Math.log(1 - rnd.float()) * 6));
          let to = dayIdx(seg.to);
          // Some pupils drop a material after a while: monthly actives fall, as they do.
          if (rnd.chance(0.12)) to = Math.min(to, from + rnd.int(10, 120));
          // A fading licence: most of its pupils stop four to six weeks before today.
          if (plan.level === 'fading' && rnd.chance(0.8)) to = Math.min(to, last - rnd.int(28, 42));
          if (from > to) return;
          pairs.push({ who: pupil.idx, product: plan.product, from, to, rate: params.rate * cohort.mult * rnd.logNormal(0.6), week: cohort.week });
        });
      }
    }

    if (plan.audience !== 'students') {
      for (const t of teachers) {
        const inScope = plan.scope === 'organisation'
          ? t.units.some((u) => units[u].grades.some((g) => inBand(bands, units[u].schoolType, g)))
          : t.units.some((u) => plan.units.has(u));
        if (!inScope) continue;
        const key = `${t.idx}:${plan.product}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (!rnd.chance(params.staffShare)) continue;
        pairs.push({ who: t.idx, product: plan.product, from: Math.max(0, termStart - 7), to: last, rate: params.rate * 0.6 * rnd.logNormal(0.5), week: STAFF_WEEK });
      }
    }
  }

  // Teachers open the materials their pupils have, licensed for them or not.
  for (const plan of plans) {
    if (plan.level === 'never' || plan.audience === 'staff') continue;
    const bands = cat.usageProducts[plan.product].bands;
    for (const t of teachers) {
      if (!t.units.some((u) => plan.units.has(u) && units[u].grades.some((g) => inBand(bands, units[u].schoolType, g)))) continue;
      const key = `${t.idx}:${plan.product}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!rnd.chance(0.12)) continue;
      pairs.push({ who: t.idx, product: plan.product, from: Math.max(0, termStart - 7), to: last, rate: 0.06 * rnd.logNormal(0.5), week: STAFF_WEEK });
    }
  }

  const unknownUsers = unknownUsersOf(rnd, persons);
  const usedProducts = [...new Set(pairs.map((p) => p.product))].sort((a, b) => a - b);
  unknownUsers.forEach((_, i) => {
    for (let n = rnd.int(1, 2); n > 0 && usedProducts.length > 0; n--) {
      const start = rnd.int(Math.min(Math.max(0, termStart), last), last);
      pairs.push({ who: persons.length + i, product: rnd.pick(usedProducts), from: start, to: Math.min(last, start + rnd.int(5, 60)), rate: 0.4, week: lessonWeek() });
    }
  });

  // Staff pairs start a week before term, which may lie after `today`.
  const live = pairs.filter((p) => p.from <= p.to);

  // Expected events per pair from per-weekday prefix sums of the day factors.
  const prefix = Array.from({ length: 7 }, () => new Float64Array(days.length + 1));
  days.forEach((d, i) => {
    for (let w = 0; w < 7; w++) prefix[w][i + 1] = prefix[w][i] + (d.weekday === w ? d.factor : 0);
  });
  let expected = 0;
  for (const p of live) {
    for (let w = 0; w < 7; w++) expected += p.rate * p.week[w] * (prefix[w][p.to + 1] - prefix[w][p.from]);
  }
  // Calibrate to the target, but within bounds: early in a school year there is simply less to show.
  const k = expected > 0 ? Math.min(4, Math.max(0.3, (TARGET_EVENTS * scale) / expected)) : 1;
  return { days, pairs: live, unknownUsers, k, approxEvents: Math.round(expected * k) };
}

const SOURCE: Record<IdentifierKind, string> = { saml: 'shibboleth', entra: 'entra', lti: 'lti', host: 'skolon' };
const TYPE: Record<IdentifierKind, EventInput['type']> = { saml: 'login', entra: 'login', lti: 'launch', host: 'launch' };

const TERM_HOURS: [number, number][] = [[8, 6], [9, 10], [10, 10], [11, 7], [12, 3], [13, 9], [14, 8], [15, 4], [16, 2], [17, 2], [18, 3], [19, 4], [20, 3], [21, 1]];
const OFF_HOURS: [number, number][] = [[9, 2], [10, 4], [11, 5], [12, 4], [13, 5], [14, 5], [15, 5], [16, 4], [17, 4], [18, 5], [19, 6], [20, 5], [21, 3]];
const EARLY_HOURS: [number, number][] = [[6, 1], [7, 3]];

/** `anna.lind123@…` → `Anna.Lind123@…`: how a login typed by hand often arrives. */
const capitalised = (login: string) => {
  const at = login.indexOf('@');
  return login.slice(0, at).replace(/(^|\.)([a-z])/g, (_, dot: string, c: string) => dot + c.toUpperCase()) + login.slice(at);
};

/**
 * Each source names the user its own way: Shibboleth sends the eppn, Entra a UPN or e-mail in
 * whatever case the account was typed in, LTI platforms often the SS12000 id as an IRI. The
 * variety is the point: identity normalisation must bring them all back to one person.
 */
function userOf(rnd: Random, p: Person, kind: IdentifierKind): string {
  const r = rnd.float();
  switch (kind) {
    case 'saml':
      return r < 0.92 ? p.eppn : capitalised(p.eppn);
    case 'entra':
      return r < 0.5 ? p.eppn : r < 0.8 ? p.email.toUpperCase() : capitalised(p.email);
    case 'lti':
      return r < 0.55 ? `urn:uuid:${p.id}` : r < 0.6 ? `urn:uuid:${p.id.toUpperCase()}` : p.eppn;
    case 'host':
      return r < 0.95 ? p.eppn : p.email;
  }
}

const two = (n: number) => String(n).padStart(2, '0');

/** Replays the plan with a fresh stream: every call yields the same events in the same order. */
export function* generateEvents(seed: number, usage: Usage, roster: Roster, cat: Catalogue): Generator<EventInput> {
  const rnd = new Random(seed, 'events');
  const { days, pairs, k, unknownUsers } = usage;
  const persons = roster.persons;
  let n = 0;
  for (let d = 0; d < days.length; d++) {
    const day = days[d];
    const f = day.factor * k;
    const hours = day.isToday ? EARLY_HOURS : day.kind === 'term' && day.weekday < 5 ? TERM_HOURS : OFF_HOURS;
    for (const p of pairs) {
      if (d < p.from || d > p.to) continue;
      const lambda = p.rate * f * p.week[day.weekday];
      let sessions = Math.floor(lambda);
      if (rnd.float() < lambda - sessions) sessions++;
      for (let s = 0; s < sessions; s++) {
        n++;
        const ident = rnd.pick(cat.usageProducts[p.product].identifiers);
        const user = p.who < persons.length ? userOf(rnd, persons[p.who], ident.kind) : unknownUsers[p.who - persons.length];
        const time = `${day.date}T${two(rnd.weighted(hours))}:${two(rnd.int(0, 59))}:${two(rnd.int(0, 59))}${day.offset}`;
        const event: EventInput = { type: TYPE[ident.kind], time, user, product: ident.value, source: SOURCE[ident.kind] };
        // Most sources give an id; a few do not, and then the content is the idempotency key.
        yield rnd.chance(0.96) ? { id: `demo-${n}`, ...event } : event;
      }
    }
  }
  yield* deniedLaunches(seed, usage, roster, cat);
}

/** The product whose publisher refuses launches by pupils of schools that did not buy it. */
const REFUSING = 'gleerups-biologi-7-9';

/**
 * Refused launches (`denied`, docs/figures.md figure 15): pupils in years 7–9 of schools
 * without Gleerups Biologi who follow a link to it, once or twice each on a school day. From
 * their own random stream, so the rest of the demo is the same with or without them.
 */
function* deniedLaunches(seed: number, usage: Usage, roster: Roster, cat: Catalogue): Generator<EventInput> {
  const rnd = new Random(seed, 'denied');
  const product = cat.usageProducts.findIndex((p) => p.id === REFUSING);
  const plans = cat.plans.filter((p) => p.product === product);
  const ident = cat.usageProducts[product]?.identifiers.find((i) => i.kind === 'lti');
  const schoolDays = usage.days.filter((d) => d.kind === 'term' && d.weekday < 5 && !d.isToday);
  if (!ident || !plans.length || !schoolDays.length) return;
  const bought = new Set(plans.flatMap((p) => [...p.units]));
  const bands = cat.usageProducts[product].bands;
  const pupils = roster.persons.filter((p) => p.kind === 'pupil' && inBand(bands, p.schoolType, p.grade) && !bought.has(p.segments[p.segments.length - 1].unit));
  const who = rnd.shuffle(pupils).slice(0, 40);
  let n = 0;
  for (const p of who) {
    for (let k = rnd.int(1, 2); k > 0; k--) {
      const day = rnd.pick(schoolDays);
      const time = `${day.date}T${two(rnd.int(8, 15))}:${two(rnd.int(0, 59))}:${two(rnd.int(0, 59))}${day.offset}`;
      yield { id: `demo-denied-${++n}`, type: 'denied', time, user: p.eppn, product: ident.value, source: 'lti' };
    }
  }
}
