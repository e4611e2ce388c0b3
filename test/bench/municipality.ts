import type { LicenceInput, ProductInput } from '@licenskoll/core';
import { YEAR, dateOf, dayIndex } from './calendar.ts';
import { Random } from './random.ts';

/**
 * The large municipality of the benchmark (issue 5): at scale 1, 30,000 pupils and 3,000
 * staff in 40 school units and 1,200 classes, 60 products and 300 licences of every scope
 * and audience. Deterministic: the same seed and scale give the same municipality.
 */

export type Band = 'F-3' | '4-6' | 'F-6' | '7-9' | 'F-9' | 'GY';
const BAND_GRADES: Record<Band, number[]> = {
  'F-3': [0, 1, 2, 3], '4-6': [4, 5, 6], 'F-6': [0, 1, 2, 3, 4, 5, 6], '7-9': [7, 8, 9], 'F-9': [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], GY: [10, 11, 12],
};
export const inBand = (band: Band, grade: number) => BAND_GRADES[band].includes(grade);

export interface Unit { idx: number; id: string; code: string; name: string; grades: number[] }
export interface Klass { idx: number; id: string; unit: number; grade: number; name: string }
/** A stretch of a pupil's year in one class, as day indexes of the school year (both included). */
export interface Segment { klass: number; unit: number; from: number; to: number }
export interface Pupil { idx: number; id: string; eppn: string; email: string; grade: number; segments: Segment[] }
export interface StaffMember { idx: number; id: string; eppn: string; email: string; units: number[]; role: string }

/** The four ways sources name a product: SAML entityID, Entra appId, LTI client_id, a URL (matched by host). */
export type IdentKind = 0 | 1 | 2 | 3;
export interface Product extends ProductInput { band: Band; primary: IdentKind; idents: [string, string, string, string]; popularity: number }

export interface Municipality {
  organiser: { id: string; number: string };
  units: Unit[];
  classes: Klass[];
  pupils: Pupil[];
  staff: StaffMember[];
  products: Product[];
  licences: LicenceInput[];
  ss12000: { organisations: object[]; persons: object[]; groups: object[]; duties: object[] };
  /** The roster snapshot day. */
  asOf: string;
}

export interface Sizes { pupils: number; staff: number; classes: number; units: number; products: number; licences: number }
export const sizesAt = (scale: number): Sizes => ({
  pupils: Math.round(30_000 * scale),
  staff: Math.max(40, Math.round(3_000 * scale)),
  classes: Math.max(40, Math.round(1_200 * scale)),
  units: 40,
  products: 60,
  licences: 300,
});

const DOMAIN = 'storstad.se';
const SUBJECTS = ['Matte', 'Svenska', 'Engelska', 'NO', 'SO', 'Teknik', 'Bild', 'Musik', 'Spanska', 'Tyska', 'Franska', 'Programmering'];
const SUPPLIERS = ['Sanoma', 'Liber', 'Gleerups', 'Natur & Kultur', 'Studi', 'Nationalencyklopedin', 'Clio', 'Binogi'];
const UNIT_KINDS: { grades: number[]; share: number }[] = [
  { grades: [0, 1, 2, 3, 4, 5, 6], share: 24 }, { grades: [7, 8, 9], share: 10 }, { grades: [10, 11, 12], share: 6 },
];
const PRODUCT_BANDS: Band[] = ['F-3', '4-6', 'F-6', '7-9', 'F-9', 'GY', 'F-6', '7-9', 'GY', 'F-9'];

/** Largest-remainder split of `total` by weights, each part at least `min`. */
function split(total: number, weights: number[], min: number): number[] {
  const rest = total - min * weights.length;
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (w / sum) * rest);
  const out = raw.map((r) => min + Math.floor(r));
  const order = raw.map((r, i) => [r - Math.floor(r), i]).sort((a, b) => b[0] - a[0]);
  for (let k = 0; k < total - out.reduce((a, b) => a + b, 0); k++) out[order[k % order.length][1]]++;
  return out;
}

export function buildMunicipality(seed: number, scale: number): Municipality {
  const size = sizesAt(scale);
  const rnd = new Random(seed, 'roster');
  const organiser = { id: Random.uuid(0xa0, 0), number: '2120001234' };

  const units: Unit[] = [];
  let u = 0;
  for (const kind of UNIT_KINDS) {
    for (let i = 0; i < kind.share; i++, u++) {
      units.push({ idx: u, id: Random.uuid(0xa1, u), code: String(40_000_000 + u * 137), name: `Skola ${u + 1}`, grades: kind.grades });
    }
  }
  const classesPerUnit = split(size.classes, units.map(() => 0.6 + rnd.float() * 0.8), 1);
  const classes: Klass[] = [];
  units.forEach((unit, ui) => {
    for (let i = 0; i < classesPerUnit[ui]; i++) {
      const grade = unit.grades[i % unit.grades.length];
      const letter = String.fromCharCode(65 + Math.floor(i / unit.grades.length));
      classes.push({ idx: classes.length, id: Random.uuid(0xb0, classes.length), unit: ui, grade, name: `${grade === 0 ? 'F' : grade}${letter}` });
    }
  });

  const lastDay = dayIndex(YEAR.to);
  const moveFrom = dayIndex('2025-10-01');
  const moveTo = dayIndex('2026-04-30');
  const sameGrade = new Map<number, Klass[]>();
  for (const k of classes) sameGrade.set(k.grade, [...(sameGrade.get(k.grade) ?? []), k]);
  const pupils: Pupil[] = [];
  for (let i = 0; i < size.pupils; i++) {
    const klass = classes[i % classes.length];
    const id = Random.uuid(0xc0, i);
    const p: Pupil = { idx: i, id, eppn: `elev${i}@edu.${DOMAIN}`, email: `Elev.${i}@Skola.${DOMAIN}`, grade: klass.grade, segments: [] };
    // A few pupils change class during the year: history must split at the move, never be rewritten.
    if (rnd.chance(0.04)) {
      const move = rnd.int(moveFrom, moveTo);
      const options = sameGrade.get(klass.grade)!.filter((k) => k.idx !== klass.idx);
      const to = options.length ? rnd.pick(options) : klass;
      p.segments.push({ klass: klass.idx, unit: klass.unit, from: 0, to: move - 1 }, { klass: to.idx, unit: to.unit, from: move, to: lastDay });
    } else {
      p.segments.push({ klass: klass.idx, unit: klass.unit, from: 0, to: lastDay });
    }
    pupils.push(p);
  }

  const staffPerUnit = split(size.staff, units.map((_, ui) => classesPerUnit[ui]), 1);
  const staff: StaffMember[] = [];
  units.forEach((_, ui) => {
    for (let i = 0; i < staffPerUnit[ui]; i++) {
      const idx = staff.length;
      const units2 = rnd.chance(0.1) ? [ui, (ui + 1 + rnd.int(0, units.length - 2)) % units.length] : [ui];
      staff.push({ idx, id: Random.uuid(0xc1, idx), eppn: `personal${idx}@edu.${DOMAIN}`, email: `Personal.${idx}@${DOMAIN}`, units: units2, role: i === 0 ? 'Rektor' : 'Lärare' });
    }
  });

  const products: Product[] = [];
  for (let i = 1; i <= size.products; i++) {
    const n = String(i).padStart(2, '0');
    const idents: Product['idents'] = [
      `https://sp.p${n}.bench.example/shibboleth`, Random.uuid(0xe0, i), `lti-p${n}-client`, `https://app.p${n}.bench.example/start`,
    ];
    products.push({
      id: `P${n}`, name: `${SUBJECTS[i % SUBJECTS.length]} ${Math.ceil(i / SUBJECTS.length)}`, supplier: SUPPLIERS[i % SUPPLIERS.length],
      // The URL kind is registered by host: events send full URLs and are matched by their host.
      identifiers: [idents[0], idents[1], idents[2], `app.p${n}.bench.example`],
      band: PRODUCT_BANDS[i % PRODUCT_BANDS.length], primary: (i % 4) as IdentKind, idents, popularity: 0.45 + rnd.float() * 0.5,
    });
  }

  const licences = buildLicences(rnd, size, organiser, units, classes, pupils, products);
  return { organiser, units, classes, pupils, staff, products, licences, ss12000: toSs12000(organiser, units, classes, pupils, staff), asOf: YEAR.from };
}

const PERIODS: { start: string; end: string; weight: number }[] = [
  { start: '2025-08-01', end: '2026-07-31', weight: 55 },
  { start: '2025-07-01', end: '2026-06-30', weight: 15 },
  { start: '2026-01-01', end: '2026-12-31', weight: 10 },
  { start: '2024-08-01', end: '2026-04-30', weight: 10 },
  { start: '2025-08-01', end: '2026-05-31', weight: 10 },
];

function period(rnd: Random) {
  let r = rnd.float() * 100;
  for (const p of PERIODS) if ((r -= p.weight) < 0) return p;
  return PERIODS[0];
}

function buildLicences(rnd: Random, size: Sizes, org: { id: string; number: string }, units: Unit[], classes: Klass[], pupils: Pupil[], products: Product[]): LicenceInput[] {
  const out: LicenceInput[] = [];
  const eligible = (band: Band, unitSet?: Set<number>) =>
    pupils.filter((p) => inBand(band, p.grade) && (!unitSet || unitSet.has(p.segments[0].unit))).length;
  const add = (l: Omit<LicenceInput, 'id' | 'currency' | 'price'> & { perSeat: number }) => {
    const { perSeat, ...rest } = l;
    const seats = rest.seats;
    out.push({ ...rest, id: `BL-${String(out.length + 1).padStart(3, '0')}`, currency: 'SEK', price: Math.round((seats ?? 400) * perSeat) });
  };
  const productRef = (p: Product) => (rnd.chance(0.1) ? p.idents[2] : p.id);
  const seatsFor = (n: number) => (rnd.chance(0.1) ? null : Math.max(5, Math.round(n * (0.5 + rnd.float() * 0.8))));

  // Organiser-wide licences for broad products, named by organisation number or id.
  const broad = products.filter((p) => p.band === 'F-9' || p.band === 'F-6');
  for (let i = 0; i < 8; i++) {
    const p = broad[i % broad.length];
    add({ product: productRef(p), seats: seatsFor(eligible(p.band)), scope: { type: 'organisation', ids: [i % 2 ? org.number : org.id] }, audience: 'students', ...period(rnd), buyer: 'Utbildningsförvaltningen, central inköp', orderRef: `PO-C-${i}`, perSeat: 30 + rnd.int(0, 60) });
  }
  for (let i = 0; i < 6; i++) {
    const p = products[(i * 7) % products.length];
    add({ product: p.id, seats: i % 3 ? Math.round(size.staff * 0.3) : null, scope: { type: 'organisation', ids: [org.id] }, audience: 'staff', ...period(rnd), buyer: 'IT-enheten', perSeat: 90 });
  }
  for (let i = 0; i < 4; i++) {
    const unit = units[(i * 9) % units.length];
    const p = products.find((x) => unit.grades.some((g) => inBand(x.band, g)))!;
    add({ product: p.id, seats: 60, scope: { type: 'school', ids: [unit.code] }, audience: 'all', ...period(rnd), buyer: `Rektor ${unit.name}`, perSeat: 70 });
  }
  // Group licences: a teacher's purchase for a few classes of one grade.
  for (let i = 0; i < 40; i++) {
    const k = classes[(i * 31) % classes.length];
    const peers = classes.filter((c) => c.unit === k.unit && c.grade === k.grade).slice(0, 1 + (i % 3));
    const p = products.filter((x) => inBand(x.band, k.grade))[i % 5];
    add({ product: productRef(p), seats: 25 * peers.length, scope: { type: 'group', ids: peers.map((c) => c.id) }, audience: 'students', ...period(rnd), buyer: `Lärare ${units[k.unit].name}`, perSeat: 50 });
  }
  // School licences fill the rest: each unit buys the products of its grades.
  let i = 0;
  while (out.length < size.licences) {
    const unit = units[i % units.length];
    const fits = products.filter((x) => unit.grades.some((g) => inBand(x.band, g)));
    const p = fits[(Math.floor(i / units.length) * 3 + i) % fits.length];
    const scopeUnits = rnd.chance(0.2) ? [unit, units[(i + 1) % units.length]] : [unit];
    const n = eligible(p.band, new Set(scopeUnits.map((x) => x.idx)));
    add({ product: productRef(p), seats: seatsFor(Math.max(n, 20)), scope: { type: 'school', ids: scopeUnits.map((x) => (rnd.chance(0.5) ? x.code : x.id)) }, audience: 'students', ...period(rnd), buyer: `Rektor ${unit.name}`, orderRef: `PO-S-${i}`, perSeat: 25 + rnd.int(0, 80) });
    i++;
  }
  return out;
}

const meta = { created: '2025-06-01T08:00:00+02:00', modified: '2025-08-01T08:00:00+02:00' };

function toSs12000(org: { id: string; number: string }, units: Unit[], classes: Klass[], pupils: Pupil[], staff: StaffMember[]): Municipality['ss12000'] {
  const organisations = [
    { id: org.id, meta, displayName: 'Storstads kommun', organisationType: 'Huvudman', organisationNumber: org.number },
    ...units.map((u) => ({ id: u.id, meta, displayName: u.name, organisationType: 'Skolenhet', schoolUnitCode: u.code, parentOrganisation: { id: org.id } })),
  ];
  const members: object[][] = classes.map(() => []);
  const persons: object[] = [];
  for (const p of pupils) {
    const enrolments: object[] = [];
    p.segments.forEach((s, i) => {
      const dates = p.segments.length === 1 ? {} : i === 0 ? { endDate: dateOf(s.to) } : { startDate: dateOf(s.from) };
      members[s.klass].push({ person: { id: p.id }, ...dates });
      const prev = enrolments.at(-1) as { enroledAt: { id: string }; endDate?: string } | undefined;
      const unitId = units[s.unit].id;
      if (prev && prev.enroledAt.id === unitId) return;
      if (prev) prev.endDate = dateOf(s.from - 1);
      enrolments.push({ enroledAt: { id: unitId }, schoolYear: p.grade, schoolType: p.grade >= 10 ? 'GY' : 'GR', startDate: i === 0 ? YEAR.from : dateOf(s.from) });
    });
    persons.push({ id: p.id, meta, givenName: 'E', familyName: 'L', eduPersonPrincipalNames: [p.eppn], emails: [{ value: p.email, type: 'Skola elev' }], enrolments });
  }
  for (const s of staff) persons.push({ id: s.id, meta, givenName: 'P', familyName: 'S', eduPersonPrincipalNames: [s.eppn], emails: [{ value: s.email, type: 'Skola personal' }] });
  const groups = classes.map((k) => ({
    id: k.id, meta, displayName: k.name, groupType: 'Klass', schoolType: k.grade >= 10 ? 'GY' : 'GR', startDate: YEAR.from, endDate: YEAR.to,
    organisation: { id: units[k.unit].id }, groupMemberships: members[k.idx],
  }));
  const duties = staff.flatMap((s) =>
    s.units.map((u, i) => ({ id: Random.uuid(0xd0, s.idx * 4 + i), meta, person: { id: s.id }, dutyAt: { id: units[u].id }, dutyRole: i === 0 ? s.role : 'Lärare', startDate: '2015-08-01' })),
  );
  return { organisations, persons, groups, duties };
}
