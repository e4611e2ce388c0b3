import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, eventInput, monthStart, licenceInput, normaliseProductIdentifier, normaliseUserIdentifier, productInput, type EventInput } from '@licenskoll/core';
import { generateDemo, schoolYearOf, type DemoData, type Ss12000Duty, type Ss12000Group, type Ss12000Organisation, type Ss12000Person } from './index.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function hashOf(d: DemoData): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ asOf: d.asOf, ss12000: d.ss12000, products: d.products, licences: d.licences, summary: d.summary }));
  for (const e of d.events()) h.update(`${JSON.stringify(e)}\n`);
  return h.digest('hex');
}

interface Loaded {
  data: DemoData;
  events: EventInput[];
  orgs: Ss12000Organisation[];
  persons: Ss12000Person[];
  groups: Ss12000Group[];
  duties: Ss12000Duty[];
}

function load(today: string): Loaded {
  const data = generateDemo({ today });
  return {
    data,
    events: [...data.events()],
    orgs: data.ss12000.organisations as Ss12000Organisation[],
    persons: data.ss12000.persons as Ss12000Person[],
    groups: data.ss12000.groups as Ss12000Group[],
    duties: data.ss12000.duties as Ss12000Duty[],
  };
}

/** Mid-year, as on a fresh start in late autumn. */
const AUTUMN = '2026-11-29';
/** The end of a school year: every break has happened. */
const SUMMER = '2027-06-30';

describe('demo municipality', () => {
  let autumn: Loaded;
  let full: Loaded;
  let generationMs: number;

  beforeAll(() => {
    const t0 = performance.now();
    autumn = load(AUTUMN);
    generationMs = performance.now() - t0;
    full = load(SUMMER);
  });

  it('is byte-identical for the same options and differs for another seed', () => {
    const a = hashOf(generateDemo({ today: AUTUMN, seed: 7 }));
    const b = hashOf(generateDemo({ today: AUTUMN, seed: 7 }));
    const c = hashOf(generateDemo({ today: AUTUMN, seed: 8 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    // events() replays: two iterations of one instance agree as well
    const first = JSON.stringify(autumn.events.slice(0, 1000));
    expect(JSON.stringify([...autumn.data.events()].slice(0, 1000))).toBe(first);
  });

  it('has the default size and generates quickly', () => {
    const s = autumn.data.summary;
    expect(s.schoolUnits).toBe(12);
    expect(s.groups).toBeGreaterThan(250);
    expect(s.pupils).toBeGreaterThan(3500);
    expect(s.pupils).toBeLessThan(4500);
    expect(s.staff).toBeGreaterThan(350);
    expect(s.staff).toBeLessThan(450);
    expect(s.products).toBeGreaterThanOrEqual(20);
    expect(s.products).toBeLessThanOrEqual(40);
    expect(s.licences).toBe(autumn.data.licences.length);
    for (const { events, data } of [autumn, full]) {
      expect(events.length).toBeGreaterThan(200_000);
      expect(events.length).toBeLessThan(400_000);
      expect(Math.abs(events.length - data.summary.approxEvents) / events.length).toBeLessThan(0.05);
    }
    expect(autumn.persons.filter((p) => p.enrolments).length).toBe(s.pupils);
    expect(generationMs).toBeLessThan(10_000);
  });

  it('emits products, licences and events that pass the core schemas', () => {
    for (const p of autumn.data.products) expect(productInput.safeParse(p).success, p.id).toBe(true);
    for (const l of autumn.data.licences) expect(licenceInput.safeParse(l).success, l.id).toBe(true);
    for (const { events } of [autumn, full]) {
      for (const e of events) {
        const r = eventInput.safeParse(e);
        if (!r.success) throw new Error(`${JSON.stringify(e)}: ${r.error.message}`);
      }
    }
  });

  it('has one organiser, a dozen school units under it, and SS12000-shaped ids and codes', () => {
    const { orgs, persons, groups, duties } = autumn;
    const organisers = orgs.filter((o) => o.organisationType === 'Huvudman');
    expect(organisers).toHaveLength(1);
    expect(organisers[0].displayName).toBe('Exempelstads kommun');
    const units = orgs.filter((o) => o.organisationType === 'Skolenhet');
    expect(units).toHaveLength(12);
    for (const u of units) {
      expect(u.parentOrganisation?.id).toBe(organisers[0].id);
      expect(u.schoolUnitCode).toMatch(/^\d{8}$/);
      expect(u.schoolTypes!.length).toBe(1);
      expect(['GR', 'GY']).toContain(u.schoolTypes![0]);
    }
    expect(new Set(units.map((u) => u.schoolUnitCode)).size).toBe(units.length);
    const ids = [...orgs, ...persons, ...groups, ...duties].map((x) => x.id);
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps every reference inside the roster', () => {
    const { orgs, persons, groups, duties } = autumn;
    const unitIds = new Set(orgs.filter((o) => o.organisationType === 'Skolenhet').map((o) => o.id));
    const personIds = new Set(persons.map((p) => p.id));
    const groupIds = new Set(groups.map((g) => g.id));
    for (const g of groups) {
      expect(unitIds.has(g.organisation.id)).toBe(true);
      for (const m of g.groupMemberships) expect(personIds.has(m.person.id)).toBe(true);
    }
    for (const p of persons) for (const e of p.enrolments ?? []) expect(unitIds.has(e.enroledAt.id)).toBe(true);
    for (const d of duties) {
      expect(personIds.has(d.person.id)).toBe(true);
      expect(unitIds.has(d.dutyAt.id)).toBe(true);
      for (const a of d.assignmentRole ?? []) expect(groupIds.has(a.group.id)).toBe(true);
    }
    expect(groups.some((g) => g.groupType === 'Klass')).toBe(true);
    expect(groups.some((g) => g.groupType === 'Undervisning')).toBe(true);
  });

  it('gives pupils enrolments and school logins, and staff duties without enrolments', () => {
    const { orgs, persons, duties } = autumn;
    const sy = schoolYearOf(AUTUMN);
    const withDuty = new Set(duties.map((d) => d.person.id));
    for (const p of persons) {
      if (p.enrolments) {
        expect(p.eduPersonPrincipalNames[0]).toMatch(/^[a-z-]+\.[a-z-]+\d{3}@edu\.exempelstad\.se$/);
        expect(p.enrolments[0].startDate).toBe(sy.termStart);
        expect(withDuty.has(p.id)).toBe(false);
      } else {
        expect(withDuty.has(p.id)).toBe(true);
      }
      expect(p.emails.length).toBeGreaterThan(0);
    }
    const eppns = persons.map((p) => p.eduPersonPrincipalNames[0]);
    expect(new Set(eppns).size).toBe(eppns.length);
    for (const u of orgs.filter((o) => o.organisationType === 'Skolenhet')) {
      expect(duties.some((d) => d.dutyAt.id === u.id && d.dutyRole === 'Rektor')).toBe(true);
      expect(duties.some((d) => d.dutyAt.id === u.id && d.dutyRole === 'Lärare')).toBe(true);
    }
  });

  it('places every pupil in exactly one class on any day and closes moves contiguously', () => {
    const { persons, groups } = autumn;
    const sy = schoolYearOf(AUTUMN);
    const klass = new Map<string, { start?: string; end?: string; group: string }[]>();
    for (const g of groups.filter((x) => x.groupType === 'Klass')) {
      for (const m of g.groupMemberships) {
        const list = klass.get(m.person.id) ?? [];
        list.push({ start: m.startDate, end: m.endDate, group: g.id });
        klass.set(m.person.id, list);
      }
    }
    let movers = 0;
    for (const p of persons.filter((x) => x.enrolments)) {
      const ms = (klass.get(p.id) ?? []).sort((a, b) => (a.start ?? '').localeCompare(b.start ?? ''));
      expect(ms.length).toBeGreaterThanOrEqual(1);
      expect(ms[0].start).toBe(sy.termStart);
      expect(ms[ms.length - 1].end).toBeUndefined();
      for (let i = 1; i < ms.length; i++) {
        expect(ms[i - 1].end).toBeDefined();
        expect(ms[i].start).toBe(addDays(ms[i - 1].end!, 1));
        expect(ms[i].group).not.toBe(ms[i - 1].group);
        expect(ms[i].start! <= AUTUMN).toBe(true);
      }
      if (ms.length > 1) {
        movers++;
        // A move to another school closes the old enrolment the same way.
        const en = p.enrolments!;
        for (let i = 1; i < en.length; i++) expect(en[i].startDate).toBe(addDays(en[i - 1].endDate!, 1));
      }
    }
    expect(movers).toBeGreaterThan(50);
    expect(persons.some((p) => (p.enrolments?.length ?? 0) > 1)).toBe(true);
    // Teaching groups of movers also carry explicit dates; others come without.
    const undated = groups.filter((g) => g.groupType === 'Undervisning').flatMap((g) => g.groupMemberships).filter((m) => !m.startDate);
    expect(undated.length).toBeGreaterThan(0);
  });

  it('has licences of every scope, audience and kind the reports need', () => {
    const { data, orgs, groups } = autumn;
    const licences = data.licences;
    const organiser = orgs.find((o) => o.organisationType === 'Huvudman')!.id;
    const unitIds = new Set(orgs.filter((o) => o.organisationType === 'Skolenhet').map((o) => o.id));
    const groupIds = new Set(groups.map((g) => g.id));
    const productIds = new Set(data.products.map((p) => p.id));
    for (const l of licences) {
      expect(productIds.has(l.product)).toBe(true);
      for (const id of l.scope.ids) {
        if (l.scope.type === 'organisation') expect(id).toBe(organiser);
        if (l.scope.type === 'school') expect(unitIds.has(id)).toBe(true);
        if (l.scope.type === 'group') expect(groupIds.has(id)).toBe(true);
      }
      expect(l.price).toBeGreaterThan(0);
      if (l.seats !== null) {
        const perSeat = l.price / l.seats;
        expect(perSeat).toBeGreaterThanOrEqual(30);
        expect(perSeat).toBeLessThanOrEqual(400);
      }
    }
    for (const t of ['organisation', 'school', 'group']) expect(licences.some((l) => l.scope.type === t), t).toBe(true);
    for (const a of ['students', 'staff', 'all']) expect(licences.some((l) => l.audience === a), a).toBe(true);
    expect(licences.some((l) => l.seats === null)).toBe(true);
    const soon = licences.filter((l) => l.end > AUTUMN && l.end <= addDays(AUTUMN, 90));
    expect(soon.length).toBeGreaterThanOrEqual(3);
    expect(licences.filter((l) => l.start <= AUTUMN && l.end >= AUTUMN).length).toBe(licences.length);
    expect(new Set(licences.map((l) => l.buyer)).size).toBeGreaterThan(5);
    const ids = licences.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    const identifiers = data.products.flatMap((p) => p.identifiers.map(normaliseProductIdentifier));
    expect(new Set(identifiers).size).toBe(identifiers.length);
  });

  it('has an over-used licence up for renewal: a staff licence ending within 90 days used by more staff than it has seats', () => {
    // Figure 12 needs one on the Renewals page: peak = most staff users in one of the last three full months.
    for (const [today, d] of [[AUTUMN, autumn], [SUMMER, full]] as const) {
      const staff = new Set(d.duties.map((x) => x.person.id));
      const personOf = new Map<string, string>();
      for (const p of d.persons.filter((x) => staff.has(x.id))) {
        for (const e of p.eduPersonPrincipalNames) personOf.set(normaliseUserIdentifier(e), p.id);
        for (const e of p.emails) personOf.set(normaliseUserIdentifier(e.value), p.id);
      }
      const months = [3, 2, 1].map((back) => monthStart(today, back).slice(0, 7));
      const over = d.data.licences.filter((l) => l.audience === 'staff' && l.seats !== null && l.end >= today && l.end <= addDays(today, 90)).filter((l) => {
        const ids = new Set(d.data.products.find((p) => p.id === l.product)!.identifiers.map(normaliseProductIdentifier));
        const users = new Map<string, Set<string>>();
        for (const e of d.events) {
          const who = personOf.get(normaliseUserIdentifier(e.user));
          const month = e.time.slice(0, 7);
          if (!who || !months.includes(month) || !ids.has(normaliseProductIdentifier(e.product))) continue;
          users.set(month, (users.get(month) ?? new Set()).add(who));
        }
        return Math.max(0, ...[...users.values()].map((u) => u.size)) > l.seats!;
      });
      expect(over.length, today).toBeGreaterThanOrEqual(1);
    }
  });

  it('uses some products heavily, some little and some never, with unmapped and unresolved traffic', () => {
    const { data, events, persons } = autumn;
    const productOf = new Map<string, string>();
    for (const p of data.products) for (const i of p.identifiers) productOf.set(normaliseProductIdentifier(i), p.id);
    const personOf = new Map<string, string>();
    for (const p of persons) {
      personOf.set(p.id, p.id);
      for (const e of p.eduPersonPrincipalNames) personOf.set(normaliseUserIdentifier(e), p.id);
      for (const e of p.emails) personOf.set(normaliseUserIdentifier(e.value), p.id);
    }
    const perProduct = new Map<string, number>();
    let unmapped = 0;
    let unresolved = 0;
    for (const e of events) {
      const product = productOf.get(normaliseProductIdentifier(e.product));
      if (product) perProduct.set(product, (perProduct.get(product) ?? 0) + 1);
      else unmapped++;
      if (!personOf.has(normaliseUserIdentifier(e.user))) unresolved++;
    }
    const never = data.products.filter((p) => !perProduct.has(p.id));
    expect(never.length).toBeGreaterThanOrEqual(2);
    for (const p of never) expect(data.licences.some((l) => l.product === p.id)).toBe(true);
    expect(Math.max(...perProduct.values())).toBeGreaterThan(20 * Math.min(...perProduct.values()));
    expect(unmapped).toBeGreaterThan(100);
    expect(unmapped / events.length).toBeLessThan(0.05);
    expect(new Set(events.map((e) => e.product).filter((p) => !productOf.has(normaliseProductIdentifier(p)))).size).toBeGreaterThanOrEqual(2);
    expect(unresolved).toBeGreaterThan(20);
    expect(unresolved / events.length).toBeLessThan(0.01);
  });

  it('names users the way different sources do', () => {
    const { events } = autumn;
    const share = (f: (e: EventInput) => boolean) => events.filter(f).length / events.length;
    expect(share((e) => /^[a-z0-9.-]+@edu\.exempelstad\.se$/.test(e.user))).toBeGreaterThan(0.6);
    expect(share((e) => e.user.startsWith('urn:uuid:'))).toBeGreaterThan(0.02);
    expect(share((e) => e.user.includes('@') && e.user !== e.user.toLowerCase())).toBeGreaterThan(0.02);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['login', 'launch']));
    expect(new Set(events.map((e) => e.source)).size).toBeGreaterThanOrEqual(3);
    expect(share((e) => e.id !== undefined)).toBeGreaterThan(0.9);
    const ids = events.flatMap((e) => (e.id ? [e.id] : []));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps every event inside the school year up to today, never later in the day than 08:00 today', () => {
    for (const [today, { events }] of [[AUTUMN, autumn], [SUMMER, full]] as const) {
      const sy = schoolYearOf(today);
      const endOfToday = Date.parse(`${addDays(today, 1)}T00:00:00Z`);
      // One assertion per run, not per event: 300,000 expect() calls take seconds.
      const outside = events.filter((e) => {
        const day = e.time.slice(0, 10);
        return day < sy.start || day > today || (day === today && e.time.slice(11, 13) >= '08') || Date.parse(e.time) >= endOfToday;
      });
      expect(outside.slice(0, 5)).toEqual([]);
      expect(events.some((e) => e.time.startsWith(today))).toBe(true);
    }
    // Swedish summer and winter time.
    expect(autumn.events.find((e) => e.time.startsWith('2026-09-'))!.time.endsWith('+02:00')).toBe(true);
    expect(autumn.events.find((e) => e.time.startsWith('2026-11-'))!.time.endsWith('+01:00')).toBe(true);
  });

  it('follows the school rhythm: weekdays, breaks and summer', () => {
    const { events } = full;
    const perDay = new Map<string, number>();
    for (const e of events) {
      const day = e.time.slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    const sy = schoolYearOf(SUMMER);
    const avg = (pred: (d: string) => boolean) => {
      let n = 0;
      let days = 0;
      for (let d = sy.termStart; d <= sy.termEnd; d = addDays(d, 1)) {
        if (!pred(d)) continue;
        days++;
        n += perDay.get(d) ?? 0;
      }
      return n / days;
    };
    const wd = (d: string) => (new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7;
    const christmas = (d: string) => d >= '2026-12-21' && d <= '2027-01-07';
    const weekday = avg((d) => wd(d) < 5 && !christmas(d));
    const weekend = avg((d) => wd(d) >= 5);
    expect(weekday).toBeGreaterThan(5 * weekend);
    const inChristmas = [...perDay].filter(([d]) => christmas(d)).reduce((n, [, c]) => n + c, 0);
    expect(inChristmas / events.length).toBeLessThan(0.05);
    // höstlov (week 44) and sportlov (week 9) weekdays are far quieter than ordinary ones
    expect(avg((d) => d >= '2026-10-26' && d <= '2026-10-30')).toBeLessThan(0.2 * weekday);
    expect(avg((d) => d >= '2027-03-01' && d <= '2027-03-05')).toBeLessThan(0.2 * weekday);
    const summer = [...perDay].filter(([d]) => d > sy.termEnd || d < sy.termStart).reduce((n, [, c]) => n + c, 0);
    expect(summer / events.length).toBeLessThan(0.02);
  });

  it('shows the school year just ended when the new one has barely begun', () => {
    const today = '2026-08-20';
    const d = generateDemo({ today });
    expect(d.summary.approxEvents).toBeGreaterThan(200_000);
    const first = addDays(today, -364);
    let n = 0;
    let outside = 0;
    for (const e of d.events()) {
      n++;
      const day = e.time.slice(0, 10);
      if (day < first || day > today) outside++;
    }
    expect(outside).toBe(0);
    expect(Math.abs(n - d.summary.approxEvents) / n).toBeLessThan(0.05);
    expect(d.licences.some((l) => l.start <= today && l.end >= today)).toBe(true);
    expect(d.licences.some((l) => l.end > today && l.end <= addDays(today, 90))).toBe(true);
    for (const l of d.licences) expect(licenceInput.safeParse(l).success).toBe(true);
  });

  it('scales pupils and events', () => {
    const base = autumn.data.summary;
    const big = generateDemo({ today: AUTUMN, scale: 2 }).summary;
    expect(big.pupils / base.pupils).toBeGreaterThan(1.8);
    expect(big.pupils / base.pupils).toBeLessThan(2.2);
    expect(big.approxEvents / base.approxEvents).toBeGreaterThan(1.8);
    expect(big.approxEvents / base.approxEvents).toBeLessThan(2.2);
    expect(big.schoolUnits).toBe(12);
    const small = generateDemo({ today: AUTUMN, scale: 0.1 });
    expect(small.summary.pupils).toBeLessThan(base.pupils / 4);
    for (const l of small.licences) expect(licenceInput.safeParse(l).success).toBe(true);
  });

  it('rejects options it cannot honour', () => {
    expect(() => generateDemo({ today: '2026-13-01' })).toThrow(/today/);
    expect(() => generateDemo({ today: AUTUMN, timeZone: 'Mars/Olympus' })).toThrow(/time zone/);
    expect(() => generateDemo({ today: AUTUMN, scale: 0 })).toThrow(/scale/);
  });
});
